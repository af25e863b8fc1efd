/**
 * Lambda's Invoke operation on loopback, in its own words (Lambda API reference, "Invoke"): `POST
 * /2015-03-31/functions/<FunctionName>/invocations?Qualifier=<version>`; 200 with the function's result as the body
 * and `X-Amz-Executed-Version`; a function that threw is still a 200, with `X-Amz-Function-Error: Unhandled` and
 * `{errorType, errorMessage, trace}`; a qualifier that is not published is 404 `ResourceNotFoundException`
 * ("Function not found: <arn>"); a version in `throttled` is 429 `TooManyRequestsException`, as when its function's
 * reserved concurrency is all in use; a version in `denied` is 403 `AccessDeniedException`, as when the caller has no
 * lambda:InvokeFunction on it; a version in `expired` is 403 `ExpiredTokenException`, as when the caller's session
 * credentials ran out mid-release; a request signed more than 5 minutes from AWS's clock (`clockAheadMs` off this
 * machine's) is 403 `InvalidSignatureException` (signatureTime.ts); a result over 6 MB is a function error too ("Function.ResponseSizeTooLarge"); a DryRun is answered 204
 * without running anything. Each invocation is handed to `invoke` (the app's bundle in a Lambda host).
 */
import * as http from "http";
import { AddressInfo } from "net";
import { answerRestJsonError } from "../../scripts/offline/awsErrorAnswer";
import { refuseSkewedSignature } from "../../scripts/offline/signatureTime";
import type { Invocation } from "../e2e/protocol";

/** The most a synchronous Invoke hands back of a function's result, as Lambda's own message counts it. */
const MAX_RESPONSE_BYTES = 6291556;

export interface InvokeCall {
    functionName: string;
    qualifier: string | null;
    authorization: string;
    /** `X-Amz-Invocation-Type: DryRun`: checked and answered 204, the function not run. */
    dryRun: boolean;
    /** How many invocations were running once this one started, itself included; 0 for what ran nothing (a DryRun, a refusal). */
    running: number;
}

export interface FakeLambdaInvoke {
    endpoint: string;
    calls: InvokeCall[];
    /** The most invocations that were in progress at once. */
    mostAtOnce(): number;
    close(): Promise<void>;
}

export async function startFakeLambdaInvoke(region: string, published: { functionName: string; versions: string[]; throttled?: string[]; denied?: string[]; expired?: string[]; clockAheadMs?: number }, invoke: (event: unknown) => Promise<Invocation>): Promise<FakeLambdaInvoke> {
    const calls: InvokeCall[] = [];
    let atOnce = 0;
    let mostAtOnce = 0;
    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c) => chunks.push(c));
        req.on("end", async () => {
            const url = new URL(req.url ?? "/", "http://localhost");
            const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(url.pathname);
            const functionName = decodeURIComponent(match?.[1] ?? "");
            const qualifier = url.searchParams.get("Qualifier");
            const dryRun = req.headers["x-amz-invocation-type"] === "DryRun";
            const call: InvokeCall = { functionName, qualifier, authorization: String(req.headers.authorization ?? ""), dryRun, running: 0 };
            calls.push(call);
            // AWS's clock `clockAheadMs` ahead of this machine's: its Date header, and a signing time too far from it refused.
            if (refuseSkewedSignature(req, res, Date.now() + (published.clockAheadMs ?? 0), "restJson1")) return;
            if (qualifier !== null && published.denied?.includes(qualifier)) {
                // IAM decides before Lambda looks the function up, so a denied caller gets this for a version that is not
                // there too. IAM's refusal in Lambda's error form: 403, AccessDeniedException in x-amzn-ErrorType, and IAM's message
                // ("User: <principal> is not authorized to perform: <action> on resource: <arn> because no identity-based
                // policy allows the <action> action", IAM User Guide, "Troubleshoot access denied error messages").
                const arn = `arn:aws:lambda:${region}:123456789012:function:${functionName}:${qualifier}`;
                return answerRestJsonError(res, 403, "AccessDeniedException", {
                    Message: `User: arn:aws:sts::123456789012:assumed-role/release-prod-5693bbc/GitHubActions is not authorized to perform: lambda:InvokeFunction on resource: ${arn} because no identity-based policy allows the lambda:InvokeFunction action`,
                });
            }
            if (qualifier !== null && published.expired?.includes(qualifier)) {
                // Lambda API Reference, "Common Errors": ExpiredTokenException, "The security token included in the
                // request is expired", HTTP 403; so Lambda answered ListProvisionedConcurrencyConfigs ("StatusCode: 403 ...
                // api error ExpiredTokenException", cloudquery/cq-provider-aws#1171). The body's key is lower-case `message`:
                // a refusal of the request's credentials comes from the signature check in front of Lambda, which writes
                // `{"message": ...}` (Lambda Invoke's own 403 InvalidSignatureException, raw, in erlcloud/erlcloud#690:
                // x-amzn-errortype InvalidSignatureException, `{"message":"The request signature we calculated does not
                // match ..."}`), not Lambda's own `Message` of the AccessDenied above.
                return answerRestJsonError(res, 403, "ExpiredTokenException", { message: "The security token included in the request is expired" });
            }
            if (!match || functionName !== published.functionName || (qualifier !== null && !published.versions.includes(qualifier))) {
                const arn = `arn:aws:lambda:${region}:123456789012:function:${functionName}${qualifier ? `:${qualifier}` : ""}`;
                // Lambda's REST error body is {"Type","Message"}: aws/aws-sdk-js-v3 clients/client-lambda/src/models/errors.ts
                // (ResourceNotFoundException); as scripts/offline/fakeAwsApis.ts answers.
                return answerRestJsonError(res, 404, "ResourceNotFoundException", { Type: "User", Message: `Function not found: ${arn}` });
            }
            // "For the DryRun invocation type, the status code is 204" (Lambda API reference, Invoke: StatusCode), after
            // the same checks of the function, the qualifier and the caller's permission; nothing runs, so it takes no
            // concurrency and is never throttled.
            if (dryRun) return void res.writeHead(204).end();
            if (qualifier !== null && published.throttled?.includes(qualifier)) {
                // A throttled Invoke's answer: 429, the error type in x-amzn-ErrorType, and a body with the limit that
                // was hit as Reason (client-lambda models: TooManyRequestsException Reason, Type, message; the message
                // as real answers carry it, e.g. Step Functions' Cause "Rate Exceeded. (Service: AWSLambda; Status
                // Code: 429; Error Code: TooManyRequestsException ...)").
                return answerRestJsonError(res, 429, "TooManyRequestsException", { Reason: "ReservedFunctionConcurrentInvocationLimitExceeded", Type: "User", message: "Rate Exceeded." }, { "retry-after": "1" });
            }
            mostAtOnce = Math.max(mostAtOnce, (call.running = ++atOnce));
            const result = await invoke(JSON.parse(Buffer.concat(chunks).toString("utf8") || "null")).finally(() => atOnce--);
            const headers: Record<string, string> = { "content-type": "application/json", "x-amz-executed-version": qualifier ?? "$LATEST" };
            let answer = JSON.stringify(result.ok ? result.payload : result.error);
            // A synchronous invocation's response is at most 6 MB: a larger result is not handed back but answered as a
            // function error, still a 200 (getmoto/moto tests/test_awslambda/test_lambda_invoke.py
            // test_invoke_function_large_response, a test marked to run against AWS itself: FunctionError "Unhandled",
            // {"errorMessage": "Response payload size exceeded maximum allowed payload size (6291556 bytes).", "errorType":
            // "Function.ResponseSizeTooLarge"}).
            if (result.ok && Buffer.byteLength(answer) > MAX_RESPONSE_BYTES) {
                answer = JSON.stringify({ errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`, errorType: "Function.ResponseSizeTooLarge" });
                headers["x-amz-function-error"] = "Unhandled";
            }
            if (!result.ok) headers["x-amz-function-error"] = "Unhandled";
            res.writeHead(200, headers);
            res.end(answer);
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return { endpoint: `http://127.0.0.1:${port}`, calls, mostAtOnce: () => mostAtOnce, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
