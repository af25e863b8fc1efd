import * as assert from "assert";
import { stackNames } from "../../config/stackFile";
import { stackRegistry } from "../../deployments/stackTargets";
import { DeploymentsSettings, isReleased } from "../../deployments/settings";
import { committedStackFiles, parsedCommittedSettings } from "../deployments/deploymentsPlan";
import { ParsedWorkflow, parsedWorkflows, workflowSteps } from "./workflowFiles";
import { uncommittedStackName } from "../harness/stackConfig";

/**
 * Stacks deployments/ deploys that no workflow gives an image. deployments/ makes, for every stack that deploys on
 * push, an image identity (image-<stack>) and Deployments' `up` on every push, and for every released stack
 * (promoteFrom) a promotion identity trusted in the GitHub environment of its name; the workflows that use them name
 * their stacks: image.yml builds `npm run image -- dev`, deploy-prod.yml (environment prod) runs `npm run image --
 * promote dev prod` and the release. A stack missing there would wait image.waitMinutes at each `up` and fail with
 * "image tag ... is not in ..." (components/image/imageResolution.ts), or never be released.
 */
export function stacksWithoutImage(s: Pick<DeploymentsSettings, "stacks">, registriesOf: Record<string, string | undefined>, workflows: ParsedWorkflow[]): string[] {
    const steps = workflowSteps(workflows);
    const built = new Set(steps.flatMap(({ step }) => [...String(step.run ?? "").matchAll(/\bimage -- (?!promote\b|provenance\b|build\b)([a-z0-9-]+)/g)].map((m) => m[1])));
    const releasedIn = (stack: string, from: string) =>
        steps.some(({ job, step }) => job.environment === stack && new RegExp(`\\bimage -- promote ${from} ${stack}\\b`).test(String(step.run ?? ""))) &&
        steps.some(({ job, step }) => job.environment === stack && /release\/cli\.ts\b/.test(String(step.run ?? "")));
    return Object.entries(s.stacks).flatMap(([stack, settings]) => {
        if (isReleased(s, stack)) {
            return releasedIn(stack, settings.promoteFrom!)
                ? []
                : [`${stack} is released (promoteFrom: ${settings.promoteFrom}), but no workflow job in GitHub environment ${stack} runs \`npm run image -- promote ${settings.promoteFrom} ${stack}\` and the release: copy deploy-prod.yml's job for it (README, "Adding an environment")`];
        }
        if (!settings.deployOnPush) return [];
        const owner = registriesOf[stack] ?? stack;
        return built.has(owner)
            ? []
            : [`${stack} deploys on push from ${owner === stack ? "registries of its own" : `${owner}'s registries`}, which no workflow builds images into (image.yml builds ${[...built].join(", ") || "none"}): set image.registriesOf: dev in Pulumi.${stack}.yaml, or add a job to image.yml for it (README, "Adding an environment")`];
    });
}

describe("Workflows: every stack deployments/ deploys gets its image", () => {
    const committed = () => committedStackFiles(stackRegistry);
    const added = uncommittedStackName();
    const registriesOfFiles = (files: Record<string, { registriesOf?: string }>) => Object.fromEntries(Object.entries(files).map(([stack, f]) => [stack, f.registriesOf]));

    it("each stack of deployments/Pulumi.main.yaml that deploys on push is built by image.yml, each released one promoted and released", () => {
        const { s, files } = committed();
        assert.deepStrictEqual(stacksWithoutImage(s, registriesOfFiles(files), parsedWorkflows()), []);
    });

    // A third stack added as README's settings table allows, without a workflow for it.
    it("names a stack that deploys on push from its own registries, which image.yml does not build", () => {
        const { s, files } = committed();
        const settings = { stacks: { ...s.stacks, [added]: { deployOnPush: true, reviewTemplate: false } } };
        const problems = stacksWithoutImage(settings, { ...registriesOfFiles(files), [added]: undefined }, parsedWorkflows());
        assert.deepStrictEqual(problems.map((p) => p.split(" ")[0]), [added]);
        assert.match(problems[0], /\(image\.yml builds dev\b/);
    });

    it("takes a stack that deploys on push from dev's registries (image.registriesOf: dev), which image.yml fills", () => {
        const { s, files } = committed();
        const settings = { stacks: { ...s.stacks, [added]: { deployOnPush: true, reviewTemplate: false } } };
        assert.deepStrictEqual(stacksWithoutImage(settings, { ...registriesOfFiles(files), [added]: "dev" }, parsedWorkflows()), []);
    });

    it("names a released stack that no job of its GitHub environment promotes into and releases", () => {
        const { s, files } = committed();
        const settings = { stacks: { ...s.stacks, [added]: { deployOnPush: false, reviewTemplate: false, promoteFrom: "dev" } } };
        const problems = stacksWithoutImage(settings, registriesOfFiles(files), parsedWorkflows());
        assert.deepStrictEqual(problems.map((p) => p.split(" ")[0]), [added]);
    });
});

/**
 * Stacks with a stack file (Pulumi.<stack>.yaml) that preview.yml's matrix leaves out, and matrix entries with no stack
 * file. The matrix is the only list of what a pull request's preview comments show, and `mark earlier previews` copies
 * it (workflows.spec). The review-stack template (reviewTemplate in deployments/Pulumi.main.yaml) is left out on purpose:
 * it is never deployed itself (deployments/settings.ts refuses deployOnPush on it), and each pull request's review stack
 * made from it is run by Pulumi Deployments with the review environment's credentials, not by this workflow.
 */
export function stacksNotPreviewed(stackFiles: string[], reviewTemplates: string[], matrix: string[]): string[] {
    const missing = stackFiles
        .filter((stack) => !reviewTemplates.includes(stack) && !matrix.includes(stack))
        .map((stack) => `${stack} has a stack file (Pulumi.${stack}.yaml) but preview.yml's matrix (${matrix.join(", ")}) leaves it out, so pull requests get no preview of it: add it to the preview and not-previewed jobs' matrix, with policy/config/${stack}.json`);
    const unknown = matrix.filter((stack) => !stackFiles.includes(stack)).map((stack) => `preview.yml's matrix names ${stack}, which has no stack file (Pulumi.${stack}.yaml): its preview would fail`);
    return [...missing, ...unknown];
}

describe("Workflows: every stack file gets its pull request preview", () => {
    const matrix = (): string[] => parsedWorkflows().find((w) => w.file === "preview.yml")!.workflow.jobs.preview.strategy.matrix.stack;
    const reviewTemplates = () => Object.entries(parsedCommittedSettings().stacks).filter(([, stack]) => stack.reviewTemplate).map(([name]) => name);

    it("preview.yml's matrix names each stack file but the review-stack template, and nothing else", () => {
        assert.deepStrictEqual(stacksNotPreviewed(stackNames(), reviewTemplates(), matrix()), []);
    });

    it("names a stack file added without a matrix entry, and a matrix entry without a stack file", () => {
        const [stacks, templates, listed, added] = [stackNames(), reviewTemplates(), matrix(), uncommittedStackName()];
        assert.deepStrictEqual(stacksNotPreviewed([...stacks, added], templates, listed).map((p) => p.split(" ")[0]), [added]);
        assert.match(stacksNotPreviewed(stacks, templates, ["dev"])[0], /^prod has a stack file \(Pulumi\.prod\.yaml\) but preview\.yml's matrix \(dev\) leaves it out/);
        assert.match(stacksNotPreviewed(stacks, templates, [...listed, "qa"])[0], /^preview\.yml's matrix names qa, which has no stack file/);
    });
});
