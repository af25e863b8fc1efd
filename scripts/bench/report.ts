/** The end of `npm run bench`: the table, each figure's detail, and the figures written as JSON. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Figure, render } from "./figure";
import { ROOT } from "./processes";

/**
 * Prints the table and the details and writes the figures to `out` (.bench/results.json); answers the bench's exit
 * code: 1 when a measured command failed (said on stderr), a missed target being a figure, not a failure.
 */
export function report(figures: Figure[], out: string): 0 | 1 {
    const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), Node ${process.version}, ${os.platform()} ${os.arch()}`;
    console.log(`Benchmark on ${machine}, ${new Date().toISOString()}\n`);
    console.log(render(figures));
    for (const f of figures.filter((f) => f.detail)) console.log(`  ${f.name}: ${f.detail}`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify({ machine, cores: os.cpus().length, node: process.version, at: new Date().toISOString(), figures }, null, 2));
    console.log(`\nFigures written to ${path.relative(ROOT, out)}`);
    const failed = figures.filter((f) => f.pass === false);
    if (failed.length > 0) console.log(`${failed.length} target(s) missed: ${failed.map((f) => f.name.trim()).join("; ")}`);
    const broken = figures.filter((f) => f.failedCommand !== undefined);
    for (const f of broken) console.error(`bench: ${f.failedCommand} failed (its row above: the wall time until it did, and the end of its output); the other figures were measured`);
    return broken.length > 0 ? 1 : 0;
}
