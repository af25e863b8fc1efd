import type * as http from "http";
import { answerAwsJsonError, answerAwsQueryError, answerRestJsonError } from "./awsErrorAnswer";
import { STS_XMLNS } from "./fakeIds";

/** The protocols of the signed calls the program makes: ECR's and KMS's JSON 1.1, Lambda's REST-JSON, STS's query. */
export type SignedProtocol = "awsJson1_1" | "restJson1" | "awsQuery";

/**
 * A signature AWS does not accept, answered in `protocol`'s form (the sources of each are beside the refusals that use
 * it: signedRegion.ts, signatureTime.ts): JSON 1.1, 400 with `__type` InvalidSignatureException; REST-JSON, 403 with
 * X-Amzn-ErrorType InvalidSignatureException and the body's lower-case `message`; query, 403, an ErrorResponse of Type
 * Sender, Code SignatureDoesNotMatch.
 */
export function answerInvalidSignature(res: http.ServerResponse, protocol: SignedProtocol, message: string): void {
    if (protocol === "awsJson1_1") answerAwsJsonError(res, 400, "InvalidSignatureException", message);
    else if (protocol === "restJson1") answerRestJsonError(res, 403, "InvalidSignatureException", { message });
    else answerAwsQueryError(res, 403, STS_XMLNS, "SignatureDoesNotMatch", message);
}
