import * as assert from "assert";
import { RuntimeRun, projectWay, runUnderPulumiRuntime } from "../../scripts/offline/pulumiRuntime";
import { readStackFile } from "../../config/stackFile";
import { committedStackRun } from "../harness/committedStackRun";

const identities = (resources: { type: string; name: string }[]) => resources.map((r) => `${r.type}::${r.name}`).sort();

/**
 * The program under Pulumi's own language runtime (`@pulumi/pulumi/cmd/run`, what `pulumi up` starts), talking
 * gRPC to a fake engine: proves Pulumi.yaml + package.json make Pulumi load program.js, and that it runs there.
 */
describe("under Pulumi's language runtime (cmd/run against a fake engine)", function () {
    this.timeout(60_000);

    for (const stack of ["dev", "prod"]) {
        it(`runs the program as Pulumi.yaml says (${stack}): exit 0, no error, the same resources as in-process mocks`, async () => {
            const run = await runUnderPulumiRuntime(stack, projectWay());
            assert.deepStrictEqual(run.errors, [], run.stderr);
            assert.strictEqual(run.exitCode, 0, run.stderr);
            const [root, ...resources] = run.cloud.resources;
            assert.strictEqual(`${root.type}::${root.name}`, `pulumi:pulumi:Stack::multicloud-service-${stack}`, "the runner registers the stack first");
            const inProcess = await committedStackRun(stack);
            assert.deepStrictEqual(identities(resources), identities(inProcess.cloud.resources));
            assert.ok(run.cloud.resources.length > 50);
        });
    }

    it("bad settings: the runner reports every problem as one error, exits non-zero, registers nothing", async () => {
        const { config, secretKeys } = readStackFile("dev");
        const service = { ...JSON.parse(config["multicloud-service:service"]), batchSize: 0, retentonDays: 3 };
        const run: RuntimeRun = await runUnderPulumiRuntime("dev", projectWay(), { config: { ...config, "multicloud-service:service": JSON.stringify(service) }, secretKeys });
        assert.notStrictEqual(run.exitCode, 0);
        assert.strictEqual(run.errors.length, 1, run.errors.join("\n---\n"));
        assert.match(run.errors[0], /^Stack "dev" has 2 invalid settings; nothing was deployed:\n/);
        assert.match(run.errors[0], /multicloud-service:service\.batchSize: /);
        assert.match(run.errors[0], /multicloud-service:service\.retentonDays: is not a known setting \(did you mean "retentionDays"\?\)/);
        assert.deepStrictEqual(run.cloud.resources.map((r) => r.type), ["pulumi:pulumi:Stack"], "only the stack itself, which the runner registers first");
    });
});
