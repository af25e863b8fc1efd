import * as assert from "assert";
import { getClientConfig } from "@pulumi/gcp/organizations/getClientConfig";
import * as storage from "@pulumi/gcp/storage";
import * as pulumi from "@pulumi/pulumi";
import { runUnderMocks } from "../../scripts/offline/mockCloud";
import { readStackOutputs } from "../../scripts/offline/runProgram";
import { QUIET_LIMIT } from "../../scripts/offline/quietRun";

const never = () => new Promise<string>(() => {});

/** Holds the process's event loop for `ms`, as a spawnSync in another spec of the same mocha worker does. */
function holdEventLoop(ms: number): void {
    const until = Date.now() + ms;
    while (Date.now() < until);
}

// A program waiting on what never comes (preflight.ts's access token never resolving) used to hold every spec that runs
// it until mocha's timeout, "Timeout of 60000ms exceeded", naming nothing: npm test's whole deadline for 10 failures.
describe("a run under mocks whose program waits on what never comes fails, naming what it last asked", function () {
    this.timeout(15_000);
    const saved = QUIET_LIMIT.seconds;
    before(() => (QUIET_LIMIT.seconds = 2));
    after(() => (QUIET_LIMIT.seconds = saved));

    it("an answered read whose result the program never gets: the run fails in the quiet limit, naming the read and the resource left waiting; the next run is not held", async () => {
        const started = Date.now();
        const program = () => void new storage.Bucket("objects", { name: pulumi.output(getClientConfig().then(never)), location: "ASIA-NORTHEAST1" });
        await assert.rejects(runUnderMocks({ stack: "dev" }, program), {
            name: "QuietRun",
            message:
                "the program has waited 2 s with nothing asked: last asked invoke gcp:organizations/getClientConfig:getClientConfig (answered) (1 request(s) in all); " +
                "unanswered: none; resources whose registration waits on their inputs: gcp:storage/bucket:Bucket::objects",
        });
        assert.ok(Date.now() - started < 8_000, `failed after ${Date.now() - started} ms`);
        const { cloud } = await runUnderMocks({ stack: "dev" }, () => void new storage.Bucket("later", { location: "ASIA-NORTHEAST1" }));
        assert.deepStrictEqual(cloud.ofType("gcp:storage/bucket:Bucket").map((b) => b.name), ["later"]);
    });

    it("a stack output the program never resolves: reading the outputs fails in the quiet limit, naming it", async () => {
        const { cloud } = await runUnderMocks({ stack: "dev" }, () => void new storage.Bucket("objects", { location: "ASIA-NORTHEAST1" }));
        const outputs = { bucket: { name: pulumi.output("objects"), url: pulumi.output(never()) } };
        await assert.rejects(readStackOutputs(cloud, outputs), {
            name: "QuietRun",
            message:
                "the program has waited 2 s with nothing asked: last asked register gcp:storage/bucket:Bucket::objects (answered) (1 request(s) in all); " +
                "unanswered: none; resources whose registration waits on their inputs: none; stack outputs not resolved: bucket.url",
        });
    });

    it("a slow run that keeps asking is not stopped, however long it takes in all", async () => {
        const { cloud } = await runUnderMocks({ stack: "dev" }, async () => {
            for (let read = 0; read < 6; read++) {
                await getClientConfig();
                await new Promise((next) => setTimeout(next, 700));
            }
        });
        assert.strictEqual(cloud.calls.length, 6);
    });

    it("a process that stood still (its event loop held longer than the limit) does not count that time against the program", async () => {
        const { cloud } = await runUnderMocks({ stack: "dev" }, async () => {
            await getClientConfig();
            holdEventLoop(3_500);
            await getClientConfig();
        });
        assert.strictEqual(cloud.calls.length, 2);
    });
});
