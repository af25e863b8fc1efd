// @ts-check
/**
 * The comment poster's calls to GitHub, waiting out a rate limit GitHub says will soon lift and saying plainly what a
 * refusal means. actions/github-script v8 builds its Octokit with @octokit/plugin-retry switched off (its `retries`
 * input defaults to 0: src/retry-options.ts) and without @octokit/plugin-throttling, so nothing else waits: a refused
 * call fails the step, and the preview's required check with it.
 */
"use strict";

/**
 * Seconds one run may spend waiting, all calls together: the not-previewed job has 5 minutes (preview.yml), and GitHub
 * asks for a minute after a secondary rate limit that names no wait.
 */
const WAIT_BUDGET_SECONDS = 180;

/** As @octokit/plugin-throttling (src/index.ts) tells a secondary rate limit, REST's or GraphQL's: by its message. */
const SECONDARY_RATE_LIMIT = /\bsecondary rate\b/i;

/**
 * The `type` of GitHub's GraphQL error for a spent primary limit. Its docs name none ("Rate limits and query limits for
 * the GraphQL API": status 200 and an error message); @octokit/plugin-throttling (src/index.ts) matches RATE_LIMITED,
 * but GitHub also answers `{"type":"RATE_LIMIT","code":"graphql_rate_limit","message":"API rate limit already exceeded
 * for user ID ..."}` (yanyongyu/githubkit#271, which now accepts both; octokit/plugin-throttling.js#824 quotes two such
 * answers), and `x-ratelimit-remaining` need not be 0 with either (plugin-throttling.js#636).
 */
const GRAPHQL_RATE_LIMITED = ["RATE_LIMITED", "RATE_LIMIT"];

/** The answer's headers: a RequestError's `response.headers`, a GraphqlResponseError's own `headers` (@octokit/graphql). */
function headersOf(/** @type {any} */ error) {
    return error?.response?.headers ?? error?.headers ?? {};
}

/**
 * The answer's GraphQL errors, or none: a GraphqlResponseError carries them itself, a RequestError in its answer's body.
 * @returns {any[]}
 */
function graphqlErrorsOf(/** @type {any} */ error) {
    const errors = error?.errors ?? error?.response?.data?.errors;
    return Array.isArray(errors) ? errors : [];
}

/**
 * How long GitHub asks to wait before this call may be made again, in seconds, as @octokit/plugin-throttling reads it
 * (src/index.ts): `retry-after`, else 60, for a secondary rate limit; until `x-ratelimit-reset` when the primary one is
 * spent (REST: `x-ratelimit-remaining: 0`; GraphQL: an error of a GRAPHQL_RATE_LIMITED type). Undefined for any other refusal.
 * @param {any} error
 * @param {number} nowMs
 * @returns {{ kind: "secondary" | "primary", seconds: number } | undefined}
 */
function rateLimitWait(error, nowMs) {
    const headers = headersOf(error);
    if (SECONDARY_RATE_LIMIT.test(String(error?.message ?? ""))) return { kind: "secondary", seconds: wholeSeconds(headers["retry-after"]) || 60 };
    const graphqlLimited = graphqlErrorsOf(error).some((e) => GRAPHQL_RATE_LIMITED.includes(e?.type));
    if (headers["x-ratelimit-remaining"] === "0" || graphqlLimited) {
        const reset = wholeSeconds(headers["x-ratelimit-reset"]);
        return { kind: "primary", seconds: reset !== undefined ? Math.max(Math.ceil((reset * 1000 - nowMs) / 1000) + 1, 0) : 3600 };
    }
    return undefined;
}

/**
 * A header's count of seconds as GitHub writes `retry-after` (RFC 9110 delay-seconds: digits only) and
 * `x-ratelimit-reset` (epoch seconds); undefined for anything else, so that "-5" cannot shorten the step's wait budget
 * nor "0x10" or "" pass for a number (Number() reads those as -5, 16 and 0).
 */
function wholeSeconds(/** @type {unknown} */ header) {
    return typeof header === "string" && /^\d{1,12}$/.test(header.trim()) ? Number(header) : undefined;
}

/**
 * How GitHub's own failure reaches the step, or undefined for any other error: an HTTP 5xx, which @octokit/request
 * (github-script v8 dist/index.js, fetchWrapper) rejects as an HttpError with the answer in `response` (a GraphQL 502
 * carries `{"data":null,"errors":[{"message":"Something went wrong while executing your query..."}]}`, which its
 * toErrorMessage makes "Unknown error: {...}"); a request that got no answer, which it rejects as an HttpError of
 * status 500 without `response` (undici's "fetch failed"); and the same "Something went wrong" in a GraphQL answer's
 * errors, which @octokit/plugin-retry (src/wrap-request.ts) retries as a 500.
 * @param {any} error
 * @returns {string | undefined} what happened, in a few words
 */
function serverFailure(error) {
    if (error?.name === "HttpError" && !error.response && error.status === 500) return "no answer came from GitHub";
    if (error?.name === "HttpError" && error.status >= 500 && error.status <= 599) return `GitHub answered HTTP ${error.status}, a failure on its side`;
    const errors = error?.name === "GraphqlResponseError" ? error.errors : undefined;
    if (Array.isArray(errors) && errors.some((/** @type {any} */ e) => SOMETHING_WENT_WRONG.test(String(e?.message)))) return "GitHub's GraphQL API failed on its side";
    return undefined;
}

/** GitHub's words for a GraphQL query that failed on its side (gitkraken/vscode-gitlens#3298, my-badges/my-badges#72). */
const SOMETHING_WENT_WRONG = /^Something went wrong while executing your query/;

/**
 * GitHub's own words from a failed answer: its GraphQL errors' messages where the body has them, else octokit's
 * message, which for a proxy's HTML page (nginx's "502 Bad Gateway", turbot/steampipe-plugin-github#518) is the whole
 * page (@octokit/request toErrorMessage): that page's title then.
 */
function githubsWords(/** @type {any} */ error) {
    const messages = graphqlErrorsOf(error).map((e) => e?.message).filter((m) => typeof m === "string");
    if (messages.length) return messages.join("; ");
    const message = String(error?.message ?? error);
    const title = /<title>([^<]*)<\/title>/i.exec(message)?.[1]?.trim();
    return title ? `an HTML page titled ${JSON.stringify(title)}` : message;
}

/**
 * The error the step fails with when GitHub failed on its side: the call, that it is not this step's fault, whether
 * it was asked again, and what to do.
 * @param {any} error
 * @param {string} what
 * @param {string} failure serverFailure's words
 * @param {number} askedAgain how many times the call was made again after such a failure
 * @param {boolean} read whether the call only reads (a write is never made again: it may have been done)
 */
function serverFailed(error, what, failure, askedAgain, read) {
    const again = askedAgain ? `, also when asked ${askedAgain} more time${askedAgain > 1 ? "s" : ""}` : "";
    const todo = read
        ? "re-run the job (https://www.githubstatus.com says whether GitHub has an incident)"
        : "re-run the job: whether GitHub made the change cannot be told, and the re-run edits the stack's comment if it was posted";
    return new Error(`${what}: ${failure} (not a fault in this step's request)${again}: ${todo} (GitHub said: ${githubsWords(error)})`, { cause: error });
}

/**
 * GitHub's `x-accepted-github-permissions` ("issues=write; pull_requests=write": any one set will do, GitHub changelog
 * 2023-08-10) in the words of a workflow's `permissions:` block ("issues: write or pull-requests: write").
 */
function acceptedPermissions(/** @type {unknown} */ header) {
    if (typeof header !== "string" || !header.trim()) return undefined;
    return header
        .split(";")
        .map((set) => set.trim().split(",").map((p) => p.trim().replace(/_/g, "-").replace("=", ": ")).join(" and "))
        .join(" or ");
}

/**
 * The error the step fails with when GitHub refuses `what`: the refusal explained where GitHub's own words do not say
 * what to do; octokit's other errors as they were; any other error with `what` named.
 * @param {any} error
 * @param {string} what
 * @param {{ kind: string, seconds: number } | undefined} wait
 * @param {boolean} [again] whether the call was refused so after the step waited once for it already
 */
function explained(error, what, wait, again = false) {
    const status = error?.status;
    const message = String(error?.message ?? error);
    if (wait) {
        const limit = wait.kind === "secondary" ? "a secondary rate limit (too many requests or comments in a short time)" : "its API rate limit for this token";
        const why = again ? "again after the step waited once for this call" : "longer than this step still waits";
        return new Error(`${what}: GitHub refused it for ${limit} and asks to wait ${wait.seconds} s, ${why}: re-run the job after that (GitHub said: ${message})`, { cause: error });
    }
    // GitHub's words to an installation token (GITHUB_TOKEN) or a fine-grained token without the permission.
    if (status === 403 && /^Resource not accessible by /.test(message)) {
        const accepted = acceptedPermissions(headersOf(error)["x-accepted-github-permissions"]);
        return new Error(
            `${what}: GitHub refused the job's token with 403 "${message}"${accepted ? `: the call needs ${accepted}` : ""}. ` +
                "The job's `permissions:` in .github/workflows/preview.yml must grant `pull-requests: write` (the stacks' comments are read, posted and edited with it)",
            { cause: error },
        );
    }
    if (Array.isArray(error?.errors) && error?.name === "GraphqlResponseError") {
        const errors = error.errors.map((/** @type {any} */ e) => `${e?.type ? `${e.type}: ` : ""}${e?.message}`).join("; ");
        return new Error(`${what}: GitHub's GraphQL API answered with errors: ${errors}`, { cause: error });
    }
    if (isOctokitsOwn(error)) return error;
    return new Error(`${what}: the GitHub client failed with ${error?.name ?? "a throw"}: ${message}`, { cause: error });
}

/**
 * Octokit's own errors for an answer it read: @octokit/request's RequestError (named "HttpError", also for a failed
 * fetch) and @octokit/graphql's GraphqlResponseError. Anything else is thrown from inside the client, such as
 * the TypeError of @octokit/graphql's _buildMessageForResponseErrors (src/error.ts) for an `errors` that is not a list
 * of objects, and names no call.
 */
function isOctokitsOwn(/** @type {any} */ error) {
    return error?.name === "HttpError" || error?.name === "GraphqlResponseError";
}

/**
 * Times a read (or an idempotent write) that GitHub failed on its side is made again, after 1, 4 and 9 s: @octokit/plugin-retry's schedule
 * (src/error-request.ts, (retryCount + 1)^2 s) and its default of 3 retries, which github-script switches off.
 */
const READ_RETRIES = 3;

/**
 * A caller of GitHub for one run: `ask(what, call)` makes the call and, when GitHub refuses it for a rate limit it says
 * lifts within what is left of WAIT_BUDGET_SECONDS, waits that long and makes it once more. A refused call made no
 * change (GitHub answers before acting), so a write is safe to make again. `ask(what, call, { read: true })` also makes
 * a read again that GitHub failed on its side (serverFailure), READ_RETRIES times at most within the same budget, and so
 * does `{ idempotent: true }` for a write whose second making changes nothing more (an edit that sets a whole body); any
 * other write that failed so is not made again, since GitHub may have done it before failing (a comment posted twice).
 * @param {{ sleep?: (ms: number) => Promise<void>, now?: () => number, log?: (line: string) => void }} [clock] log: the
 *   step's log (github-script's console)
 */
function githubCaller({ sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms)), now = Date.now, log = console.log } = {}) {
    let budget = WAIT_BUDGET_SECONDS;
    /**
     * @template T
     * @param {string} what the call, as the operator should read it in the step's error
     * @param {() => Promise<T>} call
     * @param {{ read?: boolean, idempotent?: boolean }} [kind] read: the call changes nothing; idempotent: made twice, it
     *   changes no more than once (a read is); either may be made again after GitHub failed
     * @returns {Promise<T>}
     */
    async function ask(what, call, { read = false, idempotent = read } = {}) {
        let waitedForLimit = false;
        let askedAgain = 0;
        for (;;) {
            try {
                return await call();
            } catch (error) {
                const wait = rateLimitWait(error, now());
                const failure = wait ? undefined : serverFailure(error);
                if (failure) {
                    const seconds = (askedAgain + 1) ** 2;
                    if (!idempotent || askedAgain >= READ_RETRIES || seconds > budget) throw serverFailed(error, what, failure, askedAgain, read);
                    budget -= seconds;
                    askedAgain++;
                    log(`${what}: ${failure}; asking again in ${seconds} s`);
                    await sleep(seconds * 1000);
                    continue;
                }
                if (!wait || waitedForLimit || wait.seconds > budget) throw explained(error, what, wait, waitedForLimit);
                waitedForLimit = true;
                budget -= wait.seconds;
                log(`${what}: GitHub asks to wait ${wait.seconds} s (${wait.kind} rate limit); waiting, then asking once more`);
                await sleep(wait.seconds * 1000);
            }
        }
    }
    return ask;
}

module.exports = { githubCaller, WAIT_BUDGET_SECONDS, READ_RETRIES };
