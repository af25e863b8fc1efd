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
    // A GraphqlResponseError carries the errors itself, a RequestError in its answer's body.
    const graphqlErrors = error?.errors ?? error?.response?.data?.errors ?? [];
    const graphqlLimited = Array.isArray(graphqlErrors) && graphqlErrors.some((/** @type {any} */ e) => GRAPHQL_RATE_LIMITED.includes(e?.type));
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
 * A caller of GitHub for one run: `ask(what, call)` makes the call and, when GitHub refuses it for a rate limit it says
 * lifts within what is left of WAIT_BUDGET_SECONDS, waits that long and makes it once more. A refused call made no
 * change (GitHub answers before acting), so a write is safe to make again.
 * @param {{ sleep?: (ms: number) => Promise<void>, now?: () => number, log?: (line: string) => void }} [clock] log: the
 *   step's log (github-script's console)
 */
function githubCaller({ sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms)), now = Date.now, log = console.log } = {}) {
    let budget = WAIT_BUDGET_SECONDS;
    /**
     * @template T
     * @param {string} what the call, as the operator should read it in the step's error
     * @param {() => Promise<T>} call
     * @returns {Promise<T>}
     */
    async function ask(what, call) {
        for (let attempt = 1; ; attempt++) {
            try {
                return await call();
            } catch (error) {
                const wait = rateLimitWait(error, now());
                if (!wait || attempt > 1 || wait.seconds > budget) throw explained(error, what, wait, attempt > 1);
                budget -= wait.seconds;
                log(`${what}: GitHub asks to wait ${wait.seconds} s (${wait.kind} rate limit); waiting, then asking once more`);
                await sleep(wait.seconds * 1000);
            }
        }
    }
    return ask;
}

module.exports = { githubCaller, WAIT_BUDGET_SECONDS };
