import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { FakeEngine } from "../../scripts/offline/fakeEngine";
import { PROJECT, mockCloudFor } from "../../scripts/offline/mockCloud";
import { PROJECT_ROOT, readStackFile } from "../../config/stackFile";
import { pipelineArgs } from "../aws/fixtures";
import { serviceArgs } from "../gcp/fixtures";
import { scratchDir } from "../harness/tempDirs";
import { copyWorkingTree } from "../harness/workingTree";
import { PluginProcess } from "./pluginProcess";
import { UNDECIDED_INSTALL_SCRIPTS } from "./installScriptWarnings";
import { assertShortcutsTaken, loaderReportOf, withLoaderProbe } from "./loaderProbe";

/**
 * The package as `pulumi package add github.com/<org>/<repo>.git/multicloud@<ref>` installs it: the CLI clones the
 * whole repository (tracked files and its .git; shallow at the tag `v<version>`, or in full and checked out at the
 * commit of `@<hash>`) and unpacks it as the plugin
 * (pulumi/pulumi sdk/go/common/workspace/plugins.go, gitSource.Download), then installs dependencies in the package's
 * folder only (pkg/cmd/pulumi/packageworkspace/packageworkspace.go, InstallPluginAt: the language host's
 * InstallDependencies with the sub-directory as the program directory, IsPlugin), then starts it with cmd/run-plugin.
 * Here: the tree as the next commit holds it (tests/harness/workingTree.ts; no root node_modules), `npm ci` in
 * multicloud/ alone, and the plugin started from there, asked for its schema and to construct a component. The CLI itself runs `npm install
 * --loglevel=error` there (the Node language host's InstallDependencies; sdk/nodejs/npm/npm.go, installCmd: no
 * --production, as PulumiPlugin.yaml sets no `production` option, so the same packages); `npm ci` installs the same lockfile and
 * is stricter, refusing a lockfile that disagrees with package.json where `npm install` would rewrite it.
 */
describe("the package where `pulumi package add` installs it (only multicloud/ installed)", function () {
    this.timeout(180_000);
    let packageDir = "";
    let plugin: PluginProcess | undefined;
    let engine: FakeEngine | undefined;
    let address = "";
    let pluginEnvironment: Record<string, string | undefined> = {};

    before(function () {
        // No time limit on this hook: it blocks in spawnSync, so mocha's timer cannot stop a hung install, only fail
        // one that succeeded late (mocha's Runnable#run: a synchronous hook's duration past its timeout is a timeout
        // error after it returns). Beside a busy core the install took more than 180 s at nice 19; a hang is stopped
        // by npm test's own deadline for the check (scripts/test/all.js), which prints the output so far.
        this.timeout(0);
        const checkout = scratchDir("package-add");
        copyWorkingTree(PROJECT_ROOT, checkout);
        packageDir = path.join(checkout, "multicloud");
        assert.ok(!fs.existsSync(path.join(checkout, "node_modules")), "nothing installed at the root of the clone");
        // Through CI's own install (.ci/install): the packages of multicloud/'s lockfile that the root install
        // does not cache come from the registry here, and a connection it drops part-way is tried again.
        // Shorter pauses than CI's own: a machine without the registry skips after about 15 s, not 60.
        const install = spawnSync("bash", [path.join(PROJECT_ROOT, ".ci", "install"), "--prefer-offline"], { cwd: packageDir, encoding: "utf8", env: { ...process.env, CI_INSTALL_PAUSE_SECONDS: "5" } });
        const output = install.stdout + install.stderr;
        if (install.status !== 0) {
            // The npm registry is the one network this needs; without it the install (not the package) is what fails.
            if (/\.ci\/install: npm ci failed on the network/.test(install.stderr)) {
                console.log(`      skipped: npm ci in the package folder could not reach the npm registry (${install.stderr.trim().split("\n").pop()})`);
                this.skip();
            }
            assert.fail(`npm ci in multicloud/ failed:\n${output}`);
        }
        assert.doesNotMatch(output, UNDECIDED_INSTALL_SCRIPTS, "every install script in multicloud/ is decided in its allowScripts");
    });

    after(async () => {
        await plugin?.stop();
        await engine?.stop();
    });

    it("starts with cmd/run-plugin from its own node_modules and serves its schema (both components)", async () => {
        engine = new FakeEngine(mockCloudFor(readStackFile("dev").config), PROJECT, "dev");
        address = await engine.start();
        plugin = new PluginProcess(packageDir);
        pluginEnvironment = withLoaderProbe({ ...engine.environment(), PULUMI_DEBUG_PROMISE_LEAKS: undefined }, packageDir);
        await plugin.start(address, pluginEnvironment);
        const schema = await plugin.getSchema();
        assert.strictEqual(schema.name, "multicloud");
        assert.deepStrictEqual(Object.keys(schema.resources).sort(), ["multicloud:index:CloudRunGcsService", "multicloud:index:LambdaEcrPipeline"]);
    });

    // Both components, each from this install alone: what either loads at run time (not only what esbuild sees) must be
    // in multicloud/'s own dependencies.
    it("constructs a LambdaEcrPipeline and a CloudRunGcsService with the dev stack's args, their resources registered with the engine", async function () {
        if (!plugin) {
            console.log("      skipped: the plugin did not start (the test before this one says why)");
            this.skip();
        }
        const image = { build: { context: path.join(packageDir, "..", "app") } };
        const components = [
            { type: "multicloud:index:LambdaEcrPipeline", name: "pipeline", inputs: pipelineArgs("dev", { image }), registers: ["aws:ecr/repository:Repository", "aws:lambda/function:Function", "aws:sfn/stateMachine:StateMachine"] },
            { type: "multicloud:index:CloudRunGcsService", name: "service", inputs: serviceArgs("dev", { image }), registers: ["gcp:artifactregistry/repository:Repository", "gcp:cloudrunv2/service:Service", "gcp:storage/bucket:Bucket"] },
        ];
        for (const component of components) {
            const before = engine!.cloud.resources.length;
            const constructed = await plugin!.construct({ project: PROJECT, stack: "dev", monitor: address, type: component.type, name: component.name, inputs: component.inputs });
            const types = new Set(engine!.cloud.resources.slice(before).map((r) => r.type));
            for (const type of component.registers) assert.ok(types.has(type), `${component.type}: ${type} registered`);
            assert.ok(constructed.urn.endsWith(`${component.type}::${component.name}`), constructed.urn);
        }
    });

    // The loaders in ../loader resolve nothing from there (this install has no root node_modules): they must patch the
    // SDK of multicloud/node_modules, the one the plugin loads, and load no other.
    it("after those constructs, its own SDK records the placeholder for each promise and has not loaded function serialization (loader/promiseStacks.js, deferFunctionSerialization.js)", async function () {
        if (!plugin) {
            console.log("      skipped: the plugin did not start (the first test says why)");
            this.skip();
        }
        assertShortcutsTaken(await loaderReportOf(plugin!, pluginEnvironment), fs.realpathSync(path.join(packageDir, "node_modules", "@pulumi", "pulumi", "runtime", "debuggable.js")));
    });

    // The CLI starts the plugin in the consuming program's folder (pulumi/pulumi pkg/resource/plugin/plugin.go:
    // WorkingDirectory ctx.Pwd), and cmd/run-plugin registers ts-node with the tsconfig.json it finds there, type-checking
    // included (sdk/nodejs/cmd/run-plugin/run.ts: `typeCheck: true`, the cwd's compiler options): a TypeScript
    // consumer's `allowJs` and `checkJs` reach the plugin's own JavaScript, as installed here (only multicloud/ has
    // node_modules). Its bundle failed `strict` (TS7006), index.js (`// @ts-check`) failed without @types/node (TS2304
    // `__dirname`), and loader/bundle.js's import("esbuild") type failed under checkJs (TS2307), each before the
    // plugin printed its port.
    const consumers = {
        "allowJs, checkJs and strict, with @types/node": { tsconfig: { allowJs: true, checkJs: true, strict: true }, typesNode: true },
        "allowJs alone, without @types/node": { tsconfig: { allowJs: true }, typesNode: false },
    };
    for (const [name, consumer] of Object.entries(consumers)) {
        it(`started in a TypeScript consumer's folder (${name}), it serves its schema`, async () => {
            const consumerEngine = new FakeEngine(mockCloudFor(readStackFile("dev").config), PROJECT, "dev");
            const started = new PluginProcess(packageDir);
            try {
                const files: Record<string, string> = { "tsconfig.json": JSON.stringify({ compilerOptions: consumer.tsconfig }) };
                const links: Record<string, string> = consumer.typesNode ? { "node_modules/@types/node": path.join(PROJECT_ROOT, "node_modules", "@types", "node") } : {};
                await started.start(await consumerEngine.start(), consumerEngine.environment(), files, links);
                assert.strictEqual((await started.getSchema()).name, "multicloud");
            } finally {
                await started.stop();
                await consumerEngine.stop();
            }
        });
    }
});
