import { maxStoredNameBytes } from "./objectNames";
import { MAX_EXECUTION_INPUT_BYTES, MAX_RUN_KEYS } from "./pipelineRun";

// The most bytes a JSON route's valid body can take, computed from the limits its content follows from: a body past
// it can only be refused, so it is refused (413) before it is read whole or parsed. The bound must never refuse a
// valid request, so it counts the worst any client may send, not what JSON.stringify sends.

/**
 * Bytes a JSON string may spend on one byte of the UTF-8 it decodes to. Any character may be sent as `\uXXXX`
 * (RFC 8259 section 7): 6 bytes for a 1-byte (ASCII) character, 6 for 2 bytes (3 per byte), 6 for 3 bytes (2 per
 * byte), and a surrogate pair `\uD83D\uDE00`, 12 bytes, for 4 (3 per byte). ASCII sent escaped is the worst: 6.
 */
export const JSON_BYTES_PER_UTF8_BYTE = 6;
/**
 * Whitespace allowed around one list entry: JSON.stringify's deepest indentation puts each entry on its own line,
 * 20 spaces in (its indent is capped at 10 per level; the list is 2 levels deep), 22 bytes with a CRLF.
 */
export const WHITESPACE_PER_ENTRY = 32;
/** One entry's own framing: its two quotes and the comma after it, and its whitespace. */
const ENTRY_FRAMING_BYTES = 2 + 1 + WHITESPACE_PER_ENTRY;
/**
 * The object around the list: a UTF-8 BOM (TextDecoder drops it), the braces, the field's name, the whitespace
 * around them, and room for small fields the service ignores (the schemas' z.object strips unknown keys).
 */
export const OBJECT_FRAMING_BYTES = 1024;

/** The most bytes of `{"<field>": ["...", ...]}` with `entries` strings holding at most `utf8Bytes` of UTF-8 between them. */
export const stringListBodyBytes = (entries: number, utf8Bytes: number) => OBJECT_FRAMING_BYTES + entries * ENTRY_FRAMING_BYTES + utf8Bytes * JSON_BYTES_PER_UTF8_BYTE;

/** A route's own body bound: its bytes and what it follows from (the 413 names both). */
export interface RouteBodyBound {
    bytes: number;
    of: string;
}

/** POST /objects/exists: `maxNames` names, each at most the longest stored name under `prefix`. */
export function bulkCheckBodyBound(prefix: string, maxNames: number): RouteBodyBound {
    const nameBytes = maxStoredNameBytes(prefix);
    return { bytes: stringListBodyBytes(maxNames, maxNames * nameBytes), of: `the most POST /objects/exists takes: ${maxNames} names of at most ${nameBytes} bytes, every character \\u-escaped` };
}

/**
 * POST /pipeline/runs: MAX_RUN_KEYS names whose UTF-8 fits, with much else, in the execution input Step Functions
 * takes (each key is at least its name's UTF-8 there), and each at most the longest stored name under `prefix`.
 */
export function runBodyBound(prefix: string): RouteBodyBound {
    const utf8Bytes = Math.min(MAX_EXECUTION_INPUT_BYTES, MAX_RUN_KEYS * maxStoredNameBytes(prefix));
    return { bytes: stringListBodyBytes(MAX_RUN_KEYS, utf8Bytes), of: `the most POST /pipeline/runs takes: ${MAX_RUN_KEYS} keys within Step Functions' ${MAX_EXECUTION_INPUT_BYTES}-byte execution input, every character \\u-escaped` };
}
