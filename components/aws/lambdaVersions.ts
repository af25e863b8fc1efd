import { withClient } from "./awsClient";

/**
 * The image a published Lambda version runs (`repository@sha256:...`), or undefined when Lambda answers that the
 * function or version is not there: GetFunction's ResourceNotFoundException (Lambda API reference), decided by
 * the error's name, never by its message.
 */
export async function imageOfVersion(region: string, functionName: string, version: string): Promise<string | undefined> {
    const { LambdaClient, GetFunctionCommand } = await import("@aws-sdk/client-lambda");
    return withClient(new LambdaClient({ region }), async (client) => {
        try {
            const { Code } = await client.send(new GetFunctionCommand({ FunctionName: functionName, Qualifier: version }));
            return Code?.ResolvedImageUri ?? Code?.ImageUri;
        } catch (err) {
            if ((err as Error).name === "ResourceNotFoundException") return undefined;
            throw err;
        }
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
    const { LambdaClient, GetFunctionCommand } = await import("@aws-sdk/client-lambda");
    return withClient(new LambdaClient({ region }), async (client) => {
        const { Configuration, Code } = await client.send(new GetFunctionCommand({ FunctionName: functionName }));
        return { status: Configuration?.LastUpdateStatus, reasonCode: Configuration?.LastUpdateStatusReasonCode, reason: Configuration?.LastUpdateStatusReason, image: Code?.ImageUri };
    });
}
