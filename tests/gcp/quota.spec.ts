import * as assert from "assert";
import { runUnderMocks } from "../../scripts/offline/mockCloud";
import { FakeCloudQuotasApi, GiB, NEW_PROJECT_RUN_QUOTA } from "../../scripts/offline/fakeCloudQuotasApi";
import { billingDisabled, quotaExceeded } from "../../scripts/offline/googleApiAnswers";
import { CloudRunGcsService } from "../../components/gcp";
import { QuotaInfo, checkMaxInstances, quotaInfoUrl, regionalQuota } from "../../components/gcp/cloudRunQuota";
import { serviceArgs } from "./fixtures";
import { failedUpdate } from "../harness/failedUpdate";
import { withUserAdc } from "../harness/userAdc";

/** A quota check of 3 instances of 1 CPU and 512Mi in project p's asia-northeast1. */
const REQUEST = { project: "p", region: "asia-northeast1", maxInstances: 3, cpu: "1", memory: "512Mi" };

/** fetch answering each URL with `answer`. */
const fetchAnswering = (answer: (url: string) => Response) => (async (url: string) => answer(String(url))) as unknown as typeof fetch;

/** fetch answered by the Cloud Quotas stand-in `fake`, with the quota project the read names. */
const fetchFrom = (fake: FakeCloudQuotasApi) =>
    (async (url: string, init?: RequestInit) => fake.answer(String(url), null, new Headers(init?.headers).get("x-goog-user-project") ?? undefined)!) as unknown as typeof fetch;

/** The component for prod (10 instances of 2 CPU and 2Gi) in a project whose asia-northeast1 quota is `quota`. */
function deployProd(quota?: { cpuMilli: number; memoryBytes: number }, overrides = {}) {
    return runUnderMocks({ stack: "prod", setup: (c) => quota && c.cloudQuotas.regions.set("asia-northeast1", quota) }, () => new CloudRunGcsService("service", serviceArgs("prod", overrides)));
}

describe("Cloud Run max instances against the project's regional quota (before the service is registered)", () => {
    it("a new project's quota (20 vCPU, 40 GiB) holds both stacks: both quotas read with the provider's token once the Cloud Quotas API is enabled", async () => {
        for (const stack of ["dev", "prod"] as const) {
            const { cloud } = await runUnderMocks({ stack }, () => new CloudRunGcsService("service", serviceArgs(stack)));
            assert.strictEqual(cloud.one("gcp:cloudrunv2/service:Service").inputs.scaling.maxInstanceCount, stack === "prod" ? 10 : 2);
            assert.deepStrictEqual(
                cloud.cloudQuotas.requests.map((r) => [r.url, r.authorization]).sort(),
                ["CpuAllocPerProjectRegion", "MemAllocPerProjectRegion"].map((id) => [
                    `https://cloudquotas.googleapis.com/v1/projects/multicloud-service-${stack}/locations/global/services/run.googleapis.com/quotaInfos/${id}`,
                    "Bearer offline-gcp-access-token",
                ]),
            );
        }
    });

    it("exactly the quota is granted: 10 instances of 2 CPU in 20 vCPU", async () => {
        const { cloud } = await deployProd({ cpuMilli: 20_000, memoryBytes: 20 * GiB });
        assert.strictEqual(cloud.one("gcp:cloudrunv2/service:Service").inputs.scaling.maxInstanceCount, 10);
    });

    it("a CPU quota below max instances x CPU refuses, naming the quota and the most it allows; no service is registered", async () => {
        const { cloud } = await failedUpdate(
            deployProd({ cpuMilli: 16_000, memoryBytes: NEW_PROJECT_RUN_QUOTA.memoryBytes }),
            /max instances 10 of 2 CPU and 2Gi each would need 20 vCPU of the 16 vCPU CpuAllocPerProjectRegion allows in asia-northeast1 \(project multicloud-service-prod\), which Cloud Run refuses: set at most 8 max instances/,
        );
        assert.deepStrictEqual(cloud.ofType("gcp:cloudrunv2/service:Service"), [], "the service is never registered");
        // A quota that is not a whole number of instances: 19 vCPU holds 9 instances of 2 CPU (18 vCPU), not 10 (20 vCPU,
        // which Cloud Run refuses: "Quota violated: CpuAllocPerProjectRegion requested: ... allowed: ...").
        await failedUpdate(
            deployProd({ cpuMilli: 19_000, memoryBytes: NEW_PROJECT_RUN_QUOTA.memoryBytes }),
            /max instances 10 of 2 CPU and 2Gi each would need 20 vCPU of the 19 vCPU CpuAllocPerProjectRegion allows .* set at most 9 max instances/,
        );
    });

    it("a memory quota below max instances x memory refuses the same way", async () => {
        const { cloud } = await failedUpdate(deployProd({ cpuMilli: 200_000, memoryBytes: 12 * GiB }), /20 GiB of the 12 GiB MemAllocPerProjectRegion allows .* set at most 6 max instances/);
        assert.deepStrictEqual(cloud.ofType("gcp:cloudrunv2/service:Service"), []);
    });

    it("another region's quota is not this region's: a DimensionsInfo of its own wins, else the one for every other region", async () => {
        const fake = new FakeCloudQuotasApi(() => true);
        fake.regions.set("us-central1", { cpuMilli: 1000, memoryBytes: GiB });
        const info = (await fake.answer(quotaInfoUrl("p", "CpuAllocPerProjectRegion"), null)!.json()) as QuotaInfo;
        assert.strictEqual(regionalQuota(info, "us-central1"), 1000);
        assert.strictEqual(regionalQuota(info, "asia-northeast1"), NEW_PROJECT_RUN_QUOTA.cpuMilli);
        assert.strictEqual(regionalQuota({ dimensionsInfos: [{ details: { value: "1000" }, applicableLocations: ["us-central1"] }] }, "asia-northeast1"), undefined);
    });

    // Before, a 200 `null` was read as a quota of 0 ("set at most 0 max instances"), and an answer without
    // dimensionsInfos or with a value that is no integer as a quota not listed for the region: the check was skipped.
    it("an answer that is no QuotaInfo stops the check, quoting it: neither a quota of 0 nor a quota not listed", async () => {
        const unreadable: [answer: unknown, why: string][] = [
            [null, "no dimensionsInfos \\(null\\)"],
            [{ quotaId: "CpuAllocPerProjectRegion" }, 'no dimensionsInfos \\(\\{"quotaId":"CpuAllocPerProjectRegion"\\}\\)'],
            [{ dimensionsInfos: [{ details: { value: "lots" } }] }, 'no integer value in the DimensionsInfo for asia-northeast1 \\(\\{"dimensionsInfos":\\[\\{"details":\\{"value":"lots"\\}\\}\\]\\}\\)'],
            [{ dimensionsInfos: [{ applicableLocations: ["asia-northeast1"] }] }, 'no integer value in the DimensionsInfo for asia-northeast1 \\(\\{"dimensionsInfos":\\[\\{"applicableLocations":\\["asia-northeast1"\\]\\}\\]\\}\\)'],
        ];
        for (const [answer, why] of unreadable) {
            const fetchImpl = fetchAnswering(() => Response.json(answer));
            const stated = new RegExp(
                `^Cloud Quotas answered Cloud Run's (CpuAllocPerProjectRegion|MemAllocPerProjectRegion) quota of project p with ${why}, neither a QuotaInfo nor NOT_FOUND, ` +
                    "so whether max instances 3 fits in asia-northeast1 is unknown: run this again, and if it stays, see the quota with gcloud quotas info describe \\w+ --service=run\\.googleapis\\.com --project=p$",
            );
            await assert.rejects(checkMaxInstances(REQUEST, "token", { fetch: fetchImpl }), (err: Error) => (assert.match(err.message, stated), true));
        }
        // proto3 JSON leaves out an int64 at its default: `"details": {}` is a quota of 0, which Cloud Run would refuse too.
        const zero = fetchAnswering(() => Response.json({ dimensionsInfos: [{ details: {} }] }));
        await assert.rejects(checkMaxInstances(REQUEST, "token", { fetch: zero }), /of the 0 vCPU CpuAllocPerProjectRegion allows, and 1\.5 GiB of the 0 GiB MemAllocPerProjectRegion allows .* set at most 0 max instances/);
    });

    // Before, -1 (unlimited in Google's quota APIs; components/gcp/cloudRunQuota.ts quotes where) was read as a cap of -1
    // milli-vCPU and refused every max instances.
    it("an unlimited quota (-1) is no cap: any max instances is left to Cloud Run", async () => {
        const unlimited = { dimensionsInfos: [{ dimensions: {}, details: { value: "-1" } }] };
        assert.strictEqual(regionalQuota(unlimited, "asia-northeast1"), undefined);
        const fetchImpl = fetchAnswering(() => Response.json(unlimited));
        const granted = await checkMaxInstances({ project: "p", region: "asia-northeast1", cpu: "2", memory: "4Gi", maxInstances: 100 }, "token", { fetch: fetchImpl, sleep: async () => {} });
        assert.strictEqual(granted, 100);
    });

    it("just after the API is enabled (403 SERVICE_DISABLED) it asks again; still disabled after a minute, it stops naming the API", async () => {
        let enabled = false;
        const fake = new FakeCloudQuotasApi(() => enabled);
        const waits: number[] = [];
        const fetchImpl = fetchFrom(fake);
        const sleep = async (ms: number) => {
            waits.push(ms);
            enabled = waits.length >= 2;
        };
        const granted = checkMaxInstances(REQUEST, "token", { fetch: fetchImpl, sleep });
        assert.strictEqual(await granted, 3);
        assert.ok(waits.length >= 2 && waits.every((ms) => ms === 10_000));
        enabled = false;
        await assert.rejects(checkMaxInstances(REQUEST, "token", { fetch: fetchImpl, sleep: async () => undefined }), /HTTP 403 PERMISSION_DENIED \(SERVICE_DISABLED\); the Cloud Quotas API is still disabled/);
    });

    // The program's own read, before anything is registered, leaves every failure to the component's (which waits):
    // asked once, a busy answer would otherwise hold each preview up to two minutes for an answer thrown away.
    it("asked once (the program's read): a 429 or a SERVICE_DISABLED throws at once, with no wait", async () => {
        const disabled = new FakeCloudQuotasApi(() => false);
        for (const fetchImpl of [fetchAnswering(() => quotaExceeded("cloudquotas.googleapis.com", "30s")), fetchFrom(disabled)]) {
            const waits: number[] = [];
            await assert.rejects(checkMaxInstances(REQUEST, "token", { fetch: fetchImpl, sleep: async (ms) => void waits.push(ms), once: true }), /HTTP (429 RESOURCE_EXHAUSTED|403 PERMISSION_DENIED)/);
            assert.deepStrictEqual(waits, []);
        }
    });

    // A project whose billing account is gone (never linked, removed or closed after the APIs were enabled) answers every
    // paid API's read 403 PERMISSION_DENIED BILLING_DISABLED: no role the deployer lacks, and no wait clears it.
    it("a project without an open billing account is named as such, not as a missing permission, and not waited out", async () => {
        const waits: number[] = [];
        await assert.rejects(checkMaxInstances(REQUEST, "token", { fetch: fetchAnswering(() => billingDisabled("cloudquotas.googleapis.com")), sleep: async (ms) => void waits.push(ms) }), (err: Error) => {
            assert.match(err.message, /HTTP 403 PERMISSION_DENIED \(BILLING_DISABLED\); projects\/987654321098 has no open billing account, not a missing permission: link one to it \(Billing in the console\), then run pulumi up again\. This API method requires billing to be enabled/);
            assert.doesNotMatch(err.message, /needs cloudquotas\.quotas\.get/);
            return true;
        });
        assert.deepStrictEqual(waits, []);
    });

    // Google names the project an API is disabled in (ErrorInfo metadata.consumer, `projects/<number>`, as in
    // hashicorp/terraform-provider-google#21124); with a user's or another project's credentials it may be the caller's
    // quota project, which no wait here enables.
    it("SERVICE_DISABLED about another project (the caller's quota project) is not waited out: it stops at once, naming that project", async () => {
        const fake = new FakeCloudQuotasApi(() => false);
        fake.otherConsumer = "projects/111111111111";
        const waits: number[] = [];
        const fetchImpl = fetchFrom(fake);
        const request = { ...REQUEST, projectNumber: "222222222222" };
        await assert.rejects(checkMaxInstances(request, "token", { fetch: fetchImpl, sleep: async (ms) => void waits.push(ms) }), (err: Error) => {
            assert.match(err.message, /\(SERVICE_DISABLED\); the API is disabled in projects\/111111111111, the project the call was billed to \(the deploying identity's quota project\), not in p: enable it there/);
            return true;
        });
        assert.strictEqual(waits.length, 0, "no wait for another project");
        // Its own project, by number or by ID, is waited for as before.
        for (const consumer of ["projects/222222222222", "projects/p"]) {
            fake.otherConsumer = consumer;
            waits.length = 0;
            await assert.rejects(checkMaxInstances(request, "token", { fetch: fetchImpl, sleep: async (ms) => void waits.push(ms) }), /the Cloud Quotas API is still disabled in that project/);
            assert.ok(waits.length >= 5, `${consumer}: waited ${waits.length} times`);
        }
    });

    // Cloud Quotas is client-based: a user's call (gcloud auth application-default login) is billed to the quota project
    // it names, and naming none to gcloud's own project, where the API is disabled (googleApiAnswers.quotaProjectRequired).
    // A raw fetch names none by itself; Google's client libraries name the ADC file's quota_project_id.
    it("with a user's application default credentials, the read names the ADC file's quota project, as Google's client libraries do", async () => {
        const fake = new FakeCloudQuotasApi(() => true);
        fake.userCredentials = true;
        const granted = await withUserAdc({ quotaProject: "my-quota-project" }, () => checkMaxInstances(REQUEST, "token", { fetch: fetchFrom(fake), sleep: async () => undefined }));
        assert.strictEqual(granted, 3);
        assert.deepStrictEqual(
            fake.requests.map((r) => r.quotaProject),
            ["my-quota-project", "my-quota-project"],
        );
    });

    it("with a user's credentials and no quota project, the refusal says how to name one, not to enable the API in gcloud's project", async () => {
        const fake = new FakeCloudQuotasApi(() => true);
        fake.userCredentials = true;
        const waits: number[] = [];
        await withUserAdc({}, () =>
            assert.rejects(checkMaxInstances(REQUEST, "token", { fetch: fetchFrom(fake), sleep: async (ms) => void waits.push(ms) }), (err: Error) => {
                assert.match(
                    err.message,
                    /\(SERVICE_DISABLED\); the call named no quota project, so Google billed it to projects\/764086051850, gcloud's own project, which only Google can enable an API in: with user credentials, run `gcloud auth application-default set-quota-project p` \(or set GOOGLE_CLOUD_QUOTA_PROJECT=p; either needs serviceusage\.services\.use on that project, in roles\/serviceusage\.serviceUsageConsumer\)/,
                );
                assert.doesNotMatch(err.message, /enable it there/);
                return true;
            }),
        );
        assert.deepStrictEqual(waits, [], "gcloud's project is not waited for");
    });

    // ESC's gcp-login hands the provider GOOGLE_OAUTH_ACCESS_TOKEN (deployments/escEnvironments.ts): the provider does not
    // read ADC then, and neither do the reads, whatever file the machine holds.
    it("under an access token in GOOGLE_OAUTH_ACCESS_TOKEN (ESC's), no quota project is named, even where an ADC file names one", async () => {
        const fake = new FakeCloudQuotasApi(() => true);
        await withUserAdc({ quotaProject: "my-quota-project", env: { GOOGLE_OAUTH_ACCESS_TOKEN: "ya29.esc" } }, () => checkMaxInstances(REQUEST, "token", { fetch: fetchFrom(fake) }));
        assert.deepStrictEqual(fake.requests.map((r) => r.quotaProject), [undefined, undefined]);
    });

    it("a whole run with a user's ADC: its quota project reaches the component's read and the service is registered; without one, the run stops naming the remedy", async () => {
        const userRun = () => runUnderMocks({ stack: "dev", setup: (c) => (c.cloudQuotas.userCredentials = true) }, () => new CloudRunGcsService("service", serviceArgs("dev")));
        const { cloud } = await withUserAdc({ quotaProject: "my-quota-project" }, userRun);
        assert.strictEqual(cloud.one("gcp:cloudrunv2/service:Service").inputs.scaling.maxInstanceCount, 2);
        assert.ok(cloud.cloudQuotas.requests.every((r) => r.quotaProject === "my-quota-project"));
        await withUserAdc({}, () => failedUpdate(userRun(), /gcloud auth application-default set-quota-project multicloud-service-dev/));
    });

    // A quota project the ADC file names is billed, so an API disabled there is refused as in that project: the refusal
    // says which quota project the read named and where it came from, the file the user can change.
    it("SERVICE_DISABLED in the quota project the read named: the refusal names it and where it came from", async () => {
        const fake = new FakeCloudQuotasApi(() => false);
        fake.userCredentials = true;
        fake.otherConsumer = "projects/333333333333";
        await withUserAdc({ quotaProject: "my-quota-project" }, () =>
            assert.rejects(checkMaxInstances({ ...REQUEST, projectNumber: "222222222222" }, "token", { fetch: fetchFrom(fake), sleep: async () => undefined }), (err: Error) => {
                assert.match(
                    err.message,
                    /\(SERVICE_DISABLED\); the API is disabled in projects\/333333333333, the quota project the call named \(my-quota-project, from the quota_project_id of \S+application_default_credentials\.json\), not in p: enable it there, or name another quota project/,
                );
                return true;
            }),
        );
    });

    // The provider under USER_PROJECT_OVERRIDE names the resource's own project when no GOOGLE_BILLING_PROJECT is set
    // (magic-modules transport SendRequest: X-Goog-User-Project is the request's project), and so does the read.
    it("under USER_PROJECT_OVERRIDE alone, the read names the project it reads, as the provider's requests do", async () => {
        const fake = new FakeCloudQuotasApi(() => true);
        fake.userCredentials = true;
        await withUserAdc({ env: { USER_PROJECT_OVERRIDE: "true" } }, () => checkMaxInstances(REQUEST, "token", { fetch: fetchFrom(fake) }));
        assert.deepStrictEqual(fake.requests.map((r) => r.quotaProject), ["p", "p"]);
    });

    // `gcloud auth login`'s client (32555940559.apps.googleusercontent.com) is the one behind `gcloud auth print-access-token`,
    // which a user may hand the provider as GOOGLE_OAUTH_ACCESS_TOKEN: a read naming no quota project is billed there.
    it("SERVICE_DISABLED in gcloud auth login's own project is not waited out as if it were the stack's", async () => {
        const fake = new FakeCloudQuotasApi(() => false);
        fake.otherConsumer = "projects/32555940559";
        const waits: number[] = [];
        await withUserAdc({ env: { GOOGLE_OAUTH_ACCESS_TOKEN: "ya29.gcloud-auth-login" } }, () =>
            assert.rejects(checkMaxInstances(REQUEST, "token", { fetch: fetchFrom(fake), sleep: async (ms) => void waits.push(ms) }), /billed it to projects\/32555940559, gcloud's own project/),
        );
        assert.deepStrictEqual(waits, [], "gcloud's project is not waited for");
    });

    it("a deployer that may not read quotas is told the permission quotaInfos.get needs (cloudquotas.quotas.get)", async () => {
        const fake = new FakeCloudQuotasApi(() => true);
        fake.denied = true;
        const fetchImpl = fetchFrom(fake);
        await assert.rejects(checkMaxInstances(REQUEST, "token", { fetch: fetchImpl, sleep: async () => undefined }), (err: Error) => {
            assert.match(err.message, /HTTP 403 PERMISSION_DENIED/);
            assert.match(err.message, /the deploying identity needs cloudquotas\.quotas\.get \(roles\/cloudquotas\.viewer\)/);
            assert.doesNotMatch(err.message, /serviceusage\.quotas\.get|monitoring\.timeSeries/);
            return true;
        });
    });

    it("bad CPU or memory strings are named, not divided by", async () => {
        const fetchImpl = fetchAnswering(() => Response.json({}));
        await assert.rejects(checkMaxInstances({ project: "p", region: "r", maxInstances: 1, cpu: "lots", memory: "512Mi" }, "t", { fetch: fetchImpl }), /cpu "lots" is not a CPU limit/);
        await assert.rejects(checkMaxInstances({ project: "p", region: "r", maxInstances: 1, cpu: "1", memory: "1T" }, "t", { fetch: fetchImpl }), /memory "1T" is not a memory limit/);
    });
});
