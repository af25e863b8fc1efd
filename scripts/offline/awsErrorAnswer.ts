import type { OutgoingHttpHeaders, ServerResponse } from "http";

/**
 * How the AWS stand-ins write an error, one function per protocol, in the wire form of smithy's protocol specifications
 * (smithy-lang/smithy docs/source-2.0/aws/protocols/, each one's "Operation error serialization") that the AWS SDK reads
 * (@smithy/core protocols: loadJsonRpcErrorCode and loadRestJsonErrorCode name the error; the message is the body's
 * `message` or `Message`). The words, the status and the service's casing stay with each stand-in, beside their sources.
 */

/** The request ID the stand-ins' query answers carry (a RequestId is in every one: aws-query-protocol.rst). */
export const FAKE_REQUEST_ID = "01234567-89ab-cdef-0123-456789abcdef";

/**
 * awsJson1_0 and awsJson1_1 (aws-json.rst.template): the error in the body's `__type` beside its members ("New
 * server-side protocol implementations SHOULD use a body field named __type"; in 1.1 the shape name alone, in 1.0 the
 * full shape ID, which the caller writes as its service does), Content-Type application/x-amz-json-1.0 or 1.1. The
 * X-Amzn-Errortype header is only one of the forms a client must accept, so it is not sent. Without a message the
 * body is `__type` alone.
 */
export function answerAwsJsonError(res: ServerResponse, status: number, type: string, message?: string, { version = "1.1", headers = {} }: { version?: "1.0" | "1.1"; headers?: OutgoingHttpHeaders } = {}): void {
    res.writeHead(status, { "content-type": `application/x-amz-json-${version}`, ...headers }).end(JSON.stringify(message === undefined ? { __type: type } : { __type: type, message }));
}

/**
 * An action an AWS JSON stand-in does not serve: 400 and a body of `__type` alone, no message, as AWS answered an action a
 * JSON-protocol service did not know ("HTTP Body: {\"__type\":\"UnknownOperationException\"} with StatusCode:
 * BadRequest", CloudWatch Logs' answer in aws/aws-sdk-net#1536; the same bare body in mhart/kinesalite index.js).
 */
export function answerUnknownOperation(res: ServerResponse, options?: { version?: "1.0" | "1.1"; headers?: OutgoingHttpHeaders }): void {
    answerAwsJsonError(res, 400, "UnknownOperationException", undefined, options);
}

/**
 * restJson1 (aws-restjson1-protocol.rst): the error's shape name in the X-Amzn-Errortype header, and a body "serialized
 * identically to standard responses", its members under their model names. So the casing is each error's own, and the
 * stand-in writes the body: Lambda's ResourceNotFoundException is `{Type, Message}`, its TooManyRequestsException
 * `{Reason, Type, message}` (@aws-sdk/client-lambda's error schemas), a refused signature `{message}`.
 */
export function answerRestJsonError(res: ServerResponse, status: number, type: string, body: object, headers: OutgoingHttpHeaders = {}): void {
    res.writeHead(status, { "content-type": "application/json", "x-amzn-errortype": type, ...headers }).end(JSON.stringify(body));
}

/**
 * awsQuery (aws-query-protocol.rst): an ErrorResponse in the service's XML namespace, its Error of Type, Code and
 * Message, and the RequestId. Type Sender: every refusal the stand-ins write is the caller's fault.
 */
export function awsQueryErrorXml(namespace: string, code: string, message: string, requestId = FAKE_REQUEST_ID): string {
    return (
        `<ErrorResponse xmlns="${namespace}"><Error><Type>Sender</Type><Code>${code}</Code>` +
        `<Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`
    );
}

/** An awsQuery error answered: Content-Type text/xml, as STS sends it. */
export function answerAwsQueryError(res: ServerResponse, status: number, namespace: string, code: string, message: string): void {
    res.writeHead(status, { "content-type": "text/xml" }).end(awsQueryErrorXml(namespace, code, message));
}
