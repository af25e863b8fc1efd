import { isPlainObject } from "../../config/plainObject";
import { answerExcerpt } from "../answerExcerpt";
import { refusal } from "../refusal";

/**
 * Google's APIs answer a successful REST call with JSON, and an error with `{"error": {...}}` alone under a 4xx or
 * 5xx status (cloud.google.com/apis/design/errors, "HTTP mapping"). A 200 whose body is not JSON (a proxy's or a
 * captive portal's HTML page, an empty body), or is an error alone (that one, or a gateway's), is not the API's answer to the call: read as
 * one it threw a bare SyntaxError naming no call, or passed for an empty list (proto3 JSON leaves empty lists out).
 * Alone, unlike googleApiError's test of a failed answer: a 200 may be a resource with a field named `error` (a
 * finished long-running Operation is `{"name", "done": true, "error": Status}`: google.longrunning.Operation).
 */
export async function googleAnswerBody<T>(res: Response, what: string): Promise<T> {
    const text = await res.text();
    let body: unknown;
    try {
        body = JSON.parse(text);
    } catch {
        throw refusal(
            `${what}: Google answered HTTP ${res.status} with a body that is not JSON (${answerExcerpt(text)}), not an API's answer: something between this machine and ` +
                "googleapis.com answered in its place (a proxy, HTTPS_PROXY, a captive portal). Run this again, and if it stays, check the network path to googleapis.com",
        );
    }
    // Any `error` alone, Google's Status or a gateway's string: no resource is that and nothing else.
    if (isPlainObject(body) && Object.keys(body).length === 1 && "error" in body) {
        throw refusal(
            `${what}: Google answered HTTP ${res.status} with an error in place of the answer (${answerExcerpt(body)}), which says neither what was asked nor NOT_FOUND. ` +
                "Run this again, and if it stays, check the network path to googleapis.com (a proxy may rewrite its answers)",
        );
    }
    return body as T;
}
