import * as assert from "assert";
import * as path from "path";
import { PROJECT_ROOT, readStackFileAt } from "../../config/stackFile";
import { projectWay, runUnderPulumiRuntime } from "../../scripts/offline/pulumiRuntime";
import { DEPLOYMENTS_PROJECT, deploymentsPlan } from "./deploymentsPlan";

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
});
