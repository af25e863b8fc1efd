import type * as http from "http";
import { SignedProtocol, answerInvalidSignature } from "./invalidSignature";

/**
 * How far a request's X-Amz-Date may be from AWS's time, in minutes, as AWS's refusals print it: 5 for JSON and
 * REST-JSON services ("(20150806T132034Z - 5 min.)", Lambda, serverless/serverless#27; "(20181017T093139Z + 5 min.)",
 * Kinesis, s12v/awsbeats#48), 15 for STS's query endpoint (GetCallerIdentity's "(20220127T015928Z - 15 min.)",
 * aws/aws-cli#6676; "(20210112T071125Z + 15 min.)", QT-DevOps/DevOpsIssues#989).
 */
const WINDOW_MINUTES: Record<SignedProtocol, number> = { awsJson1_1: 5, restJson1: 5, awsQuery: 15 };

/** A time as SigV4 writes it (X-Amz-Date) and AWS prints it in a refusal: 20150806T131223Z. */
const amzDate = (ms: number) => new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, "");

function parseAmzDate(value: string): number | undefined {
    const parts = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value)?.slice(1).map(Number);
    return parts && Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3], parts[4], parts[5]);
}

/**
 * AWS's clock on an answer: every answer carries a `Date` header of AWS's time (which the AWS SDK reads to correct its
 * signing time: @aws-sdk/core AwsSdkSigV4Signer errorHandler and successHandler, getDateHeader), and a request signed
 * too far from it is refused, in each protocol's words:
 * - "Signature expired: <X-Amz-Date> is now earlier than <AWS's time - window> (<AWS's time> - <window> min.)", for a
 *   signing clock behind AWS's; "Signature not yet current: <X-Amz-Date> is still later than <AWS's time + window>
 *   (<AWS's time> + <window> min.)", for one ahead (the issues above);
 * - JSON 1.1 (ECR, KMS): 400, `__type` InvalidSignatureException (aws/aws-sdk-js#254, "statusCode":400; aws/aws-sdk-go#2194,
 *   "status code: 400");
 * - REST-JSON (Lambda): 403, X-Amzn-ErrorType InvalidSignatureException (serverless/serverless#27, Lambda's statusCode
 *   403), the body's lower-case `message` (basak/glacier-cli#36, a raw REST-JSON 403: {"message":"Signature not yet
 *   current: ...","code":"InvalidSignatureException","type":"Client"});
 * - query (STS): 403, an ErrorResponse of Type Sender, Code SignatureDoesNotMatch (aws/aws-sdk-php#642, a raw query
 *   answer: `<ErrorResponse ...><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>Signature expired:
 *   ...</Message>`; STS's "403" in QT-DevOps/DevOpsIssues#989).
 * Sends the Date header, and answers and returns true when `req` was signed outside the window around `awsNow`.
 */
export function refuseSkewedSignature(req: http.IncomingMessage, res: http.ServerResponse, awsNow: number, protocol: SignedProtocol): boolean {
    res.setHeader("date", new Date(awsNow).toUTCString());
    const signedAt = parseAmzDate(String(req.headers["x-amz-date"] ?? ""));
    if (signedAt === undefined) return false;
    const minutes = WINDOW_MINUTES[protocol];
    const window = minutes * 60_000;
    let message: string;
    if (signedAt < awsNow - window) message = `Signature expired: ${amzDate(signedAt)} is now earlier than ${amzDate(awsNow - window)} (${amzDate(awsNow)} - ${minutes} min.)`;
    else if (signedAt > awsNow + window) message = `Signature not yet current: ${amzDate(signedAt)} is still later than ${amzDate(awsNow + window)} (${amzDate(awsNow)} + ${minutes} min.)`;
    else return false;
    answerInvalidSignature(res, protocol, message);
    return true;
}
