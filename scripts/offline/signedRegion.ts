import type * as http from "http";
import { SignedProtocol, answerInvalidSignature } from "./invalidSignature";

/**
 * The region a SigV4 request was signed for: its credential scope's, `Credential=<key>/<date>/<region>/<service>/
 * aws4_request` in the Authorization header (IAM User Guide, "Elements of an AWS API request signature"). None for a
 * request without one.
 */
export function signedRegion(authorization: string | undefined): string | undefined {
    return /\bCredential=[^/,\s]+\/\d{8}\/([^/,\s]*)\//.exec(authorization ?? "")?.[1];
}

/**
 * A regional endpoint refuses a signature scoped to another region before it looks at the request: "If the credential
 * scope does not specify the same Region as the request, the signature verification step fails" (IAM User Guide,
 * "Troubleshoot signed requests for AWS APIs", Credential scope errors). In each protocol's words as real answers carry
 * them, "Credential should be scoped to a valid region. " (today without the region the guide's older form named,
 * "..., not '<region>'."; STS's query answer of it in namecheap/node-vault-client#25 reads so, 403 SignatureDoesNotMatch):
 * - JSON 1.1 (ECR): 400, `__type` InvalidSignatureException (an awsJson1_1 service's scope refusal, HTTP 400
 *   application/x-amz-json-1.1, in aws/aws-sdk-ruby#431; DynamoDB's region one, statusCode 400, on AWS re:Post);
 * - REST-JSON (Lambda): 403, X-Amzn-ErrorType InvalidSignatureException, application/json, the body's `message`, as
 *   Lambda's own endpoint answers a signature it does not accept (erlcloud/erlcloud#690, a raw Invoke answer:
 *   `{http_error,403,"Forbidden",<<"{\"message\":\"The request signature we calculated does not match ..."}`,
 *   x-amzn-errortype InvalidSignatureException, content-type application/json); Lambda's words for the region case
 *   were not found, so the message is the one above.
 * Answers and returns true when `req` is signed for a region other than `region`.
 */
export function refuseOtherRegion(req: http.IncomingMessage, res: http.ServerResponse, region: string, protocol: SignedProtocol): boolean {
    const signed = signedRegion(req.headers.authorization);
    if (signed === undefined || signed === region) return false;
    answerInvalidSignature(res, protocol, "Credential should be scoped to a valid region. ");
    return true;
}
