/**
 * The workflow whose provenance a stack accepts (`image.verify.workflow`) must be this repository's image.yml on its
 * branch: the workflow that builds, signs and attests the images (.github/workflows/image.yml). A stack file left with
 * another repository (the committed example's, say) refuses every image for its provenance, at the promotion and at
 * every `up`; deployments/ knows the repository, so it says so once, before anything is deployed.
 */
import { refuseWhenAny } from "./refusal";
import type { DeploymentsSettings } from "./settings";

/** `<owner>/<repo>/.github/workflows/image.yml@refs/heads/<branch>`: GitHub's workflow ref as the provenance names it. */
export function expectedImageWorkflow(s: Pick<DeploymentsSettings, "repository" | "branch">): string {
    return `${s.repository}/.github/workflows/image.yml@refs/heads/${s.branch}`;
}

/** Refuses, naming each file, any stack file whose `image.verify.workflow` is not expectedImageWorkflow. */
export function checkImageWorkflows(s: Pick<DeploymentsSettings, "repository" | "branch" | "project">, workflows: Record<string, string | undefined>): void {
    const expected = expectedImageWorkflow(s);
    const problems = Object.entries(workflows)
        .filter(([, workflow]) => workflow !== undefined && workflow !== expected)
        .map(([stack, workflow]) => `Pulumi.${stack}.yaml sets ${s.project}:image.verify.workflow to ${workflow}; image.yml of ${s.repository} builds its images, so set it to ${expected}`);
    refuseWhenAny("a stack would refuse every image for its provenance", problems);
}
