// @ts-check
/**
 * `npm test`: every check, in two stages, each check's output held and printed whole when it ends (a stage of one
 * streams it). First the service's bundles, which the service's tests and the program's end-to-end specs run. Then
 * everything else side by side: the two type-checks one after the other; the program's mocha suite in parallel
 * workers on Node 24; the service's tests that measure no time; and the service's tests that assert on deadlines,
 * latencies and rate windows (each service group in one process, file after file). The timed group runs at the normal
 * priority and every other check at the lowest (nice 19): it gets a core whenever it wants one, and the rest use what
 * it leaves.
 * A check that outlives its deadline is stopped and fails. Exits non-zero naming every check that failed.
 */
"use strict";
const { spawn } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { childrenCpuSeconds } = require("./childrenCpu");
const { programSpecFiles } = require("./programSpecs");
const { costliestSpecFiles } = require("./specCosts");
const { failureDigest } = require("./failureDigest");
const { serviceTestGroups } = require("./serviceTests");
const { serviceNode } = require("./serviceNode");
const { PROXY_VARIABLES } = require("./proxyVariables");

const ROOT = path.resolve(__dirname, "..", "..");
const APP = path.join(ROOT, "app");
const NODE_24 = serviceNode(ROOT);
const NPM = "npm"; // not on Windows: see unsupportedHere
/**
 * The program's specs run on the service's Node too, first on PATH, so that every `node` and `npm` they start is 24
 * as well: the Pulumi SDK needs Node 22 or newer (package.json engines), the project's workflows run 24, and a
 * machine's own Node may be older (this one's is 20).
 */
const ON_NODE_24 = { PATH: [path.dirname(NODE_24), process.env.PATH].join(path.delimiter) };

/**
 * Mocha workers, one per core: the spec files wait on processes they start (npm ci, the plugin, Pulumi's runner,
 * the tools), but those processes need the cores too, and the type-checks and service tests share them.
 */
const MOCHA_JOBS = Math.max(2, os.availableParallelism());

/**
 * @typedef {{ name: string, command: string, args: string[], cwd?: string, env?: Record<string, string>, background?: boolean, summary?: () => string, deadlineSeconds?: number, stopGraceSeconds?: number }} Check
 * background: runs at the lowest CPU priority, below the timed service tests.
 * summary: printed after the check's own output when it passed.
 * deadlineSeconds: how long the check may take (CHECK_DEADLINE_SECONDS unless set).
 * stopGraceSeconds: once stopped at its deadline, how long it has to exit after SIGTERM before SIGKILL
 * (STOP_GRACE_SECONDS unless set).
 */

/**
 * @typedef {{ name: string, ok: boolean, seconds: number, cpuSeconds: number | undefined, failures?: string }} CheckResult
 * failures: a failed check's failureDigest, when its output was held (not streamed).
 */

/**
 * How long one check may run before it is stopped and failed, its output so far printed: a check that hangs (a
 * process a test started and never stopped keeps its runner alive) would otherwise hold CI until the job's own limit
 * and print nothing, since a check's output is held until it ends. Every check ends within about 3.5 minutes here,
 * and ci.yml's job stops at 15 (install included), so a hung check is named before GitHub ends the job;
 * NPM_TEST_CHECK_DEADLINE_SECONDS sets another limit.
 */
const CHECK_DEADLINE_SECONDS = Number(process.env.NPM_TEST_CHECK_DEADLINE_SECONDS) || 10 * 60;

/** After SIGTERM, how long a stopped check has to exit before SIGKILL. */
const STOP_GRACE_SECONDS = 10;

/** How many of the costliest spec files npm test names after the mocha suite. */
const COSTLIEST_SHOWN = 8;

/** Background checks start through `nice` (Linux, macOS). */
const NICE = "nice";

/**
 * Why `npm test` cannot run on this platform, or undefined. Native Windows: the specs put POSIX shell scripts on PATH as
 * stand-ins for docker, the Pulumi CLI, cosign and skopeo (tests/harness/dockerStandIn.ts and others), and stop
 * processes with signals Windows does not have (Node's subprocess.kill: "On Windows, where POSIX signals do not exist
 * ... the process will always be killed forcefully"); and Node will not start npm.cmd without a shell (spawn EINVAL
 * since 18.20.2 and 20.12.2, CVE-2024-27980). CI and Pulumi Deployments run Linux.
 * @param {NodeJS.Platform} platform
 */
function unsupportedHere(platform) {
    if (platform !== "win32") return undefined;
    return "npm test runs on Linux and macOS only (CI runs it on Linux): on Windows, run it in WSL2, from a clone inside the WSL file system. Natively, `npm run typecheck` type-checks the program (README, \"On Windows\").";
}

/**
 * node:test over the files in one process, one file after another (`--test-isolation=none`): a process per file
 * paid Node's start, tsx and the shared helpers' compile each time, about 40 % of the service tests' own CPU. The
 * tests start the service and its stand-ins as processes of their own, so what they share is only the test code.
 * @param {string[]} files
 * @returns {Check["args"]}
 */
const nodeTestArgs = (files) => ["--import", "tsx", "--test", "--test-isolation=none", "--test-reporter=spec", ...files];

/**
 * Stages run one after another; the lanes of a stage run side by side, each lane's checks in order.
 * @returns {Check[][][]}
 */
function stages(/** @type {string} */ serviceTemp) {
    const service = serviceTestGroups(APP);
    const specCosts = path.join(serviceTemp, "spec-costs.jsonl");
    // One temp folder for both groups of service tests, new each run: tsx's cache and the bundles' compile cache
    // live there, so each TypeScript file and bundle is compiled once per run and nothing outlives it (app's
    // test:run does the same).
    const serviceEnv = { TMPDIR: serviceTemp, NODE_COMPILE_CACHE: path.join(serviceTemp, "node-compile-cache") };
    return [
        [[{ name: "service bundles (app/)", command: NPM, args: ["--prefix", "app", "run", "--silent", "build"] }]],
        [
            [
                { name: "typecheck", command: NPM, args: ["run", "--silent", "typecheck"], background: true },
                { name: "service typecheck (app/)", command: NPM, args: ["--prefix", "app", "run", "--silent", "typecheck"], background: true },
            ],
            [
                {
                    name: `program tests (mocha, ${MOCHA_JOBS} workers, Node 24)`,
                    command: NODE_24,
                    args: [
                        require.resolve("mocha/bin/mocha.js", { paths: [ROOT] }),
                        "--parallel",
                        `--jobs=${MOCHA_JOBS}`,
                        "--require",
                        require.resolve("./specCosts"),
                        ...programSpecFiles(ROOT),
                    ],
                    // The Node that started `npm test`, the machine's own: the quick start's plan runs on it too
                    // (tests/plan/plan.spec.ts).
                    env: { ...ON_NODE_24, MACHINE_NODE: process.execPath, SPEC_COSTS_FILE: specCosts },
                    background: true,
                    summary: () => specCostSummary(specCosts),
                },
            ],
            [
                {
                    name: "service tests without timing (app/, Node 24)",
                    command: NODE_24,
                    args: nodeTestArgs(service.untimed),
                    cwd: APP,
                    env: serviceEnv,
                    background: true,
                },
            ],
            [{ name: "service tests with timing (app/, Node 24)", command: NODE_24, args: nodeTestArgs(service.timed), cwd: APP, env: serviceEnv }],
        ],
    ];
}

/**
 * The costliest spec files of the mocha run, one line each: where to look first when the suite slows down.
 * @param {string} record SPEC_COSTS_FILE
 */
function specCostSummary(record) {
    if (!fs.existsSync(record)) return "  (no spec costs were recorded)";
    const { files, all } = costliestSpecFiles(record, COSTLIEST_SHOWN);
    const seconds = (/** @type {number} */ s) => `${s.toFixed(1)} s`.padStart(7);
    const lines = files.map((c) => {
        const cpu = c.own + (c.processes ?? 0);
        const split = c.processes === undefined ? "" : ` (worker ${c.own.toFixed(1)} + processes ${c.processes.toFixed(1)})`;
        return `  ${seconds(cpu)} CPU${split}, ${seconds(c.wall).trim()} wall  ${c.file}`;
    });
    return [`The ${files.length} costliest of ${all.length} spec files:`, ...lines].join("\n");
}

/** The CPU of every process reaped so far (childrenCpuSeconds) when the last check ended. */
let cpuAtLastExit = childrenCpuSeconds();

/**
 * The machine's environment without its proxy variables: the program and its tools send their calls through a proxy
 * the environment names (loader/proxyFromEnvironment.js), and the specs' stand-ins and unreachable hosts are offline by
 * design, so a proxy set for npm would answer for them. The proxy spec sets its own.
 * @param {NodeJS.ProcessEnv} env
 */
function withoutProxy(env) {
    const kept = { ...env };
    for (const name of PROXY_VARIABLES) for (const key of [name, name.toLowerCase()]) delete kept[key];
    return kept;
}

/**
 * @param {Check} check
 * @param {boolean} streamed print as it comes (a stage of one) rather than all at the end
 * @returns {Promise<CheckResult>}
 */
function run(check, streamed) {
    const started = Date.now();
    console.log(`▶ ${check.name}: started`);
    return new Promise((resolve) => {
        const [command, args] = check.background ? [NICE, ["-n", "19", check.command, ...check.args]] : [check.command, check.args];
        const child = spawn(command, args, {
            cwd: check.cwd ?? ROOT,
            env: { ...withoutProxy(process.env), ...check.env },
            stdio: streamed ? "inherit" : ["ignore", "pipe", "pipe"],
        });
        /** @type {Buffer[]} */
        const output = [];
        child.stdout?.on("data", (d) => output.push(d));
        child.stderr?.on("data", (d) => output.push(d));
        child.on("error", (err) => {
            const cannotStart = `${check.name}: cannot start ${check.command}: ${err.message}\n`;
            if (streamed) process.stdout.write(cannotStart);
            else output.push(Buffer.from(cannotStart));
        });
        const deadline = check.deadlineSeconds ?? CHECK_DEADLINE_SECONDS;
        const grace = check.stopGraceSeconds ?? STOP_GRACE_SECONDS;
        let overran = false;
        const stopper = setTimeout(() => {
            overran = true;
            const stopping = `${check.name}: did not end within ${deadline} s; stopping it (SIGTERM, then SIGKILL ${grace} s later)\n`;
            if (streamed) process.stdout.write(stopping);
            else output.push(Buffer.from(stopping));
            child.kill("SIGTERM");
            setTimeout(() => child.kill("SIGKILL"), grace * 1000).unref();
        }, deadline * 1000);
        // The kernel adds a child's whole CPU to ours when it is reaped, and 'exit' is emitted as it is reaped: the
        // growth since the previous check's exit is this check's (unless two checks ended in the same instant).
        /** @type {number | undefined} */
        let cpuSeconds;
        child.on("exit", () => {
            const now = childrenCpuSeconds();
            if (now !== undefined && cpuAtLastExit !== undefined) cpuSeconds = now - cpuAtLastExit;
            cpuAtLastExit = now;
            clearTimeout(stopper);
            // A process the stopped check started may still hold its output pipes open: they would never close.
            if (overran) for (const stream of [child.stdout, child.stderr]) stream?.destroy();
        });
        child.on("close", (code, signal) => {
            clearTimeout(stopper); // also when it never started ('error' without 'exit')
            const seconds = (Date.now() - started) / 1000;
            const ok = code === 0 && !overran;
            if (!streamed) process.stdout.write(Buffer.concat(output));
            const failure = overran ? `did not end within ${deadline} s` : (signal ?? `exit ${code}`);
            console.log(`${ok ? "✔" : "✘"} ${check.name}: ${ok ? "passed" : `failed (${failure})`} in ${seconds.toFixed(1)} s${cpuSeconds === undefined ? "" : `, ${cpuSeconds.toFixed(1)} s of CPU`}`);
            if (ok && check.summary) console.log(check.summary());
            const failures = ok || streamed ? undefined : failureDigest(Buffer.concat(output).toString("utf8"));
            resolve({ name: check.name, ok, seconds, cpuSeconds, failures });
        });
    });
}

/**
 * Runs the stages in order, the lanes of a stage side by side and each lane's checks one after another. A failed
 * check does not stop the rest of its lane (they only share cores: the two type-checks), so the run names every
 * check that failed; a stage with a failure is the last, since the next one runs what it builds.
 * @param {Check[][][]} allStages
 * @param {(check: Check, streamed: boolean) => Promise<Pick<CheckResult, "ok" | "name" | "failures">>} runCheck
 * @returns {Promise<Pick<CheckResult, "name" | "failures">[]>} the checks that failed
 */
async function runStages(allStages, runCheck = run) {
    /** @type {Pick<CheckResult, "name" | "failures">[]} */
    const failed = [];
    for (const lanes of allStages) {
        const streamed = lanes.length === 1;
        await Promise.all(
            lanes.map(async (lane) => {
                for (const check of lane) {
                    const result = await runCheck(check, streamed);
                    if (!result.ok) failed.push(result);
                }
            }),
        );
        if (failed.length > 0) break;
    }
    return failed;
}

/** @param {(serviceTemp: string) => Check[][][]} [makeStages] what to run (the tests give their own) */
async function main(makeStages = stages) {
    const unsupported = unsupportedHere(process.platform);
    if (unsupported) {
        console.error(unsupported);
        process.exit(1);
    }
    const started = Date.now();
    const loadAtStart = os.loadavg()[0].toFixed(1);
    const serviceTemp = fs.mkdtempSync(path.join(os.tmpdir(), "service-tests-"));
    process.on("exit", () => fs.rmSync(serviceTemp, { recursive: true, force: true }));
    const failed = await runStages(makeStages(serviceTemp));
    const total = ((Date.now() - started) / 1000).toFixed(1);
    const cpu = childrenCpuSeconds();
    const cost = `${total} s${cpu === undefined ? "" : `, ${cpu.toFixed(1)} s of CPU (user + system, every process it ran)`}; load average ${loadAtStart} at the start`;
    if (failed.length > 0) {
        for (const { name, failures } of failed) {
            if (failures) console.log(`\n── ${name} failed; its failures again, stack frames left out (its whole output is above) ──\n${failures}\n`);
        }
        console.log(`npm test failed in ${cost}: ${failed.map(({ name }) => name).join(", ")}`);
        process.exit(1);
    }
    console.log(`npm test passed in ${cost}`);
}

if (require.main === module) main();

module.exports = { stages, run, runStages, main, CHECK_DEADLINE_SECONDS };
