import assert from "node:assert/strict";
import os from "node:os";
import { afterEach, describe, it, mock } from "node:test";
import type { TestContext } from "node:test";
import { withTimingBounds } from "./timingBounds";

/** The machine's load as os reports it: `load` runnable on average over the last minute, on two cores. */
function machineAt(load: number) {
    mock.method(os, "loadavg", () => [load, load, load]);
    mock.method(os, "cpus", () => Array.from({ length: 2 }, () => ({}) as os.CpuInfo));
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

    it("a bound missed on a machine with room fails with its figures", async () => {
        machineAt(1.5);
        await assert.rejects(run(async (bound) => bound(false, "exited 469 ms after SIGTERM")), { name: "AssertionError", message: "exited 469 ms after SIGTERM" });
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
