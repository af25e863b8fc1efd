import * as assert from "assert";
import { deployService } from "./fixtures";

const LATEST = "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST";
const REVISION = "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION";

async function traffic(canary?: { stableRevision?: string; percent: number; candidateRevision?: string }) {
    const { run } = await deployService("prod", { canary });
    return run.inputs.traffics;
}

describe("Cloud Run traffic split: canary and rollback", () => {
    it("no canary: 100 % to the latest revision", async () => {
        assert.deepStrictEqual(await traffic(), [{ type: LATEST, percent: 100 }]);
    });
    it("0 %: 100 % to the stable revision (hold); the latest is reachable alone at its tagged URL", async () => {
        assert.deepStrictEqual(await traffic({ stableRevision: "service-00007-abc", percent: 0 }), [
            { type: LATEST, percent: 0, tag: "candidate" },
            { type: REVISION, revision: "service-00007-abc", percent: 100 },
        ]);
    });
    it("10 %: 10 % to the latest, 90 % to the stable revision", async () => {
        assert.deepStrictEqual(await traffic({ stableRevision: "service-00007-abc", percent: 10 }), [
            { type: LATEST, percent: 10, tag: "candidate" },
            { type: REVISION, revision: "service-00007-abc", percent: 90 },
        ]);
    });
    it("100 %: the latest revision takes all traffic (promotion)", async () => {
        assert.deepStrictEqual(await traffic({ stableRevision: "service-00007-abc", percent: 100 }), [{ type: LATEST, percent: 100, tag: "candidate" }]);
    });
    it("a release's recorded candidate keeps the percent, as a REVISION target with the tag: the latest revision an update creates gets none", async () => {
        assert.deepStrictEqual(await traffic({ stableRevision: "service-00007-abc", percent: 10, candidateRevision: "service-00008-def" }), [
            { type: REVISION, revision: "service-00008-def", percent: 10, tag: "candidate" },
            { type: REVISION, revision: "service-00007-abc", percent: 90 },
        ]);
        assert.deepStrictEqual(await traffic({ stableRevision: "service-00007-abc", percent: 100, candidateRevision: "service-00008-def" }), [
            { type: REVISION, revision: "service-00008-def", percent: 100, tag: "candidate" },
        ]);
        assert.deepStrictEqual(
            await traffic({ stableRevision: "service-00007-abc", percent: 0, candidateRevision: "service-00008-def" }),
            [
                { type: LATEST, percent: 0, tag: "candidate" },
                { type: REVISION, revision: "service-00007-abc", percent: 100 },
            ],
            "at 0 % the tag is on the latest, which the next release verifies there",
        );
    });

    it("a recorded candidate that is the stable revision keeps every request there, as 0 % does", async () => {
        // traffic.ts: "A recorded candidate that is the stable revision holds everything there, as 0 % does."
        assert.deepStrictEqual(await traffic({ stableRevision: "service-00007-abc", percent: 10, candidateRevision: "service-00007-abc" }), [
            { type: LATEST, percent: 0, tag: "candidate" },
            { type: REVISION, revision: "service-00007-abc", percent: 100 },
        ]);
    });
    it("rollback: from 10 % back to 0 % sends everything to the stable revision", async () => {
        const during = await traffic({ stableRevision: "service-00007-abc", percent: 10 });
        const after = await traffic({ stableRevision: "service-00007-abc", percent: 0 });
        assert.strictEqual(during.length, 2);
        assert.deepStrictEqual(after, [
            { type: LATEST, percent: 0, tag: "candidate" },
            { type: REVISION, revision: "service-00007-abc", percent: 100 },
        ]);
    });
});
