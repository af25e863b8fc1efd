import * as assert from "assert";
import { deployPipeline } from "./fixtures";

/** The live alias of the API: where a canary setting sends its traffic. The mock publishes version "1". */
async function apiAlias(canary?: { stableVersion?: string; weightPercent: number }) {
    const { cloud } = await deployPipeline("prod", { canary });
    const worker = cloud.one("aws:lambda/alias:Alias", "pipeline-worker").inputs;
    const api = cloud.one("aws:lambda/alias:Alias", "pipeline-api").inputs;
    return { version: api.functionVersion, weights: api.routingConfig?.additionalVersionWeights, worker };
}

describe("canary and rollback on the API's live alias", () => {
    it("no canary: everything to the version just published", async () => {
        const a = await apiAlias();
        assert.strictEqual(a.version, "1");
        assert.strictEqual(a.weights, undefined);
    });

    it("0 %: everything stays on the stable version (hold)", async () => {
        const a = await apiAlias({ stableVersion: "7", weightPercent: 0 });
        assert.strictEqual(a.version, "7");
        assert.strictEqual(a.weights, undefined);
    });

    it("10 %: 10 % to the new version, 90 % to the stable one", async () => {
        const a = await apiAlias({ stableVersion: "7", weightPercent: 10 });
        assert.strictEqual(a.version, "7");
        assert.deepStrictEqual(a.weights, { "1": 0.1 });
    });

    it("100 %: the new version takes all traffic (promotion)", async () => {
        const a = await apiAlias({ stableVersion: "7", weightPercent: 100 });
        assert.strictEqual(a.version, "1");
        assert.strictEqual(a.weights, undefined);
    });

    it("rollback: a canary at 10 % set back to 0 % returns all traffic to the stable version", async () => {
        const during = await apiAlias({ stableVersion: "7", weightPercent: 10 });
        const after = await apiAlias({ stableVersion: "7", weightPercent: 0 });
        assert.deepStrictEqual(during.weights, { "1": 0.1 });
        assert.strictEqual(after.version, "7");
        assert.strictEqual(after.weights, undefined);
    });

    it("the worker always follows the published version (the state machine needs one target)", async () => {
        const a = await apiAlias({ stableVersion: "7", weightPercent: 10 });
        assert.strictEqual(a.worker.functionVersion, "1");
        assert.strictEqual(a.worker.routingConfig, undefined);
    });
});
