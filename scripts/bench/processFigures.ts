import * as fs from "fs";
import * as path from "path";

/**
 * Why the bench cannot measure on this machine, or undefined when it can: the service's CPU time and memory
 * (limiterCost.ts, app/bench/rss.ts) are read from Linux's /proc, which a Mac has not. Asked before anything runs,
 * rather than failing at the limiter's row with the program and test-suite timings already spent.
 */
export function whyNoProcessFigures(proc = "/proc", platform: string = process.platform): string | undefined {
    if (fs.existsSync(path.join(proc, "self", "stat"))) return undefined;
    return `the service's CPU and memory figures are read from ${proc}, which this ${platform} machine has not (Linux has): run npm run bench on Linux (a container or a CI runner)`;
}
