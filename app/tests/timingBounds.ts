import assert from "node:assert/strict";
import * as os from "node:os";
import type { TestContext } from "node:test";

/**
 * Deadlines, drains and latencies measure this machine as much as the service: when it is oversubscribed (load
 * average above its cores; npm test runs the timed tests beside the program's specs and the type-checks) a timer or a
 * child process can run hundreds of milliseconds late. The program's specs use the same rule (tests/release/probe.spec.ts).
 */
export function oversubscribed(): string | undefined {
    const [load, cores] = [os.loadavg()[0], os.cpus().length];
    return load > cores ? `load average ${load.toFixed(1)} on ${cores} cores` : undefined;
}

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
            busy = oversubscribed();
            assert.ok(busy, figures);
            missed.push(figures);
        }, t);
        if (missed.length === 0) return;
        const message = `a timing bound missed with the ${busy}; measured ${missed.join("; ")}`;
        console.log(`# skipped: ${message}`);
        t.skip(message);
    };
}
