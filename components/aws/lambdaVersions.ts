import type { GetFunctionCommandOutput } from "@aws-sdk/client-lambda";
import { withClient } from "./awsClient";

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
            throw err;
        }
    });
}

/** The image a published Lambda version runs (`repository@sha256:...`), or undefined when it is not there. */
export async function imageOfVersion(region: string, functionName: string, version: string): Promise<string | undefined> {
    const answer = await getFunction(region, functionName, version);
    return answer?.Code?.ResolvedImageUri ?? answer?.Code?.ImageUri;
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
    if (!answer) throw new Error(`Lambda answers ResourceNotFoundException for ${functionName}: the function is not there`);
    return { status: answer.Configuration?.LastUpdateStatus, reasonCode: answer.Configuration?.LastUpdateStatusReasonCode, reason: answer.Configuration?.LastUpdateStatusReason, image: answer.Code?.ImageUri };
}
