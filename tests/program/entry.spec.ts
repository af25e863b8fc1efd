import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { ProgramRun, runProgram } from "../../scripts/offline/runProgram";
import { maskSecrets } from "../../scripts/offline/registeredInputs";
import { PROJECT_ROOT } from "../../config/stackFile";
import { programBundleInputs } from "../harness/programFiles";

/** Every registration, comparable across runs: type, name, parent and inputs (secrets masked). */
const registrations = (run: ProgramRun) =>
    run.cloud.resources.map((r) => JSON.stringify({ type: r.type, name: r.name, parent: r.parentUrn, inputs: maskSecrets(r.inputs) })).sort();

describe("what `pulumi up` runs: program.js, the bundle of index.ts", function () {
    this.timeout(60_000);

    it("Pulumi loads program.js in plain node: package.json main, and no ts-node (typescript: false)", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8"));
        const project = parse(fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.yaml"), "utf8"));
        assert.strictEqual(pkg.main, "program.js");
        // typescript: false, and the preload of gRPC's no-proxy list; npm, which follows package-lock.json, whatever the
        // machine prefers: where PULUMI_PREFER_YARN is set, `pulumi install` and Deployments' install would otherwise run
        // yarn, which ignores it (pulumi/pulumi sdk/nodejs/npm/manager.go, ResolvePackageManager).
        assert.deepStrictEqual(project.runtime, {
            name: "nodejs",
            options: { typescript: false, nodeargs: "--require ./loader/grpcProxyAtStart.js", packagemanager: "npm" },
        });
        assert.strictEqual(project.main, undefined, "Pulumi.yaml main would take precedence over package.json main");
        assert.ok(pkg.dependencies.esbuild, "esbuild builds the bundle at `pulumi up`, so it is a runtime dependency");
    });

    it("the bundle is made from index.ts and everything it imports", () => {
        const program = require(path.join(PROJECT_ROOT, "program.js"));
        assert.strictEqual(typeof program, "function");
        const inputs = programBundleInputs();
        for (const input of ["index.ts", "config/schema.ts", "components/aws/lambdaEcrPipeline.ts", "components/gcp/cloudRunGcsService.ts", "components/image/contentTag.ts", "tsconfig.json"]) {
            assert.ok(inputs[input], `${input} is not among the bundle's inputs`);
        }
        assert.ok(!Object.keys(inputs).some((input) => input.includes("node_modules")), "packages are not bundled");
    });

    for (const stack of ["dev", "prod"]) {
        it(`registers exactly what the TypeScript sources register (${stack})`, async () => {
            const bundled = registrations(await runProgram(stack, { entry: "bundle" }));
            const fromSources = registrations(await runProgram(stack, { entry: "source" }));
            assert.ok(bundled.length > 50, `only ${bundled.length} registrations`);
            assert.deepStrictEqual(bundled, fromSources);
        });
    }
});
