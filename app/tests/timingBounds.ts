import assert from "node:assert/strict";
import fs from "node:fs";
import * as os from "node:os";
import type { TestContext } from "node:test";

/**
 * Deadlines, drains and latencies measure this machine as much as the service: when it is oversubscribed (load
 * average above its cores; npm test runs the timed tests beside the program's specs and the type-checks) a timer or a
 * child process can run hundreds of milliseconds late. The load average is a minute's decaying average sampled every
 * 5 s, so it can read at or below the cores while tasks wait: where Linux reports CPU pressure, tasks waiting for a
 * core in at least half of the last 10 s count as oversubscribed too (a second judgement, not a measure of how late a
 * timer ran; a fresh clone's npm test here crossed 2 on the load average within 5 s of its start and 50 % pressure
 * about 5 s later). The program's specs use the same rule (tests/release/probe.spec.ts).
 *
 * A bound missed is judged here: the answer says what made the machine oversubscribed; on a machine with room the
 * bound fails with `figures` and the machine's figures, read once for the judgement and the message.
 */
export function oversubscribedOrFail(figures: string): string {
    const [load, cores, waited] = [os.loadavg()[0], os.cpus().length, cpuPressure()];
    const loadFigure = `load average ${load.toFixed(1)} on ${cores} cores`;
    const pressure = waited === undefined ? "no CPU pressure reported" : `tasks waiting for a core ${waited.toFixed(0)} % of the last 10 s`;
    const busy = load > cores ? loadFigure : waited !== undefined && waited >= BUSY_PRESSURE_PERCENT ? `${pressure} (${loadFigure})` : undefined;
    // The machine's figures as the rule judged them, so that a failure in CI says whether the machine was nearly busy
    // (the rule's thresholds are a judgement, not a measurement of how late a timer ran).
    assert.ok(busy, `${figures} (the machine had room: ${loadFigure}, ${pressure})`);
    return busy;
}

/** CPU pressure from which a machine counts as oversubscribed whatever its load average. */
export const BUSY_PRESSURE_PERCENT = 50;

/**
 * The share of the last 10 s in which at least one runnable task waited for a core: PSI's "some avg10" in
 * /proc/pressure/cpu (Linux 4.20 and later; the kernel's Documentation/accounting/psi.rst). Undefined where there is
 * none (macOS, a kernel built or booted without PSI).
 */
export function cpuPressure(): number | undefined {
    let text: string;
    try {
        text = fs.readFileSync(CPU_PRESSURE_FILE, "utf8");
    } catch {
        return undefined;
    }
    const some = /^some avg10=(\d+(?:\.\d+)?) /m.exec(text);
    return some ? Number(some[1]) : undefined;
}

export const CPU_PRESSURE_FILE = "/proc/pressure/cpu";

/** A bound on a figure measured in real time: `holds` whether it was met, `figures` what was measured. */
export type TimingBound = (holds: boolean, figures: string) => void;

/**
 * A test whose body checks bounds on real time through `bound`. A bound met passes. A bound missed on a machine with
 * room fails at once with its figures. A bound missed while the machine is oversubscribed says nothing of the code: it
 * is noted, the body's other checks still run, and once they have all passed the test ends skipped with the load and
 * the figures. Skipped only then: node:test's `t.skip()` does not end the test ("Calling skip() does not terminate
 * execution of the test function", TestContext.skip in @types/node's test.d.ts), and on Node 24 a check that fails
 * after it is reported as a skip as well, not a failure.
 */
export function withTimingBounds(body: (bound: TimingBound, t: TestContext) => Promise<void>): (t: TestContext) => Promise<void> {
    return async (t) => {
        const missed: string[] = [];
        let busy: string | undefined;
        await body((holds, figures) => {
            if (holds) return;
            busy = oversubscribedOrFail(figures);
            missed.push(figures);
        }, t);
        if (missed.length === 0) return;
        const message = `a timing bound missed with the ${busy}; measured ${missed.join("; ")}`;
        console.log(`# skipped: ${message}`);
        t.skip(message);
    };
}
