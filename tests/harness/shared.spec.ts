import * as assert from "assert";
import { randomUUID } from "crypto";
import { withProcessEnvironment } from "../../scripts/offline/environment";
import { sharedPerRun } from "./shared";
import { scratchDir } from "./tempDirs";

/**
 * Another process of the run is two sharers of one name here: each keeps its own per-process results, so the second
 * can only have the first's result from the run's folder.
 */
describe("a result shared by the run's processes (tests/harness/shared.ts, sharedPerRun)", () => {
    it("what one process ran is read by another, which does not run it; other arguments and other names run their own", async () => {
        await withProcessEnvironment({ SPEC_RUN_RESULTS: scratchDir("run-results") }, () => {
            const name = `probe ${randomUUID()}`;
            const ran: string[] = [];
            const sharer = (who: string, sharedName = name) => sharedPerRun(sharedName, (n: number) => (ran.push(`${who} ${n}`), { who, n }));
            const [first, second] = [sharer("first"), sharer("second")];
            assert.deepStrictEqual(first(1), { who: "first", n: 1 });
            assert.deepStrictEqual(second(1), { who: "first", n: 1 });
            assert.deepStrictEqual(second(2), { who: "second", n: 2 });
            assert.deepStrictEqual(sharer("third", `${name} elsewhere`)(1), { who: "third", n: 1 });
            assert.deepStrictEqual(ran, ["first 1", "second 2", "third 1"]);
        });
    });

    it("without the run's folder (SPEC_RUN_RESULTS unset), each process runs its own", async () => {
        await withProcessEnvironment({ SPEC_RUN_RESULTS: undefined }, () => {
            const name = `probe ${randomUUID()}`;
            let runs = 0;
            const sharer = () => sharedPerRun(name, (n: number) => ({ n, run: ++runs }));
            assert.deepStrictEqual([sharer()(1), sharer()(1)], [{ n: 1, run: 1 }, { n: 1, run: 2 }]);
        });
    });
});
