import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { PROJECT_ROOT } from "../../scripts/offline/stackFile";
import { scratchDir } from "../harness/tempDirs";

/** The image workflow's "where the image goes" step, run by bash as the runner runs it, with `npm` replaced. */
function runTargetStep(env: { STACK: string; GITHUB_REF: string; GITHUB_EVENT_NAME: string }) {
    const wf = parse(fs.readFileSync(path.join(PROJECT_ROOT, ".github", "workflows", "image.yml"), "utf8"));
    const step = wf.jobs.publish.steps.find((s: any) => s.id === "target");
    const dir = scratchDir("image-gate");
    fs.writeFileSync(path.join(dir, "npm"), '#!/bin/sh\necho "aws_tag=c-from-npm-run-image $*"\n', { mode: 0o755 });
    const output = path.join(dir, "github-output");
    fs.writeFileSync(output, "");
    const run = spawnSync("bash", ["-e", "-c", step.run], { env: { ...env, PATH: `${dir}:${process.env.PATH}`, GITHUB_OUTPUT: output }, encoding: "utf8" });
    return { status: run.status, stdout: run.stdout, outputs: fs.readFileSync(output, "utf8") };
}

describe("image.yml: which pushes build which stack's image (the target step, run by bash)", () => {
    const cases: [stack: string, ref: string, event: string, builds: boolean][] = [
        ["dev", "refs/heads/main", "push", true],
        ["prod", "refs/heads/main", "push", false],
        // prod's image identity trusts release tags only (deployments/), so a dispatch on main must not try.
        ["prod", "refs/heads/main", "workflow_dispatch", false],
        ["prod", "refs/tags/v1.2.3", "push", true],
        ["prod", "refs/tags/v1.2.3", "workflow_dispatch", true],
    ];
    for (const [stack, ref, event, builds] of cases) {
        it(`${stack} on ${event} of ${ref}: ${builds ? "resolves the target" : "skips, with a reason"}`, () => {
            const run = runTargetStep({ STACK: stack, GITHUB_REF: ref, GITHUB_EVENT_NAME: event });
            assert.strictEqual(run.status, 0);
            if (builds) assert.strictEqual(run.outputs, `aws_tag=c-from-npm-run-image run --silent image -- ${stack}\n`);
            else {
                assert.strictEqual(run.outputs, "");
                assert.match(run.stdout, /prod images are built on release tags/);
            }
        });
    }
});
