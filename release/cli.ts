/** The entry point of `npm run release` (package.json), started through scripts/build/run.js. */
import { exitWhenFlushed } from "../scripts/build/exitWhenFlushed";
import { answeredArguments } from "../scripts/build/usage";
import { USAGE, parseArgs, usageProblem } from "./arguments";

// A release loads the Automation API and the cloud SDKs (about 0.3 s of CPU): --help and a wrong argument are answered before.
async function cli(argv: string[]): Promise<number> {
    const answered = answeredArguments("release", argv, USAGE, usageProblem);
    if (answered !== undefined) return answered;
    const { main } = await import("./main");
    return main(parseArgs(argv));
}

cli(process.argv.slice(2)).then(exitWhenFlushed);
