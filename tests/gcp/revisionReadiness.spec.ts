import * as assert from "assert";
import { CloudRunGcsService, CloudRunGcsServiceArgs } from "../../components/gcp";
import { REDEPLOY_ANNOTATION } from "../../components/gcp/redeploy";
import { problemsOf, stackWith } from "../config/helpers";
import { MockCloud, runUnderMocks, valueOf } from "../../scripts/offline/mockCloud";
import { serviceArgs } from "./fixtures";

/**
 * A revision that never starts (its startup probe fails: on a new stack, a bucket grant IAM took longer than usual to
 * apply) fails that `up`, but the provider keeps the service, and the next `up` with the same settings sends Cloud Run
 * nothing (terraform-provider-google resourceCloudRunV2ServiceUpdate: "Only client-side changes detected"). The mock
 * cloud answers that `up` with the service as the provider reads it back (scripts/offline/fakeCloudRunApi.ts).
 */
describe("a Cloud Run revision that never started: the next up says so instead of succeeding", () => {
    const deploy = (overrides: Partial<CloudRunGcsServiceArgs>, setup: (cloud: MockCloud) => void, preview = false) =>
        runUnderMocks({ stack: "dev", preview, setup }, () => new CloudRunGcsService("service", serviceArgs("dev", overrides)));

    it("a new service whose only revision failed: the up fails, saying nothing serves, why, and how to deploy the same settings again", async () => {
        await assert.rejects(
            deploy({}, (c) => (c.cloudRun.newestRevisionFailed = { earlierReady: false })),
            (e: Error) => {
                assert.match(e.message, /Cloud Run's newest revision of service-[0-9a-f]+, service-[0-9a-f]+-00001-abc, is not ready, so the service serves nothing yet: The user-provided container failed the configured startup probe checks\./);
                assert.match(e.message, /Running `pulumi up` again with the same settings does not deploy it again/);
                assert.match(e.message, /resource\.labels\.revision_name="service-[0-9a-f]+-00001-abc"' --project multicloud-service-dev/);
                assert.match(e.message, /pulumi config set --path multicloud-service:gcp\.redeploy "\$\(date -u \+%Y%m%dT%H%M%SZ\)"`, then `pulumi up`\./);
                return true;
            },
        );
    });

    it("a later revision that failed: the up fails, naming the revision that still serves", async () => {
        await assert.rejects(deploy({}, (c) => (c.cloudRun.newestRevisionFailed = { earlierReady: true })), /-00002-xyz, is not ready, so requests still go to service-[0-9a-f]+-00001-abc: /);
    });

    it("no failure while Cloud Run is still rolling the newest revision out (a read during someone else's deploy)", async () => {
        const { result } = await deploy({}, (c) => (c.cloudRun.newestRevisionFailed = { earlierReady: true, stillRollingOut: true }));
        assert.match(await valueOf(result.latestRevision), /\/revisions\/service-[0-9a-f]+-00001-abc$/);
    });

    it("no failure when the stack sends the newest revision no traffic (a canary held at 0 % on its stable revision), in a preview, or when it is ready", async () => {
        const held = { canary: { stableRevision: "service-00001-abc", percent: 0 } };
        const failed = (c: MockCloud) => (c.cloudRun.newestRevisionFailed = { earlierReady: true });
        const { result } = await deploy(held, failed);
        assert.match(await valueOf(result.latestRevision), /\/revisions\/service-[0-9a-f]+-00001-abc$/);
        await deploy({}, failed, true);
        const ready = await deploy({}, () => {});
        assert.match(await valueOf(ready.result.latestRevision), /\/revisions\/service-[0-9a-f]+-00001-abc$/);
    });

    it("`redeploy` puts its value on the revision template (a new value is a new revision); unset, the template carries no annotations", async () => {
        const { cloud } = await deploy({ redeploy: "20261204T153000Z" }, () => {});
        assert.deepStrictEqual(cloud.ofType("gcp:cloudrunv2/service:Service")[0].inputs.template.annotations, { [REDEPLOY_ANNOTATION]: "20261204T153000Z" });
        const unset = await deploy({}, () => {});
        assert.strictEqual(unset.cloud.ofType("gcp:cloudrunv2/service:Service")[0].inputs.template.annotations, undefined);
    });

    it("a bad `redeploy` is refused before anything is registered: in the stack file, and as a component arg", async () => {
        const problems = problemsOf(stackWith("dev", (doc) => (doc["multicloud-service:gcp"].redeploy = "next week")));
        assert.deepStrictEqual(problems.filter((p) => p.includes("redeploy")).length, 1, problems.join("\n"));
        assert.match(problems.find((p) => p.includes("redeploy"))!, /^multicloud-service:gcp\.redeploy: must be 1-63 letters, digits/);
        await assert.rejects(deploy({ redeploy: "next week" }, () => {}), /redeploy must be 1-63 letters, digits, .* \(got "next week"\)/);
    });
});
