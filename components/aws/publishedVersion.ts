import * as lambda from "@pulumi/aws/lambda";
import * as pulumi from "@pulumi/pulumi";
import { digestOf } from "../image";
import { AliasRouting } from "./canary";
import { LatestUpdate, PublishedVersion, latestUpdateOf, publishedVersionOf } from "./lambdaVersions";
import { usableStableVersion } from "./stableVersions";
import { reasonGiven, refusal } from "../refusal";
import { endpointVariablesNameIt } from "./endpointVariables";

const sameImage = (a: string, b: string) => (digestOf(a) && digestOf(b) ? digestOf(a) === digestOf(b) : a === b);

/**
 * What is wrong with the function's newest published version, if it does not run the function's image. In an update
 * the provider puts the settings and then the image on $LATEST and publishes a version last, and only when the code
 * or settings changed (terraform-provider-aws lambda/function.go, resourceFunctionUpdate); after an update that failed
 * the state records the new image as if applied. So an `up` that stopped in between leaves the newest version on the
 * old image, and the next `up` with the same settings sends nothing. Lambda is asked (GetFunction) which image the
 * newest version runs, and what $LATEST holds, to say which command mends it.
 */
async function unpublishedImage(region: string, name: string, version: string, published: PublishedVersion | undefined, image: string): Promise<string | undefined> {
    const running = published?.image;
    if (running === undefined || sameImage(running, image)) return undefined;
    const fix = mendOfUnpublished(region, name, image, await latestUpdateOf(region, name));
    return (
        `Lambda's newest published version of ${name}, ${version}, runs ${running}, not this stack's ${image}: an earlier \`up\` stopped before publishing it, ` +
        `and the provider publishes only when the code or settings change, so running \`pulumi up\` again does not. ${fix}`
    );
}

/** Which command mends an unpublished image, by what Lambda says $LATEST holds. */
function mendOfUnpublished(region: string, name: string, image: string, latest: LatestUpdate): string {
    const publish = `aws lambda publish-version --region ${region} --function-name ${name}`;
    // A failed update first: Lambda then keeps the previous code ("Lambda aborts the update", function states), and its
    // reason must be fixed before the image is sent again.
    if (latest.status === "Failed") {
        return (
            `Lambda's last update of $LATEST failed (${reasonGiven(latest.reasonCode, latest.reason)}). Fix that, then put the image on it and publish it: ` +
            `aws lambda update-function-code --region ${region} --function-name ${name} --image-uri ${image}, then ${publish}; then \`pulumi up --refresh\`.`
        );
    }
    // Lambda names an image function's image in Code.ImageUri (Lambda API reference, FunctionCodeLocation): an answer
    // without it says nothing of what $LATEST holds.
    if (latest.image === undefined) {
        return (
            `Lambda's GetFunction answered $LATEST with no Code.ImageUri, so whether $LATEST holds it is unknown: check that ${endpointVariablesNameIt("Lambda")}, ` +
            `and see what it holds with aws lambda get-function --region ${region} --function-name ${name} --query Code.ImageUri; ` +
            `if that is this image, publish it with ${publish}; if not, \`pulumi up --refresh\` reads the old image back and sends this one again, then publishes it.`
        );
    }
    if (!sameImage(latest.image, image)) {
        return "$LATEST does not hold it either (Lambda did not take the code update): `pulumi up --refresh` reads the old image back and sends this one again, then publishes it.";
    }
    return `$LATEST holds it: publish it with ${publish}; then \`pulumi up --refresh\` points the live alias at it.`;
}

/**
 * What is wrong with the function's newest published version, if Lambda reports it Failed. A create that ends so fails
 * that `up` after the function exists (terraform-provider-aws lambda/function.go: resourceFunctionCreate sets the ID,
 * then waitFunctionCreated fails, "waiting for Lambda Function (<name>) create: unexpected state 'Failed', wanted target
 * 'Active'. last error: <StateReasonCode>: <StateReason>"); the bridge records it with its init errors
 * (pulumi-terraform-bridge pkg/tfbridge/provider.go, initializationError), and the next `up` with the same settings
 * only updates it with nothing to send (pulumi/pulumi pkg/resource/deploy/step_generator.go: "generate an empty update
 * step to attempt to \"continue\" awaiting initialization"; resourceFunctionUpdate changes nothing and reads the
 * function back, its newest version too). That `up` would succeed with the live alias on a version that fails every
 * invocation: "When function creation fails, Lambda sets the function state to failed, and you must delete and recreate
 * the function" (Lambda developer guide, "Lambda function states").
 */
function failedVersion(name: string, version: string, published: PublishedVersion | undefined, urn: string): string | undefined {
    if (published?.state !== "Failed") return undefined;
    return (
        `Lambda reports ${name}'s newest published version, ${version}, as Failed (${reasonGiven(published.stateReasonCode, published.stateReason)}): it fails every invocation, ` +
        "and Lambda does not make it Active again (a function whose creation failed must be deleted and created again). Running `pulumi up` again with the same settings sends Lambda nothing. " +
        `Fix what failed it, then have Pulumi make the function again: pulumi up --replace '${urn}'.`
    );
}

/**
 * The alias's version, once Lambda says the newest published version runs the function's image and is not Failed: an alias that
 * sends that version traffic (all of it, a canary's weight, or as the stable version a promotion recorded) is held
 * back with an error, since it would serve the old code as the new; one that sends traffic only to older versions (a
 * rollback, a stable version held at 0 % below the newest) goes ahead with a warning. Not in a preview, which changes nothing (and keeps the alias's inputs as known as the routing makes them).
 */
export function aliasVersionOnceImagePublished(fn: lambda.Function, region: string, routing: AliasRouting): pulumi.Input<string> {
    if (pulumi.runtime.isDryRun()) return routing.functionVersion;
    return pulumi
        .all([fn.name, fn.version, fn.imageUri, routing.functionVersion, routing.routingConfig, fn.urn])
        .apply(async ([name, newest, image, aliasVersion, routingConfig, urn]) => {
            const published = await publishedVersionOf(region, name, newest);
            const problem = failedVersion(name, newest, published, urn) ?? (image ? await unpublishedImage(region, name, newest, published, image) : undefined);
            if (!problem) return aliasVersion;
            const served = [aliasVersion, ...Object.keys(routingConfig?.additionalVersionWeights ?? {})];
            if (served.includes(newest)) throw refusal(problem, fn);
            pulumi.log.warn(`${problem} No traffic goes to version ${newest} now: the live alias sends it to ${served.join(" and ")}.`, fn);
            return aliasVersion;
        });
}

/**
 * The API alias's version, once Lambda says the API's stable version and the worker's run one image. The two
 * functions run one image (three entry points), and a weight of 0 (a hold, a rollback) puts the API's alias on
 * aws.canary.stableVersion and the worker's on release.workerStableVersion; but the two are recorded apart (a release
 * records the worker's running version beside an API stable version set earlier, by a canary by hand or a release
 * that stopped; by hand they are numbered on their own), so they could run different builds, and a rollback would
 * put the API and the state machine's worker on different code, the state machine's input their contract. GetFunction
 * gives each version's image (Code.ResolvedImageUri, by digest); a mismatch stops the `up` before the API's alias
 * moves. (The worker's alias comes first: the state machine and so the API need it.) A version Lambda does not have
 * is left to the check that gates each alias (aliasVersionOnceStableUsable); one answered without an image is refused
 * where it is read (publishedVersionOf). In a preview
 * too, so that a pull request's preview shows it: both versions exist already, and the functions' names are known
 * but when a function is replaced, whose alias's version then shows as unknown, as a replaced function's does.
 */
export function aliasVersionOnceStableImagesMatch(
    routing: AliasRouting,
    region: string,
    api: { name: pulumi.Output<string>; stableVersion?: string },
    worker: { name: pulumi.Output<string>; stableVersion?: string },
    parent?: pulumi.Resource,
): AliasRouting {
    const [apiStable, workerStable] = [api.stableVersion, worker.stableVersion];
    if (!apiStable || !workerStable) return routing;
    const functionVersion = pulumi.all([routing.functionVersion, api.name, worker.name]).apply(async ([version, apiName, workerName]) => {
        const [apiImage, workerImage] = (await Promise.all([publishedVersionOf(region, apiName, apiStable), publishedVersionOf(region, workerName, workerStable)])).map((p) => p?.image);
        if (!apiImage || !workerImage || sameImage(apiImage, workerImage)) return version;
        const versions = `aws lambda list-versions-by-function --region ${region} --function-name ${workerName} --query 'Versions[].Version' --output text`;
        const imageOf = `aws lambda get-function --region ${region} --function-name ${workerName} --qualifier $v --query Code.ResolvedImageUri --output text`;
        throw refusal(
            `aws.canary.stableVersion is ${apiStable}, which runs ${apiImage}, but release.workerStableVersion is ${workerStable}, which runs ${workerImage}: ` +
                `the API and the worker run one image, so a rollback to these would put the API and the state machine's worker on different code. ` +
                `Set release.workerStableVersion to the version of ${workerName} that runs ${digestOf(apiImage) ?? apiImage} ` +
                `(for v in $(${versions}); do echo "$v $(${imageOf})"; done)`,
            parent,
        );
    });
    return { ...routing, functionVersion };
}

/**
 * The alias's version, once its stable version is one a rollback can take (usableStableVersion): a version the
 * function does not have, or one Lambda reports Failed, stops the `up` before the alias moves onto it, in every stack
 * (the lifecycle policy's keep rule, which asks the same, is made only where the stack has its own repository). In a
 * preview too: the version exists already.
 */
export function aliasVersionOnceStableUsable(
    routing: AliasRouting,
    region: string,
    functionName: pulumi.Output<string>,
    stable: { version?: string; setting: string },
    parent: pulumi.Resource,
): AliasRouting {
    const version = stable.version;
    if (!version) return routing;
    const functionVersion = pulumi.all([routing.functionVersion, functionName]).apply(async ([aliasVersion, fn]) => {
        await usableStableVersion(region, fn, version, stable.setting, parent);
        return aliasVersion;
    });
    return { ...routing, functionVersion };
}
