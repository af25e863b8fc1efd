import type { Inputs, ProviderResource } from "@pulumi/pulumi";
import type { LambdaArchitecture } from "../components/aws/args";
import { ArgProblem } from "../components/argChecks";
import { CloudCheckTargets, Located, cloudCheckProblems } from "../components/cloudChecks";

/**
 * What the program's checks before registration ask the clouds (index.ts), asked for a component constructed through
 * the package, before it registers anything: a prebuilt image the platform cannot run or that does not verify, a
 * signing key KMS does not have, a reservation or maximum the account cannot grant, a stable revision Cloud Run does not
 * have, and a cloud that does not answer at all. Without them a caller met each of these only inside the component,
 * once its first resources had been made. Each problem names the argument's path; values not known yet (a
 * preview's unknowns, other resources' outputs) are left to the component, which checks again.
 */
export async function cloudArgProblems(component: string, inputs: Inputs, providers: Record<string, ProviderResource> | undefined): Promise<ArgProblem[]> {
    const targets = checkTargets(component, inputs, providers ?? {});
    const problems = targets ? await cloudCheckProblems(targets) : [];
    return problems.map((p) => ({ propertyPath: p.key, reason: p.message }));
}

function checkTargets(component: string, inputs: Inputs, providers: Record<string, ProviderResource>): CloudCheckTargets | undefined {
    const verify = inputs.imageVerification && { policy: inputs.imageVerification, signingKeyAt: "imageVerification.signingKey" };
    const image = plainValue<string>("image.prebuilt", inputs.image?.prebuilt, "string");
    // Both components take `region`: plain, it is checked against the provider's (or Cloud Run's locations).
    const regionAt = typeof inputs.region === "string" ? "region" : undefined;
    if (component === "LambdaEcrPipeline") {
        // The args are the ones the component takes (provider.ts asks it first).
        const architecture = inputs.architecture as LambdaArchitecture;
        const reservedConcurrency = plainValue<number>("reservedConcurrency", inputs.reservedConcurrency, "number");
        // The component runs another account's image: Lambda does, in the same region, where that repository's policy
        // lets it (AWS Compute Blog, "Introducing cross-account Amazon ECR access for AWS Lambda", 2021).
        return { aws: { provider: providers.aws, region: inputs.region, regionAt, architecture, image, imagesOfThisAccountOnly: false, reservedConcurrency }, verify };
    }
    if (component === "CloudRunGcsService") {
        const maxInstances = plainValue<number>("maxInstances", inputs.maxInstances, "number");
        const [cpu, memory] = [inputs.cpu, inputs.memory];
        const scale = maxInstances && typeof cpu === "string" && typeof memory === "string" ? { maxInstances, cpu, memory } : undefined;
        const stableRevision = plainValue<string>("canary.stableRevision", inputs.canary?.stableRevision, "string");
        return { gcp: { provider: providers.gcp, project: inputs.project, region: inputs.region, regionAt, image, stableRevision, scale }, verify };
    }
    return undefined;
}

/**
 * A value sent plainly, with its path. An output or a preview's unknown is not a string or a number here: the engine
 * passes a remote component's unknowns on as output values without a value (scripts/offline/registeredInputs.ts,
 * unknownOutputValueInput, names the sources), which the SDK's provider server hands over as Outputs not known.
 */
function plainValue<T extends string | number>(at: string, value: unknown, type: "string" | "number"): Located<T> | undefined {
    return typeof value === type ? { value: value as T, at } : undefined;
}
