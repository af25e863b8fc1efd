import * as assert from "assert";
import { ImageNotFoundError, awaitImage, imagePusher } from "../../components/image/imageResolution";
import { ImageLookup } from "../../components/image/types";

const lookupAnswering = (answers: (string | undefined)[]): ImageLookup & { calls: number } => {
    const lookup = {
        calls: 0,
        description: "Artifact Registry repository asia-northeast1-docker.pkg.dev/p/r",
        findDigest: async () => answers[Math.min(lookup.calls++, answers.length - 1)],
    };
    return lookup;
};

describe("image resolution: awaitImage", () => {
    it("polls at the interval until the tag appears, reporting progress and who pushes it", async () => {
        let clock = 0;
        const slept: number[] = [];
        const progress: string[] = [];
        const digest = await awaitImage("c-1", lookupAnswering([undefined, undefined, "sha256:bb"]), {
            timeoutMs: 10 * 60_000,
            intervalMs: 15_000,
            pushedBy: imagePusher({}),
            progress: (m) => progress.push(m),
            clock: { sleep: async (ms) => void (slept.push(ms), (clock += ms)), now: () => clock },
        });
        assert.strictEqual(digest, "sha256:bb");
        assert.deepStrictEqual(slept, [15_000, 15_000]);
        assert.strictEqual(progress.length, 2);
        assert.match(progress[1], /waiting for image c-1 in Artifact Registry .*image\.yml.*: 0\.3 of 10 min/);
    });

    it("image.waitMinutes 0 asks once and gives up without saying it waited", async () => {
        const lookup = lookupAnswering([undefined]);
        await assert.rejects(
            awaitImage("c-9", lookup, { timeoutMs: 0, intervalMs: 15_000, pushedBy: imagePusher({}), progress: () => assert.fail("no progress without a wait"), clock: { sleep: async () => assert.fail("no sleep"), now: () => 0 } }),
            (err: Error) => err instanceof ImageNotFoundError && /c-9 is not in Artifact Registry repository \S+\. `pulumi up` never builds images/.test(err.message) && !/after waiting/.test(err.message),
        );
        assert.strictEqual(lookup.calls, 1);
    });

    it("gives up at the deadline (never sleeping past it), naming tag, registry and who pushes: the workflow, or the promotion", async () => {
        for (const [promotedFrom, pusher] of [[undefined, /image\.yml/], ["dev", /npm run image -- promote dev <stack>/]] as const) {
            let clock = 0;
            const slept: number[] = [];
            const lookup = lookupAnswering([undefined]);
            await assert.rejects(
                awaitImage("c-9", lookup, {
                    timeoutMs: 40_000,
                    intervalMs: 15_000,
                    pushedBy: imagePusher({ promotedFrom }),
                    progress: () => {},
                    clock: { sleep: async (ms) => void (slept.push(ms), (clock += ms)), now: () => clock },
                }),
                (err: Error) =>
                    err instanceof ImageNotFoundError &&
                    /c-9 is not in Artifact Registry repository .* after waiting 0\.7 min\. `pulumi up` never builds images/.test(err.message) &&
                    pusher.test(err.message),
            );
            assert.deepStrictEqual(slept, [15_000, 15_000, 10_000]);
            assert.strictEqual(lookup.calls, 4);
        }
    });
});
