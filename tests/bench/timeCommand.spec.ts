import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { timeCommand } from "../../scripts/bench/processes";
import { report } from "../../scripts/bench/report";
import { testSuite } from "../../scripts/bench/testSuite";
import { withCapturedConsole } from "../harness/capturedConsole";
import { scratchDir } from "../harness/tempDirs";

/**
 * A failed `npm test`'s shape: 500 lines of checks that started, then why it failed, and exit 3, after 300 ms (a wall
 * time the row's tenths of a second show, without CPU spent).
 */
const failingScript = "console.log('a check that started\\n'.repeat(500)); console.log('1 failing: the reason'); setTimeout(() => process.exit(3), 300)";

describe("bench: a measured command that fails", () => {
    // Before: the error kept the first 4,000 characters of the output, so when the bench's `npm test` failed it showed
    // the checks that started and cut off the failures npm test repeats at its end.
    it("fails with the end of its output, where it says why", () => {
        assert.throws(
            () => timeCommand(process.execPath, ["-e", failingScript]),
            (err: Error) => {
                assert.match(err.message, /exited 3:\n\(its first \d+ characters left out\)\n/);
                assert.match(err.message, /1 failing: the reason\n\n$/);
                return true;
            },
        );
    });

    // Before: a command that never started, or that a signal stopped, was "exited null", saying neither.
    it("says a command could not start, or which signal stopped it, where spawnSync has no exit code", () => {
        // Nothing ran, so no output: none shown (before, "undefined" twice).
        assert.throws(() => timeCommand("no-such-command-for-the-bench", []), /: no-such-command-for-the-bench did not run to its end \(spawnSync no-such-command-for-the-bench ENOENT\):\n\n$/);
        assert.throws(() => timeCommand(process.execPath, ["-e", "process.kill(process.pid, 'SIGTERM')"]), / was stopped by SIGTERM:\n/);
    });

    // Before: a failed npm test threw out of the bench before its table: the 14-minute run's other figures were lost.
    it("a failed npm test is a FAIL row with its wall time and the end of its output; the table and results are still written, and the bench answers 1", async () => {
        const started = process.hrtime.bigint();
        const figures = testSuite(false, { command: process.execPath, args: ["-e", failingScript] });
        const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
        assert.strictEqual(figures.length, 1);
        const [row] = figures;
        assert.deepStrictEqual([row.name, row.unit, row.target, row.pass], ["npm test, wall time", "s", "< 30 s", false]);
        assert.ok(row.value >= 0.3 && row.value <= wallSeconds + 0.05, `${row.value} s: the command's wall time, from its 300 ms to the ${wallSeconds} s the row took`);
        assert.match(row.detail ?? "", /exited 3:\n\(its first \d+ characters left out\)\n[^]*1 failing: the reason\n\n$/);

        const out = path.join(scratchDir("bench-results"), ".bench", "results.json");
        const other = { name: "GET /health: requests/s", value: 15602, unit: "req/s", target: ">= 5000", pass: true };
        const { result, stdout, stderr } = await withCapturedConsole(async () => report([...figures, other], out));
        assert.strictEqual(result, 1, "the bench's exit code");
        assert.match(stdout, /\| npm test, wall time +\| [\d.]+ s +\| < 30 s +\| FAIL \|\n\| GET \/health: requests\/s +\| 15602 req\/s \| >= 5000 +\| pass \|/);
        assert.match(stdout, /  npm test, wall time: .* exited 3:\n[^]*1 failing: the reason/);
        assert.strictEqual(stderr, "bench: npm test failed (its row above: the wall time until it did, and the end of its output); the other figures were measured");
        assert.deepStrictEqual(
            JSON.parse(fs.readFileSync(out, "utf8")).figures.map((f: { name: string; pass: boolean }) => [f.name, f.pass]),
            [["npm test, wall time", false], [other.name, true]],
        );
    });

    it("a missed target is a figure, not a failure: the bench answers 0 and says nothing on stderr", async () => {
        const slow = { name: "npm test, wall time", value: 41.2, unit: "s", target: "< 30 s", pass: false };
        const out = path.join(scratchDir("bench-results"), ".bench", "results.json");
        const { result, stdout, stderr } = await withCapturedConsole(async () => report([slow], out));
        assert.deepStrictEqual([result, stderr], [0, ""]);
        assert.match(stdout, /\n1 target\(s\) missed: npm test, wall time$/);
    });
});

// The program-evaluation rows give the CPU time of the program's process beside its wall time: on a shared machine
// the wall time moves with the others' work. Before: timeCommand answered the wall time only.
describe("bench: a measured command's CPU time", () => {
    /** Spins until this process has used `ms` of CPU (user + system), then sleeps `sleepMs`. */
    const spinThenSleep = (ms: number, sleepMs: number) =>
        `const s = process.cpuUsage(); const u = () => { const c = process.cpuUsage(s); return (c.user + c.system) / 1000; }; while (u() < ${ms}); setTimeout(() => {}, ${sleepMs});`;

    it("is the child's own user + system time, apart from the time it waited", function () {
        if (process.platform !== "linux") this.skip();
        const { ms, cpuMs } = timeCommand(process.execPath, ["-e", spinThenSleep(300, 600)]);
        assert.ok(cpuMs !== undefined && cpuMs >= 290, `the child spun 300 ms of CPU, measured ${cpuMs} (Linux counts 10 ms ticks)`);
        assert.ok(cpuMs < ms - 400, `the child slept 600 ms of its ${Math.round(ms)} ms wall time, which is no CPU: measured ${cpuMs}`);
        // The next command's is its own alone, not added to the children reaped before it (at least this 300 ms).
        const next = timeCommand(process.execPath, ["-e", spinThenSleep(100, 0)]).cpuMs;
        assert.ok(next !== undefined && next >= 90 && next < 290, `the next child spun 100 ms of CPU, measured ${next}`);
    });
});
