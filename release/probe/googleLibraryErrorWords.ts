import { answerExcerpt } from "../../components/answerExcerpt";
import { describeValue } from "../../config/errors";

/**
 * What an error from google-auth-library (or gaxios under it) says, with Google's answer where one came. The library
 * words some answers into a message that no longer says them: gtoken's getToken (google-auth-library
 * build/src/gtoken/getToken.js) writes `${error}: ${error_description}` into it, "[object Object]: undefined" for an
 * answer in Google's JSON error model ({"error": {"code", "message", "status"}}); gaxios (GaxiosError
 * .extractAPIErrorFromResponse) keeps an OAuth error's code alone ("invalid_grant", not its error_description) and
 * copies a non-string error.message in as it is, which Error makes "[object Object]". Only an error answer (4xx, 5xx) is
 * quoted: a 200 can hold a token. A thrown value that is no Error is quoted as it is.
 * It words an error already being reported, so it never throws: a part that cannot be read or written as JSON (a getter
 * that throws, cycles, a BigInt) is named as such, and the error it was asked about is not lost to a TypeError of its own.
 */
export function googleLibraryErrorWords(err: unknown): string {
    if (!(err instanceof Error)) return `${quoted(err, (v) => describeValue(v, 300))} (thrown as it is, not an Error)`;
    const message = read(() => err.message);
    const words = typeof message === "string" ? message : quoted(message, (v) => describeValue(v, 300));
    const response = read(() => (err as { response?: { status?: unknown; data?: unknown } }).response);
    const status = read(() => response?.status);
    const data = read(() => response?.data);
    if (typeof status !== "number" || status < 400 || data === undefined || data === "") return words;
    const answer = `Google answered HTTP ${status}: ${quoted(data, answerExcerpt)}`;
    return words.includes("[object Object]") ? answer : `${words} (${answer})`;
}

/** What `get` reads, or undefined when reading it throws. */
function read<T>(get: () => T): T | undefined {
    try {
        return get();
    } catch {
        return undefined;
    }
}

/** `value` as `quote` writes it, or, where it cannot be written (JSON.stringify throws on cycles and BigInt), what it is. */
function quoted(value: unknown, quote: (value: unknown) => string): string {
    try {
        return quote(value);
    } catch (err) {
        const why = read(() => (err as Error).message);
        return `${typeof value === "object" ? "an object" : `a ${typeof value}`} that cannot be written as JSON (${typeof why === "string" ? why.split("\n")[0] : "its JSON.stringify threw"})`;
    }
}
