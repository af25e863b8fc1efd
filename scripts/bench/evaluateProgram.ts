/**
 * One evaluation of the program under mocks, in its own process: prints how long after node started every
 * resource had been registered. Spawned by the benchmark: `<stack> bundle` runs program.js as `pulumi up` does;
 * `<stack> source` requires index.ts through the TypeScript hook the benchmark started node with.
 */
import { performance } from "perf_hooks";
import { deferFunctionSerialization } from "../runtime/deferFunctionSerialization";
import type { ProgramEntry } from "../offline/runProgram";

const stack = process.argv[2] ?? "dev";
const entry = (process.argv[3] ?? "bundle") as ProgramEntry;
if (entry !== "bundle" && entry !== "source") {
    console.error(`entry must be "bundle" or "source", not "${entry}"`);
    process.exit(2);
}
// program.js defers this before the SDK first loads; here the mocks load the SDK first, so do it before them.
if (entry === "bundle") deferFunctionSerialization();
const { runProgram } = require("../offline/runProgram") as typeof import("../offline/runProgram");

runProgram(stack, { entry }).then(
    (run) => {
        console.log(JSON.stringify({ stack, entry, resources: run.cloud.resources.length, msSinceStart: performance.now() }));
    },
    (err) => {
        console.error(err);
        process.exit(1);
    },
);
