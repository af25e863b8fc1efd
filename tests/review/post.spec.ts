import * as assert from "assert";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { postComment } = require("../../review/comment/post.js");
import { commentMarker } from "../../review/comment/render";

/**
 * actions/github-script's `github` (an Octokit) and `context`, answering as GitHub's REST API does
 * (docs.github.com/rest/issues/comments: list returns comments with `id`, `body`, `user.login`, `user.type`; create
 * answers 201 with the new comment as `data`). Calls are recorded.
 */
function fakeGitHub(existing: { id: number; body: string; user: { login: string; type: string } }[]) {
    const calls: { method: string; params: any }[] = [];
    const listComments = async (params: any) => ({ status: 200, data: existing, params });
    const github = {
        paginate: async (method: unknown, params: any) => {
            assert.strictEqual(method, listComments);
            calls.push({ method: "listComments", params });
            return existing;
        },
        rest: {
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
    const context = { repo: { owner: "my-github-org", repo: "multicloud-service" }, payload: { pull_request: { number: 42 } } };
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
});
