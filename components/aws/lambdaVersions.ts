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
