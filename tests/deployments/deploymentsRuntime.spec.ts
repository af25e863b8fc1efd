import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT, readStackFileAt } from "../../config/stackFile";
import { projectWay, runUnderPulumiRuntime } from "../../scripts/offline/pulumiRuntime";
import { DEPLOYMENTS_PROJECT, deploymentsPlan } from "./deploymentsPlan";
import { scratchServiceProject } from "./scratchServiceProject";

const DIR = path.join(PROJECT_ROOT, "deployments");
const identities = (resources: { type: string; name: string }[]) => resources.map((r) => `${r.type}::${r.name}`).sort();

/**
 * `cd deployments && pulumi up --stack main` as the CLI starts it: the Node language host passes Pulumi.yaml's `main`
 * (or "." without one: pulumi/pulumi pkg/engine/project.go, getPwdMain) to `@pulumi/pulumi/cmd/run`, which for "."
 * looks up the nearest package.json and loads its `main` (cmd/run/run.js, npmPackageRootFromProgramPath); here
 * against a fake engine, in deployments/.
 */
describe("deployments/ under Pulumi's language runtime (cmd/run, as its Pulumi.yaml says)", function () {
    this.timeout(60_000);

    it("runs deployments/index.ts, not the service's program: the same resources as under in-process mocks", async () => {
        const run = await runUnderPulumiRuntime("main", projectWay(DIR), readStackFileAt(path.join(DIR, "Pulumi.main.yaml")), { dir: DIR, name: DEPLOYMENTS_PROJECT });
        assert.deepStrictEqual(run.errors, [], run.stderr);
        assert.strictEqual(run.exitCode, 0, run.stderr);
        const [root, ...resources] = run.cloud.resources;
        assert.strictEqual(`${root.type}::${root.name}`, `pulumi:pulumi:Stack::${DEPLOYMENTS_PROJECT}-main`);
        assert.deepStrictEqual(resources.filter((r) => r.type.startsWith("multicloud:")).map((r) => r.type), [], "the service's components: the runner loaded the repository's program.js");
        assert.ok(resources.some((r) => r.type === "pulumiservice:index:DeploymentSettings"));
        assert.deepStrictEqual(identities(resources), identities((await deploymentsPlan()).resources));
    });

    // Before: the reader's plain Error reached the runner, which printed "Running program ... failed with an unhandled
    // exception:" and the stack trace; a RunError it prints as its message alone (cmd/run/run.js, uncaughtHandler).
    // Before: the run named only the first stack file it could not read (dev's), and prod's showed after dev's was fixed.
    it("service stack files the Pulumi CLI refuses: the run fails with every file's refusal alone, as deployments/'s other refusals, no stack trace", async () => {
        const root = scratchServiceProject("deployments-runtime-refused-stack");
        fs.appendFileSync(path.join(root, "Pulumi.yaml"), "  replicas:\n    type: integer\n");
        fs.appendFileSync(path.join(root, "Pulumi.dev.yaml"), "  multicloud-service:replicas: two\n");
        fs.appendFileSync(path.join(root, "Pulumi.prod.yaml"), "  multicloud-service:replicas: 010\n");
        const dir = path.join(root, "deployments");
        const run = await runUnderPulumiRuntime("main", projectWay(dir), readStackFileAt(path.join(dir, "Pulumi.main.yaml")), { dir, name: DEPLOYMENTS_PROJECT });
        assert.notStrictEqual(run.exitCode, 0, run.stderr);
        assert.deepStrictEqual(run.errors, [
            "deployments/ cannot read a stack of settings.stacks as `pulumi up` of the service would; nothing was deployed:\n" +
                "  - settings.stacks.dev: Pulumi.dev.yaml: the Pulumi CLI refuses this stack's config: Stack 'dev' with configuration key 'replicas' must be of type 'integer' (its value in Pulumi.dev.yaml is not): change it, or the type in Pulumi.yaml\n" +
                "  - settings.stacks.prod: Pulumi.prod.yaml: multicloud-service:replicas is written 010, which the Pulumi CLI reads as 8: write the number you mean in plain decimal digits (no leading 0, 0b, 0o, signed 0x or _), or quote it if it is text",
        ]);
        assert.deepStrictEqual(run.cloud.resources.map((r) => r.type), ["pulumi:pulumi:Stack"], "nothing registered but the stack");
    });
});
