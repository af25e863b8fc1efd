import * as assert from "assert";
import { Provider as GcpProvider } from "@pulumi/gcp/provider";
import * as storage from "@pulumi/gcp/storage";
import * as pulumi from "@pulumi/pulumi";
import { UnhandledProgramErrors, runUnderMocks } from "../../scripts/offline/mockCloud";
import { failedUpdate } from "./failedUpdate";

// Pulumi's language host fails the update on an error the program raised inside an output; under mocha, which traps
// unhandled rejections and lets them go, such a run used to end as if it had passed.
describe("a run under mocks fails where the update would", () => {
    it("an apply that throws, feeding a resource: the run fails with its message, and the resource is not registered", async () => {
        const program = () => {
            const name = pulumi.output("objects").apply((n): string => {
                throw new Error(`no bucket named ${n} today`);
            });
            new storage.Bucket("objects", { name, location: "ASIA-NORTHEAST1" });
        };
        const failure = await failedUpdate(runUnderMocks({ stack: "dev" }, program), /no bucket named objects today/);
        assert.ok(failure instanceof UnhandledProgramErrors);
        assert.deepStrictEqual(failure.cloud.ofType("gcp:storage/bucket:Bucket"), []);
    });

    it("an apply that throws with nothing depending on it fails the run too", async () => {
        await failedUpdate(
            runUnderMocks({ stack: "dev" }, () => {
                pulumi.output(1).apply(() => {
                    throw new Error("a check that failed");
                });
            }),
            /^a check that failed/,
        );
    });

    it("a GCP provider with an empty zone is refused, as the provider's own check of its settings refuses it", async () => {
        const program = () => new GcpProvider("gcp", { project: "p", region: "asia-northeast1", zone: "" });
        await failedUpdate(runUnderMocks({ stack: "dev" }, program), /pulumi:providers:gcp::gcp: gcp:zone: expected a non-empty string/);
        const unset = await runUnderMocks({ stack: "dev" }, () => new GcpProvider("gcp", { project: "p", region: "asia-northeast1" }));
        assert.strictEqual(unset.cloud.one("pulumi:providers:gcp").inputs.project, "p");
    });

    it("a run whose outputs all resolve ends, and the next run sees none of an earlier run's failures", async () => {
        await failedUpdate(runUnderMocks({ stack: "dev" }, () => void pulumi.output(1).apply(() => Promise.reject(new Error("earlier")))), /earlier/);
        const { cloud } = await runUnderMocks({ stack: "dev" }, () => void new storage.Bucket("objects", { location: "ASIA-NORTHEAST1" }));
        assert.strictEqual(cloud.ofType("gcp:storage/bucket:Bucket").length, 1);
    });
});
