import * as assert from "assert";
import { releasePlanFromConfig } from "../../release/settings";
import { judgeVerification } from "../../release/verification";
import { LoadFigures } from "../../release/probe/probeReport";
import { stackWith } from "../config/helpers";

/** The checklist's thresholds, as the prod stack file gives them (the defaults: 100 ms, 500 ms, 50 req/s, 1 %). */
const limits = releasePlanFromConfig(stackWith("prod"), "prod").verify;

/** A load that meets every gate with room, changed only where a test says. */
function load(changed: Partial<LoadFigures>): LoadFigures {
    return { seconds: 30, requests: 1800, errors: 0, requestsPerSecond: 60, healthP95Ms: 20, apiP95Ms: 90, ...changed };
}

const verdictOf = (changed: Partial<LoadFigures>) => judgeVerification({ smoke: [], load: load(changed) }, limits);

/**
 * The go-live checklist says health under 100 ms, API p95 under 500 ms, over 50 RPS and errors under 1 %. Before, each
 * gate let its threshold itself through (`value > threshold` failed), so a version measured at exactly 100 ms, 500 ms,
 * 50 req/s or 1 % went live against the checklist's words.
 */
describe("the release's verification holds the go-live checklist's strict bounds", () => {
    it("a load that meets every bound passes", () => {
        assert.deepStrictEqual(verdictOf({}), { kind: "passed" });
    });

    // Every comparison with NaN is false: before, a NaN figure passed its gate (`NaN >= threshold`, `NaN <= threshold`).
    it("a figure that is not a number fails its gate, naming it", () => {
        for (const [gate, changed, shown, threshold] of [
            ["release.verify.errorRatePercent", { requests: Infinity, errors: Infinity }, "NaN", 1],
            ["release.verify.minRequestsPerSecond", { requestsPerSecond: NaN }, "NaN", 50],
            ["release.verify.healthP95Ms", { healthP95Ms: NaN }, "NaN", 100],
            ["release.verify.apiP95Ms", { apiP95Ms: Infinity }, "Infinity", 500],
        ] as const) {
            assert.deepStrictEqual(verdictOf(changed), { kind: "failed", gate, value: null, threshold, text: `${gate}: measured ${shown}, not a figure to judge` });
        }
    });

    // [gate, the load at its threshold, the load just inside it, the threshold, the failure's text]
    for (const [gate, atThreshold, justInside, threshold, text] of [
        ["release.verify.healthP95Ms", { healthP95Ms: 100 }, { healthP95Ms: 99.9 }, 100, "release.verify.healthP95Ms 100 ms = 100 ms, not under it"],
        ["release.verify.apiP95Ms", { apiP95Ms: 500 }, { apiP95Ms: 499.9 }, 500, "release.verify.apiP95Ms 500 ms = 500 ms, not under it"],
        ["release.verify.minRequestsPerSecond", { requestsPerSecond: 50, requests: 1500 }, { requestsPerSecond: 50.1, requests: 1503 }, 50, "release.verify.minRequestsPerSecond 50 req/s = 50 req/s sustained over 30 s, not over it"],
        // 18 of 1,800 requests is 1 %.
        ["release.verify.errorRatePercent", { errors: 18 }, { errors: 17 }, 1, "release.verify.errorRatePercent 1% = 1%, not under it"],
    ] as const) {
        it(`${gate}: a figure at its threshold fails, naming it; just inside passes`, () => {
            assert.deepStrictEqual(verdictOf(atThreshold), { kind: "failed", gate, value: threshold, threshold, text });
            assert.deepStrictEqual(verdictOf(justInside), { kind: "passed" });
        });
    }

    // release/probe/load.ts: every HEALTH_EVERY-th (5th) load request is GET /health, and a p95 of no answered request
    // is undefined. A version whose /health never answers makes a fifth of the load fail: under an error threshold set
    // above that, nothing measured the health p95, and the checklist's "health under 100 ms" is not met.
    it("a p95 with no answered request to measure fails its gate, even when the errors stay under theirs", () => {
        const lenient = { ...limits, errorRatePercent: { ...limits.errorRatePercent, threshold: 25 } };
        const verdict = judgeVerification({ smoke: [], load: load({ errors: 360, healthP95Ms: undefined }) }, lenient);
        assert.deepStrictEqual(verdict, { kind: "failed", gate: "release.verify.healthP95Ms", value: null, threshold: 100, text: "release.verify.healthP95Ms: no answered request to measure" });
    });

    // The smoke test's first route is GET /health (config/probeLoad.ts SMOKE_REQUESTS): its failure is named like any other's.
    it("a failed smoke route is named with what it answered, the first one (GET /health) too", () => {
        const smoke = [
            { route: "GET /health", ok: false, detail: "503 " },
            { route: "GET /ready", ok: true, detail: "200" },
        ];
        assert.deepStrictEqual(judgeVerification({ smoke }, limits), { kind: "failed", gate: "release.verify.smoke", value: null, threshold: null, text: "smoke test GET /health answered 503 " });
    });

    it("past a threshold the message keeps its sign", () => {
        assert.strictEqual((verdictOf({ apiP95Ms: 812 }) as { text: string }).text, "release.verify.apiP95Ms 812 ms > 500 ms, not under it");
        assert.strictEqual((verdictOf({ requestsPerSecond: 31.5 }) as { text: string }).text, "release.verify.minRequestsPerSecond 31.5 req/s < 50 req/s sustained over 30 s, not over it");
        // Past it by less than the figure shows: the sign follows the figure printed.
        assert.strictEqual((verdictOf({ healthP95Ms: 100.0004 }) as { text: string }).text, "release.verify.healthP95Ms 100 ms = 100 ms, not under it");
    });
});
