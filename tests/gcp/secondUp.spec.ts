import * as assert from "assert";
import { CloudRunGcsService } from "../../components/gcp";
import { waitClock } from "../../components/waitClock";
import { EARLIER_UPDATE } from "../../scripts/offline/gcpOutputs";
import { MockCloud, runUnderMocks } from "../../scripts/offline/mockCloud";
import { messagesOf } from "../../scripts/offline/programMessages";
import { isUnknownInput } from "../../scripts/offline/registeredInputs";
import { serviceArgs } from "./fixtures";

/** Where in `value` (named `at`) an input is not known yet. */
const unknownIn = (value: unknown, at: string): string[] =>
    isUnknownInput(value) ? [at] : value !== null && typeof value === "object" ? Object.entries(value).flatMap(([k, v]) => unknownIn(v, `${at}.${k}`)) : [];

/** A release account gcp.releaseInvokers names (deployments/releaseInvokers.ts). */
const RELEASE_INVOKER = "serviceAccount:release-prod@multicloud-service-deployer.iam.gserviceaccount.com";

// The `up` after a first one that stopped before the grants were made: the deployer lacked setIamPolicy on the bucket
// or the secrets, or another resource failed while the account's 60 s time.Sleep ran (the engine starts nothing new
// then). The bucket, the secrets and the account (its Sleep) are that first up's, over 15 minutes old; the grants, and
// Cloud Run's first revision right after them, are this one's. Before, nothing waited: Cloud Run refuses a revision
// whose secret its account cannot read yet ("Permission denied on secret ... for Revision service account").
describe("an up that makes the grants a failed first up did not", () => {
    for (const stack of ["dev", "prod"] as const) {
        it(`${stack}: each grant made in this up has IAM's propagation time before Cloud Run or the uptime check uses it`, async () => {
            const justNow = new Date(Date.now() - 5_000).toISOString();
            const { cloud } = await runUnderMocks(
                { stack, setup: (c) => (c.createTime = (type) => (type === "time:index/static:Static" ? justNow : EARLIER_UPDATE)) },
                () => new CloudRunGcsService("service", serviceArgs(stack, { releaseInvokers: [RELEASE_INVOKER] })),
            );
            const secretGrants = cloud.ofType("gcp:secretmanager/secretIamMember:SecretIamMember");
            const uptimeChecks = cloud.ofType("gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig");
            // A time.Static made with each grant says when it was made (terraform-provider-time resource_time_static.go).
            const grantIds = new Set(["BucketIAMMember", "SecretIamMember", "ServiceIamMember"].flatMap((t) => cloud.resources.filter((r) => r.type.endsWith(`:${t}`)).map((r) => r.outputs.id)));
            const madeAt = cloud.ofType("time:index/static:Static");
            assert.strictEqual(madeAt.length, 1 + secretGrants.length + uptimeChecks.length + 1, madeAt.map((m) => m.name).join(", "));
            for (const m of madeAt) assert.ok(grantIds.has(m.inputs.triggers.grant), `${m.name}: triggered by a grant's ID`);
            const waited = messagesOf(cloud, "info").filter((m) => m.startsWith("waiting 120 s before"));
            assert.strictEqual(waited.filter((m) => m.includes("its object grant is new")).length, 1, waited.join("\n"));
            assert.strictEqual(waited.filter((m) => m.includes("its accessor grant is new")).length, secretGrants.length, waited.join("\n"));
            assert.strictEqual(waited.filter((m) => m.includes("Monitoring's invoker grant is new")).length, uptimeChecks.length, waited.join("\n"));
            // The release probes the candidate URL right after its `up`: the URL output waits for the release's grant.
            assert.strictEqual(waited.filter((m) => m.includes("the release's first probe: its invoker grant is new")).length, 1, waited.join("\n"));
            assert.ok(stack === "dev" ? secretGrants.length > 0 : uptimeChecks.length > 0, "the stack's own grants are there to wait for");
        });
    }

    // The release reads candidateUrl after its `up` and probes it at once (release/probe): the output itself must wait,
    // not only the grant's progress line. Before a new grant has reached Cloud Run, it answers the release's ID token 403.
    it("the candidate URL output resolves only after the new release invoker grant's wait", async () => {
        const justNow = new Date(Date.now() - 5_000).toISOString();
        let cloudOf: MockCloud | undefined;
        let waitedBeforeUrl: string[] | undefined;
        await runUnderMocks(
            { stack: "prod", setup: (c) => ((cloudOf = c), (c.createTime = (type) => (type === "time:index/static:Static" ? justNow : EARLIER_UPDATE))) },
            () => {
                const service = new CloudRunGcsService("service", serviceArgs("prod", { releaseInvokers: [RELEASE_INVOKER] }));
                service.candidateUrl.apply(() => (waitedBeforeUrl = messagesOf(cloudOf!, "info").filter((m) => m.includes("the release's first probe: its invoker grant is new"))));
                return service;
            },
        );
        assert.strictEqual(waitedBeforeUrl?.length, 1, "the candidate URL was handed out before its invoker grant's wait");
    });

    it("an up after the one that made the grants waits for nothing", async () => {
        const { cloud } = await runUnderMocks({ stack: "prod", setup: (c) => (c.createTime = () => EARLIER_UPDATE) }, () => new CloudRunGcsService("service", serviceArgs("prod", { releaseInvokers: [RELEASE_INVOKER] })));
        assert.deepStrictEqual(messagesOf(cloud, "info").filter((m) => m.startsWith("waiting 120 s before")), []);
        assert.deepStrictEqual(cloud.waits, []);
    });

    // Each new invoker grant has its wait; one after another, ten members (the setting's bound) would hold the `up` for
    // 20 minutes, past the 12 a release allows it. A sleep here ends only once two are asleep at once (or after 2 s);
    // internal ingress has no uptime check, whose grant's wait would be asleep beside the first invoker's.
    it("new release invokers' waits run side by side, not one after another", async () => {
        const saved = { ...waitClock };
        let asleep = 0;
        let mostAsleep = 0;
        const wakers: (() => void)[] = [];
        waitClock.now = () => Date.parse(EARLIER_UPDATE) + 5_000;
        waitClock.sleep = (ms) =>
            new Promise<void>((resolve) => {
                const wake = () => void (asleep--, resolve());
                mostAsleep = Math.max(mostAsleep, ++asleep);
                wakers.push(wake);
                if (asleep >= 2) wakers.splice(0).forEach((w) => w());
                else setTimeout(() => wakers.includes(wake) && (wakers.splice(wakers.indexOf(wake), 1), wake()), 2_000);
            });
        try {
            const other = RELEASE_INVOKER.replace("release-prod@", "release-other@");
            await runUnderMocks(
                { stack: "prod", setup: (c) => (c.createTime = (type) => (type === "time:index/static:Static" ? EARLIER_UPDATE : "2020-01-01T00:00:00Z")) },
                () => new CloudRunGcsService("service", serviceArgs("prod", { releaseInvokers: [RELEASE_INVOKER, other], ingress: "internal" })),
            );
        } finally {
            Object.assign(waitClock, saved);
        }
        assert.strictEqual(mostAsleep, 2, "the two grants' waits at once");
    });

    // An existing stack's first preview after the grants' Statics were added: they are new, so their rfc3339 is unknown
    // in it. A preview never waits (afterPropagation), so what the service and the uptime check are handed must not
    // become unknown for it: before, the preview showed the service's bucket, secret and the check's host as changing.
    it("the preview that adds the Statics to an existing stack shows the service and the uptime check unchanged", async () => {
        for (const stack of ["dev", "prod"] as const) {
            const { cloud } = await runUnderMocks(
                { stack, preview: true, setup: (c) => (c.newInThisPreview = (type) => type === "time:index/static:Static") },
                () => new CloudRunGcsService("service", serviceArgs(stack)),
            );
            const service = cloud.one("gcp:cloudrunv2/service:Service");
            assert.deepStrictEqual(unknownIn(service.inputs.template, "template").filter((at) => !at.includes("image")), [], `${stack}: the service's template`);
            for (const check of cloud.ofType("gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig")) assert.deepStrictEqual(unknownIn(check.inputs, "uptime check"), [], stack);
        }
    });
});
