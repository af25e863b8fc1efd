/** The bench's `npm test` row: the whole suite's wall time against issue 23's target, with its CPU floor beside it. */
import * as os from "os";
import { Figure, progress } from "./figure";
import { CommandFailure, timeCommand } from "./processes";
import { round } from "./stats";

/** The command the row times (a spec gives a stand-in, so that no real `npm test` runs inside one). */
const NPM_TEST = { command: "npm", args: ["test", "--silent"] };

export function testSuite(quick: boolean, suite = NPM_TEST): Figure[] {
    if (quick) return [];
    progress("test suite: npm test (type-check, mocha, app tests)");
    let timed: { ms: number; stdout: string };
    try {
        timed = timeCommand(suite.command, suite.args);
    } catch (err) {
        if (!(err instanceof CommandFailure)) throw err;
        // Its own row, not the bench's end: the run's other figures are still measured and written, and report()
        // answers 1 for it.
        return [{ ...row(err.ms), pass: false, detail: err.message, failedCommand: "npm test" }];
    }
    const { ms, stdout } = timed;
    // What the run cost apart from what else the machine ran, from npm test's own last line (scripts/test/all.js).
    const cost = /([\d.]+) s of CPU .*; load average ([\d.]+) at the start/.exec(stdout);
    const cores = os.availableParallelism();
    const detail = cost
        ? `${cost[1]} s of CPU (user + system, every process of the run), so no schedule on ${cores} cores ends before ${round(Number(cost[1]) / cores, 1)} s; load average ${cost[2]} at the start`
        : undefined;
    return [{ ...row(ms), detail }];
}

/** Issue 23's target for the whole suite, every test kept, on the 2-core machine the figures come from. */
const row = (ms: number): Figure => ({ name: "npm test, wall time", value: round(ms / 1000, 1), unit: "s", target: "< 30 s", pass: ms < 30_000 });
