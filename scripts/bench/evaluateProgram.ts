/**
 * One evaluation of the program under mocks, in its own process: prints how long after node started every
 * resource had been registered. Spawned by the benchmark with and without type-checking.
 */
import { performance } from "perf_hooks";
import { runProgram } from "../offline/runProgram";

const stack = process.argv[2] ?? "dev";
runProgram(stack).then(
    (run) => {
        console.log(JSON.stringify({ stack, resources: run.cloud.resources.length, msSinceStart: performance.now() }));
    },
    (err) => {
        console.error(err);
        process.exit(1);
    },
);
