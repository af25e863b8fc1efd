import * as pulumi from "@pulumi/pulumi";
import { PublishedVersion, publishedVersionOf } from "./lambdaVersions";
import { perRunMap } from "../perRun";
import { reasonGiven, refusal } from "../refusal";

const checkedThisRun = perRunMap<Promise<PublishedVersion>>();

/**
 * A stable version (the API's aws.canary.stableVersion, the worker's release.workerStableVersion) a rollback can take:
 * one the function has, and not one Lambda reports Failed (its image deleted from ECR, StateReasonCode ImageDeleted, or
 * otherwise unusable), which fails every invocation. An Inactive one is fine: Lambda reactivates it on invocation.
 * Checked once per run, and its refusal is one error however many ask (the alias, the lifecycle policy's keep rule),
 * so the engine prints it once. `setting` names the key the version came from.
 */
export function usableStableVersion(region: string, functionName: string, version: string, setting: string, parent: pulumi.Resource): Promise<PublishedVersion> {
    const checked = checkedThisRun();
    const key = `${region}/${functionName}/${version}`;
    let usable = checked.get(key);
    if (!usable) checked.set(key, (usable = check(region, functionName, version, setting, parent)));
    return usable;
}

async function check(region: string, fn: string, version: string, setting: string, parent: pulumi.Resource): Promise<PublishedVersion> {
    const published = await publishedVersionOf(region, fn, version);
    if (!published) {
        throw refusal(
            `${setting} is ${version}, which ${fn} does not have (Lambda answers ResourceNotFoundException), so the live alias cannot point at it. ` +
                `Set it to a published version (aws lambda list-versions-by-function --region ${region} --function-name ${fn}; a release records it in the stack's release-state environment), or unset it to send all traffic to the newest`,
            parent,
        );
    }
    if (published.state === "Failed") {
        throw refusal(
            `${setting} is ${version}, whose state Lambda reports as Failed (${reasonGiven(published.stateReasonCode, published.stateReason)}): it fails every invocation, so a rollback to it would serve nothing. ` +
                `Set it to a published version whose State is Active or Inactive (aws lambda get-function --region ${region} --function-name ${fn} --qualifier <version> --query Configuration.State), or unset it to send all traffic to the newest`,
            parent,
        );
    }
    return published;
}
