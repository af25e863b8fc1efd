import type * as http from "http";

/** The protocols of the signed calls the program makes: ECR's and KMS's JSON 1.1, Lambda's REST-JSON, STS's query. */
export type SignedProtocol = "awsJson1_1" | "restJson1" | "awsQuery";

/**
 * A signature AWS does not accept, answered in `protocol`'s form (the sources of each are beside the refusals that use
 * it: signedRegion.ts, signatureTime.ts): JSON 1.1, 400 with `__type` InvalidSignatureException; REST-JSON, 403 with
 * X-Amzn-ErrorType InvalidSignatureException and the body's lower-case `message`; query, 403, an ErrorResponse of Type
 * Sender, Code SignatureDoesNotMatch.
 */
export function answerInvalidSignature(res: http.ServerResponse, protocol: SignedProtocol, message: string): void {
    if (protocol === "awsJson1_1") {
        res.writeHead(400, { "content-type": "application/x-amz-json-1.1" }).end(JSON.stringify({ __type: "InvalidSignatureException", message }));
    } else if (protocol === "restJson1") {
        res.writeHead(403, { "content-type": "application/json", "x-amzn-errortype": "InvalidSignatureException" }).end(JSON.stringify({ message }));
    } else {
        res.writeHead(403, { "content-type": "text/xml" }).end(
            `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code>` +
                `<Message>${message}</Message></Error><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ErrorResponse>`,
        );
    }
}
