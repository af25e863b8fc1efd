import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { promisify } from "util";
import { parseDocument } from "yaml";
import { PROJECT_ROOT } from "../../config/stackFile";
import { VirtualClock } from "../../release/clock";
import { exitCodeFor } from "../../release/interruption";
import { main, reportedFailure } from "../../release/main";
import { parseArgs } from "../../release/arguments";
import { ReleaseError } from "../../release/releaseError";
import { SettingsError } from "../../config/errors";
import { sdkCliMissing } from "./sdkErrors";
import { runRelease } from "../../release/release";
import { simulate } from "../../release/simulation";
import { EXIT_CODES } from "../../release/types";
import { LISTED_PROBLEMS, ScenarioError, parseScenario, readScenario, samplesByStep } from "../../release/scenario";
import { withCapturedConsole } from "../harness/capturedConsole";
import { scratchDir } from "../harness/tempDirs";

const SCENARIOS = path.join(PROJECT_ROOT, "release", "scenarios");
const run = promisify(execFile);

/** `npm run release -- ...` as a process: through scripts/build/run.js, as package.json's script runs it. */
async function release(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
        const { stdout, stderr } = await run(process.execPath, ["scripts/build/run.js", "release/cli.ts", ...args], { cwd: PROJECT_ROOT });
        return { code: 0, stdout, stderr };
    } catch (err: any) {
        return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
}

/** The command's main() with console output captured: what the process would print and its exit code. */
async function inProcess(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const { result: code, stdout, stderr } = await withCapturedConsole(() => main(parseArgs(args)));
    return { code, stdout, stderr };
}

function problemsOf(json: unknown): string[] {
    try {
        parseScenario(json, "s.json");
    } catch (err) {
        if (err instanceof ScenarioError) return err.problems;
        throw err;
    }
    throw new Error("expected the scenario to be rejected");
}

/** A scratch project: the committed Pulumi.yaml, and Pulumi.prod.yaml with each `config` path set to its value. */
function prodProjectWith(name: string, settings: [path: string[], value: string][]): string {
    const root = scratchDir(name);
    fs.copyFileSync(path.join(PROJECT_ROOT, "Pulumi.yaml"), path.join(root, "Pulumi.yaml"));
    const prod = parseDocument(fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.prod.yaml"), "utf8"));
    for (const [at, value] of settings) prod.setIn(["config", ...at], value);
    fs.writeFileSync(path.join(root, "Pulumi.prod.yaml"), prod.toString());
    return root;
}

describe("release simulation", function () {
    this.timeout(30_000);

    it("`release -- prod --simulate healthy.json --json`: exit 0, the last line is the outcome, the config changes listed", async () => {
        const { code, stdout, stderr } = await release("prod", "--simulate", path.join(SCENARIOS, "healthy.json"), "--json");
        assert.strictEqual(code, 0, stderr);
        const lines = stdout.trim().split("\n");
        assert.strictEqual(lines.length, 1, "with --json, stdout holds the outcome alone");
        const outcome = JSON.parse(lines[0]);
        assert.deepStrictEqual(Object.keys(outcome), ["decision", "step", "cloud", "gate", "value", "threshold", "summary", "configChanges"]);
        assert.deepStrictEqual([outcome.decision, outcome.step], ["promoted", 100]);
        // The human output's last sentence, which alone says when the promoted version is not the tag's own.
        assert.match(outcome.summary, /^promoted: /);
        assert.deepStrictEqual(outcome.configChanges.slice(-8), [
            { key: "multicloud-service:aws.canary.stableVersion", value: "2" },
            { key: "multicloud-service:release.workerStableVersion", value: "2" },
            { key: "multicloud-service:aws.canary.weightPercent", value: 0 },
            { key: "multicloud-service:aws.canary.candidateVersion", value: "" },
            { key: "multicloud-service:release.workerCandidateVersion", value: "" },
            { key: "multicloud-service:gcp.canary.stableRevision", value: "service-00002-sim" },
            { key: "multicloud-service:gcp.canary.percent", value: 0 },
            { key: "multicloud-service:gcp.canary.candidateRevision", value: "" },
        ]);
        // candidateKeys.ts, candidateRecord: the candidate keys are written with the first step's weight, "where the config
        // does not hold them yet"; the later steps write their weight alone, and the promotion clears them.
        for (const key of ["multicloud-service:aws.canary.candidateVersion", "multicloud-service:release.workerCandidateVersion", "multicloud-service:gcp.canary.candidateRevision"]) {
            const written = outcome.configChanges.filter((c: { key: string }) => c.key === key).map((c: { value: unknown }) => c.value);
            assert.strictEqual(written.length, 2, `${key}: ${JSON.stringify(written)}`);
            assert.ok(written[0] !== "" && written[1] === "", `${key}: the candidate, then cleared: ${JSON.stringify(written)}`);
        }
        // A person can follow it on stderr: each step's split and each cloud against its gates.
        assert.match(stderr, /step 2\/3: 50% new \/ 50% stable/);
        // At 50% the split reads the same either way: the first step's says which side is which.
        assert.match(stderr, /step 1\/3: 10% new \/ 90% stable/);
        assert.match(stderr, /aws 6100 req, errors 0\.20% \(gate 5%\), p95 210 ms \(gate 2000 ms\), health ok: ok/);
        assert.match(stderr, /would run pulumi up/);
    });

    it("p95-breach.json: exit 3, naming cloud, gate, value and threshold; a malformed scenario: exit 2 naming the field (in-process)", async () => {
        const breach = await inProcess("prod", "--simulate", path.join(SCENARIOS, "p95-breach.json"));
        assert.strictEqual(breach.code, 3, breach.stderr);
        assert.match(breach.stdout, /\[simulated\] rolled back at 50%: gcp gcp\.alerts\.p95LatencyMs 2350 ms > 2000 ms/);

        const file = path.join(scratchDir("scenario"), "bad.json");
        fs.writeFileSync(file, JSON.stringify({ samples: { aws: [{ step: 10, requests: 1200, errors: 3, p95Ms: "fast" }] } }));
        const bad = await inProcess("prod", "--simulate", file, "--json");
        assert.strictEqual(bad.code, 2);
        assert.match(bad.stderr, /samples\.aws\[0\]\.p95Ms: expected a number/);
        assert.strictEqual(bad.stdout, "");
    });

    // Before: 100,000 samples for one step printed 99,999 lines of "a second sample", one a duplicate.
    it("a generated scenario with 100,000 samples for one step: exit 2, listing the first problems and counting the rest", async () => {
        const healthy = JSON.parse(fs.readFileSync(path.join(SCENARIOS, "healthy.json"), "utf8"));
        healthy.samples.aws.push(...Array.from({ length: 99_999 }, () => healthy.samples.aws[0]));
        const file = path.join(scratchDir("scenario"), "generated.json");
        fs.writeFileSync(file, JSON.stringify(healthy));
        const { code, stderr } = await inProcess("prod", "--simulate", file);
        assert.strictEqual(code, 2);
        const lines = stderr.trimEnd().split("\n");
        assert.deepStrictEqual(
            [lines.length, lines[0], lines[1], lines.at(-1)],
            [2 + LISTED_PROBLEMS, `release: scenario ${file} is not valid:`, "  - samples.aws[3].step: a second sample for step 10", `  ... and ${99_999 - LISTED_PROBLEMS} more`],
        );
    });

    it("a scenario with as many problems as are listed lists them all and counts nothing more; one more is counted", () => {
        const problems = Array.from({ length: LISTED_PROBLEMS }, (_, i) => `samples.aws[${i}].step: a second sample for step 10`);
        assert.deepStrictEqual(new ScenarioError("s.json", problems).message.split("\n"), ["scenario s.json is not valid:", ...problems.map((p) => `  - ${p}`)]);
        assert.strictEqual(new ScenarioError("s.json", [...problems, "one more"]).message.split("\n").at(-1), "  ... and 1 more");
    });

    it("low-traffic.json is held at the first step (in-process), and no pulumi up would have moved traffic further", async () => {
        const file = path.join(SCENARIOS, "low-traffic.json");
        const simulation = simulate("prod", readScenario(file), file);
        const outcome = await runRelease({ ...simulation, clock: new VirtualClock(), report: () => {}, pollSeconds: 60 });
        assert.deepStrictEqual([outcome.decision, EXIT_CODES[outcome.decision], outcome.step, outcome.gate, outcome.value], ["held", 4, 10, "release.minRequests", 40]);
        assert.strictEqual(simulation.ups(), 2, "deploy and the 10 % step");
    });

    it("the example scenario of docs/releases.md is valid and promotes on prod", async () => {
        const guide = fs.readFileSync(path.join(PROJECT_ROOT, "docs", "releases.md"), "utf8");
        const example = /\*\*Rehearsing a release\.\*\*[\s\S]*?```json\n([\s\S]*?)```/.exec(guide)?.[1];
        assert.ok(example, "docs/releases.md shows a scenario");
        const simulation = simulate("prod", parseScenario(JSON.parse(example), "docs/releases.md"), "docs/releases.md");
        const outcome = await runRelease({ ...simulation, clock: new VirtualClock(), report: () => {}, pollSeconds: 60 });
        assert.deepStrictEqual([outcome.decision, outcome.configChanges.find((c) => c.key.endsWith("aws.canary.stableVersion") && c.value === "8")?.value], ["promoted", "8"]);
    });

    const triggers: [string, number, (string | number | null)[], RegExp][] = [
        ["verify-smoke-failure.json", 3, [0, "gcp", "release.verify.smoke", null, null], /smoke test GET \/ready answered 503/],
        ["verify-health-p95.json", 3, [0, "gcp", "release.verify.healthP95Ms", 143, 100], /release\.verify\.healthP95Ms 143 ms > 100 ms/],
        ["verify-api-p95.json", 3, [0, "aws", "release.verify.apiP95Ms", 812, 500], /release\.verify\.apiP95Ms 812 ms > 500 ms/],
        ["verify-throughput.json", 3, [0, "aws", "release.verify.minRequestsPerSecond", 31.5, 50], /31\.5 req\/s < 50 req\/s sustained over 30 s/],
        ["verify-errors.json", 3, [0, "gcp", "release.verify.errorRatePercent", 2.393, 1], /release\.verify\.errorRatePercent 2\.393% > 1%/],
        ["health-failures.json", 3, [50, "gcp", "release.healthFailures", 3, 3], /3 health checks of the new version failed in a row/],
        ["lambda-concurrency.json", 3, [50, "aws", "release.maxUtilizationPercent", 94, 90], /ConcurrentExecutions \(Maximum\) of the reserved 100 94% > 90%/],
        ["cloud-run-memory.json", 3, [10, "gcp", "release.maxUtilizationPercent", 97.5, 90], /memory\/utilizations p99 97\.5% > 90%/],
    ];
    for (const [file, code, decided, summary] of triggers) {
        it(`${file}: exit ${code} at step ${decided[0]}, naming ${decided[2]} and its measured figure`, async () => {
            const { code: exit, stdout, stderr } = await inProcess("prod", "--simulate", path.join(SCENARIOS, file), "--json");
            assert.strictEqual(exit, code, stderr);
            const outcome = JSON.parse(stdout);
            assert.deepStrictEqual([outcome.step, outcome.cloud, outcome.gate, outcome.value, outcome.threshold], decided);
            assert.match(stderr, summary);
            if (decided[0] === 0) assert.ok(!outcome.configChanges.some((c: { key: string }) => /weightPercent|canary\.percent/.test(c.key)), "verification failed: no weight moved");
        });
    }

    it("a scenario without a verification for an enabled cloud is refused, naming it", () => {
        const scenario = parseScenario({ samples: { aws: [{ step: 100, requests: 1, errors: 0, p95Ms: 1 }] } });
        assert.throws(() => samplesByStep(scenario, [100], ["aws"], "s.json"), (err: ScenarioError) => {
            assert.deepStrictEqual(err.problems, ["verification.aws: missing (what the probe of the new version alone measured, before any traffic moves)"]);
            return true;
        });
    });

    it("names every bad field by its path", () => {
        assert.deepStrictEqual(problemsOf({ samples: { aws: [{ step: 10, requests: 12, errors: 20, p95Ms: 1 }], gcp: [{ step: 10, requests: -1, errors: 0, p95Ms: 1, extra: 1 }] }, steps: [50, 10] }), [
            "steps: must rise strictly, such as [10, 50, 100]",
            "steps: must end at 100 (the last step puts all traffic on the new version)",
            "samples.aws[0].errors: errors cannot exceed requests",
            "samples.gcp[0].requests: expected a whole number of requests, 0 or more",
            "samples.gcp[0]: unknown field extra",
        ]);
    });

    // Before: accepted, and 1e307 req/s over the 30 s load made Infinity requests and Infinity errors, whose NaN error
    // rate passed release.verify.errorRatePercent: a version answering every request with an error was promoted.
    it("a figure too large for the rehearsal's arithmetic is refused naming its field, as the whole-number fields are", () => {
        const verification = { requestsPerSecond: 1e307, errorRatePercent: 100, healthP95Ms: 5, apiP95Ms: 50 };
        assert.deepStrictEqual(problemsOf({ verification: { aws: verification }, samples: { aws: [{ step: 100, requests: 10, errors: 0, p95Ms: 1.7e308 }] } }), [
            "samples.aws[0].p95Ms: expected a number of milliseconds from 0 to 9007199254740991",
            "verification.aws.requestsPerSecond: expected requests per second from 0 to 9007199254740991",
        ]);
    });

    // Before: any non-empty text, which the rehearsal then recorded as the stable version the stack settings refuse.
    it("a scenario's versions are held to the stack settings' own rules, naming the field and the value", () => {
        assert.deepStrictEqual(problemsOf({ samples: {}, versions: { aws: { stable: "v7", new: "0" }, gcp: { stable: "Service-1", new: 7 } } }), [
            'versions.aws.stable: must be a published Lambda version number such as "7" (got "v7")',
            'versions.aws.new: must be a published Lambda version number such as "7" (got "0")',
            'versions.gcp.stable: must be a Cloud Run revision name such as "api-00007-abc" (got "Service-1")',
            "versions.gcp.new: Invalid input: expected string, received number (got 7)",
        ]);
        assert.deepStrictEqual(parseScenario({ samples: {}, versions: { aws: { stable: 7, new: "8" }, gcp: { stable: "service-00001-sim" } } }).versions, { aws: { stable: "7", new: "8" }, gcp: { stable: "service-00001-sim" } });
    });

    // Lambda numbers a function's versions upward (AWS Lambda API reference, PublishVersion), so the version a rehearsal
    // makes up follows the stable one it runs. Before: it followed the stack's recorded one (none on prod: "2", older
    // than the scenario's 7, and the same version as a stable "2"); and after 9999999999 it would be 11 digits, which
    // the settings' lambdaVersion refuses when the rehearsal records it.
    it("a scenario that gives only the stable version: the new one follows it, or is refused naming both", async () => {
        const healthy = JSON.parse(fs.readFileSync(path.join(SCENARIOS, "healthy.json"), "utf8"));
        const deployedAfterUp = async (versions: unknown) => {
            const simulation = simulate("prod", parseScenario({ ...healthy, versions }), "s.json");
            const before = await simulation.stack.deployed();
            await simulation.stack.up();
            const deployed = await simulation.stack.deployed();
            return [before.aws?.version, before.gcp?.version, deployed.aws?.version, deployed.gcp?.version];
        };
        assert.deepStrictEqual(await deployedAfterUp({ aws: { stable: "7" }, gcp: { stable: "service-00002-sim" } }), ["7", "service-00002-sim", "8", "service-00002-sim-next"]);
        // The scenario's own new version stands; a stable revision name of 63 characters (RFC 1035's most) is followed by
        // the fixed one, not by itself plus "-next", which no revision name could be.
        const longRevision = `s${"0".repeat(62)}`;
        assert.deepStrictEqual(await deployedAfterUp({ aws: { stable: "7", new: "9" }, gcp: { stable: longRevision } }), ["7", longRevision, "9", "service-00002-sim"]);
        assert.throws(() => simulate("prod", parseScenario({ ...healthy, versions: { aws: { stable: "9999999999" } } }), "s.json"), {
            name: "ScenarioError",
            file: "s.json",
            problems: ['versions.aws.new: the version after the stable "9999999999" would be "10000000000", which must be a published Lambda version number such as "7"; give versions.aws.new in the scenario'],
        });
    });

    // After its first release a stack records its stable versions (release/settings.ts), which a rehearsal runs unless
    // the scenario names its own: the new version follows whichever it runs.
    it("a stack that records its stable versions: the rehearsal runs them, or the scenario's, and the new one follows", async () => {
        const root = prodProjectWith("simulation-recorded-stable", [
            [["multicloud-service:aws", "canary", "stableVersion"], "5"],
            [["multicloud-service:gcp", "canary", "stableRevision"], "service-00005-abc"],
        ]);
        const healthy = JSON.parse(fs.readFileSync(path.join(SCENARIOS, "healthy.json"), "utf8"));
        const versionsBeforeAndAfterUp = async (versions?: unknown) => {
            const simulation = simulate("prod", parseScenario({ ...healthy, versions }), "s.json", root);
            const before = await simulation.stack.deployed();
            await simulation.stack.up();
            const after = await simulation.stack.deployed();
            return [before.aws?.version, before.gcp?.version, after.aws?.version, after.gcp?.version];
        };
        assert.deepStrictEqual(await versionsBeforeAndAfterUp(), ["5", "service-00005-abc", "6", "service-00002-sim"]);
        assert.deepStrictEqual(await versionsBeforeAndAfterUp({ aws: { stable: "7" } }), ["7", "service-00005-abc", "8", "service-00002-sim"]);
    });

    // Lambda never reuses a version number, even once the version is deleted (AWS Lambda Developer Guide, "Manage Lambda
    // function versions"): a release rolled back keeps its number, so the next publish comes after it. Before: the
    // rehearsal made up stable + 1, the number the stack records as rolled back, and left aws out ("aws 6, rolled back
    // before, got no traffic"), where the real release would publish 7 and run the canary on it.
    it("a stack that records a rolled-back version: the rehearsal's new version comes after it, and the rehearsal promotes", async () => {
        const root = prodProjectWith("simulation-rolled-back", [
            [["multicloud-service:aws", "canary", "stableVersion"], "5"],
            [["multicloud-service:release", "rolledBack", "awsVersion"], "6"],
        ]);
        const healthy = JSON.parse(fs.readFileSync(path.join(SCENARIOS, "healthy.json"), "utf8"));
        const simulation = simulate("prod", parseScenario(healthy), "s.json", root);
        const outcome = await runRelease({ ...simulation, clock: new VirtualClock(), report: () => {}, pollSeconds: 60 });
        assert.deepStrictEqual([outcome.decision, outcome.summary], ["promoted", "promoted: aws 7, gcp service-00002-sim is now the stable version"]);
    });

    // A candidate the stack records (a release that stopped before it ended) was published too: the made-up version
    // comes after it, and one that cannot follow it is refused naming the recorded version, not the stable one.
    it("a stack that records a candidate version: the rehearsal's new version comes after it, or is refused naming it", () => {
        const root = prodProjectWith("simulation-candidate", [
            [["multicloud-service:aws", "canary", "stableVersion"], "5"],
            [["multicloud-service:aws", "canary", "candidateVersion"], "9999999999"],
        ]);
        const healthy = parseScenario(JSON.parse(fs.readFileSync(path.join(SCENARIOS, "healthy.json"), "utf8")));
        assert.throws(() => simulate("prod", healthy, "s.json", root), {
            name: "ScenarioError",
            problems: ['versions.aws.new: the version after the recorded "9999999999" would be "10000000000", which must be a published Lambda version number such as "7"; give versions.aws.new in the scenario'],
        });
    });

    it("checks the scenario against the stack: one sample per enabled cloud and step, none for a disabled cloud", () => {
        const verification = { requestsPerSecond: 60, errorRatePercent: 0, healthP95Ms: 5, apiP95Ms: 50 };
        const scenario = parseScenario({
            verification: { aws: verification },
            samples: { aws: [{ step: 10, requests: 1, errors: 0, p95Ms: 1 }, { step: 10, requests: 1, errors: 0, p95Ms: 1 }, { step: 30, requests: 1, errors: 0, p95Ms: 1 }], gcp: [{ step: 10, requests: 1, errors: 0, p95Ms: 1 }] },
        });
        assert.throws(
            () => samplesByStep(scenario, [10, 100], ["aws"], "s.json"),
            (err: ScenarioError) => {
                assert.deepStrictEqual(err.problems, [
                    "samples.aws[1].step: a second sample for step 10",
                    "samples.aws[2].step: 30 is not one of the steps 10, 100",
                    "samples.aws: no sample for step 100 (one per step of 10, 100)",
                    "samples.gcp: gcp is disabled in this stack, so it has no samples",
                ]);
                return true;
            },
        );
    });

    it("usage errors are exit-2 material: no stack, two stacks, unknown option, a flag without its value", () => {
        for (const argv of [[], ["dev", "prod"], ["prod", "--fast"], ["prod", "--simulate"]]) assert.throws(() => parseArgs(argv), Error, argv.join(" "));
        assert.deepStrictEqual(parseArgs(["acme/prod", "--json", "--policy-pack", "policy"]), { stack: "acme/prod", json: true, policyPacks: ["policy"], policyPackConfigs: [] });
        // A flag where the value should be is that option's missing value, not its value (mutant A01 of arguments.ts survived).
        assert.throws(() => parseArgs(["prod", "--simulate", "--json"]), /^Error: --simulate needs a value$/);
        assert.throws(() => parseArgs(["prod", "--policy-pack", "--json"]), /^Error: --policy-pack needs a value$/);
        // An empty argument (an unset variable, quoted) is shown among the stacks, not as nothing after a comma.
        assert.throws(() => parseArgs(["prod", ""]), { message: 'one stack at a time (got prod, "")' });
    });

    // Each as the Pulumi CLI refuses it (pulumi/pulumi sdk/go/common/tokens/stack_name_test.go; pkg/backend/httpstate/backend.go
    // parseStackName; pkg/backend/backend.go CurrentProjectContradictsWorkspace), before anything is read or written.
    it("a stack reference the Pulumi CLI refuses is a usage error, in the CLI's words", () => {
        const refusals: [string, string][] = [
            ["", 'stack "": a stack name may not be empty'],
            ["acme/", "stack acme/: a stack name may not be empty"],
            ["my bad", "stack my bad: a stack name may only contain alphanumeric, hyphens, underscores, or periods: invalid character ' ' at position 2"],
            ["acme/mybad%", "stack acme/mybad%: a stack name may only contain alphanumeric, hyphens, underscores, or periods: invalid character '%' at position 5"],
            ["acme/multicloud-service/prod/x", "stack acme/multicloud-service/prod/x: could not parse stack name 'acme/multicloud-service/prod/x'"],
            ["acme/other-service/prod", 'stack acme/other-service/prod: provided project name "other-service" doesn\'t match Pulumi.yaml'],
            [`p${"x".repeat(100)}`, `stack p${"x".repeat(100)}: a stack name cannot exceed 100 characters`],
        ];
        for (const [stack, message] of refusals) assert.throws(() => parseArgs([stack]), { message }, stack);
        for (const stack of ["prod", "/prod", "acme/prod", "acme/multicloud-service/prod", "s-9_2.x", "x".repeat(100)]) assert.strictEqual(parseArgs([stack]).stack, stack);
    });

    // main.ts's header: "2 bad usage or scenario"; `npm run release -- --help` prints the same exit codes.
    it("a usage error exits 2, naming the problem and printing the usage, before anything is read", async () => {
        const { code, stdout, stderr } = await release("dev", "prod");
        assert.strictEqual(code, 2, stderr);
        assert.strictEqual(stdout, "");
        assert.match(stderr, /^release: one stack at a time \(got dev, prod\)\nusage: npm run release -- <stack>/);
    });

    // main.ts's header: "130 / 143 stopped by SIGINT / SIGTERM"; a stop's ReleaseError carries that code (releaseRun.ts, stopped).
    it("a release stopped by a signal exits 128 plus its number, and with --json its outcome is \"stopped\", not \"failed\"", () => {
        for (const [signal, exit] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
            const lines = { stdout: [] as string[], stderr: [] as string[] };
            const message = `stopped by ${signal} while 10% of traffic baked. The release state records 10% of traffic to aws v2`;
            const code = reportedFailure(new ReleaseError(message, exitCodeFor(signal)), true, { stdout: (l) => void lines.stdout.push(l), stderr: (l) => void lines.stderr.push(l) });
            assert.strictEqual(code, exit, signal);
            assert.deepStrictEqual(lines.stderr, [`release: ${message}`]);
            assert.deepStrictEqual(lines.stdout.map((l) => JSON.parse(l)), [{ decision: "stopped", summary: message }]);
        }
    });

    // Before: both passed, the scenario given last won silently, and the CLI refused the packs only at the first
    // pulumi up, after the release had read the stack and recorded its stable versions.
    it("usage errors too: a second --simulate, and --policy-pack-config without a --policy-pack of its own (the CLI's rule)", () => {
        assert.throws(() => parseArgs(["prod", "--simulate", "a.json", "--simulate", "b.json"]), { message: "--simulate takes one scenario (given twice)" });
        assert.throws(() => parseArgs(["prod", "--policy-pack-config", "policy/config/prod.json"]), { message: "--policy-pack-config must be given with --policy-pack" });
        assert.throws(() => parseArgs(["prod", "--policy-pack", "a", "--policy-pack", "b", "--policy-pack-config", "a.json"]), {
            message: "each --policy-pack-config goes with the --policy-pack in the same place (2 packs, 1 configs)",
        });
        // Packs without configs are fine, as for the CLI; deploy-prod.yml's form passes.
        assert.deepStrictEqual(parseArgs(["acme/prod", "--json", "--policy-pack", "policy", "--policy-pack-config", "policy/config/prod.json"]).policyPackConfigs, ["policy/config/prod.json"]);
        assert.deepStrictEqual(parseArgs(["prod", "--policy-pack", "a", "--policy-pack", "b"]).policyPacks, ["a", "b"]);
        // Before: accepted, and the rehearsal, which runs no pulumi up, ignored the pack.
        assert.throws(() => parseArgs(["prod", "--simulate", "s.json", "--policy-pack", "policy"]), { message: "--simulate runs no pulumi up, so no policy pack would be checked: leave out --policy-pack" });
    });

    // Before: bad settings printed their problems on stderr and nothing on stdout, though --help promises the outcome
    // as stdout's last line with --json, and every other ending prints it.
    it("with --json, a failure's last stdout line is its outcome, bad settings included; a bad scenario (usage) prints none", () => {
        const printed = () => {
            const lines = { stdout: [] as string[], stderr: [] as string[] };
            return { lines, print: { stdout: (l: string) => void lines.stdout.push(l), stderr: (l: string) => void lines.stderr.push(l) } };
        };
        const settings = printed();
        const bad = new SettingsError("prod", [{ key: "multicloud-service:aws.memoryMb", message: "expected a number (got \"lots\")" }]);
        assert.strictEqual(reportedFailure(bad, true, settings.print), 1);
        assert.deepStrictEqual(settings.lines.stderr, [bad.message]);
        assert.deepStrictEqual(settings.lines.stdout.map((l) => JSON.parse(l)), [{ decision: "failed", summary: bad.message }]);
        const other = printed();
        assert.strictEqual(reportedFailure(new Error("the ESC environment answered 503"), true, other.print), 1);
        assert.deepStrictEqual(JSON.parse(other.lines.stdout.pop()!), { decision: "failed", summary: "the ESC environment answered 503" });
        const quiet = printed();
        assert.strictEqual(reportedFailure(bad, false, quiet.print), 1);
        assert.deepStrictEqual(quiet.lines.stdout, [], "no JSON without --json");
    });

    // Before: "release: Command failed with ENOENT: pulumi version", which does not say what is missing.
    it("no Pulumi CLI on PATH is named as such, with the SDK's own words", () => {
        const missing = { stdout: [] as string[], stderr: [] as string[] };
        assert.strictEqual(reportedFailure(sdkCliMissing(), false, { stdout: (l) => void missing.stdout.push(l), stderr: (l) => void missing.stderr.push(l) }), 1);
        assert.deepStrictEqual(missing.stderr, [
            "release: the Pulumi CLI is not on PATH: the release runs it through the Automation API (the version in .pulumi.version, as deploy-prod.yml installs it) (Command failed with ENOENT: pulumi version)",
        ]);
    });
});
