import * as assert from "assert";
import { parsedCommittedSettings } from "../deployments/deploymentsPlan";
import { ParsedWorkflow, parsedWorkflows, workflowJobs } from "./workflowFiles";

const SETTINGS_FILE = "deployments/Pulumi.main.yaml";

/**
 * Where the workflows name a branch other than deployments/' settings.branch: an event's `branches` filter, or a job's
 * or step's `if` on `refs/heads/<name>`. settings.branch is what the image roles and Google's pool mapping trust
 * (`<prefix>:ref:refs/heads/<branch>`), where Pulumi Deployments deploys dev from on push, and the branch prod's
 * image.verify.workflow names; a workflow still on another branch never builds the image dev's `up` waits for.
 */
function otherBranches(branch: string, workflows: ParsedWorkflow[]): string[] {
    const filters = workflows.flatMap(({ file, workflow }) =>
        Object.entries<any>(typeof workflow.on === "object" && !Array.isArray(workflow.on) ? workflow.on : {}).flatMap(([event, trigger]) =>
            [trigger?.branches ?? []].flat().filter((name: string) => name !== branch).map((name: string) => `.github/workflows/${file}: on.${event}.branches names ${name}`),
        ),
    );
    const ifs = workflowJobs(workflows).flatMap(({ file, jobName, job }) =>
        [[`jobs.${jobName}.if`, job.if], ...(job.steps ?? []).map((step: any, i: number) => [`jobs.${jobName}.steps[${i}].if`, step.if])]
            .flatMap(([where, condition]) => [...String(condition ?? "").matchAll(/refs\/heads\/([^'"\s)]+)/g)].map((m) => [where, m[1]]))
            .filter(([, name]) => name !== branch)
            .map(([where, name]) => `.github/workflows/${file}: ${where} names refs/heads/${name}`),
    );
    return [...filters, ...ifs];
}

/** The assertion's message: both files, and what to edit. */
const mismatchMessage = (branch: string, places: string[]) =>
    `${SETTINGS_FILE}'s settings.branch is ${branch}, but the workflows name another branch:\n${places.map((p) => `  - ${p}\n`).join("")}` +
    `edit these to ${branch} (or settings.branch back): the image roles' trust, Google's pool mapping, Deployments' push-to-deploy and prod's image.verify.workflow follow settings.branch, and image.yml must run there for dev's \`up\` to find its image`;

function assertWorkflowsOnBranch(branch: string, workflows: ParsedWorkflow[]) {
    const places = otherBranches(branch, workflows);
    assert.ok(places.length === 0, mismatchMessage(branch, places));
}

describe("the workflows run on deployments/' settings.branch", () => {
    const workflows = parsedWorkflows();

    it(`the committed workflows name only ${SETTINGS_FILE}'s branch (image.yml's push trigger and its job's if, ci.yml's push trigger)`, () => {
        const { branch } = parsedCommittedSettings();
        assertWorkflowsOnBranch(branch, workflows);
    });

    it("settings naming another branch are refused, naming each workflow place and the settings file", () => {
        const settings = { ...parsedCommittedSettings(), branch: "trunk" };
        assert.throws(
            () => assertWorkflowsOnBranch(settings.branch, workflows),
            (err: Error) => {
                assert.strictEqual(
                    err.message,
                    `${SETTINGS_FILE}'s settings.branch is trunk, but the workflows name another branch:\n` +
                        "  - .github/workflows/ci.yml: on.push.branches names main\n" +
                        "  - .github/workflows/image.yml: on.push.branches names main\n" +
                        "  - .github/workflows/image.yml: jobs.dev.if names refs/heads/main\n" +
                        "edit these to trunk (or settings.branch back): the image roles' trust, Google's pool mapping, Deployments' push-to-deploy and prod's image.verify.workflow follow settings.branch, and image.yml must run there for dev's `up` to find its image",
                );
                return true;
            },
        );
    });

    // The finder itself, on places the committed workflows do not have yet: a step's if, and a branch name with / and . in it.
    it("the finder names a step's if on another branch, with the branch's whole name", () => {
        const workflow = { on: { push: { branches: ["main"] } }, jobs: { release: { steps: [{ run: "true" }, { if: "github.ref == 'refs/heads/release/1.x'", run: "true" }] } } };
        assert.deepStrictEqual(otherBranches("main", [{ file: "release.yml", workflow }]), [".github/workflows/release.yml: jobs.release.steps[1].if names refs/heads/release/1.x"]);
    });
});
