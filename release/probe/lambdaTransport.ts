/**
 * The new Lambda version alone: `Invoke` with its version as the Qualifier (SigV4 through the SDK; needs
 * lambda:InvokeFunction on that version), the payload a Function URL would send. A function error (the handler
 * threw, or timed out) is no answer, as the URL would answer 502.
 */
import type { LambdaClient } from "@aws-sdk/client-lambda";
import { functionUrlEvent, functionUrlResponse } from "./functionUrlEvent";
import { Transport } from "./transport";

export async function lambdaTransport(client: LambdaClient, region: string, functionName: string, version: string): Promise<Transport> {
    const { InvokeCommand } = await import("@aws-sdk/client-lambda");
    return async (request) => {
        const out = await client.send(new InvokeCommand({ FunctionName: functionName, Qualifier: version, Payload: Buffer.from(JSON.stringify(functionUrlEvent(request, region))) }));
        const text = out.Payload ? Buffer.from(out.Payload).toString("utf8") : "null";
        if (out.FunctionError) throw new Error(`${functionName}:${version} ${out.FunctionError}: ${text.slice(0, 300)}`);
        return functionUrlResponse(JSON.parse(text));
    };
}
