/**
 * What a Function URL hands the function as text rather than base64 (the test events and the release's probe build
 * their events by it; the service asks each event instead): "If the content type of the request is binary,
 * the body is base64-encoded" (Lambda developer guide, "Invoking Lambda function URLs"), and the guide lists no
 * types. As measured on API Gateway's HTTP APIs, which share payload format 2.0: text/*, application/json,
 * application/xml and application/javascript are text; every other type, and none, base64 (ministackorg/ministack#766).
 */
export const SENT_AS_TEXT = /^\s*(text\/|application\/(json|xml|javascript)\b)/i;

/** U+FFFD in UTF-8: what decoding puts where bytes were not UTF-8. */
const REPLACEMENT_CHARACTER = new Uint8Array([0xef, 0xbf, 0xbd]);

export const LOST_BYTES =
    "the body holds U+FFFD, which stands where bytes that are not UTF-8 were: a Function URL hands a text/*, JSON, XML or JavaScript body to the function as text, and those bytes are lost on the way; send them as application/octet-stream, or as UTF-8";

/**
 * Whether a body holds U+FFFD: in one the Function URL passed as text (the event's isBase64Encoded false), what
 * stands where bytes were lost. A body that held U+FFFD itself cannot be told apart, and is refused too: a 201
 * promises the bytes sent.
 */
export function holdsReplacementCharacter(body: Uint8Array): boolean {
    return Buffer.from(body.buffer, body.byteOffset, body.byteLength).indexOf(REPLACEMENT_CHARACTER) >= 0;
}
