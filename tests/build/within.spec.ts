import * as assert from "assert";
import { within } from "../../scripts/build/within";

const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;

describe("a promise given a deadline (scripts/build/within.ts)", () => {
    it("an answer in time is the promise's own, and its deadline's timer is gone with it (a tool would wait out the deadline before it exits)", async () => {
        await new Promise(setImmediate); // past mocha's own timer for this test, set once the test function has returned
        const before = timers();
        assert.strictEqual(await within(Promise.resolve("answer"), 60_000, "gcp: a token"), "answer");
        assert.strictEqual(timers(), before);
        await assert.rejects(within(Promise.reject(new Error("refused")), 60_000, "gcp: a token"), { message: "refused" });
        assert.strictEqual(timers(), before);
    });

    it("no answer by the deadline: an error naming what did not answer, or only the deadline when unnamed", async () => {
        const never = new Promise<never>(() => {});
        await assert.rejects(within(never, 20, "pulumi up of prod"), { message: "pulumi up of prod: no answer within 20 ms" });
        await assert.rejects(within(never, 20), { message: "no answer within 20 ms" });
    });
});
