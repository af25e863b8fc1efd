// @ts-check
/**
 * Posts a stack's comment on the pull request, or edits the one posted before: found by the hidden marker the body
 * starts with (review/comment/render.ts commentMarker), among the comments of the account the token speaks for (the
 * workflow's GITHUB_TOKEN posts as github-actions[bot]). preview.yml calls it from actions/github-script with its
 * `github` and `context`.
 */
"use strict";
const { githubCaller } = require("./githubCalls");

/** A stack's marker line (review/comment/render.ts commentMarker), the stack captured. */
const MARKER = /^<!-- multicloud-service:preview:([A-Za-z0-9_.-]+) -->$/;

/**
 * The login of the account the token speaks for: only its own comments are ours to edit. Any bot's would not do (another
 * app's comment quoting a marker, listed first, would be picked and ours never edited), nor the fixed
 * github-actions[bot]: a GitHub App's or a person's token in the workflow would then never find its own comments
 * (MishaKav/jest-coverage-comment#83). GraphQL's `viewer`, because REST's GET /user refuses an installation token such
 * as GITHUB_TOKEN with 403 "Resource not accessible by integration" (actions/create-github-app-token#258); its login
 * is the REST comment's `user.login`, "github-actions[bot]" for GITHUB_TOKEN (marocchino/sticky-pull-request-comment
 * #332 matched them so, src/comment.ts findPreviousComment). `performed_via_github_app` is no help: the REST schema
 * makes it nullable, and a person's token has no app.
 * @param {any} github
 * @param {ReturnType<typeof githubCaller>} ask
 * @returns {Promise<string>}
 */
async function tokenLogin(github, ask) {
    const what = "asking GitHub which account the token is (GraphQL viewer)";
    const answer = await ask(what, () => github.graphql("query { viewer { login } }"), { read: true });
    const login = answer?.viewer?.login;
    // Without a login, a comment whose `user` is null (the REST schema's nullable-simple-user) would pass for ours.
    if (typeof login !== "string" || !login) throw unreadableAnswer(what, "no viewer.login", answer);
    return login;
}

/** GitHub's answer to `what` without what the step reads from it: named, rather than a TypeError or a wrong guess. */
function unreadableAnswer(/** @type {string} */ what, /** @type {string} */ missing, /** @type {unknown} */ answer) {
    const json = JSON.stringify(answer) ?? "undefined";
    return new Error(`${what}: GitHub's answer has ${missing}: ${json.length > 200 ? `${json.slice(0, 197)}...` : json}`);
}

/**
 * The pull request's comments the token's own account posted with a stack's marker, each with its stack.
 * @param {{ github: any, context: any, ask: ReturnType<typeof githubCaller> }} args
 * @returns {Promise<{ id: number, stack: string, body: string }[]>}
 */
async function stackComments({ github, context, ask }) {
    const issue_number = context.payload.pull_request?.number;
    if (!issue_number) throw new Error("not a pull_request event: there is no pull request to comment on");
    const { owner, repo } = context.repo;
    const listing = `listing pull request ${issue_number}'s comments`;
    const [login, comments] = await Promise.all([
        tokenLogin(github, ask),
        ask(listing, () => github.paginate(github.rest.issues.listComments, { owner, repo, issue_number, per_page: 100 }), { read: true }),
    ]);
    if (!Array.isArray(comments)) throw unreadableAnswer(listing, "no list of comments", comments);
    return comments.flatMap((/** @type {any} */ c, /** @type {number} */ i) => {
        if (typeof c !== "object" || c === null) throw unreadableAnswer(listing, `no comment at ${i}`, c);
        if (c.user?.login !== login || typeof c.body !== "string") return [];
        // A body edited in GitHub's web editor comes back with CRLF line ends.
        const stack = MARKER.exec(c.body.split(/\r?\n/, 1)[0])?.[1];
        if (!stack) return [];
        if (!Number.isSafeInteger(c.id)) throw unreadableAnswer(listing, `no id for ${stack}'s comment`, c);
        return [{ id: c.id, stack, body: c.body }];
    });
}

/**
 * Whether this run's commit is still the pull request's head. The preview job's concurrency is per job, so GitHub does
 * not order it by push (a re-run of an older run, or an older run's `changes` job finishing later, enters the group
 * after the newer one and, with cancel-in-progress, cancels it): a run for a commit that is no longer the head must not
 * overwrite the newer commit's comment. Asked of GitHub now (pulls.get), not of the event payload.
 * @param {{ github: any, context: any, ask: ReturnType<typeof githubCaller> }} args
 * @returns {Promise<string | undefined>} the current head when it is another commit
 */
async function newerHead({ github, context, ask }) {
    const ours = context.payload.pull_request?.head?.sha;
    if (!ours) return undefined;
    const { owner, repo } = context.repo;
    const pull_number = context.payload.pull_request.number;
    const what = `reading pull request ${pull_number}'s head`;
    const answer = await ask(what, () => github.rest.pulls.get({ owner, repo, pull_number }), { read: true });
    const head = answer?.data?.head?.sha;
    // Without it, whether a newer commit's comment would be overwritten cannot be told.
    if (typeof head !== "string" || !/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(head)) throw unreadableAnswer(what, "no head.sha", answer?.data);
    return head !== ours ? head : undefined;
}

/**
 * Edits a comment; false when GitHub answers 404 {"message":"Not Found"}, the comment deleted since it was listed
 * (redis/redis-benchmarks-specification#252 quotes that answer to an edit; octokit rejects with a RequestError whose
 * `status` is 404). Any other refusal is thrown.
 * @param {{ github: any, ask: ReturnType<typeof githubCaller>, owner: string, repo: string, comment_id: number, body: string }} args
 * @returns {Promise<boolean>}
 */
async function editIfStillThere({ github, ask, owner, repo, comment_id, body }) {
    try {
        // The edit sets the whole body: made twice, it leaves the comment as made once, so it is asked again as a read is.
        await ask(`editing comment ${comment_id}`, () => github.rest.issues.updateComment({ owner, repo, comment_id, body }), { idempotent: true });
        return true;
    } catch (error) {
        if (/** @type {any} */ (error)?.status === 404) return false;
        throw error;
    }
}

/**
 * @param {{ github: any, context: any, body: string, clock?: Parameters<typeof githubCaller>[0] }} args clock: how a
 *   rate limit is waited out (githubCalls.js), real time unless a test gives its own
 * @returns {Promise<{ action: "created" | "updated" | "skipped", id?: number, head?: string }>}
 */
async function postComment({ github, context, body, clock }) {
    const marker = body.split("\n", 1)[0];
    const stack = MARKER.exec(marker)?.[1];
    if (!stack) {
        throw new Error(`the comment body does not start with its stack's marker (got ${JSON.stringify(marker.slice(0, 80))})`);
    }
    const issue_number = context.payload.pull_request?.number;
    const { owner, repo } = context.repo;
    const ask = githubCaller(clock);
    const head = await newerHead({ github, context, ask });
    if (head) return { action: "skipped", head };
    const previous = (await stackComments({ github, context, ask })).find((c) => c.stack === stack);
    // A comment deleted since it was listed is posted again, as on the first run.
    if (previous && (await editIfStillThere({ github, ask, owner, repo, comment_id: previous.id, body }))) {
        return { action: "updated", id: previous.id };
    }
    const posting = `posting ${stack}'s comment on pull request ${issue_number}`;
    const created = await ask(posting, () => github.rest.issues.createComment({ owner, repo, issue_number, body }));
    if (!Number.isSafeInteger(created?.data?.id)) throw unreadableAnswer(posting, "no id of the comment posted", created?.data);
    return { action: "created", id: created.data.id };
}

/**
 * A push after which the pull request changes no file the deployment is made from (it reverted its program change) is
 * not previewed (scripts/ci/previewDecision.js): each stack's comment from an earlier push would go on showing that
 * change, its IAM grants and its cost. Each is edited to say so; none is created where no preview was ever posted.
 * The earlier preview stays in the comment's edit history.
 * @param {{ github: any, context: any, stack: string, headSha: string, reason: string, clock?: Parameters<typeof githubCaller>[0] }} args
 * @returns {Promise<{ edited: number[], head?: string }>} the comments edited; none, and the pull request's head, when
 *   this run's commit is no longer it (newerHead)
 */
async function markNotPreviewed({ github, context, stack, headSha, reason, clock }) {
    if (!/^[0-9a-f]{7,40}$/.test(headSha)) throw new Error(`not a commit SHA: ${JSON.stringify(headSha)}`);
    const { owner, repo } = context.repo;
    const ask = githubCaller(clock);
    const head = await newerHead({ github, context, ask });
    if (head) return { edited: [], head };
    const edited = [];
    for (const comment of (await stackComments({ github, context, ask })).filter((c) => c.stack === stack)) {
        const body = [
            `<!-- multicloud-service:preview:${comment.stack} -->`,
            `## Preview of \`${comment.stack}\` at ${headSha.slice(0, 7)}`,
            "",
            `Not previewed: ${reason}.`,
            "",
            "The preview this comment showed for an earlier push no longer applies: as it stands, this pull request deploys what the base does. It is in this comment's edit history.",
            "",
        ].join("\n");
        if (comment.body.replace(/\r\n/g, "\n") === body) continue;
        // One deleted since it was listed shows no earlier preview any more: nothing to mark, and none is created.
        if (await editIfStillThere({ github, ask, owner, repo, comment_id: comment.id, body })) edited.push(comment.id);
    }
    return { edited };
}

module.exports = { postComment, markNotPreviewed };
