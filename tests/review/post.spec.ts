import * as assert from "assert";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { postComment, markNotPreviewed } = require("../../review/comment/post.js");
import { commentMarker } from "../../review/comment/render";

/**
 * actions/github-script's `github` (an Octokit) and `context`, answering as GitHub's REST API does
 * (docs.github.com/rest/issues/comments: list returns comments with `id`, `body`, `user.login`, `user.type`; create
 * answers 201 with the new comment as `data`). Calls are recorded.
 */
function fakeGitHub(existing: { id: number; body: string; user: { login: string; type: string } }[], headNow = "a".repeat(40)) {
    const calls: { method: string; params: any }[] = [];
    const listComments = async (params: any) => ({ status: 200, data: existing, params });
    const github = {
        paginate: async (method: unknown, params: any) => {
            assert.strictEqual(method, listComments);
            calls.push({ method: "listComments", params });
            return existing;
        },
        rest: {
            // pulls.get answers the pull request as it is now (docs.github.com/rest/pulls/pulls#get-a-pull-request: head.sha).
            pulls: {
                get: async (params: any) => {
                    return { status: 200, data: { number: params.pull_number, head: { sha: headNow } } };
                },
            },
            issues: {
                listComments,
                updateComment: async (params: any) => {
                    calls.push({ method: "updateComment", params });
                    return { status: 200, data: { id: params.comment_id, body: params.body } };
                },
                createComment: async (params: any) => {
                    calls.push({ method: "createComment", params });
                    return { status: 201, data: { id: 9001, body: params.body } };
                },
            },
        },
    };
    const context = { repo: { owner: "my-github-org", repo: "multicloud-service" }, payload: { pull_request: { number: 42, head: { sha: "a".repeat(40) } } } };
    return { github, context, calls };
}

const bot = { login: "github-actions[bot]", type: "Bot" };

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
