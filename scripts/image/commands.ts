/** The image tool's commands: main.ts answers the arguments first, and loads this module only for a command to run. */
import * as path from "path";
import { SettingsError } from "../../config/errors";
import { PROJECT_ROOT } from "../../config/stackFile";
import { buildMissing, missingLines, missingTargets, presentLines } from "./build";
import { dockerStreaming } from "./dockerBuild";
import { dockerBuildxAvailable, dockerEngineProblem } from "./dockerDaemon";
import { dockerLogin, dockerLogout, loginLeftBehind, ToolLogin } from "./dockerLogin";
import { UserLoginsLost } from "./userLogins";
import { ImageVerificationError, verifyImage } from "../../components/image";
import { signingPublicKey } from "../../components/image/signingKey";
import { profileTheReadsTake } from "../../components/aws/environmentProfile";
import { PromotionError, promote, promotionPlan } from "./promote";
import { runningDigests } from "./runningDigests";
import { slsaProvenance } from "./provenance";
import { RepositoryTarget, cloudRegistries, ecrLogin, registryCredentials, repositoryTargets } from "./registries";
import { githubOutputLines, ImageTargets, imageTargets } from "./targets";

/** Runs the command of arguments usageProblem accepted; a failure is printed here, as one message, and answers 1. */
export async function runCommand(argv: string[]): Promise<number> {
    try {
        return await command(argv);
    } catch (err) {
        // Bad settings print every problem, as `pulumi up` would; a refused promotion says why; anything else its message.
        console.error(SettingsError.isInstance(err) || err instanceof PromotionError || err instanceof ImageVerificationError ? err.message : `image: ${withCredentialsHint(err as Error, argv[0])}`);
        return 1;
    }
}

async function command(argv: string[]): Promise<number> {
    const [command, ...rest] = argv;
    if (command === "build") return build(rest[0]);
    if (command === "provenance") {
        console.log(JSON.stringify(slsaProvenance(), null, 2));
        return 0;
    }
    if (command === "promote") return promoteStacks(rest[0], rest[1], rest[3]);
    const stack = argv.find((a) => !a.startsWith("-"))!;
    const targets = imageTargets(stack);
    if (argv.includes("--missing")) {
        console.log(missingLines(await missingTargets(await builtRepositories(stack, targets), cloudRegistries())).join("\n"));
        return 0;
    }
    if (argv.includes("--present")) {
        console.log((await presentLines(await builtRepositories(stack, targets), cloudRegistries())).join("\n"));
        return 0;
    }
    console.log(argv.includes("--json") ? JSON.stringify(targets, null, 2) : githubOutputLines(targets).join("\n"));
    return 0;
}

/**
 * The repositories `stack`'s images are built into, for --missing and --present. A promoted stack's images are never
 * built, so nothing is missing or present for the image workflow: no registry is asked, and a note on stderr says so.
 */
async function builtRepositories(stack: string, targets: ImageTargets): Promise<RepositoryTarget[]> {
    if (!targets.promoteFrom) return repositoryTargets(targets, await ecrHost(targets));
    console.error(`note: ${notBuilt(stack, targets.promoteFrom)}, so these lines name no image`);
    return [];
}

/** What the tool says of a stack whose images come from another's (image.promoteFrom). */
function notBuilt(stack: string, promoteFrom: string): string {
    return `${stack} runs images promoted from ${promoteFrom} (image.promoteFrom): nothing is built for it`;
}

/** The ECR registry host of the credentials' account, where the stack's targets have an AWS side. */
async function ecrHost(targets: { aws?: { region: string } }): Promise<string | undefined> {
    return targets.aws ? (await ecrLogin(targets.aws.region)).host : undefined;
}

async function build(stack: string): Promise<number> {
    const targets = imageTargets(stack);
    if (targets.promoteFrom) {
        console.error(`${notBuilt(stack, targets.promoteFrom)}; run \`npm run image -- promote ${targets.promoteFrom} ${stack}\``);
        return 1;
    }
    const repositories = repositoryTargets(targets, await ecrHost(targets));
    const host = (t: RepositoryTarget) => t.repository.split("/")[0];
    const toolLogins = new Map<RepositoryTarget, ToolLogin>();
    const login = async (t: RepositoryTarget) => {
        const loggedIn = await dockerLogin(host(t), () => registryCredentials(t));
        if ("userLogins" in loggedIn) toolLogins.set(t, loggedIn);
        else console.log(`${t.cloud}: the docker client's config names docker-credential-${loggedIn.helper} for ${host(t)} (credHelpers, or credsStore ecr-login): the push uses the credentials it gives, not a login of this tool's`);
    };
    const logout = (t: RepositoryTarget) =>
        dockerLogout(host(t), toolLogins.get(t)).catch((err: Error) => {
            for (const problem of err instanceof AggregateError ? (err.errors as Error[]) : [err]) {
                console.error(problem instanceof UserLoginsLost ? `warning: ${problem.message}` : `warning: ${problem.message}: ${loginLeftBehind(host(t))}`);
            }
        });
    const results = await buildMissing(path.join(PROJECT_ROOT, "app"), repositories, cloudRegistries(), {
        engineProblem: () => dockerEngineProblem(),
        buildx: () => dockerBuildxAvailable(),
        login,
        logout,
        // The build's own progress, as it goes, on stderr: stdout ends with the results' JSON.
        run: (args) => dockerStreaming(args, { cwd: PROJECT_ROOT }, (line) => console.error(`  ${line}`)),
    }, (line) => console.log(line));
    console.log(JSON.stringify(results));
    return 0;
}

async function promoteStacks(from: string, to: string, runningFile?: string): Promise<number> {
    const destination = imageTargets(to);
    if (destination.promoteFrom !== from) {
        console.error(`${to} does not promote from ${from}: its image.promoteFrom is ${destination.promoteFrom ?? "unset"}`);
        return 1;
    }
    // A --running file is read first: one that is missing or not JSON is named before any registry is asked.
    const fromFile = runningFile === undefined ? undefined : await runningDigests(from, runningFile);
    const plan = await promotionPlan(from, to, imageTargets, ecrHost);
    const registries = cloudRegistries();
    const policy = destination.verify;
    const verify = policy && (async (t: RepositoryTarget, digest: string) => verifyImage(await registries.oci(t), digest, policy, await signingPublicKey(policy.signingKey, policy.keyRegion)));
    const results = await promote(plan, fromFile ?? (await runningDigests(from)), registries, (line) => console.log(line), verify);
    console.log(JSON.stringify(results));
    return 0;
}

/** What the AWS SDK's default chain says when it found no credentials anywhere (@aws-sdk/credential-provider-node). */
const NO_PROVIDER = "Could not load credentials from any providers";

/**
 * The AWS SDK's "Could not load credentials from any providers" (its CredentialsProviderError) says nothing of where
 * they should come from: for a stack's own registries, its ESC environment, as for `pulumi up`, or a profile of its
 * account; for a promotion, the promotion identity, which only deploy-prod.yml's job may assume. Any other
 * CredentialsProviderError comes from the profile the chain stopped at (an expired IAM Identity Center session:
 * @aws-sdk/credential-provider-sso, tryNextLink false), whose own words say how to renew it.
 */
function withCredentialsHint(err: Error, command: string | undefined): string {
    // The SDK's own, or under the read's words (components/aws/awsClient.ts awsReadFailure keeps it as the cause).
    const missing = [err, err.cause].find((e): e is Error => e instanceof Error && e.name === "CredentialsProviderError");
    if (!missing) return err.message;
    const named = profileTheReadsTake();
    const profile = named ? `of profile ${named} ` : "";
    if (!missing.message.startsWith(NO_PROVIDER)) return `the AWS credentials ${profile}could not be used: ${missing.message}`;
    const where =
        command === "promote"
            ? "the promotion runs in deploy-prod.yml's promote step, as the promote-prod identity (docs/setup.md); elsewhere it needs credentials that may pull dev's repositories and push prod's"
            : "run this under `pulumi env run <org>/multicloud-service/<stack> --` (the stack's aws-login), or with a profile of the stack's account (AWS_PROFILE or AWS_DEFAULT_PROFILE; `aws sso login`); in a workflow, aws-actions/configure-aws-credentials";
    return `no AWS credentials: ${where} (${missing.message})`;
}
