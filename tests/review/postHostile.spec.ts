import * as assert from "assert";
import * as fc from "fast-check";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { postComment } = require("../../review/comment/post.js");

/**
 * GitHub's answers to the comment poster (post.js), generated hostile: the step posts, or fails with its own error
 * naming the call and the answer, never a TypeError.
 */
const RUNS = 150;
const anyJson = fc.jsonValue({ maxDepth: 3 });

describe("hostile GitHub answers to the comment poster (property-based)", () => {
    it(`GitHub: ${RUNS} generated answers to the comment poster post or fail naming the call`, async () => {
        const marker = "<!-- multicloud-service:preview:dev -->";
        const comment = fc.oneof(anyJson, fc.record({ id: fc.oneof(fc.nat(), anyJson), body: fc.oneof(fc.constant(`${marker}\nold`), anyJson), user: fc.oneof(fc.constant({ login: "github-actions[bot]" }), anyJson) }, { requiredKeys: [] }));
        const answers = fc.record({
            viewer: fc.oneof(fc.constant({ viewer: { login: "github-actions[bot]" } }), anyJson),
            comments: fc.oneof(fc.array(comment, { maxLength: 4 }), anyJson),
            pull: fc.oneof(fc.constant({ data: { head: { sha: "a".repeat(40) } } }), fc.record({ data: anyJson }), anyJson),
            created: fc.oneof(fc.constant({ data: { id: 9 } }), fc.record({ data: anyJson }), anyJson),
        });
        await fc.assert(
            fc.asyncProperty(answers, async (a) => {
                const github = {
                    graphql: async () => a.viewer,
                    paginate: async () => a.comments,
                    rest: { pulls: { get: async () => a.pull }, issues: { listComments: {}, updateComment: async () => ({ data: {} }), createComment: async () => a.created } },
                };
                const context = { repo: { owner: "o", repo: "r" }, payload: { pull_request: { number: 42, head: { sha: "a".repeat(40) } } } };
                try {
                    const result = await postComment({ github, context, body: `${marker}\nnew` });
                    assert.ok(Number.isSafeInteger(result.id), JSON.stringify(result));
                } catch (error) {
                    assert.ok(!(error instanceof TypeError), String(error));
                    assert.match(String(error), /^Error: (asking GitHub which account the token is \(GraphQL viewer\)|listing pull request 42's comments|reading pull request 42's head|posting dev's comment on pull request 42): GitHub's answer has /);
                }
            }),
            { numRuns: RUNS },
        );
    });
});
