// The baseline `npm run bench` measures the rate limiter against (scripts/bench/limiterCost.ts): the server
// bundle with the limiter replaced by a pass-through, built beside a control with build.mjs's options. The
// comparison means something only if the baseline never limits and the control does.
import * as assert from "assert";
import { scratchDir } from "../harness/tempDirs";
import { answersToOneClient, buildBundles } from "../../scripts/bench/limiterCost";

describe("bench: the rate limiter's baseline server", function () {
    this.timeout(60_000);

    it("at RATE_LIMIT_REQUESTS=1 one client's second request is 429 from the control bundle and 200 from the baseline", async () => {
        const bundles = buildBundles(scratchDir("limiter-bundles"), false);
        assert.deepStrictEqual(await answersToOneClient(bundles.with, 2), [200, 429]);
        assert.deepStrictEqual(await answersToOneClient(bundles.without, 3), [200, 200, 200]);
    });
});
