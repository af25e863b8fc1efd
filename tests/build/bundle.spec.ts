import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ensureBundle } from "../../loader/bundle";
import { PROJECT_ROOT } from "../../config/stackFile";
import { mergedEnvironment } from "../../scripts/offline/environment";
import { AUTOMATION_API_LOADED } from "../harness/deferredModules";
import { NO_PROXY_VARIABLES } from "../harness/noProxyVariables";
import { scratchDir } from "../harness/tempDirs";

/** A throwaway project: tsconfig.json and a two-file program whose entry exports a function. */
function scratchProject(): { root: string; write: (file: string, text: string) => void; load: () => unknown } {
    const root = scratchDir("bundle");
    const write = (file: string, text: string) => {
        fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
        fs.writeFileSync(path.join(root, file), text);
    };
    write("tsconfig.json", JSON.stringify({ compilerOptions: { target: "es2022", strict: true } }));
    write("src/main.ts", 'import { value } from "./value";\nexport = (): number => value;\n');
    write("src/value.ts", "export const value: number = 1;\n");
    const load = () => {
        const outfile = path.join(root, "bin", "src", "main.js");
        delete require.cache[outfile];
        return (require(outfile) as () => unknown)();
    };
    return { root, write, load };
}

describe("program bundles (loader/bundle.js)", () => {
    it("builds a missing bundle, then reuses it while nothing it was made from changes", () => {
        const p = scratchProject();
        const first = ensureBundle("src/main.ts", { root: p.root });
        assert.deepStrictEqual([first.rebuilt, first.reason], [true, "no bundle yet"]);
        assert.strictEqual(first.outfile, path.join(p.root, "bin", "src", "main.js"));
        assert.strictEqual(p.load(), 1);
        // Its source map beside it, through which Pulumi's runner (source-map-support) names the TypeScript lines.
        const map = JSON.parse(fs.readFileSync(`${first.outfile}.map`, "utf8")) as { sources: string[] };
        assert.deepStrictEqual(map.sources.map((source) => path.resolve(path.dirname(first.outfile), source)).sort(), [path.join(p.root, "src/main.ts"), path.join(p.root, "src/value.ts")]);
        const written = fs.statSync(first.outfile).mtimeMs;
        const second = ensureBundle("src/main.ts", { root: p.root });
        assert.strictEqual(second.rebuilt, false);
        assert.strictEqual(fs.statSync(second.outfile).mtimeMs, written);
    });

    it("rebuilds when an imported file, a newly imported one or the compiler settings changed, or the bundle is gone, and says which", () => {
        const p = scratchProject();
        ensureBundle("src/main.ts", { root: p.root });

        p.write("src/value.ts", "export const value: number = 2;\n");
        assert.deepStrictEqual(ensureBundle("src/main.ts", { root: p.root }), { outfile: path.join(p.root, "bin/src/main.js"), rebuilt: true, reason: "src/value.ts changed" });
        assert.strictEqual(p.load(), 2);

        p.write("src/more.ts", "export const more = 40;\n");
        p.write("src/value.ts", 'import { more } from "./more";\nexport const value: number = more + 2;\n');
        assert.strictEqual(ensureBundle("src/main.ts", { root: p.root }).rebuilt, true);
        assert.strictEqual(p.load(), 42);
        p.write("src/more.ts", "export const more = 0;\n");
        assert.strictEqual(ensureBundle("src/main.ts", { root: p.root }).reason, "src/more.ts changed", "a newly imported file is tracked too");

        p.write("tsconfig.json", JSON.stringify({ compilerOptions: { target: "es2020" } }));
        assert.strictEqual(ensureBundle("src/main.ts", { root: p.root }).reason, "tsconfig.json changed");

        fs.rmSync(path.join(p.root, "bin", "src", "main.js"));
        assert.strictEqual(ensureBundle("src/main.ts", { root: p.root }).reason, "the bundle is missing");
        assert.strictEqual(p.load(), 2);
    });

    // A bundle esbuild made before `npm ci` installed another version is made again by the installed one: the stamp beside
    // the bundle records which esbuild made it.
    it("rebuilds a bundle another esbuild version made, naming both versions", () => {
        const p = scratchProject();
        const { outfile } = ensureBundle("src/main.ts", { root: p.root });
        const stampFile = `${outfile}.inputs.json`;
        const stamp = JSON.parse(fs.readFileSync(stampFile, "utf8"));
        fs.writeFileSync(stampFile, JSON.stringify({ ...stamp, esbuild: "0.0.1" }));
        const again = ensureBundle("src/main.ts", { root: p.root });
        assert.deepStrictEqual([again.rebuilt, again.reason], [true, `esbuild changed (0.0.1 -> ${stamp.esbuild})`]);
        assert.strictEqual(JSON.parse(fs.readFileSync(stampFile, "utf8")).esbuild, stamp.esbuild);
    });

    // Where `pulumi package add` installs the package, only multicloud/ has a node_modules: the bundle's root's esbuild
    // comes first, loader/'s only where the root has none (loader/bundle.js, esbuildModule).
    it("builds with the esbuild the bundle's root installed, before the loader's own", () => {
        const p = scratchProject();
        p.write("node_modules/esbuild/package.json", JSON.stringify({ name: "esbuild", version: "0.0.0-root" }));
        p.write("node_modules/esbuild/index.js", `module.exports = require(${JSON.stringify(require.resolve("esbuild"))});\n`);
        const { outfile } = ensureBundle("src/main.ts", { root: p.root });
        assert.strictEqual(JSON.parse(fs.readFileSync(`${outfile}.inputs.json`, "utf8")).esbuild, "0.0.0-root");
    });

    // The stamp's builder is loader/bundle.js's own hash: an edit to its esbuild options (target, dynamic-import) changes
    // every bundle's code without changing any input. Before: a stamp from another bundler was taken as current.
    it("rebuilds a bundle another version of loader/bundle.js made", () => {
        const p = scratchProject();
        const { outfile } = ensureBundle("src/main.ts", { root: p.root });
        const stampFile = `${outfile}.inputs.json`;
        const stamp = JSON.parse(fs.readFileSync(stampFile, "utf8"));
        fs.writeFileSync(stampFile, JSON.stringify({ ...stamp, builder: "0".repeat(64) }));
        const again = ensureBundle("src/main.ts", { root: p.root });
        assert.deepStrictEqual([again.rebuilt, again.reason], [true, "the bundler changed"]);
        assert.strictEqual(JSON.parse(fs.readFileSync(stampFile, "utf8")).builder, stamp.builder);
    });

    // packages: "external" keeps bare imports out of the bundle, but a relative path into node_modules is bundled as
    // any file is: a second copy of a package (of @pulumi/pulumi, one whose messages the loaded SDK refuses).
    it("refuses a file of node_modules reached by a relative path, naming it, and writes no bundle", () => {
        const p = scratchProject();
        p.write("node_modules/tiny/index.js", "module.exports = 3;\n");
        p.write("src/value.ts", 'import tiny = require("../node_modules/tiny/index.js");\nexport const value: number = tiny;\n');
        assert.throws(() => ensureBundle("src/main.ts", { root: p.root }), {
            message: "cannot bundle src/main.ts: packages must stay external, but 1 files of node_modules were bundled (node_modules/tiny/index.js, ...)",
        });
        assert.ok(!fs.existsSync(path.join(p.root, "bin", "src", "main.js")));
    });

    // import() stays a require where it was (loader/bundle.js, supported: { "dynamic-import": false }): a native import()
    // from CommonJS resolves as ES modules do, and a folder of a package without an `exports` map (as
    // "@pulumi/pulumi/automation") is then a directory import Node refuses (ERR_UNSUPPORTED_DIR_IMPORT).
    it("import() becomes a require where it was: a package's folder loads as require loads it", async () => {
        const p = scratchProject();
        p.write("node_modules/dirpkg/package.json", JSON.stringify({ name: "dirpkg", version: "1.0.0" }));
        p.write("node_modules/dirpkg/sub/index.js", "module.exports = { n: 8 };\n");
        p.write("src/main.ts", 'export = (): Promise<number> => import("dirpkg/sub").then((m) => m.default.n);\n');
        const { outfile } = ensureBundle("src/main.ts", { root: p.root });
        assert.strictEqual(await p.load(), 8);
        const text = fs.readFileSync(outfile, "utf8");
        assert.match(text, /require\("dirpkg\/sub"\)/);
        assert.doesNotMatch(text, /\bimport\(/);
    });

    it("leaves packages to node's require, so the bundle shares @pulumi/pulumi with its caller", () => {
        const p = scratchProject();
        p.write("src/value.ts", 'import { parse } from "yaml";\nexport const value: number = parse("n: 7").n;\n');
        const text = fs.readFileSync(ensureBundle("src/main.ts", { root: p.root }).outfile, "utf8");
        assert.match(text, /require\("yaml"\)/);
        assert.ok(text.length < 5_000, `the bundle inlined a package (${text.length} characters)`);
    });

    it("keeps packages external even where tsconfig paths map them to files (the package folder's analyzer settings)", () => {
        const p = scratchProject();
        const modules = path.relative(p.root, path.join(PROJECT_ROOT, "node_modules"));
        p.write("tsconfig.json", JSON.stringify({ compilerOptions: { target: "es2022", baseUrl: ".", paths: { "*": [`${modules}/*`] } } }));
        p.write("src/value.ts", 'import { parse } from "yaml";\nexport const value: number = parse("n: 7").n;\n');
        const text = fs.readFileSync(ensureBundle("src/main.ts", { root: p.root }).outfile, "utf8");
        assert.match(text, /require\("yaml"\)/);
        assert.ok(text.length < 5_000, `the bundle inlined a package (${text.length} characters)`);
    });

    it("refuses to run stale code: a syntax error names file, line and column, and fails again until fixed", () => {
        const p = scratchProject();
        ensureBundle("src/main.ts", { root: p.root });
        p.write("src/value.ts", "export const value: number = ;\n");
        const broken = /^Error: cannot bundle src\/main\.ts:\n {2}src\/value\.ts:1:30: Unexpected ";"/;
        assert.throws(() => ensureBundle("src/main.ts", { root: p.root }), broken);
        assert.throws(() => ensureBundle("src/main.ts", { root: p.root }), broken);
        p.write("src/value.ts", "export const value: number = 3;\n");
        assert.strictEqual(ensureBundle("src/main.ts", { root: p.root }).rebuilt, true);
        assert.strictEqual(p.load(), 3);
    });

    it("says what is wrong when the entry is missing or bin/ cannot be written", () => {
        const p = scratchProject();
        assert.throws(() => ensureBundle("src/nope.ts", { root: p.root }), /^Error: cannot bundle src\/nope\.ts: no such file in /);
        fs.writeFileSync(path.join(p.root, "bin"), "a file where the bundle folder should be");
        assert.throws(() => ensureBundle("src/main.ts", { root: p.root }), /^Error: cannot write the bundle .*bin\/src\/main\.js(\.map)?: ENOTDIR/);
    });
});

describe("scripts/build/run.js (how npm run plan and bench start)", () => {
    const run = (...args: string[]) => spawnSync(process.execPath, ["scripts/build/run.js", ...args], { cwd: PROJECT_ROOT, encoding: "utf8" });

    it("without a TypeScript entry: usage, exit 2", () => {
        const result = run();
        assert.strictEqual(result.status, 2);
        assert.match(result.stderr, /^usage: node scripts\/build\/run\.js <path\/to\/tool\.ts/);
    });

    it("an entry that cannot be bundled: the reason, exit 1, nothing run", () => {
        const result = run("scripts/nope.ts");
        assert.strictEqual(result.status, 1);
        assert.match(result.stderr, /^cannot bundle scripts\/nope\.ts: no such file in /);
    });

    /**
     * The tool run with a probe that reports, as it exits, whether it loaded the Pulumi SDK (its index.js: run.js puts
     * stand-ins for three SDK modules in require.cache before any tool starts, loader/deferModule.js), its Automation
     * API (past its index, for which loader/deferAutomationApi.js leaves a stand-in), how many TypeScript modules,
     * whether zod (its index), and how many of zod's locales (past their index, for which loader/deferZodLocales.js
     * leaves a stand-in), and whether it loaded Node's http (only a proxy needs it).
     */
    const loadedBy = (...args: string[]) => {
        const probe = path.join(scratchDir("run-probe"), "probe.js");
        fs.writeFileSync(
            probe,
            `const count = (pattern) => Object.keys(require.cache).filter((f) => pattern.test(f)).length;
            process.on("exit", () => process.stderr.write("\\nPROBE " + JSON.stringify({
                sdk: count(/\\/@pulumi\\/pulumi\\/index\\.js$/) > 0,
                automation: ${AUTOMATION_API_LOADED},
                typescript: count(/node_modules\\/typescript\\//),
                zod: count(/node_modules\\/zod\\/index\\.cjs$/) > 0,
                zodLocales: count(/node_modules\\/zod\\/v4\\/locales\\/(?!index\\.)/),
                http: process.moduleLoadList.includes("NativeModule http"),
                yaml: count(/node_modules\\/yaml\\//) > 0,
            }) + "\\n"));`,
        );
        // No proxy named, whatever the machine's: with one, http is loaded to route the calls through it.
        const env = mergedEnvironment(process.env, NO_PROXY_VARIABLES);
        const result = spawnSync(process.execPath, ["--require", probe, "scripts/build/run.js", ...args], { cwd: PROJECT_ROOT, encoding: "utf8", env });
        return { status: result.status, stderr: result.stderr, loaded: JSON.parse(/^PROBE (.*)$/m.exec(result.stderr)![1]) };
    };

    it("defers the SDK's function serialization, its Automation API and zod's locales as program.js does: a tool that loads the SDK and zod loads no TypeScript, no Automation API and of zod's locales English alone", () => {
        // Before: nothing checked it; a run.js without deferFunctionSerialization() still ran every tool, each
        // loading the TypeScript compiler with the SDK (about 0.3 s a start). And zod's 63 locales loaded in every tool
        // that checks settings (the plan, image, release): program.js's deferral came after the tool had loaded zod.
        // And the SDK's index loaded its Automation API (78 modules, 80-90 ms), which only the release uses.
        const { status, stderr, loaded } = loadedBy("scripts/plan/main.ts", "dev", "--cost");
        assert.strictEqual(status, 0, stderr);
        assert.deepStrictEqual(loaded, { sdk: true, automation: false, typescript: 0, zod: true, zodLocales: 1, http: true, yaml: true });
    });

    // Before: every start loaded the SDK and the program first (about 0.3 s of CPU), also to print a usage error;
    // tests/plan/plan.spec.ts starts the plan seven times for its usage errors, toolsHelp.spec every tool. Nor zod (about
    // 0.1 s): prices loaded it for the price table before reading its arguments.
    it("every tool npm starts through run.js reads its arguments before loading the SDK: --help and a usage error load none of it, nor zod", function () {
        this.timeout(60_000);
        const packageJson = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
        const entries = Object.values(packageJson.scripts).flatMap((script) => /^node scripts\/build\/run\.js (\S+)$/.exec(script)?.[1] ?? []);
        assert.ok(entries.length >= 10, `the tools npm starts through run.js: ${entries.join(", ")}`);
        for (const entry of entries) {
            for (const args of [["--help"], ["--no-such-option"]]) {
                const { status, stderr, loaded } = loadedBy(entry, ...args);
                assert.strictEqual(status, args[0] === "--help" ? 0 : 2, `${entry} ${args.join(" ")}: ${stderr}`);
                // Nor http (10 ms of a start): the proxy set-up loads it only when a variable names a proxy.
                const { yaml: _readsYaml, ...beforeWork } = loaded;
                assert.deepStrictEqual(beforeWork, { sdk: false, automation: false, typescript: 0, zod: false, zodLocales: 0, http: false }, `${entry} ${args.join(" ")}`);
            }
        }
    });

    // Before: both loaded yaml (about 55 ms) for --help and every usage error: their argument checks named the stack
    // files through config/stackFile.ts, which reads them. config/stackFileNames.ts names them without reading.
    it("review and dashboards:picture answer --help and a usage error without loading yaml", () => {
        for (const entry of ["review/cli.ts", "scripts/dashboards/main.ts"]) {
            for (const args of [["--help"], ["--no-such-option"]]) {
                const { status, stderr, loaded } = loadedBy(entry, ...args);
                assert.strictEqual(status, args[0] === "--help" ? 0 : 2, `${entry} ${args.join(" ")}: ${stderr}`);
                assert.strictEqual(loaded.yaml, false, `${entry} ${args.join(" ")} loaded yaml`);
            }
        }
    });

    it("passes the remaining arguments to the tool", () => {
        const result = run("scripts/plan/main.ts", "--no-such-option");
        assert.strictEqual(result.status, 2);
        assert.match(result.stderr, /unknown option --no-such-option/);
    });
});

describe("tools that run bundled (scripts/build/run.js) find their files from the project root", () => {
    // A checkout as macOS users name theirs ("/Users/Jane Doe/src/..."): the bundle and the preload copied into a
    // project folder whose path holds a space and an é. Before: NODE_OPTIONS said `--require <path>` unquoted, and
    // Node, splitting it at the space, exited with "Cannot find module '.../Jane'" before Pulumi's runner started.
    it("the offline stand-ins' Google API redirect, preloaded into Pulumi's runner by the bench, loads from where the bundle points, in any checkout folder", () => {
        const { outfile } = ensureBundle("scripts/offline/cloudApiServer.ts");
        const checkout = path.join(scratchDir("checkout"), "Jane Doé", "multicloud-service");
        for (const file of ["Pulumi.yaml", "scripts/offline/googleApisRedirect.js", path.relative(PROJECT_ROOT, outfile)]) {
            fs.mkdirSync(path.dirname(path.join(checkout, file)), { recursive: true });
            fs.copyFileSync(path.join(PROJECT_ROOT, file), path.join(checkout, file));
        }
        fs.symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(checkout, "node_modules"));
        const bundled = require(path.join(checkout, path.relative(PROJECT_ROOT, outfile))) as typeof import("../../scripts/offline/cloudApiServer");
        const environment = bundled.cloudApiEnvironment("http://127.0.0.1:1", { preload: true });
        const started = spawnSync(process.execPath, ["-e", "process.stdout.write(String(globalThis.fetch.__offlineGoogleApis))"], {
            env: { ...process.env, NODE_OPTIONS: environment.NODE_OPTIONS, OFFLINE_GOOGLE_APIS: environment.OFFLINE_GOOGLE_APIS },
            encoding: "utf8",
        });
        assert.deepStrictEqual([started.status, started.stderr, started.stdout], [0, "", "http://127.0.0.1:1"]);
    });
});
