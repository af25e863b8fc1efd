import { workflowTriggers } from "./workflowFiles";

/**
 * image.yml's triggers. The image identities (deployments/awsOidc.ts and gcpOidc.ts, image-dev) take a token with the
 * branch's push subject, `<prefix>:ref:refs/heads/<branch>`, from image.yml on that branch (its job_workflow_ref), and
 * check nothing else: a run of image.yml by any event whose ref is the branch carries both (GitHub docs, "OpenID
 * Connect reference" and "Events that trigger workflows": issue_comment, schedule, repository_dispatch, workflow_run
 * and pull_request_target run on the default branch; a workflow_call job names the called file as its
 * job_workflow_ref under its caller's subject). So image.yml keeps exactly its two: a push to the branch, and a run by
 * hand (which the job's `if` confines to the branch).
 */
export function imageTriggerProblems(on: unknown, branch: string): string[] {
    const triggers = workflowTriggers(on);
    const identity =
        `carries image.yml's job_workflow_ref and, on ${branch}, the push's subject (ref:refs/heads/${branch}): all that image-dev's AWS role and Google account check, ` +
        "so it would push to dev's registries and sign with the key prod verifies";
    const problems = Object.keys(triggers)
        .filter((event) => event !== "push" && event !== "workflow_dispatch")
        .map((event) => `.github/workflows/image.yml: on.${event}: a run of image.yml by ${event} ${identity}; image.yml runs on push to ${branch} and workflow_dispatch only`);
    const push = triggers.push as { branches?: unknown } | null | undefined;
    const pushOnBranch = push !== null && typeof push === "object" && Object.keys(push).length === 1 && JSON.stringify(push.branches) === JSON.stringify([branch]);
    if (!pushOnBranch) problems.push(`.github/workflows/image.yml: on.push is ${JSON.stringify(push)}, not { branches: [${branch}] }: dev's \`up\` waits for the image a push to ${branch} builds, and a tag's or another branch's push builds nothing it takes`);
    if (!("workflow_dispatch" in triggers)) problems.push(".github/workflows/image.yml: no on.workflow_dispatch: docs/images.md's setup runs it by hand (`gh workflow run image.yml`) once dev's registries exist");
    return problems;
}
