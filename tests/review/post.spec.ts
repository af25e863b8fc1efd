import * as assert from "assert";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { postComment, markNotPreviewed } = require("../../review/comment/post.js");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { WAIT_BUDGET_SECONDS, READ_RETRIES } = require("../../review/comment/githubCalls.js");
import { GITHUB_COMMENT_LIMIT, commentMarker } from "../../review/comment/render";

// GITHUB_TOKEN's account, as the REST API gives a comment's `user` (41898282 on github.com).
const bot = { login: "github-actions[bot]", id: 41898282, type: "Bot" };

/**
 * actions/github-script's `github` (an Octokit) and `context`, answering as GitHub's REST API does
 * (docs.github.com/rest/issues/comments: list returns comments with `id`, `body`, `user.login`, `user.type`; create
 * answers 201 with the new comment as `data`). Calls are recorded.
 */
function fakeGitHub(existing: { id: number; body: string; user: { login: string; type: string } }[], headNow = "a".repeat(40), deletedAfterList: number[] = [], viewer = bot.login) {
    const calls: { method: string; params: any }[] = [];
    // A comment deleted after it was listed: PATCH /repos/{owner}/{repo}/issues/comments/{comment_id} answers 404 with
    // this body (as PyGithub reported it editing a comment that was gone, redis/redis-benchmarks-specification#252).
    // @octokit/request as actions/github-script v8 bundles it
    // (dist/index.js, fetchWrapper and toErrorMessage) rejects with a RequestError: name "HttpError", `status`, the
    // body's `message` as its message, and the answer in `response`.
    const notFound = (path: string, anchor: string) =>
        Object.assign(new Error("Not Found"), {
            name: "HttpError",
            status: 404,
            response: {
                url: `https://api.github.com/repos/${path}`,
                status: 404,
                headers: {},
                data: { message: "Not Found", documentation_url: `https://docs.github.com/rest/${anchor}`, status: "404" },
            },
        });
    // Only this repository's pull request 42 is there: GitHub answers the same 404 for another number, or none (octokit
    // expands a missing {issue_number} of the URL to nothing), and the call rejects rather than reading another pull request.
    const onlyOurs = (params: any, number: unknown, path: string, anchor: string) => {
        if (params.owner !== "my-github-org" || params.repo !== "multicloud-service" || number !== 42) throw notFound(`${params.owner}/${params.repo}/${path}`, anchor);
    };
    // GitHub refuses an issue comment over 262,144 bytes of UTF-8 (2^18), whatever its message says: measured on both
    // POST /issues/{n}/comments and PATCH /issues/comments/{id} (objectstack-ai/objectstack#18826; 65,536 4-byte emoji
    // pass and one ASCII character more is refused, dead-claudia/github-limits#13). The answer, in its current words
    // (jmikedupont2/ai-ticket#51, reg-viz/reg-actions#123; the older "custom"/"body"/"body is too long" form is from
    // before 2021), as @octokit/request's toErrorMessage makes it a RequestError's message (actions/github-script v8
    // dist/index.js): "Validation Failed: " and each error as JSON.
    const tooLong = (body: string, anchor: string) => {
        if (Buffer.byteLength(body, "utf8") <= 262_144) return;
        const errors = [{ resource: "IssueComment", code: "unprocessable", field: "data", message: "Body is too long (maximum is 65536 characters)" }];
        const data = { message: "Validation Failed", errors, documentation_url: `https://docs.github.com/rest/issues/comments#${anchor}`, status: "422" };
        throw Object.assign(new Error(`${data.message}: ${errors.map((e) => JSON.stringify(e)).join(", ")}`), { name: "HttpError", status: 422, response: { status: 422, headers: {}, data } });
    };
    const listComments = async (params: any) => ({ status: 200, data: existing, params });
    const github = {
        // The token's own account, as GraphQL's `viewer`: GITHUB_TOKEN's is github-actions[bot], the login REST gives its
        // comments' `user` (marocchino/sticky-pull-request-comment#332 matched the two; its tests' viewer is that login).
        // @octokit/graphql resolves to the answer's `data`.
        graphql: async (query: string) => {
            assert.match(query, /^query \{ viewer \{ login \} \}$/);
            return { viewer: { login: viewer } };
        },
        paginate: async (method: unknown, params: any) => {
            assert.strictEqual(method, listComments);
            onlyOurs(params, params.issue_number, `issues/${params.issue_number ?? ""}/comments`, "issues/comments#list-issue-comments");
            calls.push({ method: "listComments", params });
            return existing;
        },
        rest: {
            // pulls.get answers the pull request as it is now (docs.github.com/rest/pulls/pulls#get-a-pull-request: head.sha).
            pulls: {
                get: async (params: any) => {
                    onlyOurs(params, params.pull_number, `pulls/${params.pull_number ?? ""}`, "pulls/pulls#get-a-pull-request");
                    return { status: 200, data: { number: params.pull_number, head: { sha: headNow } } };
                },
            },
            issues: {
                listComments,
                updateComment: async (params: any) => {
                    calls.push({ method: "updateComment", params });
                    if (deletedAfterList.includes(params.comment_id) || !existing.some((c) => c.id === params.comment_id)) throw notFound(`${params.owner}/${params.repo}/issues/comments/${params.comment_id}`, "issues/comments#update-an-issue-comment");
                    tooLong(params.body, "update-an-issue-comment");
                    return { status: 200, data: { id: params.comment_id, body: params.body } };
                },
                createComment: async (params: any) => {
                    calls.push({ method: "createComment", params });
                    tooLong(params.body, "create-an-issue-comment");
                    return { status: 201, data: { id: 9001, body: params.body } };
                },
            },
        },
    };
    const context = { repo: { owner: "my-github-org", repo: "multicloud-service" }, payload: { pull_request: { number: 42, head: { sha: "a".repeat(40) } } } };
    return { github, context, calls };
}

describe("review: posting a stack's comment (review/comment/post.js, run by actions/github-script)", () => {
    it("the first run creates the stack's comment", async () => {
        const { github, context, calls } = fakeGitHub([{ id: 1, body: "LGTM", user: { login: "alice", type: "User" } }]);
        const body = `${commentMarker("dev")}\n## Preview of \`dev\`\n`;
        assert.deepStrictEqual(await postComment({ github, context, body }), { action: "created", id: 9001 });
        assert.deepStrictEqual(calls.map((c) => c.method), ["listComments", "createComment"]);
        assert.deepStrictEqual(calls[1].params, { owner: "my-github-org", repo: "multicloud-service", issue_number: 42, body });
    });

    it("later runs edit that stack's comment in place, never the other stack's or a person's quoting it", async () => {
        const { github, context, calls } = fakeGitHub([
            { id: 7, body: `${commentMarker("dev")}\nold dev`, user: bot },
            // A person's comment that starts with the marker itself (pasted whole), listed before the bot's own.
            { id: 5, body: `${commentMarker("prod")}\npasted by hand`, user: { login: "carol", type: "User" } },
            { id: 8, body: `${commentMarker("prod")}\r\nold prod, edited on the web (CRLF)`, user: bot },
            { id: 9, body: `> ${commentMarker("prod")}\nwhy did the cost go up?`, user: { login: "bob", type: "User" } },
        ]);
        const body = `${commentMarker("prod")}\nnew prod`;
        assert.deepStrictEqual(await postComment({ github, context, body }), { action: "updated", id: 8 });
        assert.deepStrictEqual(calls[1], { method: "updateComment", params: { owner: "my-github-org", repo: "multicloud-service", comment_id: 8, body } });
    });

    // Before: any bot's comment carrying the marker was taken for ours, so another app's, listed first, was the one edited
    // (or refused), and ours never was.
    it("only the token's own account's comments are edited: another app's bot's, or a bot's the token is not, are left alone", async () => {
        const otherApp = { login: "some-app[bot]", id: 1000001, type: "Bot" };
        const existing = [
            { id: 4, body: `${commentMarker("dev")}\nposted by another app`, user: otherApp },
            { id: 7, body: `${commentMarker("dev")}\nold dev`, user: bot },
        ];
        const body = `${commentMarker("dev")}\nnew dev`;
        const ours = fakeGitHub(existing);
        assert.deepStrictEqual(await postComment({ github: ours.github, context: ours.context, body }), { action: "updated", id: 7 });
        assert.deepStrictEqual(await markNotPreviewed({ github: ours.github, context: ours.context, stack: "dev", headSha: "a".repeat(40), reason: "r" }), { edited: [7] });
        assert.deepStrictEqual(ours.calls.filter((c) => c.method === "updateComment").map((c) => c.params.comment_id), [7, 7]);
        // The workflow given that app's token instead: its comment is the one edited, github-actions[bot]'s is not.
        const app = fakeGitHub(existing, undefined, undefined, otherApp.login);
        assert.deepStrictEqual(await postComment({ github: app.github, context: app.context, body }), { action: "updated", id: 4 });
    });

    it("refuses a body without its marker (it could never be found again) and an event without a pull request", async () => {
        const { github, context } = fakeGitHub([]);
        await assert.rejects(postComment({ github, context, body: "## Preview" }), /does not start with its stack's marker/);
        await assert.rejects(postComment({ github, context: { ...context, payload: {} }, body: `${commentMarker("dev")}\n` }), /not a pull_request event/);
    });

    // Before: a push that reverted the pull request's program change was not previewed, and the stacks' comments went on
    // showing the reverted change, its IAM grants and its cost.
    it("a push that is not previewed edits the stack's earlier comment to say so, creates none, and a re-run edits nothing", async () => {
        const reason = "this pull request changes no file the deployment is made from (docs, tests, tools): nothing to preview";
        const existing = [
            { id: 7, body: `${commentMarker("dev")}\n## Preview of \`dev\` at 1111111\n\n### IAM permissions\n+ s3:PutObject`, user: bot },
            { id: 5, body: `${commentMarker("prod")}\npasted by hand`, user: { login: "carol", type: "User" } },
            { id: 8, body: `${commentMarker("prod")}\r\nold prod`, user: bot },
        ];
        const { github, context, calls } = fakeGitHub(existing);
        const headSha = "0123456789abcdef0123456789abcdef01234567";
        assert.deepStrictEqual(await markNotPreviewed({ github, context, stack: "dev", headSha, reason }), { edited: [7] });
        assert.deepStrictEqual(await markNotPreviewed({ github, context, stack: "prod", headSha, reason }), { edited: [8] });
        const edits = calls.filter((c) => c.method === "updateComment").map((c) => c.params);
        assert.deepStrictEqual(edits.map((e) => e.comment_id), [7, 8]);
        assert.ok(!calls.some((c) => c.method === "createComment"));
        const dev = edits[0].body as string;
        assert.ok(dev.startsWith(`${commentMarker("dev")}\n## Preview of \`dev\` at 0123456\n\nNot previewed: ${reason}.\n`), dev);
        assert.doesNotMatch(dev, /s3:PutObject/);
        assert.ok((edits[1].body as string).startsWith(`${commentMarker("prod")}\n## Preview of \`prod\` at 0123456\n`));
        // The same push again (a re-run): the comments already say it.
        const again = fakeGitHub(edits.map((e) => ({ id: e.comment_id, body: e.body, user: bot })));
        for (const stack of ["dev", "prod"]) assert.deepStrictEqual(await markNotPreviewed({ github: again.github, context: again.context, stack, headSha, reason }), { edited: [] });
        // A pull request that was never previewed gets no comment.
        const never = fakeGitHub([{ id: 1, body: "LGTM", user: { login: "alice", type: "User" } }]);
        assert.deepStrictEqual(await markNotPreviewed({ github: never.github, context: never.context, stack: "dev", headSha, reason }), { edited: [] });
        await assert.rejects(markNotPreviewed({ github, context, stack: "dev", headSha: "main", reason }), /not a commit SHA/);
    });

    // A stack's comment may be deleted between the list and the edit (by a person): GitHub's 404 "Not Found" to the
    // edit means the comment is gone, so the push's preview is posted as a new one.
    it("a stack's comment deleted after it was listed is posted again, and a not-previewed push skips it", async () => {
        const existing = [{ id: 7, body: `${commentMarker("dev")}\nold dev`, user: bot }];
        const gone = fakeGitHub(existing, undefined, [7]);
        const body = `${commentMarker("dev")}\nnew dev`;
        assert.deepStrictEqual(await postComment({ github: gone.github, context: gone.context, body }), { action: "created", id: 9001 });
        assert.deepStrictEqual(gone.calls.map((c) => c.method), ["listComments", "updateComment", "createComment"]);
        assert.deepStrictEqual(gone.calls[2].params, { owner: "my-github-org", repo: "multicloud-service", issue_number: 42, body });
        const marked = fakeGitHub(existing, undefined, [7]);
        assert.deepStrictEqual(await markNotPreviewed({ github: marked.github, context: marked.context, stack: "dev", headSha: "a".repeat(40), reason: "r" }), { edited: [] });
        assert.ok(!marked.calls.some((c) => c.method === "createComment"));
        // Any other refusal is not taken for a deleted comment: it fails the step. GitHub's 403 to a token without the
        // permission, as github-script's RequestError carries it (xRiskLab/xBooster#12, peter-evans/create-or-update-comment#188).
        const refused = fakeGitHub(existing);
        refused.github.rest.issues.updateComment = async () => {
            throw refusal(403, "Resource not accessible by integration", {}, "https://docs.github.com/rest/issues/comments#update-an-issue-comment");
        };
        await assert.rejects(postComment({ github: refused.github, context: refused.context, body }), /Resource not accessible by integration/);
    });

    // GitHub's refusals as @octokit/request (actions/github-script v8 dist/index.js, fetchWrapper) rejects with them: a
    // RequestError named "HttpError" with `status`, the body's `message` as its message, and `response` with the
    // headers, their names lowercased.
    const refusal = (status: number, message: string, headers: Record<string, string>, documentation_url: string) =>
        Object.assign(new Error(message), { name: "HttpError", status, response: { status, headers, data: { message, documentation_url, status: String(status) } } });
    // A secondary rate limit, in GitHub's words with its `retry-after`: the message and documentation_url as quoted in
    // apache/devlake issue #1322, the request-ID sentence GitHub appends as in wjz304/Redpill_CustomBuild issue #52910;
    // retry-after and no x-ratelimit-* headers (GitHub docs, "Rate limits for the REST API", exceeding the secondary
    // rate limit); @octokit/plugin-throttling src/index.ts tells it by the message.
    const secondaryLimit = (retryAfter: string) =>
        refusal(
            403,
            "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID D24F:221686:28BC1:9F91F:69D56197.",
            { "retry-after": retryAfter },
            "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
        );
    // The token's primary limit spent, as REST answers it: `x-ratelimit-reset` in epoch seconds.
    // "API rate limit exceeded for installation ID <n>." is GitHub's message to an installation token (GITHUB_TOKEN),
    // as quoted in upptime/upptime issue #786 and bobheadxi/deployments issue #67.
    const primaryLimit = (reset: string) =>
        refusal(403, "API rate limit exceeded for installation ID 12345678.", { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset }, "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api");
    // A fake's call that GitHub refuses the first `times` times, each with a fresh `answer()`, and then answers as
    // `original` does; `onRefused` sees each refused call's arguments.
    const refusingFirst = <A extends unknown[], R>(times: number, answer: () => Error, original: (...args: A) => Promise<R>, onRefused?: (...args: A) => void) => {
        let refused = 0;
        return async (...args: A): Promise<R> => {
            if (refused++ < times) {
                onRefused?.(...args);
                throw answer();
            }
            return original(...args);
        };
    };
    // A pull request without comments whose createComment GitHub refuses the first `times` times with `answer()`.
    const creatingRefused = (times: number, answer: () => Error) => {
        const fake = fakeGitHub([]);
        fake.github.rest.issues.createComment = refusingFirst(times, answer, fake.github.rest.issues.createComment);
        return fake;
    };
    // An answer with GraphQL `errors` as @octokit/graphql rejects with it (github-script v8 dist/index.js
    // GraphqlResponseError): its message, `errors`, `data`, the answer's `headers`.
    const graphqlErrors = (errors: { type?: string; code?: string; message: string }[], headers: Record<string, string> = {}) =>
        Object.assign(new Error(`Request failed due to following response errors:\n${errors.map((e) => ` - ${e.message}`).join("\n")}`), { name: "GraphqlResponseError", headers, response: { data: null, errors }, errors, data: null });
    const fixedClock = () => {
        const waits: number[] = [];
        const logged: string[] = [];
        return { waits, logged, clock: { now: () => Date.UTC(2026, 0, 5, 12), sleep: async (ms: number) => void waits.push(ms), log: (line: string) => void logged.push(line) } };
    };

    // Before: github-script v8 builds its Octokit with plugin-retry off (its `retries` input defaults to 0) and no
    // throttling plugin, so a secondary rate limit on any of a run's calls failed the step and `preview result` with it.
    it("a rate limit GitHub says lifts soon is waited out once; a longer one fails the step naming the call and the wait", async () => {
        const body = `${commentMarker("dev")}\nnew dev`;
        const soon = fakeGitHub([]);
        soon.github.rest.issues.createComment = refusingFirst(1, () => secondaryLimit("60"), soon.github.rest.issues.createComment, (params) => void soon.calls.push({ method: "createComment", params }));
        const { waits, logged, clock } = fixedClock();
        assert.deepStrictEqual(await postComment({ github: soon.github, context: soon.context, body, clock }), { action: "created", id: 9001 });
        assert.deepStrictEqual(waits, [60_000]);
        assert.deepStrictEqual(logged, ["posting dev's comment on pull request 42: GitHub asks to wait 60 s (secondary rate limit); waiting, then asking once more"]);
        assert.deepStrictEqual(soon.calls.map((c) => c.method), ["listComments", "createComment", "createComment"]);

        // Longer than the step waits (the not-previewed job has 5 minutes): no wait, the step fails saying what to do.
        const later = fakeGitHub([{ id: 7, body: `${commentMarker("dev")}\nold dev`, user: bot }]);
        later.github.rest.issues.updateComment = async () => {
            throw secondaryLimit("900");
        };
        const longer = fixedClock();
        await assert.rejects(
            markNotPreviewed({ github: later.github, context: later.context, stack: "dev", headSha: "a".repeat(40), reason: "r", clock: longer.clock }),
            /^Error: editing comment 7: GitHub refused it for a secondary rate limit \(too many requests or comments in a short time\) and asks to wait 900 s, longer than this step still waits: re-run the job after that \(GitHub said: You have exceeded a secondary rate limit\./,
        );
        assert.deepStrictEqual(longer.waits, []);

        // The token's primary limit spent, on GraphQL: @octokit/graphql rejects an answer with `errors` as a
        // GraphqlResponseError (github-script v8 dist/index.js: its message, `errors`, `data`, the answer's `headers`);
        // GitHub's RATE_LIMITED error, with the reset as REST gives it (x-ratelimit-reset, epoch seconds).
        const spent = fakeGitHub([]);
        spent.github.graphql = async () => {
            const errors = [{ type: "RATE_LIMITED", message: "API rate limit exceeded for installation ID 12345678." }];
            const headers = { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(Date.UTC(2026, 0, 5, 12, 50) / 1000) };
            throw graphqlErrors(errors, headers);
        };
        const primary = fixedClock();
        await assert.rejects(
            postComment({ github: spent.github, context: spent.context, body, clock: primary.clock }),
            /^Error: asking GitHub which account the token is \(GraphQL viewer\): GitHub refused it for its API rate limit for this token and asks to wait 3001 s, longer than this step still waits: re-run the job after that/,
        );
        assert.deepStrictEqual(primary.waits, []);
    });

    // Before: GitHub's GraphQL primary limit typed RATE_LIMIT (not RATE_LIMITED) with points left in the headers failed
    // the step at once as "GitHub's GraphQL API answered with errors: RATE_LIMIT: ...", naming no wait.
    it("GraphQL's spent primary limit typed RATE_LIMIT, as GitHub also answers it, is waited out until its reset", async () => {
        // GitHub's answer as quoted in yanyongyu/githubkit issue #271 (and octokit/plugin-throttling.js issue #824); with
        // x-ratelimit-remaining not 0, as plugin-throttling.js#636 saw a GraphQL limit answered.
        // RATE_LIMITED, plugin-throttling's type, is told by its type alone too: not by x-ratelimit-remaining. Its message
        // is GitHub's REST words for an installation's spent limit (fountainhead/action-wait-for-check issue #29), no
        // GraphQL answer quoted in those words: only the type is matched.
        for (const [type, code, message] of [
            ["RATE_LIMIT", "graphql_rate_limit", "API rate limit already exceeded for user ID 41898282."],
            ["RATE_LIMITED", undefined, "API rate limit exceeded for installation ID 12345678."],
        ] as const) {
            const { github, context } = fakeGitHub([]);
            const limited = () =>
                graphqlErrors([{ type, ...(code ? { code } : {}), message }], {
                    "x-ratelimit-remaining": "1",
                    "x-ratelimit-reset": String(Date.UTC(2026, 0, 5, 12, 0, 30) / 1000),
                });
            github.graphql = refusingFirst(1, limited, github.graphql);
            const { waits, clock } = fixedClock();
            assert.deepStrictEqual(await postComment({ github, context, body: `${commentMarker("dev")}\nnew dev`, clock }), { action: "created", id: 9001 }, type);
            assert.deepStrictEqual(waits, [31_000], type);
        }
    });

    // The step waits WAIT_BUDGET_SECONDS at most, all calls together, and each call once. Before: a call refused again
    // after its wait failed the step saying the wait was "longer than this step still waits", which it was not.
    it("a run waits once per call and 180 s in all: a wait of all that is left is waited, a second refusal or a wait past it is not", async () => {
        const body = `${commentMarker("dev")}\nnew dev`;
        const whole = creatingRefused(1, () => secondaryLimit(String(WAIT_BUDGET_SECONDS)));
        const all = fixedClock();
        assert.deepStrictEqual(await postComment({ github: whole.github, context: whole.context, body, clock: all.clock }), { action: "created", id: 9001 });
        assert.deepStrictEqual(all.waits, [WAIT_BUDGET_SECONDS * 1000]);
        // A secondary limit that names no wait is waited 60 s; REST's spent primary limit until its reset, a second over.
        const unnamed = creatingRefused(1, () => secondaryLimit(""));
        const minute = fixedClock();
        assert.deepStrictEqual(await postComment({ github: unnamed.github, context: unnamed.context, body, clock: minute.clock }), { action: "created", id: 9001 });
        assert.deepStrictEqual(minute.waits, [60_000]);
        const primary = creatingRefused(1, () => primaryLimit(String(Date.UTC(2026, 0, 5, 12, 0, 30) / 1000)));
        const reset = fixedClock();
        assert.deepStrictEqual(await postComment({ github: primary.github, context: primary.context, body, clock: reset.clock }), { action: "created", id: 9001 });
        assert.deepStrictEqual(reset.waits, [31_000]);

        const twice = creatingRefused(2, () => secondaryLimit("60"));
        const again = fixedClock();
        await assert.rejects(
            postComment({ github: twice.github, context: twice.context, body, clock: again.clock }),
            /^Error: posting dev's comment on pull request 42: GitHub refused it for a secondary rate limit \(too many requests or comments in a short time\) and asks to wait 60 s, again after the step waited once for this call: re-run the job after that/,
        );
        assert.deepStrictEqual(again.waits, [60_000]);

        // The listing waited 120 s: the comment's 120 s more would pass the 180.
        const spent = creatingRefused(1, () => secondaryLimit("120"));
        spent.github.paginate = refusingFirst(1, () => secondaryLimit("120"), spent.github.paginate);
        const both = fixedClock();
        await assert.rejects(postComment({ github: spent.github, context: spent.context, body, clock: both.clock }), /^Error: posting dev's comment on pull request 42: .* asks to wait 120 s, longer than this step still waits/);
        assert.deepStrictEqual(both.waits, [120_000]);
    });

    // Before: Number() read `retry-after: -900` as a wait of -900 s that added 900 s to the step's budget, and a later
    // call then slept the 900 s GitHub asked, past the job's 5 minutes.
    it("a retry-after that is not a count of seconds is waited as one naming no wait, and never lengthens the step's wait", async () => {
        const body = `${commentMarker("dev")}\nnew dev`;
        const { github, context } = fakeGitHub([]);
        github.paginate = refusingFirst(1, () => secondaryLimit("-900"), github.paginate);
        github.rest.issues.createComment = refusingFirst(1, () => secondaryLimit("900"), github.rest.issues.createComment);
        const { waits, clock } = fixedClock();
        await assert.rejects(postComment({ github, context, body, clock }), /^Error: posting dev's comment on pull request 42: GitHub refused it for a secondary rate limit \(too many requests or comments in a short time\) and asks to wait 900 s, longer than this step still waits/);
        assert.deepStrictEqual(waits, [60_000]);
    });

    // @octokit/plugin-throttling (src/index.ts) waits `Number(retry-after) || 60` s for a secondary limit, so a
    // retry-after of 0 is a minute, and until max(ceil(reset - now) + 1, 0) s for a spent primary one, so a reset of 0
    // (past) is no wait. A retry-after of 13 digits is past what wholeSeconds reads as a count (12 digits at most).
    it("retry-after: 0 is waited 60 s as plugin-throttling does, 13 digits as naming no wait; x-ratelimit-reset: 0 is asked again at once", async () => {
        const body = `${commentMarker("dev")}\nnew dev`;
        for (const [what, answer, wait] of [
            ["retry-after: 0", secondaryLimit("0"), 60_000],
            ["retry-after of 13 digits", secondaryLimit("1000000000000"), 60_000],
            ["x-ratelimit-reset: 0", primaryLimit("0"), 0],
        ] as const) {
            const { github, context, calls } = creatingRefused(1, () => answer);
            const { waits, clock } = fixedClock();
            assert.deepStrictEqual(await postComment({ github, context, body, clock }), { action: "created", id: 9001 }, what);
            assert.deepStrictEqual(waits, [wait], what);
            assert.deepStrictEqual(calls.map((c) => c.method), ["listComments", "createComment"], what);
        }
    });

    // Before: the step failed with github-script's "Unhandled error: HttpError: Resource not accessible by integration",
    // naming neither the call nor the permission.
    it("a token without the permission fails the step naming the call, the permission GitHub accepts and where to grant it", async () => {
        const { github, context } = fakeGitHub([]);
        // GitHub's answer to GITHUB_TOKEN without the permission, with the permissions it would accept (GitHub changelog
        // 2023-08-10 "X-Accepted-GitHub-Permissions header"; github-script v7's log of createComment's 403 quoted in
        // prnceb/hello-world shows 'issues=write; pull_requests=write').
        github.rest.issues.createComment = async () => {
            throw refusal(403, "Resource not accessible by integration", { "x-accepted-github-permissions": "issues=write; pull_requests=write" }, "https://docs.github.com/rest/issues/comments#create-an-issue-comment");
        };
        await assert.rejects(
            postComment({ github, context, body: `${commentMarker("prod")}\nnew prod` }),
            /^Error: posting prod's comment on pull request 42: GitHub refused the job's token with 403 "Resource not accessible by integration": the call needs issues: write or pull-requests: write\. The job's `permissions:` in \.github\/workflows\/preview\.yml must grant `pull-requests: write`/,
        );
    });

    // GitHub's GraphQL answer to a query that failed on its side: its words as quoted in gitkraken/vscode-gitlens issue
    // #3298 and my-badges/my-badges issue #72 (there with HTTP 502, here in the 200 form and the 502 form below); the 502's
    // whole body, `{"data": null, "errors": [{"message": "Something went wrong ..."}]}`, as apache/devlake issue #4349 logs it.
    const somethingWentWrong = [{ message: "Something went wrong while executing your query. This may be the result of a timeout, or it could be a GitHub bug. Please include `0400:3C8A:1B2F3C:1C3D4E:6790A1B2` when reporting this issue." }];
    // A 5xx as @octokit/request 8.1.1 (github-script v8.0.0 dist/index.js, fetchWrapper and toErrorMessage) rejects with
    // it: an HttpError whose message is a text body whole, the body's `message` (and its `errors` as JSON, when a list),
    // or "Unknown error: " and the body as JSON when it has no `message`.
    const toErrorMessage = (data: object | string) =>
        typeof data === "string"
            ? data
            : "message" in data
              ? `${data.message}${"errors" in data && Array.isArray(data.errors) ? `: ${data.errors.map((e) => JSON.stringify(e)).join(", ")}` : ""}`
              : `Unknown error: ${JSON.stringify(data)}`;
    const serverError = (status: number, data: object | string) =>
        Object.assign(new Error(toErrorMessage(data)), { name: "HttpError", status, response: { url: "https://api.github.com/graphql", status, headers: {}, data } });
    // GitHub's REST 5xx bodies: a 502's as octokit/request.js issue #589 logs it (application/json, 32 bytes); a 503's as
    // taskcluster/taskcluster-github issue #96 quotes it.
    const restServerError = { message: "Server Error" };
    const restUnavailable = { message: "No server is currently available to service your request. Sorry about that. Please try resubmitting your request and contact us if the problem persists." };
    // A request that got no answer: 8.1.1's fetchWrapper catch makes undici's TypeError "fetch failed" an HttpError of
    // status 500 with no `response` (later @octokit/request versions put the TypeError's cause's message there instead).
    const noAnswer = () => Object.assign(new Error("fetch failed"), { name: "HttpError", status: 500 });
    const viewerFailed = /^Error: asking GitHub which account the token is \(GraphQL viewer\): /;

    // Before: "Request failed due to following response errors: - Something went wrong ...", naming no call, and the
    // 502 form as github-script's "HttpError: Unknown error: {"data":null,...}", naming no call nor what to do.
    it("GitHub failing on its side fails the step naming the call, that GitHub failed, what it said and to re-run", async () => {
        for (const [form, answer, failure] of [
            ["GraphQL errors in a 200", () => graphqlErrors(somethingWentWrong), "GitHub's GraphQL API failed on its side"],
            ["HTTP 502", () => serverError(502, { data: null, errors: somethingWentWrong }), "GitHub answered HTTP 502, a failure on its side"],
            ["HTTP 500", () => serverError(500, { data: null, errors: somethingWentWrong }), "GitHub answered HTTP 500, a failure on its side"],
        ] as const) {
            const { github, context, calls } = fakeGitHub([]);
            github.graphql = async () => {
                throw answer();
            };
            const { waits, clock } = fixedClock();
            const failed = await postComment({ github, context, body: `${commentMarker("dev")}\n`, clock }).catch((error: Error) => error);
            assert.match(String(failed), viewerFailed, form);
            assert.ok(
                String(failed).endsWith(
                    `${failure} (not a fault in this step's request), also when asked 3 more times: re-run the job (https://www.githubstatus.com says whether GitHub has an incident) (GitHub said: ${somethingWentWrong[0].message})`,
                ),
                `${form}: ${failed}`,
            );
            assert.strictEqual((failed as any).cause?.name, form.startsWith("HTTP") ? "HttpError" : "GraphqlResponseError", form);
            assert.deepStrictEqual(waits, [1_000, 4_000, 9_000], form);
            assert.ok(!calls.some((c) => c.method === "createComment" || c.method === "updateComment"), form);
        }
    });

    // Before: the page's whole HTML was quoted as GitHub's words.
    it("a 502 answered with a proxy's HTML page is quoted by its title", async () => {
        const { github, context } = fakeGitHub([]);
        // nginx's page for a GraphQL 502, as turbot/steampipe-plugin-github issue #518 and eelmafia/octopus-minmax issue
        // #109 quote it; @octokit/request's toErrorMessage makes a text body the HttpError's whole message.
        const page = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
        github.graphql = async () => {
            throw serverError(502, page);
        };
        const failed = await postComment({ github, context, body: `${commentMarker("dev")}\n`, clock: fixedClock().clock }).catch((error: Error) => error);
        assert.match(String(failed), viewerFailed);
        assert.ok(String(failed).endsWith(`also when asked 3 more times: re-run the job (https://www.githubstatus.com says whether GitHub has an incident) (GitHub said: an HTML page titled "502 Bad Gateway")`), String(failed));
    });

    // Before: any 5xx or dropped connection on a read failed the step at once (github-script switches plugin-retry off).
    it("a read or an edit GitHub failed on its side is asked again, as plugin-retry would; posting a comment is not, and says a re-run is safe", async () => {
        const body = `${commentMarker("dev")}\nnew dev`;
        const { github, context, calls } = fakeGitHub([{ id: 7, body: `${commentMarker("dev")}\nold dev`, user: bot }]);
        github.graphql = refusingFirst(1, () => serverError(502, { data: null, errors: somethingWentWrong }), github.graphql);
        github.paginate = refusingFirst(2, noAnswer, github.paginate);
        github.rest.pulls.get = refusingFirst(1, () => serverError(503, restUnavailable), github.rest.pulls.get);
        const { waits, logged, clock } = fixedClock();
        assert.deepStrictEqual(await postComment({ github, context, body, clock }), { action: "updated", id: 7 });
        assert.deepStrictEqual(waits.sort(), [1_000, 1_000, 1_000, 4_000].sort());
        assert.ok(logged.includes("listing pull request 42's comments: no answer came from GitHub; asking again in 4 s"), logged.join("\n"));
        assert.deepStrictEqual(calls.map((c) => c.method), ["listComments", "updateComment"]);

        // A createComment GitHub failed may have posted the comment: it is not made again.
        const creating = creatingRefused(1, () => serverError(502, restServerError));
        const once = fixedClock();
        await assert.rejects(
            postComment({ github: creating.github, context: creating.context, body, clock: once.clock }),
            /^Error: posting dev's comment on pull request 42: GitHub answered HTTP 502, a failure on its side \(not a fault in this step's request\): re-run the job: whether GitHub made the change cannot be told, and the re-run edits the stack's comment if it was posted \(GitHub said: Server Error\)$/,
        );
        assert.deepStrictEqual(once.waits, []);
        assert.deepStrictEqual(creating.calls.map((c) => c.method), ["listComments"]);

        // Before: an edit GitHub failed stopped the step at once. It sets the whole body, so making it again changes
        // nothing more: it is asked again as a read is (1 and 4 s), and edits the comment.
        const editing = fakeGitHub([{ id: 7, body: `${commentMarker("dev")}\nold dev`, user: bot }]);
        const refusedEdits: number[] = [];
        editing.github.rest.issues.updateComment = refusingFirst(
            2,
            () => (refusedEdits.length === 1 ? serverError(502, restServerError) : noAnswer()),
            editing.github.rest.issues.updateComment,
            (params: any) => void refusedEdits.push(params.comment_id),
        );
        const edited = fixedClock();
        assert.deepStrictEqual(await postComment({ github: editing.github, context: editing.context, body, clock: edited.clock }), { action: "updated", id: 7 });
        assert.deepStrictEqual(edited.waits, [1_000, 4_000]);
        assert.deepStrictEqual(refusedEdits, [7, 7]);
        assert.deepStrictEqual(editing.calls.map((c) => c.method), ["listComments", "updateComment"]);
        assert.ok(edited.logged.includes("editing comment 7: GitHub answered HTTP 502, a failure on its side; asking again in 1 s"), edited.logged.join("\n"));
    });

    // A read is asked again only within what is left of the step's wait: reading the head waited 179 s for a rate limit,
    // so the listing is asked again after 1 s, all that was left, and not after 4 more.
    it("a read GitHub failed on its side is not asked again past the step's wait budget", async () => {
        const { github, context } = fakeGitHub([]);
        github.rest.pulls.get = refusingFirst(1, () => secondaryLimit(String(WAIT_BUDGET_SECONDS - 1)), github.rest.pulls.get);
        github.paginate = refusingFirst(2, noAnswer, github.paginate);
        const { waits, clock } = fixedClock();
        await assert.rejects(
            postComment({ github, context, body: `${commentMarker("dev")}\n`, clock }),
            /^Error: listing pull request 42's comments: no answer came from GitHub \(not a fault in this step's request\), also when asked 1 more time: re-run the job .*\(GitHub said: fetch failed\)$/,
        );
        assert.deepStrictEqual(waits, [179_000, 1_000]);
    });

    // The waits after GitHub's failures count against the same budget as a rate limit's: reading the head was asked again
    // after 1, 4 and 9 s, so a rate limit on the listing that lifts within 180 s but not within the 166 s left is not waited.
    it("a read asked again after GitHub failed spends the step's wait budget, which a later rate limit's wait then lacks", async () => {
        const { github, context } = fakeGitHub([]);
        github.rest.pulls.get = refusingFirst(READ_RETRIES, () => serverError(503, restUnavailable), github.rest.pulls.get);
        github.paginate = refusingFirst(1, () => secondaryLimit(String(WAIT_BUDGET_SECONDS - 13)), github.paginate);
        const { waits, clock } = fixedClock();
        await assert.rejects(
            postComment({ github, context, body: `${commentMarker("dev")}\n`, clock }),
            /^Error: listing pull request 42's comments: GitHub refused it for a secondary rate limit .* asks to wait 167 s, longer than this step still waits: re-run the job after that/,
        );
        assert.deepStrictEqual(waits, [1_000, 4_000, 9_000]);
    });

    // Before: "TypeError: Cannot read properties of null (reading 'message')", naming no call.
    it("GraphQL errors octokit cannot read fail the step naming the call, with octokit's TypeError as the cause", async () => {
        const { github, context, calls } = fakeGitHub([]);
        // An answer whose `errors` holds null: @octokit/graphql (src/graphql.ts) builds a GraphqlResponseError for any
        // truthy `errors`, and its message (src/error.ts _buildMessageForResponseErrors) maps each entry's `message`,
        // throwing V8's TypeError before a GraphqlResponseError exists. Thrown here by that same expression.
        const buildMessage = (errors: any): string => `Request failed due to following response errors:\n${errors.map((e: any) => ` - ${e.message}`).join("\n")}`;
        github.graphql = async () => {
            throw new Error(buildMessage([null]));
        };
        const failure = await postComment({ github, context, body: `${commentMarker("dev")}\n` }).catch((error: Error) => error);
        assert.match(String(failure), /^Error: asking GitHub which account the token is \(GraphQL viewer\): the GitHub client failed with TypeError: Cannot read properties of null \(reading 'message'\)$/);
        assert.ok(failure.cause instanceof TypeError, String(failure.cause));
        assert.ok(!calls.some((c) => c.method === "createComment" || c.method === "updateComment"));
    });

    // Before: a pulls.get answer without head.sha skipped the newer-head check and posted; a null among the listed
    // comments was a TypeError; a viewer without a login took a deleted account's comment (`user` null) for ours.
    it("an answer without what the step reads from it fails the step naming the call and the answer, and changes nothing", async () => {
        const body = `${commentMarker("dev")}\nnew dev`;
        const headless = fakeGitHub([]);
        headless.github.rest.pulls.get = async () => ({ status: 200, data: { number: 42 } }) as any;
        await assert.rejects(postComment({ github: headless.github, context: headless.context, body }), /^Error: reading pull request 42's head: GitHub's answer has no head\.sha: \{"number":42\}$/);
        const holed = fakeGitHub([null as any, { id: 7, body: `${commentMarker("dev")}\nold dev`, user: bot }]);
        await assert.rejects(postComment({ github: holed.github, context: holed.context, body }), /^Error: listing pull request 42's comments: GitHub's answer has no comment at 0: null$/);
        const ghost = fakeGitHub([{ id: 3, body: `${commentMarker("dev")}\nquoted by someone since deleted`, user: null as any }]);
        ghost.github.graphql = async () => ({ viewer: {} }) as any;
        await assert.rejects(postComment({ github: ghost.github, context: ghost.context, body }), /^Error: asking GitHub which account the token is \(GraphQL viewer\): GitHub's answer has no viewer\.login: \{"viewer":\{\}\}$/);
        // A comment that is not an object (a number), a head that is not a SHA (41 characters), a created comment whose
        // id is not a number ("9"): each refused, not skipped, taken for a newer head or returned.
        const numbered = fakeGitHub([7 as any]);
        await assert.rejects(postComment({ github: numbered.github, context: numbered.context, body }), /^Error: listing pull request 42's comments: GitHub's answer has no comment at 0: 7$/, "a comment that is a number");
        const longHead = fakeGitHub([], "a".repeat(41));
        await assert.rejects(postComment({ github: longHead.github, context: longHead.context, body }), /^Error: reading pull request 42's head: GitHub's answer has no head\.sha: \{"number":42,"head":\{"sha":"a{41}"\}\}$/, "a head of 41 characters");
        const stringId = fakeGitHub([]);
        const create = stringId.github.rest.issues.createComment;
        stringId.github.rest.issues.createComment = async (params: any) => ({ ...(await create(params)), data: { id: "9", body: params.body } }) as any;
        await assert.rejects(postComment({ github: stringId.github, context: stringId.context, body }), /^Error: posting dev's comment on pull request 42: GitHub's answer has no id of the comment posted: \{"id":"9",/, "a created comment whose id is \"9\"");
        for (const { calls } of [headless, holed, ghost, numbered, longHead]) assert.ok(!calls.some((c) => c.method === "createComment" || c.method === "updateComment"), JSON.stringify(calls.map((c) => c.method)));
    });

    // The rendering's cap (GITHUB_COMMENT_LIMIT) counts UTF-16 code units; GitHub counts UTF-8 bytes. A unit is at most
    // 3 bytes (a 4-byte character is 2 units), so a body at the cap is at most 196,608 bytes, under GitHub's 262,144.
    it("a body at the comment's limit posts whatever its characters, and GitHub's 422 for a longer one fails the step", async () => {
        const marker = `${commentMarker("dev")}\n`;
        for (const fill of ["x", "€", "🌈"]) {
            const body = marker + fill.repeat(Math.floor((GITHUB_COMMENT_LIMIT - marker.length) / fill.length));
            const { github, context } = fakeGitHub([]);
            assert.deepStrictEqual(await postComment({ github, context, body }), { action: "created", id: 9001 }, `${fill}: ${body.length} units, ${Buffer.byteLength(body)} bytes`);
        }
        const { github, context } = fakeGitHub([]);
        await assert.rejects(postComment({ github, context, body: marker + "€".repeat(87_382) }), /^HttpError: Validation Failed: .*"Body is too long \(maximum is 65536 characters\)"/);
    });

    // A repository in SHA-256 object format names its commits with 64 hex digits (git's hash-function-transition.txt).
    it("a pull request whose head is a 64-digit SHA-256 commit is posted to", async () => {
        const head = "b".repeat(64);
        const { github, context } = fakeGitHub([], head);
        context.payload.pull_request.head.sha = head;
        assert.deepStrictEqual(await postComment({ github, context, body: `${commentMarker("dev")}\nnew dev` }), { action: "created", id: 9001 });
    });

    // Two runs of one pull request's preview: job-level concurrency does not order them by push, and a re-run of an older
    // run enters the group last and cancels the newer one (cancel-in-progress). The older run must not overwrite the
    // head commit's comment with its own preview.
    it("a run whose commit is no longer the pull request's head edits and creates nothing", async () => {
        const newer = "b".repeat(40);
        const existing = [{ id: 7, body: `${commentMarker("dev")}\n## Preview of \`dev\` at bbbbbbb`, user: bot }];
        const stale = fakeGitHub(existing, newer);
        assert.deepStrictEqual(await postComment({ github: stale.github, context: stale.context, body: `${commentMarker("dev")}\n## Preview of \`dev\` at aaaaaaa\n` }), { action: "skipped", head: newer });
        assert.deepStrictEqual(await markNotPreviewed({ github: stale.github, context: stale.context, stack: "dev", headSha: "a".repeat(40), reason: "r" }), { edited: [], head: newer });
        assert.ok(!stale.calls.some((c) => c.method === "updateComment" || c.method === "createComment"), JSON.stringify(stale.calls.map((c) => c.method)));
    });
});
