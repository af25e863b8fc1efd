import * as assert from "assert";
import { checkImageWorkflows, expectedImageWorkflow } from "../../deployments/imageWorkflow";
import { stackImageWorkflow } from "../../deployments/stackTargets";
import { parsedCommittedSettings as settings } from "./deploymentsPlan";

/** prod accepts images whose provenance names image.yml of the repository deployments/ names (image.verify.workflow). */
describe("deployments/: the workflow the stacks accept images' provenance from is this repository's image.yml", () => {
    it("the committed stack files name image.yml of deployments/'s repository on its branch", () => {
        const s = settings();
        const workflows = Object.fromEntries(Object.keys(s.stacks).map((stack) => [stack, stackImageWorkflow(stack, s.project)]));
        assert.strictEqual(workflows.prod, `${s.repository}/.github/workflows/image.yml@refs/heads/${s.branch}`);
        assert.doesNotThrow(() => checkImageWorkflows(s, workflows));
    });

    it("a stack file left naming another repository (or branch) is refused, naming the file, what it says and what it must say", () => {
        const s = { ...settings(), repository: "acme/payments-service" };
        const expected = "acme/payments-service/.github/workflows/image.yml@refs/heads/main";
        assert.strictEqual(expectedImageWorkflow(s), expected);
        const workflows = { prod: "my-github-org/multicloud-service/.github/workflows/image.yml@refs/heads/main", dev: undefined, staging: expected };
        assert.throws(
            () => checkImageWorkflows(s, workflows),
            (err: Error) => {
                assert.strictEqual(
                    err.message,
                    "a stack would refuse every image for its provenance; nothing was deployed:\n" +
                        `  - Pulumi.prod.yaml sets multicloud-service:image.verify.workflow to my-github-org/multicloud-service/.github/workflows/image.yml@refs/heads/main; image.yml of acme/payments-service builds its images, so set it to ${expected}`,
                );
                return true;
            },
        );
    });

    // A provenance check that took any workflow of the repository would take an image built from any branch's code,
    // a pull request's included (its workflow ref is `<repo>/.github/workflows/<file>@refs/heads/<branch>` or `@refs/pull/<n>/merge`).
    it("this repository's image.yml on another branch, or another of its workflows, is refused too", () => {
        const s = settings();
        for (const workflow of [
            `${s.repository}/.github/workflows/image.yml@refs/heads/feature`,
            `${s.repository}/.github/workflows/image.yml@refs/pull/42/merge`,
            `${s.repository}/.github/workflows/preview.yml@refs/heads/${s.branch}`,
        ]) {
            assert.throws(() => checkImageWorkflows(s, { prod: workflow }), /Pulumi\.prod\.yaml sets multicloud-service:image\.verify\.workflow to /, workflow);
        }
    });
});
