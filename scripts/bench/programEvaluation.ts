/**
 * How long the program takes from node's start until every resource is registered, two ways:
 * - under mocks, in-process (`pulumi.runtime.setMocks`), with node set up as Pulumi's runner sets it up
 *   (source-map-support registered), against the same harness through ts-node with type-checking;
 * - under Pulumi's own language runtime (`@pulumi/pulumi/cmd/run`, what `pulumi up` starts) against a fake
 *   engine, as Pulumi.yaml says to start it, against the runner with Pulumi's default (ts-node, type-checking)
 *   and against an empty program (the runner's own cost).
 * Each row gives the median wall time and, beside it, the median CPU time of the program's process (user + system,
 * its whole life): on a shared 2-core machine the wall time of the same evaluation moved by about 600 ms with the
 * others' work, its CPU time by about 100 ms. Each group says the load average it started under.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { RuntimeWay, projectWay, runUnderPulumiRuntime } from "../offline/pulumiRuntime";
import { Figure, progress } from "./figure";
import { ROOT, childCpuMsSince, nodeVersionOf, programNode, reapedChildrenCpuMs, timeCommand } from "./processes";
import { median, round } from "./stats";

const RUNS = 5;
const COMPARISON_RUNS = 3;
const TARGET_MS = 1500;
const TARGET_SPEEDUP = 5;
const EVALUATE = "scripts/bench/evaluateProgram.ts";
const PROGRAM_STAMP = path.join(ROOT, "bin", "index.js.inputs.json");
/** Pulumi's runner registers source-map-support before it loads a program; so does every harness way. */
const AS_PULUMI_RUNNER = ["-r", "source-map-support/register"];

const HARNESS = {
    bundle: { args: [...AS_PULUMI_RUNNER, "scripts/build/run.js", EVALUATE], entry: "bundle", env: {} },
    tsNodeNoCheck: { args: [...AS_PULUMI_RUNNER, "-r", "ts-node/register/transpile-only", EVALUATE], entry: "source", env: {} },
    tsNodeTypeCheck: {
        args: [...AS_PULUMI_RUNNER, "-r", "ts-node/register", EVALUATE],
        entry: "source",
        env: { TS_NODE_TRANSPILE_ONLY: "false", TS_NODE_COMPILER_OPTIONS: JSON.stringify({ noCheck: false }) },
    },
} as const;

/** One evaluation: ms until every resource was registered, and the CPU ms its process spent (undefined without /proc). */
interface Evaluation {
    ms: number;
    cpuMs: number | undefined;
}

function underHarness(stack: string, way: keyof typeof HARNESS): Evaluation {
    const { args, entry, env } = HARNESS[way];
    const { stdout, cpuMs } = timeCommand(programNode(), [...args, stack, entry], env);
    return { ms: JSON.parse(stdout.trim().split("\n").pop()!).msSinceStart, cpuMs };
}

async function underRunner(stack: string, way: RuntimeWay): Promise<Evaluation> {
    // The runner's process is the only child started meanwhile (the fake engine runs in this one).
    const cpuBefore = reapedChildrenCpuMs();
    const run = await runUnderPulumiRuntime(stack, { ...way, node: programNode() });
    if (run.exitCode !== 0 || run.errors.length > 0) throw new Error(`the runner failed (${run.exitCode}): ${run.errors.join("\n")}\n${run.stderr}`);
    return { ms: run.msToLastRegistration, cpuMs: childCpuMsSince(cpuBefore) };
}

function medianOf(evaluations: Evaluation[]): Evaluation {
    const cpu = evaluations.map((e) => e.cpuMs);
    return { ms: median(evaluations.map((e) => e.ms)), cpuMs: cpu.every((c) => c !== undefined) ? median(cpu as number[]) : undefined };
}

function medianOfRuns(count: number, measure: () => Evaluation): Evaluation {
    return medianOf(Array.from({ length: count }, measure));
}

async function medianOfRunsAsync(count: number, measure: () => Promise<Evaluation>): Promise<Evaluation> {
    const evaluations: Evaluation[] = [];
    for (let i = 0; i < count; i++) evaluations.push(await measure());
    return medianOf(evaluations);
}

/** A row's value: the median wall time, and the median CPU time of the program's process beside it. */
function wallAndCpu({ ms, cpuMs }: Evaluation): Pick<Figure, "value" | "unit" | "shown"> {
    return { value: round(ms, 0), unit: "ms", shown: cpuMs === undefined ? undefined : `${round(ms, 0)} ms, CPU ${round(cpuMs, 0)} ms` };
}

const loadAverage = () => `load average ${os.loadavg()[0].toFixed(1)} at the start of this group`;

export function underMocks(stack: string): Figure[] {
    progress(`program evaluation under mocks, stack ${stack}, on Node ${nodeVersionOf(programNode())}: ${RUNS} bundled runs after a warm-up, ${COMPARISON_RUNS} of each comparison`);
    const load = loadAverage();
    underHarness(stack, "bundle");
    const bundled = medianOfRuns(RUNS, () => underHarness(stack, "bundle"));
    const rebuilt = medianOfRuns(COMPARISON_RUNS, () => {
        fs.rmSync(PROGRAM_STAMP, { force: true });
        return underHarness(stack, "bundle");
    });
    const noCheck = medianOfRuns(COMPARISON_RUNS, () => underHarness(stack, "tsNodeNoCheck"));
    const baseline = medianOfRuns(COMPARISON_RUNS, () => underHarness(stack, "tsNodeTypeCheck"));
    const speedup = baseline.ms / bundled.ms;
    return [
        { name: `program evaluation under mocks (${stack}): program.js, median of ${RUNS}`, ...wallAndCpu(bundled), target: `<= ${TARGET_MS} ms`, pass: bundled.ms <= TARGET_MS, detail: load },
        { name: `  first run after a source change (bundle rebuilt), median of ${COMPARISON_RUNS}`, ...wallAndCpu(rebuilt), target: "", pass: undefined },
        { name: `  index.ts through ts-node, transpile-only, median of ${COMPARISON_RUNS}`, ...wallAndCpu(noCheck), target: "", pass: undefined },
        { name: `  baseline: index.ts through ts-node with type-checking, median of ${COMPARISON_RUNS}`, ...wallAndCpu(baseline), target: "", pass: undefined },
        { name: `  speed-up over the baseline (${stack})`, value: round(speedup, 1), unit: "x", target: `>= ${TARGET_SPEEDUP}x`, pass: speedup >= TARGET_SPEEDUP },
    ];
}

export async function underPulumiRunner(stack: string): Promise<Figure[]> {
    progress(`program evaluation under Pulumi's runner (cmd/run, fake engine), stack ${stack}, on Node ${nodeVersionOf(programNode())}: ${RUNS} runs as Pulumi.yaml says, ${COMPARISON_RUNS} of each comparison`);
    const load = loadAverage();
    const asCommitted = projectWay();
    await underRunner(stack, asCommitted);
    const ours = await medianOfRunsAsync(RUNS, () => underRunner(stack, asCommitted));
    const empty = await medianOfRunsAsync(COMPARISON_RUNS, () => underRunner(stack, { typescript: false, program: "scripts/bench/emptyProgram.js" }));
    const pulumiDefault = await medianOfRunsAsync(COMPARISON_RUNS, () => underRunner(stack, { typescript: true, transpileOnly: false, program: "index.ts" }));
    const speedup = pulumiDefault.ms / ours.ms;
    return [
        {
            name: `program evaluation under Pulumi's runner (${stack}): as Pulumi.yaml says, median of ${RUNS}`,
            ...wallAndCpu(ours),
            target: `<= ${TARGET_MS} ms`,
            pass: ours.ms <= TARGET_MS,
            detail: `${round(empty.ms, 0)} ms of it is the runner itself, measured with an empty program; ${load}`,
        },
        { name: `  the runner with an empty program, median of ${COMPARISON_RUNS}`, ...wallAndCpu(empty), target: "", pass: undefined },
        { name: `  baseline: Pulumi's default (typescript: true, type-checking), median of ${COMPARISON_RUNS}`, ...wallAndCpu(pulumiDefault), target: "", pass: undefined },
        { name: `  speed-up over Pulumi's default (${stack})`, value: round(speedup, 1), unit: "x", target: `>= ${TARGET_SPEEDUP}x`, pass: speedup >= TARGET_SPEEDUP },
    ];
}
