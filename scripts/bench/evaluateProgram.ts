/**
 * One evaluation of the program under mocks, in its own process: prints how long after node started every
 * resource had been registered. Spawned by the benchmark: `<stack> bundle` (started through scripts/build/run.js,
 * which defers what program.js defers) runs program.js as `pulumi up` does; `<stack> source` requires index.ts
 * through the TypeScript hook the benchmark started node with.
 */
import { performance } from "perf_hooks";
import { ProgramEntry, runProgram } from "../offline/runProgram";

const stack = process.argv[2] ?? "dev";
const entry = (process.argv[3] ?? "bundle") as ProgramEntry;
if (entry !== "bundle" && entry !== "source") {
    console.error(`entry must be "bundle" or "source", not "${entry}"`);
    process.exit(2);
}

runProgram(stack, { entry }).then(
    (run) => {
        console.log(JSON.stringify({ stack, entry, resources: run.cloud.resources.length, msSinceStart: performance.now() }));
    },
    (err) => {
        console.error(err);
        process.exit(1);
    },
);
