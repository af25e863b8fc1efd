import type { GetFunctionCommandOutput } from "@aws-sdk/client-lambda";
import { awsReadFailure, withClient } from "./awsClient";
import { answerExcerpt } from "../answerExcerpt";
import { perRun } from "../perRun";
import { refusal } from "../refusal";
import { endpointVariablesNameIt } from "./endpointVariables";

/**
 * Lambda's GetFunction for a function, or one of its versions, or undefined when Lambda answers that the function or
 * version is not there: ResourceNotFoundException (Lambda API reference), decided by the error's name, never by its
 * message.
 */
async function getFunction(region: string, functionName: string, qualifier?: string): Promise<GetFunctionCommandOutput | undefined> {
    const { LambdaClient, GetFunctionCommand } = await import("@aws-sdk/client-lambda");
    return withClient(LambdaClient, region, async (client) => {
        try {
            return await client.send(new GetFunctionCommand({ FunctionName: functionName, Qualifier: qualifier }));
        } catch (err) {
            if ((err as Error).name === "ResourceNotFoundException") return undefined;
            const asked = qualifier === undefined ? functionName : `${functionName}:${qualifier}`;
            throw awsReadFailure(`could not read ${asked} from Lambda (${region}, GetFunction)`, err as Error, { service: "Lambda", needs: `lambda:GetFunction on ${functionName}`, region });
        }
    });
}

/**
 * A published version as GetFunction describes it: the image it runs and its state (Configuration.State, one of
 * Pending, Active, Inactive, Failed, ...; StateReasonCode, e.g. ImageDeleted: botocore lambda 2015-03-31
 * service-2.json, shapes State and StateReasonCode).
 */
export interface PublishedVersion {
    image: string;
    state?: string;
    stateReasonCode?: string;
    stateReason?: string;
}

const publishedVersions = perRun<PublishedVersion | undefined>();

/**
 * A published Lambda version as GetFunction describes it, or undefined when it is not there. Asked once per run: a
 * stable version is read for its image's keep rule and again to compare the two functions' images.
 */
export function publishedVersionOf(region: string, functionName: string, version: string): Promise<PublishedVersion | undefined> {
    return publishedVersions(`${region}/${functionName}/${version}`, async () => {
        const answer = await getFunction(region, functionName, version);
        if (!answer) return undefined;
        const image = answer.Code?.ResolvedImageUri ?? answer.Code?.ImageUri;
        // GetFunction names an image function's image in Code (Lambda API reference, FunctionCodeLocation): one that is
        // there without it is neither "not there" nor an image to compare.
        if (!image) {
            throw refusal(
                `Lambda's GetFunction answered ${functionName}:${version} (${region}) with no image (Code: ${answerExcerpt(answer.Code)}, PackageType: ${answer.Configuration?.PackageType}), ` +
                    `so which image that version runs is unknown: check that ${functionName} is an image function and that ${endpointVariablesNameIt("Lambda")}, then run this again`,
            );
        }
        return {
            image,
            state: answer.Configuration?.State,
            stateReasonCode: answer.Configuration?.StateReasonCode,
            stateReason: answer.Configuration?.StateReason,
        };
    });
}

/** What Lambda says of a function's last update of $LATEST (GetFunction's Configuration) and the image $LATEST names. */
export interface LatestUpdate {
    status?: string;
    reasonCode?: string;
    reason?: string;
    image?: string;
}

export async function latestUpdateOf(region: string, functionName: string): Promise<LatestUpdate> {
    const answer = await getFunction(region, functionName);
    // Asked after a published version of it was read: the function was deleted since, or the calls reach another Lambda.
    if (!answer) {
        throw refusal(
            `Lambda's GetFunction answered ${functionName} ($LATEST, ${region}) with ResourceNotFoundException, so what $LATEST holds is unknown: ` +
                `check whether ${functionName} is still there (aws lambda get-function --region ${region} --function-name ${functionName}); if it was deleted, \`pulumi up --refresh\` makes it again; ` +
                `if it is there, check that ${endpointVariablesNameIt("Lambda")}, then run this again`,
        );
    }
    return { status: answer.Configuration?.LastUpdateStatus, reasonCode: answer.Configuration?.LastUpdateStatusReasonCode, reason: answer.Configuration?.LastUpdateStatusReason, image: answer.Code?.ImageUri };
}
