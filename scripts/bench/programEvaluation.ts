/**
 * How long the program takes from node's start until every resource is registered, two ways:
 * - under mocks, in-process (`pulumi.runtime.setMocks`), with node set up as Pulumi's runner sets it up
 *   (source-map-support registered), against the same harness through ts-node with type-checking;
 * - under Pulumi's own language runtime (`@pulumi/pulumi/cmd/run`, what `pulumi up` starts) against a fake
 *   engine, as Pulumi.yaml says to start it, against the runner with Pulumi's default (ts-node, type-checking)
 *   and against an empty program (the runner's own cost).
 */
import * as fs from "fs";
import * as path from "path";
import { RuntimeWay, projectWay, runUnderPulumiRuntime } from "../offline/pulumiRuntime";
import { Figure, progress } from "./figure";
import { ROOT, nodeVersionOf, programNode, timeCommand } from "./processes";
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

function harnessMs(stack: string, way: keyof typeof HARNESS): number {
    const { args, entry, env } = HARNESS[way];
    const { stdout } = timeCommand(programNode(), [...args, stack, entry], env);
    return JSON.parse(stdout.trim().split("\n").pop()!).msSinceStart;
}

async function runnerMs(stack: string, way: RuntimeWay): Promise<number> {
    const run = await runUnderPulumiRuntime(stack, { ...way, node: programNode() });
    if (run.exitCode !== 0 || run.errors.length > 0) throw new Error(`the runner failed (${run.exitCode}): ${run.errors.join("\n")}\n${run.stderr}`);
    return run.msToLastRegistration;
}

function medianOf(count: number, measure: () => number): number {
    return median(Array.from({ length: count }, measure));
}

async function medianOfAsync(count: number, measure: () => Promise<number>): Promise<number> {
    const values: number[] = [];
    for (let i = 0; i < count; i++) values.push(await measure());
    return median(values);
}

export function underMocks(stack: string): Figure[] {
    progress(`program evaluation under mocks, stack ${stack}, on Node ${nodeVersionOf(programNode())}: ${RUNS} bundled runs after a warm-up, ${COMPARISON_RUNS} of each comparison`);
    harnessMs(stack, "bundle");
    const bundled = medianOf(RUNS, () => harnessMs(stack, "bundle"));
    const rebuilt = medianOf(COMPARISON_RUNS, () => {
        fs.rmSync(PROGRAM_STAMP, { force: true });
        return harnessMs(stack, "bundle");
    });
    const noCheck = medianOf(COMPARISON_RUNS, () => harnessMs(stack, "tsNodeNoCheck"));
    const baseline = medianOf(COMPARISON_RUNS, () => harnessMs(stack, "tsNodeTypeCheck"));
    const speedup = baseline / bundled;
    return [
        { name: `program evaluation under mocks (${stack}): program.js, median of ${RUNS}`, value: round(bundled, 0), unit: "ms", target: `<= ${TARGET_MS} ms`, pass: bundled <= TARGET_MS },
        { name: `  first run after a source change (bundle rebuilt), median of ${COMPARISON_RUNS}`, value: round(rebuilt, 0), unit: "ms", target: "", pass: undefined },
        { name: `  index.ts through ts-node, transpile-only, median of ${COMPARISON_RUNS}`, value: round(noCheck, 0), unit: "ms", target: "", pass: undefined },
        { name: `  baseline: index.ts through ts-node with type-checking, median of ${COMPARISON_RUNS}`, value: round(baseline, 0), unit: "ms", target: "", pass: undefined },
        { name: `  speed-up over the baseline (${stack})`, value: round(speedup, 1), unit: "x", target: `>= ${TARGET_SPEEDUP}x`, pass: speedup >= TARGET_SPEEDUP },
    ];
}

export async function underPulumiRunner(stack: string): Promise<Figure[]> {
    progress(`program evaluation under Pulumi's runner (cmd/run, fake engine), stack ${stack}, on Node ${nodeVersionOf(programNode())}: ${RUNS} runs as Pulumi.yaml says, ${COMPARISON_RUNS} of each comparison`);
    const asCommitted = projectWay();
    await runnerMs(stack, asCommitted);
    const ours = await medianOfAsync(RUNS, () => runnerMs(stack, asCommitted));
    const empty = await medianOfAsync(COMPARISON_RUNS, () => runnerMs(stack, { typescript: false, program: "scripts/bench/emptyProgram.js" }));
    const pulumiDefault = await medianOfAsync(COMPARISON_RUNS, () => runnerMs(stack, { typescript: true, transpileOnly: false, program: "index.ts" }));
    const speedup = pulumiDefault / ours;
    return [
        {
            name: `program evaluation under Pulumi's runner (${stack}): as Pulumi.yaml says, median of ${RUNS}`,
            value: round(ours, 0),
            unit: "ms",
            target: `<= ${TARGET_MS} ms`,
            pass: ours <= TARGET_MS,
            detail: `${round(empty, 0)} ms of it is the runner itself, measured with an empty program`,
        },
        { name: `  the runner with an empty program, median of ${COMPARISON_RUNS}`, value: round(empty, 0), unit: "ms", target: "", pass: undefined },
        { name: `  baseline: Pulumi's default (typescript: true, type-checking), median of ${COMPARISON_RUNS}`, value: round(pulumiDefault, 0), unit: "ms", target: "", pass: undefined },
        { name: `  speed-up over Pulumi's default (${stack})`, value: round(speedup, 1), unit: "x", target: `>= ${TARGET_SPEEDUP}x`, pass: speedup >= TARGET_SPEEDUP },
    ];
}
