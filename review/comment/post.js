// @ts-check
/**
 * Posts a stack's comment on the pull request, or edits the one posted before: found by the hidden marker the body
 * starts with (review/comment/render.ts commentMarker), among comments by a bot (the workflow's GITHUB_TOKEN posts
 * as github-actions[bot]). preview.yml calls it from actions/github-script with its `github` and `context`.
 */
"use strict";

/**
 * @param {{ github: any, context: any, body: string }} args
 * @returns {Promise<{ action: "created" | "updated", id: number }>}
 */
async function postComment({ github, context, body }) {
    const marker = body.split("\n", 1)[0];
    if (!/^<!-- multicloud-service:preview:[A-Za-z0-9_.-]+ -->$/.test(marker)) {
        throw new Error(`the comment body does not start with its stack's marker (got ${JSON.stringify(marker.slice(0, 80))})`);
    }
    const issue_number = context.payload.pull_request?.number;
    if (!issue_number) throw new Error("not a pull_request event: there is no pull request to comment on");
    const { owner, repo } = context.repo;
    const comments = await github.paginate(github.rest.issues.listComments, { owner, repo, issue_number, per_page: 100 });
    // A body edited in GitHub's web editor comes back with CRLF line ends.
    const previous = comments.find((/** @type {any} */ c) => c.user?.type === "Bot" && typeof c.body === "string" && c.body.split(/\r?\n/, 1)[0] === marker);
    if (previous) {
        await github.rest.issues.updateComment({ owner, repo, comment_id: previous.id, body });
        return { action: "updated", id: previous.id };
    }
    const created = await github.rest.issues.createComment({ owner, repo, issue_number, body });
    return { action: "created", id: created.data.id };
}

module.exports = { postComment };
