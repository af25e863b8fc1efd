import { answerExcerpt } from "../../components/answerExcerpt";
import { NETWORK_ERROR_WORDS, networkCause } from "../../components/noAnswer";
import { describeValue } from "../../config/errors";

/**
 * What an error from google-auth-library (or gaxios under it) says, with Google's answer where one came. The library
 * words some answers into a message that no longer says them: gtoken's getToken (google-auth-library
 * build/src/gtoken/getToken.js) writes `${error}: ${error_description}` into it, "[object Object]: undefined" for an
 * answer in Google's JSON error model ({"error": {"code", "message", "status"}}) and "internal_failure: undefined" for
 * an OAuth error without a description (the token endpoint's 503); gaxios (GaxiosError
 * .extractAPIErrorFromResponse) keeps an OAuth error's code alone ("invalid_grant", not its error_description) and
 * copies a non-string error.message in as it is, which Error makes "[object Object]"; it makes a string body the
 * message, so an empty one (a proxy's or load balancer's bare 401 or 403 in front of Google) said nothing. Only an
 * error answer (4xx, 5xx) is quoted: a 200 can hold a token. Where no answer came, gaxios keeps fetch's own words
 * ("fetch failed") and fetch's TypeError as the cause (gaxios.js _request), whose cause, the system's error
 * (ECONNREFUSED, ENOTFOUND, an untrusted certificate), networkCause names. A thrown value that is no Error is quoted as
 * it is.
 * It words an error already being reported, so it never throws: a part that cannot be read or written as JSON (a getter
 * that throws, cycles, a BigInt) is named as such, and the error it was asked about is not lost to a TypeError of its own.
 */
export function googleLibraryErrorWords(err: unknown): string {
    if (!(err instanceof Error)) return `${quoted(err, (v) => describeValue(v, 300))} (thrown as it is, not an Error)`;
    const message = read(() => err.message);
    const words = typeof message === "string" ? message : quoted(message, (v) => describeValue(v, 300));
    const response = read(() => (err as { response?: { status?: unknown; data?: unknown } }).response);
    if (response === undefined) return words + noAnswerCause(err);
    const status = read(() => response?.status);
    const data = read(() => response?.data);
    if (typeof status !== "number" || status < 400 || data === undefined) return words;
    const answer = data === "" ? `Google answered HTTP ${status} with an empty body` : `Google answered HTTP ${status}: ${quoted(data, answerExcerpt)}`;
    if (words === "" || words.includes("[object Object]")) return answer;
    return `${withoutMissingDescription(words, data)} (${answer})`;
}

/** gtoken's `${error}: ${error_description}` less its ": undefined" where the answer had no description. */
function withoutMissingDescription(words: string, data: unknown): string {
    const code = read(() => (data as { error?: unknown } | null)?.error);
    return typeof code === "string" && words === `${code}: undefined` ? code : words;
}

/** Why fetch got no answer, as " (<the system's error>)" and what to do for an untrusted issuer; "" for any other error. */
function noAnswerCause(err: Error): string {
    const cause = read(() => err.cause);
    const fetchError = err instanceof TypeError ? err : cause instanceof TypeError ? cause : undefined;
    if (!fetchError || !NETWORK_ERROR_WORDS.has(fetchError.message)) return "";
    const { words, remedy } = networkCause(fetchError);
    return words === fetchError.message ? "" : ` (${words})${remedy ? `; ${remedy}` : ""}`;
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
