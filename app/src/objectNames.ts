import { randomBytes } from "node:crypto";
import { RESULT_KEY_OVERHEAD_BYTES } from "./resultKeys";

/** S3's longest key and GCS's longest object name, in bytes of UTF-8. */
export const KEY_LIMIT_BYTES = 1024;

/** Readable numbered names are tried first; after these, a random suffix keeps an upload O(1). */
export const NUMBERED_CANDIDATES = 20;
/** The most a collision rename adds to a name: `-` and 8 hex digits (`-20` is shorter). */
const RENAME_SUFFIX_BYTES = 9;

/**
 * The longest name an object under `prefix` can have: its key (`prefix` + name) and the worker's
 * `results/<key>.json` must both fit in KEY_LIMIT_BYTES, or an acknowledged upload could be unprocessable.
 */
export const maxStoredNameBytes = (prefix: string) => KEY_LIMIT_BYTES - Buffer.byteLength(prefix) - RESULT_KEY_OVERHEAD_BYTES;
/** The longest name an upload may ask for: room is kept for a collision rename, so the name it gets fits too. */
export const maxUploadNameBytes = (prefix: string) => maxStoredNameBytes(prefix) - RENAME_SUFFIX_BYTES;

// Characters that are invisible, reorder or break the text around them, or look like another character: C0 and
// C1 controls (Cc), format characters such as bidi overrides and zero-width spaces (Cf), line and paragraph
// separators, any space but U+0020, private-use and noncharacter code points, and lone surrogates.
const CONTROL = /\p{Cc}/u;
const LOOKALIKE = /[\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cs}\p{Noncharacter_Code_Point}]|(?! )\p{Zs}/u;

const codePoint = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;

/**
 * Why a name is not in the one canonical form names have, or undefined when it is: Unicode NFC, none of the
 * characters above, at most `maxBytes` of UTF-8, relative, without `.`, `..` or empty segments.
 */
export function invalidNameReason(name: string, maxBytes = KEY_LIMIT_BYTES): string | undefined {
    if (name.length === 0) return "is empty";
    if (Buffer.byteLength(name, "utf8") > maxBytes) return `is longer than ${maxBytes} bytes`;
    const control = CONTROL.exec(name);
    if (control) return `contains a control character (${codePoint(control[0])})`;
    const lookalike = LOOKALIKE.exec(name);
    if (lookalike) return `contains ${codePoint(lookalike[0])}, an invisible, bidi, separator or non-character code point`;
    if (name.normalize("NFC") !== name) return "is not in Unicode normalization form C (NFC)";
    if (name.startsWith("/")) return "starts with /";
    if (name.split("/").some((segment) => segment === ".." || segment === ".")) return "contains a . or .. segment";
    if (name.split("/").some((segment) => segment === "")) return "contains an empty segment";
    return undefined;
}

/** The name in a URL path segment: strict percent-decoding as UTF-8; undefined when it is not valid. */
export function decodeName(encoded: string): string | undefined {
    try {
        return decodeURIComponent(encoded);
    } catch {
        return undefined;
    }
}

/**
 * The candidates for an upload under `name`: `report.csv`, then `report-1.csv` ... `report-20.csv`, then
 * `report-<8 random hex>.csv`, so a name uploaded thousands of times never makes an upload scan them all.
 */
export function* candidateNames(name: string): Generator<string> {
    yield name;
    const slash = name.lastIndexOf("/");
    const dot = name.lastIndexOf(".");
    const hasExtension = dot > slash + 1;
    const stem = hasExtension ? name.slice(0, dot) : name;
    const extension = hasExtension ? name.slice(dot) : "";
    for (let n = 1; n <= NUMBERED_CANDIDATES; n++) yield `${stem}-${n}${extension}`;
    for (;;) yield `${stem}-${randomBytes(4).toString("hex")}${extension}`;
}
