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
 */
export function googleLibraryErrorWords(err: unknown): string {
    if (!(err instanceof Error)) return `${describeValue(err, 300)} (thrown as it is, not an Error)`;
    const message = typeof err.message === "string" ? err.message : describeValue(err.message, 300);
    const response = (err as { response?: { status?: unknown; data?: unknown } }).response;
    if (typeof response?.status !== "number" || response.status < 400 || response.data === undefined || response.data === "") return message;
    const answer = `Google answered HTTP ${response.status}: ${answerExcerpt(response.data)}`;
    return message.includes("[object Object]") ? answer : `${message} (${answer})`;
}
