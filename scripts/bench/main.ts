/**
 * `npm run bench`: measures the program and the reference service against their targets and baselines,
 * prints a table and writes the figures to .bench/results.json.
 *   --quick   skip the test-suite timing (it runs the whole `npm test`)
 * The service's fault, SIGTERM and soak figures take about 2 minutes (see serviceResilience.ts).
 */
import { answeredArguments } from "../build/usage";
import { whyNoProcessFigures } from "./processFigures";

const USAGE = [
    "usage: npm run bench -- [--quick]",
    "  --quick   skip timing the whole `npm test` (the full run takes about 12 minutes)",
].join("\n");

// The benchmarks load autocannon and the Pulumi SDKs (about 0.4 s of CPU): --help and a wrong argument are answered before.
async function main(argv: string[]) {
    const answered = answeredArguments("bench", argv, USAGE, { flags: ["--quick"] });
    if (answered !== undefined) {
        process.exitCode = answered;
        return;
    }
    const withoutFigures = whyNoProcessFigures();
    if (withoutFigures !== undefined) {
        console.error(`bench: ${withoutFigures}`);
        process.exitCode = 1;
        return;
    }
    const { runBenchmarks } = await import("./benchmarks");
    process.exitCode = await runBenchmarks(argv.includes("--quick"));
}

main(process.argv.slice(2)).catch((err) => {
    console.error(`bench: ${err.message}`);
    process.exit(1);
});
