import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import { afterEach, describe, it, mock } from "node:test";
import type { TestContext } from "node:test";
import { CPU_PRESSURE_FILE, withTimingBounds } from "./timingBounds";

const readFileSync = fs.readFileSync;

/**
 * The machine as os and the kernel report it: `load` runnable on average over the last minute, on two cores, and
 * tasks waiting for a core `waitedPercent` of the last 10 s (null: a kernel without PSI, the file absent). The
 * pressure file is the kernel's own format (Documentation/accounting/psi.rst: a "some" line and a "full" line, each
 * avg10, avg60, avg300 and total).
 */
function machineAt(load: number, waitedPercent: number | null = 0) {
    mock.method(os, "loadavg", () => [load, load, load]);
    mock.method(os, "cpus", () => Array.from({ length: 2 }, () => ({}) as os.CpuInfo));
    mock.method(fs, "readFileSync", (file: fs.PathOrFileDescriptor, options: unknown) => {
        if (file !== CPU_PRESSURE_FILE) return (readFileSync as (f: unknown, o: unknown) => unknown)(file, options);
        if (waitedPercent === null) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${CPU_PRESSURE_FILE}'`), { code: "ENOENT" });
        const avg = waitedPercent.toFixed(2);
        return `some avg10=${avg} avg60=${avg} avg300=${avg} total=9785147094\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n`;
    });
}

/** A test context that only records the skips asked of it. */
const recordingSkips = (skips: string[]) => ({ skip: (message?: string) => void skips.push(message ?? "") }) as unknown as TestContext;

/** Runs a test body as node:test would; returns the skips it asked for. */
async function run(body: Parameters<typeof withTimingBounds>[0]): Promise<string[]> {
    const skips: string[] = [];
    await withTimingBounds(body)(recordingSkips(skips));
    return skips;
}

describe("timing bounds on an oversubscribed machine (withTimingBounds)", () => {
    afterEach(() => mock.restoreAll());

    it("a bound met passes, busy or not", async () => {
        for (const load of [0.5, 7]) {
            machineAt(load);
            assert.deepEqual(await run(async (bound) => bound(true, "exited 120 ms after SIGTERM")), []);
        }
    });

    it("a bound missed on a machine with room fails with its figures, a load average equal to its cores too", async () => {
        for (const load of [1.5, 2]) {
            machineAt(load);
            const message = `exited 469 ms after SIGTERM (the machine had room: load average ${load.toFixed(1)} on 2 cores, tasks waiting for a core 0 % of the last 10 s)`;
            await assert.rejects(run(async (bound) => bound(false, "exited 469 ms after SIGTERM")), { name: "AssertionError", message }, `load ${load}`);
            mock.restoreAll();
        }
    });

    it("a bound missed while oversubscribed ends the test skipped, with the load and every figure, once its other checks have run", async () => {
        machineAt(7);
        mock.method(console, "log", () => undefined); // the skip's own line, printed for a real test
        const checked: string[] = [];
        const skips = await run(async (bound) => {
            bound(false, "exited 469 ms after SIGTERM");
            checked.push("after the first bound");
            bound(false, "cut after 1950 ms");
            checked.push("after the second");
        });
        assert.deepEqual(checked, ["after the first bound", "after the second"]);
        assert.deepEqual(skips, ["a timing bound missed with the load average 7.0 on 2 cores; measured exited 469 ms after SIGTERM; cut after 1950 ms"]);
    });

    it("a bound missed while tasks wait for a core is skipped though the load average reads below the cores", async () => {
        // Before: only the load average counted, a minute's average sampled every 5 s; the CPU pressure is the last
        // 10 s's share of time in which a task waited for a core.
        machineAt(1.5, 85);
        mock.method(console, "log", () => undefined);
        const skips = await run(async (bound) => bound(false, "slowest answer 2175 ms, deadline 1500 ms"));
        assert.deepEqual(skips, ["a timing bound missed with the tasks waiting for a core 85 % of the last 10 s (load average 1.5 on 2 cores); measured slowest answer 2175 ms, deadline 1500 ms"]);
        mock.restoreAll();
        machineAt(1.5, 50); // BUSY_PRESSURE_PERCENT itself counts as busy
        mock.method(console, "log", () => undefined);
        assert.equal((await run(async (bound) => bound(false, "slowest answer 2175 ms"))).length, 1);
    });

    it("a bound missed with little CPU pressure, or on a kernel without PSI, fails with its figures", async () => {
        for (const [waited, said] of [[49.99, "tasks waiting for a core 50 % of the last 10 s"], [null, "no CPU pressure reported"]] as const) {
            machineAt(1.5, waited);
            const message = `exited 469 ms after SIGTERM (the machine had room: load average 1.5 on 2 cores, ${said})`;
            await assert.rejects(run(async (bound) => bound(false, "exited 469 ms after SIGTERM")), { name: "AssertionError", message }, `pressure ${waited}`);
            mock.restoreAll();
        }
    });

    it("each missed bound is judged by the machine as it is then: one missed after the machine has room again fails", async () => {
        machineAt(7);
        await assert.rejects(
            run(async (bound) => {
                bound(false, "exited 469 ms after SIGTERM");
                mock.restoreAll();
                machineAt(0.5);
                bound(false, "cut after 1950 ms");
            }),
            { name: "AssertionError", message: "cut after 1950 ms (the machine had room: load average 0.5 on 2 cores, tasks waiting for a core 0 % of the last 10 s)" },
        );
    });

    it("a bound missed while oversubscribed does not hide a check that fails after it: the test fails, not skipped", async () => {
        machineAt(7);
        const skips: string[] = [];
        const test = withTimingBounds(async (bound) => {
            bound(false, "exited 469 ms after SIGTERM");
            assert.equal(201, 503, "the upload was acknowledged");
        });
        await assert.rejects(test(recordingSkips(skips)), { message: /the upload was acknowledged/ });
        assert.deepEqual(skips, []);
    });
});
