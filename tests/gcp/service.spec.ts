import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as cloudrunv2 from "@pulumi/gcp/cloudrunv2";
import { CloudRunGcsService } from "../../components/gcp";
import { GRANT_PROPAGATION_MS, NEW_RESOURCE_MS, propagationWaitMs } from "../../components/gcp/grantPropagation";
import { EARLIER_UPDATE } from "../../scripts/offline/gcpOutputs";
import { quotaExceeded, unavailable } from "../../scripts/offline/googleApiAnswers";
import { MockCloud, runUnderMocks, valueOf } from "../../scripts/offline/mockCloud";
import { messagesOf } from "../../scripts/offline/programMessages";
import { isSecretInput, isUnknownInput } from "../../scripts/offline/registeredInputs";
import { disabledFor, waitUntilServing } from "../../components/gcp/apiActivation";
import { runProgram } from "../../scripts/offline/runProgram";
import { deployService, serviceArgs } from "./fixtures";
import { withVirtualClock } from "../harness/virtualClock";
import { withProcessEnvironment } from "../../scripts/offline/environment";
import { failedUpdate } from "../harness/failedUpdate";
import { summarize } from "../../scripts/plan/summaries";

const LABELS = (stack: string) => ({ project: "multicloud-service", environment: stack, "managed-by": "pulumi" });

/** The program's progress lines in a run: what the engine would show while it waits. */
const infosOf = (cloud: MockCloud) => messagesOf(cloud, "info");

describe("CloudRunGcsService (the component alone, under mocks)", () => {
    // A caller of the package has no stack settings to hold these to Cloud Run's limits. Before: Cloud Run refused the
    // revision after the APIs, the account, the registry and the bucket were made.
    it("sizes and thresholds Cloud Run refuses are named before anything is registered, as the stacks' settings name them", async () => {
        let cloud: MockCloud | undefined;
        const args = serviceArgs("dev", { cpu: "3", minInstances: 5, maxInstances: 2, concurrency: 1001, requestTimeoutSeconds: 3601, imagesToKeep: 0 });
        await assert.rejects(runUnderMocks({ stack: "dev", setup: (c) => (cloud = c) }, () => new CloudRunGcsService("service", args)), (err: Error) => {
            assert.strictEqual(
                err.message,
                'CloudRunGcsService "service" has bad args: cpu must be one of "1", "2", "4", "6", "8" (got "3"); minInstances must not exceed maxInstances (2) (got 5); concurrency must be a whole number from 1 to 1000 (got 1001); requestTimeoutSeconds must be a whole number from 1 to 3600 (got 3601); imagesToKeep must be a whole number from 1 to 1000 (got 0)',
            );
            return true;
        });
        assert.deepStrictEqual(cloud?.resources.map((r) => r.type), []);
        await assert.rejects(runUnderMocks({ stack: "dev" }, () => new CloudRunGcsService("service", serviceArgs("dev", { cpu: "1", memory: "8Gi" }))), /memory must be between 512Mi and 4096Mi with 1 CPU \(Cloud Run's cpu\/memory pairs\) \(got "8Gi"\)/);
        // Sizes from other resources are not known while the program runs: they are left to Cloud Run.
        await runUnderMocks({ stack: "dev" }, () => new CloudRunGcsService("service", serviceArgs("dev", { cpu: pulumi.output("2"), memory: pulumi.output("2Gi"), maxInstances: pulumi.output(3) })));
    });

    // A package caller's region bypasses the stacks' settings schema (gcp:region, lower-case only). Before: "US-CENTRAL1"
    // went as given into the Artifact Registry repository's and the Cloud Run service's location (the provider does not
    // lower-case either: components/gcp/regionId.ts), or, where Cloud Run's locations list was read, was told that Cloud
    // Run does not offer it, though its lower-case form is listed.
    it("an upper-case region is named before anything is registered, with its lower-case form to pass", async () => {
        let cloud: MockCloud | undefined;
        const run = runUnderMocks({ stack: "dev", setup: (c) => (cloud = c) }, () => new CloudRunGcsService("service", serviceArgs("dev", { region: "US-CENTRAL1" })));
        await assert.rejects(run, (err: Error) => (assert.strictEqual(err.message, 'CloudRunGcsService "service" has bad args: region must be lower-case, as Google\'s locations lists name regions: pass "us-central1" (got "US-CENTRAL1")'), true));
        assert.deepStrictEqual(cloud?.resources.map((r) => r.type), []);
        await assert.rejects(runUnderMocks({ stack: "dev" }, () => new CloudRunGcsService("service", serviceArgs("dev", { region: "us central" }))), /has bad args: region must be a Google Cloud region such as asia-northeast1 \(got "us central"\)$/);
    });

    // The bounds the stacks' settings hold too (config/schema.ts: maxInstances a count from 1, minInstances not above it):
    // a minimum equal to the maximum (a fixed number of warm instances) is a size Cloud Run runs, and is taken.
    it("minInstances equal to maxInstances is taken; a maxInstances of 0 is named before anything is registered", async () => {
        const { cloud } = await runUnderMocks({ stack: "dev" }, () => new CloudRunGcsService("service", serviceArgs("dev", { minInstances: 3, maxInstances: 3 })));
        const scaling = cloud.one("gcp:cloudrunv2/service:Service").inputs.scaling;
        assert.deepStrictEqual([scaling?.minInstanceCount, scaling?.maxInstanceCount], [3, 3]);
        await assert.rejects(runUnderMocks({ stack: "dev" }, () => new CloudRunGcsService("service", serviceArgs("dev", { minInstances: 0, maxInstances: 0 }))), /has bad args: maxInstances must be a whole number, 1 or more \(got 0\)$/);
    });

    // A package caller names the component; its children's cloud names are made from that name. Before: an uppercase
    // name or one holding "google" failed at the bucket's create (Cloud Storage refuses them; the provider does not
    // lowercase bucket names), one too long at the Cloud Run service's Check, after the APIs, the account and the grants.
    it("a name the children's cloud names cannot carry is named before anything is registered", async () => {
        const refused: [string, RegExp][] = [
            ["Orders", /name must be lowercase letters, digits and '-', beginning with a letter \(got "Orders"\)/],
            ["9orders", /name must be lowercase letters, digits and '-', beginning with a letter/],
            ["orders_api", /name must be lowercase letters, digits and '-', beginning with a letter/],
            // 30 + 8 + "candidate" is 47: Cloud Run refuses the release's tag ("Combined traffic tag and service name cannot
            // exceed 46 characters.", as gcloud printed Cloud Run's answer in PolicyEngine/policyengine-api#3729).
            ["o".repeat(30), /name must be at most 29 characters, for its Cloud Run service's name, <name> and 7 random characters, which Cloud Run takes with its "candidate" traffic tag only within 46 characters together/],
            ["o".repeat(42), /name must be at most 29 characters/],
            ["google-orders", /name must not begin with "goog" or hold "google" or "g00gle", which Cloud Storage refuses in bucket names \(its bucket's name is the name, then -objects and 7 random characters\)/],
            ["goog-orders", /name must not begin with "goog"/],
            ["orders-g00gle", /name must not begin with "goog" or hold "google" or "g00gle"/],
        ];
        for (const [name, reason] of refused) {
            let cloud: MockCloud | undefined;
            const run = runUnderMocks({ stack: "dev", setup: (c) => (cloud = c) }, () => new CloudRunGcsService(name, serviceArgs("dev")));
            await assert.rejects(run, (err: Error) => (assert.match(err.message, new RegExp(`^CloudRunGcsService "${name}" has bad args: ${reason.source}`)), true));
            assert.deepStrictEqual(cloud?.resources.map((r) => r.type), [], name);
        }
        const { cloud } = await runUnderMocks({ stack: "dev" }, () => new CloudRunGcsService("o".repeat(29), serviceArgs("dev", { canary: { stableRevision: "o-00001-abc", percent: 10 } })));
        // The provider names the service at its Check, `<name>-` and 7 random characters: here 37, with the tag 46.
        const tag = (cloud.one("gcp:cloudrunv2/service:Service").inputs.traffics as { tag?: string }[]).find((t) => t.tag)?.tag;
        // Named first: a missing tag would print as "undefined", as long as "candidate", and the length below would hold.
        assert.strictEqual(tag, "candidate");
        assert.strictEqual(`${tag}${"o".repeat(29)}-abcdefg`.length, 46);
    });

    // IAM takes service account IDs of 6 to 30 characters (terraform-provider-google service_account account_id,
    // validateRFC1035Name(6, 30), at Check): a short name in a short environment made one of 4.
    it("a short name in a short environment still gets a runtime account ID IAM takes", async () => {
        const { cloud } = await runUnderMocks({ stack: "dev" }, () => new CloudRunGcsService("ab", serviceArgs("dev", { environment: "qa" })));
        assert.match(String(cloud.one("gcp:serviceaccount/account:Account").inputs.accountId), /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/);
    });

    // Labels GCP refuses at create (Resource Manager, "Labels: requirements": 63 characters, international ones allowed (in values: keys, the bucket's rule below),
    // no byte limit there, but Monitoring's 128 bytes below; "日" is 3 bytes in UTF-8); only google_storage_bucket checks its keys at preview. The stacks' labels are made valid (index.ts gcpLabels); a package caller's were sent as given.
    it("labels GCP refuses are named before anything is registered; international lowercase letters are label values", async () => {
        let cloud: MockCloud | undefined;
        const labels = { Team: "platform", "1st": "x", environment: "Dev", owner: "a".repeat(64), team: "données" };
        await assert.rejects(runUnderMocks({ stack: "dev", setup: (c) => (cloud = c) }, () => new CloudRunGcsService("service", serviceArgs("dev", { labels }))), (err: Error) => {
            assert.strictEqual(
                err.message,
                'CloudRunGcsService "service" has bad args: labels.Team is not a GCP label key: a lowercase letter a-z first, then a-z, digits, _ or -, at most 63 (google_storage_bucket takes no other key); ' +
                    "labels.1st is not a GCP label key: a lowercase letter a-z first, then a-z, digits, _ or -, at most 63 (google_storage_bucket takes no other key); " +
                    'labels.environment must be a GCP label value: lowercase letters, digits, _ or -, at most 63 (got "Dev"); ' +
                    `labels.owner must be a GCP label value: lowercase letters, digits, _ or -, at most 63 (got "${"a".repeat(64)}")`,
            );
            return true;
        });
        assert.deepStrictEqual(cloud?.resources.map((r) => r.type), []);
        // 64 is GCP's limit, and pulumi-gcp adds goog-pulumi-provisioned to each resource it creates (terraform-provider-google
        // tpgresource/labels.go, add_terraform_attribution_label "Default: true"; pulumi-gcp's "Migration Guide for GCP v8"):
        // a caller's 64 were 65 at the bucket's, the secrets' and the service's create.
        const many = Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`k${i}`, "v"]));
        await assert.rejects(
            runUnderMocks({ stack: "dev" }, () => new CloudRunGcsService("service", serviceArgs("dev", { labels: many }))),
            /labels must hold at most 63 labels \(got 64\): GCP takes 64 on a resource, and the provider adds goog-pulumi-provisioned to each it creates/,
        );
        const { cloud: fits } = await runUnderMocks({ stack: "dev" }, () => new CloudRunGcsService("service", serviceArgs("dev", { labels: Object.fromEntries(Object.entries(many).slice(1)) })));
        assert.strictEqual(Object.keys(fits.one("gcp:storage/bucket:Bucket").inputs.labels as object).length + 1, 64, "with the provider's label, GCP's 64");
        // 42 of "日" are 126 bytes: within Monitoring's 128 as well (the next test).
        await runUnderMocks({ stack: "dev" }, () => new CloudRunGcsService("service", serviceArgs("dev", { labels: { ...LABELS("dev"), team: "données", region: "日".repeat(42) } })));
    });

    // The labels are also the alert policies', the channel's and the uptime check's userLabels, which Monitoring limits to
    // "63 Unicode characters or 128 bytes, whichever is smaller" (google/monitoring/v3/alert.proto AlertPolicy.user_labels):
    // 63 of "日" (189 bytes) passed the Resource Manager rule, made the bucket, secrets and service, and were refused at the
    // first alert policy's create.
    it("labels Monitoring's user labels refuse (over 128 bytes) are named before anything is registered", async () => {
        let cloud: MockCloud | undefined;
        await assert.rejects(
            runUnderMocks({ stack: "dev", setup: (c) => (cloud = c) }, () => new CloudRunGcsService("service", serviceArgs("dev", { labels: { ...LABELS("dev"), region: "日".repeat(43) } }))),
            /labels\.region must be at most 128 bytes in UTF-8 \(a value of 129 bytes\): Cloud Monitoring's alert policies take user labels of 63 characters or 128 bytes/,
        );
        assert.deepStrictEqual(cloud?.resources.map((r) => r.type), []);
        const { cloud: fits } = await runUnderMocks({ stack: "dev" }, () => new CloudRunGcsService("service", serviceArgs("dev", { labels: { ...LABELS("dev"), region: "日".repeat(42) } })));
        for (const r of fits.ofType("gcp:monitoring/alertPolicy:AlertPolicy")) {
            for (const [k, v] of Object.entries(r.inputs.userLabels as Record<string, string>)) assert.ok(Buffer.byteLength(k) <= 128 && Buffer.byteLength(v) <= 128, `${r.name} ${k}`);
        }
    });

    // "128 bytes" is within the limit (alert.proto: "limited to 63 Unicode characters or 128 bytes"): a value of exactly
    // 128 bytes in UTF-8 (42 of "日", 3 bytes each, and two ASCII letters: 44 characters) reaches the alert policies. Keys
    // are ASCII (the bucket's rule, the next test), 63 bytes at most.
    it("a label value of exactly 128 bytes in UTF-8 is taken; 129 bytes are not", async () => {
        const value = `${"日".repeat(42)}cd`;
        assert.deepStrictEqual([Buffer.byteLength(value), value.length], [128, 44]);
        const { cloud } = await runUnderMocks({ stack: "dev" }, () => new CloudRunGcsService("service", serviceArgs("dev", { labels: { ...LABELS("dev"), team: value } })));
        const policies = cloud.ofType("gcp:monitoring/alertPolicy:AlertPolicy");
        assert.ok(policies.length > 0);
        for (const r of policies) assert.strictEqual((r.inputs.userLabels as Record<string, string>).team, value, r.name);
        await assert.rejects(
            runUnderMocks({ stack: "dev" }, () => new CloudRunGcsService("service", serviceArgs("dev", { labels: { ...LABELS("dev"), team: `${value}e` } }))),
            /labels\.team must be at most 128 bytes in UTF-8 \(a value of 129 bytes\)/,
        );
    });

    // google_storage_bucket's labelKeyValidator takes keys of `^[a-z0-9_-]{1,63}$` only, at Check (terraform-provider-google
    // google/services/storage/resource_storage_bucket.go): a key with an international letter, which Resource Manager's
    // rule takes, failed the first preview at the bucket ("\"équipe\" is an invalid label key").
    it("a label key with an international letter is named before anything is registered: the bucket's provider refuses it", async () => {
        let cloud: MockCloud | undefined;
        await assert.rejects(
            runUnderMocks({ stack: "dev", setup: (c) => (cloud = c) }, () => new CloudRunGcsService("service", serviceArgs("dev", { labels: { ...LABELS("dev"), équipe: "données" } }))),
            (err: Error) => {
                assert.strictEqual(err.message, 'CloudRunGcsService "service" has bad args: labels.équipe is not a GCP label key: a lowercase letter a-z first, then a-z, digits, _ or -, at most 63 (google_storage_bucket takes no other key)');
                return true;
            },
        );
        assert.deepStrictEqual(cloud?.resources.map((r) => r.type), []);
    });

    // The same validator's `{1,63}` bounds a key's length: a key of 64 characters failed the preview at the bucket
    // ("is an invalid label key", terraform-provider-google google/services/storage/resource_storage_bucket.go labelKeyRegex).
    it("a label key of 64 characters is named before anything is registered; one of 63 reaches the bucket", async () => {
        const long = `k${"a".repeat(63)}`;
        let cloud: MockCloud | undefined;
        await assert.rejects(
            runUnderMocks({ stack: "dev", setup: (c) => (cloud = c) }, () => new CloudRunGcsService("service", serviceArgs("dev", { labels: { ...LABELS("dev"), [long]: "x" } }))),
            new RegExp(`has bad args: labels\\.${long} is not a GCP label key: a lowercase letter a-z first, then a-z, digits, _ or -, at most 63`),
        );
        assert.deepStrictEqual(cloud?.resources.map((r) => r.type), []);
        const fits = long.slice(1);
        const { cloud: taken } = await runUnderMocks({ stack: "dev" }, () => new CloudRunGcsService("service", serviceArgs("dev", { labels: { ...LABELS("dev"), [fits]: "x" } })));
        assert.strictEqual((taken.one("gcp:storage/bucket:Bucket").inputs.labels as Record<string, string>)[fits], "x");
    });

    // args.ts types a label value as pulumi.Input<string>: a caller may pass another resource's output, which the program
    // cannot read while it runs (argChecks known()). Such a value is left to GCP, as the component's sizes are, and reaches
    // the resources; the component does not refuse it for not being a string yet.
    it("a label value that is another resource's output is taken and reaches the bucket and the alert policies", async () => {
        const { cloud } = await runUnderMocks({ stack: "dev" }, () => new CloudRunGcsService("service", serviceArgs("dev", { labels: { ...LABELS("dev"), team: pulumi.output("platform") } })));
        assert.strictEqual((cloud.one("gcp:storage/bucket:Bucket").inputs.labels as Record<string, string>).team, "platform");
        const policies = cloud.ofType("gcp:monitoring/alertPolicy:AlertPolicy");
        assert.ok(policies.length > 0);
        for (const r of policies) assert.strictEqual((r.inputs.userLabels as Record<string, string>).team, "platform", r.name);
    });

    for (const stack of ["dev", "prod"] as const) {
        describe(stack, () => {
            it("enables the project's APIs, never disabling them on destroy, and everything else waits for them", async () => {
                const { cloud } = await deployService(stack);
                const apis = cloud.ofType("gcp:projects/service:Service");
                assert.deepStrictEqual(apis.map((a) => a.inputs.service).sort(), [
                    "artifactregistry.googleapis.com",
                    "cloudquotas.googleapis.com",
                    "iam.googleapis.com",
                    "monitoring.googleapis.com",
                    "run.googleapis.com",
                    "secretmanager.googleapis.com",
                    "storage.googleapis.com",
                ]);
                for (const a of apis) assert.strictEqual(a.inputs.disableOnDestroy, false);
            });

            it("Artifact Registry: Docker, mutable tags (cleanup never deletes a tagged version where tags are immutable), keeps the running image and the newest N", async () => {
                const { cloud } = await deployService(stack);
                const repo = cloud.one("gcp:artifactregistry/repository:Repository").inputs;
                assert.strictEqual(repo.format, "DOCKER");
                assert.strictEqual(repo.location, "asia-northeast1");
                assert.deepStrictEqual(repo.dockerConfig, { immutableTags: false });
                assert.strictEqual(repo.cleanupPolicyDryRun, false);
                const runningTag = /\/tags\/(c-[0-9a-f]{24})$/.exec(cloud.artifactRegistry.requests[0].url)![1];
                assert.deepStrictEqual(repo.cleanupPolicies, [
                    { id: "keep-running-image", action: "KEEP", condition: { tagState: "TAGGED", tagPrefixes: [runningTag] } },
                    // Three versions a build: the image and cosign's .sig and .att (image.yml signs every build it pushes).
                    { id: "keep-most-recent", action: "KEEP", mostRecentVersions: { keepCount: (stack === "prod" ? 20 : 5) * 3 } },
                    { id: "delete-older-builds", action: "DELETE", condition: { tagState: "TAGGED", tagPrefixes: ["c-"] } },
                    { id: "delete-untagged", action: "DELETE", condition: { tagState: "UNTAGGED" } },
                ]);
            });

            it("the image: one tags.get of its content tag (no listing), with the provider's token, once the repository and the API exist; run by digest", async () => {
                const { cloud, container } = await deployService(stack);
                assert.strictEqual(cloud.artifactRegistry.requests.length, 1);
                const [request] = cloud.artifactRegistry.requests;
                assert.match(
                    request.url,
                    new RegExp(`^https://artifactregistry\\.googleapis\\.com/v1/projects/multicloud-service-${stack}/locations/asia-northeast1/repositories/service-registry-${stack}/packages/service/tags/c-[0-9a-f]{24}$`),
                );
                assert.strictEqual(request.authorization, "Bearer offline-gcp-access-token");
                const repository = `asia-northeast1-docker.pkg.dev/multicloud-service-${stack}/service-registry-${stack}/service`;
                assert.strictEqual(container.image, `${repository}@${cloud.registry.find(repository, request.url.split("/").pop()!)}`);
                assert.ok(!cloud.resources.some((r) => r.type.startsWith("docker:")), "nothing is built");
                assert.deepStrictEqual([container.commands, container.args], [["node"], ["/var/task/server.js"]]);
            });

            it("an image not pushed yet: the preview shows Cloud Run's image as not known yet; nothing is built", async () => {
                const { cloud, container } = await deployService(stack, {}, "none");
                assert.strictEqual(cloud.artifactRegistry.requests.length, 1);
                assert.ok(isUnknownInput(container.image));
                assert.ok(!cloud.resources.some((r) => r.type.startsWith("docker:")));
            });

            it("a dedicated service account, no keys; object access on its bucket only", async () => {
                const { cloud, run } = await deployService(stack);
                const account = cloud.one("gcp:serviceaccount/account:Account");
                assert.strictEqual(run.inputs.template.serviceAccount, account.outputs.email);
                assert.deepStrictEqual(cloud.ofType("gcp:serviceaccount/key:Key"), []);
                const grant = cloud.one("gcp:storage/bucketIAMMember:BucketIAMMember").inputs;
                assert.strictEqual(grant.role, "roles/storage.objectUser");
                assert.strictEqual(grant.member, account.outputs.member);
                assert.strictEqual(grant.bucket, cloud.one("gcp:storage/bucket:Bucket").outputs.name);
                for (const type of ["gcp:projects/iAMMember:IAMMember", "gcp:projects/iAMBinding:IAMBinding", "gcp:projects/iAMPolicy:IAMPolicy"]) {
                    assert.deepStrictEqual(cloud.ofType(type), [], `no project-wide grant (${type})`);
                }
            });

            it("GCS: uniform access, public access prevention enforced, events/ deleted after the retention period", async () => {
                const { cloud } = await deployService(stack);
                const bucket = cloud.one("gcp:storage/bucket:Bucket").inputs;
                assert.strictEqual(bucket.uniformBucketLevelAccess, true);
                assert.strictEqual(bucket.publicAccessPrevention, "enforced");
                assert.deepStrictEqual(bucket.versioning, { enabled: stack === "prod" });
                assert.strictEqual(bucket.forceDestroy, stack !== "prod");
                // Left unset, GCS keeps every deletion 7 more days, billed: only prod keeps that window.
                assert.deepStrictEqual(bucket.softDeletePolicy, { retentionDurationSeconds: stack === "prod" ? 604_800 : 0 });
                assert.deepStrictEqual(bucket.lifecycleRules[0], { action: { type: "Delete" }, condition: { age: stack === "prod" ? 90 : 30, matchesPrefixes: ["events/"] } });
                assert.deepStrictEqual(bucket.labels, LABELS(stack));
                // How long an events/ object really stays, by GCS's lifecycle semantics (a Delete of a live version in a
                // versioned bucket makes it noncurrent; a noncurrent version goes when a rule on ARCHIVED matches it).
                const retention = stack === "prod" ? 90 : 30;
                const noncurrentDays = (prefix: string) =>
                    Math.min(
                        ...bucket.lifecycleRules
                            .filter((r: any) => r.condition.withState === "ARCHIVED" && (!r.condition.matchesPrefixes || r.condition.matchesPrefixes.some((p: string) => prefix.startsWith(p))))
                            .map((r: any) => r.condition.daysSinceNoncurrentTime),
                    );
                const stored = retention + (bucket.versioning.enabled ? noncurrentDays("events/x") : 0);
                assert.ok(stored <= retention + 1, `events/ objects are stored ${stored} days, not about ${retention}`);
                if (stack === "prod") assert.strictEqual(noncurrentDays("uploads/x"), retention, "other noncurrent versions are kept the retention period");
            });

            it("the first revision can read its bucket: the service waits for the bucket grant, and its startup probe outlasts IAM's usual propagation", async () => {
                // /ready lists the bucket, so no instance starts before the runtime identity may. An IAM change
                // "typically propagates in 2 minutes, but could potentially take 7 minutes or longer" (IAM docs,
                // "Access change propagation"), and a revision whose startup probe fails fails the `up`: the grant is
                // made first, and the probe waits the most Cloud Run allows (failureThreshold x periodSeconds <= 240 s).
                const { cloud, run, container } = await deployService(stack);
                const grant = cloud.one("gcp:storage/bucketIAMMember:BucketIAMMember");
                assert.strictEqual(grant.inputs.role, "roles/storage.objectUser");
                assert.ok(run.dependsOn.includes(grant.urn), "the service is created after the runtime identity's bucket grant");
                const probe = container.startupProbe;
                assert.strictEqual(probe.periodSeconds * probe.failureThreshold, 240);
                assert.ok(probe.timeoutSeconds <= probe.periodSeconds);
            });

            it("a new service's uptime check starts probing only after Monitoring's invoker grant has had IAM's usual propagation time", async () => {
                // The checkers probe from the check's creation, and a probe the grant has not reached is a 403: three
                // failed rounds page someone. A new service's grant is new, and the wait counts from the grant's
                // creation, however long the service took to create.
                const program = () => new CloudRunGcsService("service", serviceArgs(stack, { ingress: "all" }));
                // Cloud Run took 3 minutes to create the service and its first revision; the grant came after.
                const created = new Date(Date.now() - 180_000).toISOString();
                const { cloud } = await runUnderMocks({ stack, setup: (c) => (c.createTime = (type) => (type === "gcp:cloudrunv2/service:Service" ? created : EARLIER_UPDATE)) }, program);
                assert.deepStrictEqual(infosOf(cloud), [`waiting 120 s before the uptime check's first probe: Monitoring's invoker grant is new, and IAM changes typically take 2 minutes to reach every service`]);
                assert.deepStrictEqual(cloud.waits, [GRANT_PROPAGATION_MS]);
                assert.match(cloud.one("gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig").inputs.monitoredResource.labels.host, /\.a\.run\.app$/);
                const again = await runUnderMocks({ stack, setup: (c) => (c.createTime = () => EARLIER_UPDATE) }, program);
                assert.deepStrictEqual([infosOf(again.cloud), again.cloud.waits], [[], []], "an existing service's check waits for nothing");
            });

            it("a new bucket's name reaches Cloud Run only after its object grant has had IAM's usual propagation time (the first revision's startup probe lists it)", async () => {
                // The startup probe gives the first revision 240 s, and /ready lists the bucket: a grant IAM takes longer
                // to carry fails the revision, which the provider does not retry (terraform-provider-google
                // resource_cloud_run_v2_service.go: the create's operation error is returned as it is). Before: only a
                // new secret's wait (dev) held the service back; prod, with no secret, waited for nothing.
                const program = () => new CloudRunGcsService("service", serviceArgs(stack, { service: { ...serviceArgs(stack).service, adminFeatures: false } }));
                const justNow = new Date(Date.now() - 30_000).toISOString();
                const { cloud } = await runUnderMocks({ stack, setup: (c) => (c.createTime = (type) => (type === "gcp:storage/bucket:Bucket" ? justNow : EARLIER_UPDATE)) }, program);
                const bucket = cloud.one("gcp:storage/bucket:Bucket").outputs.name;
                assert.deepStrictEqual(cloud.waits, [GRANT_PROPAGATION_MS]);
                assert.deepStrictEqual(infosOf(cloud), [`waiting 120 s before Cloud Run's first revision lists ${bucket}: its object grant is new, and IAM changes typically take 2 minutes to reach every service`]);
                const env = cloud.one("gcp:cloudrunv2/service:Service").inputs.template.containers[0].envs;
                assert.ok(env.some((e: any) => e.value === bucket), "the service still gets the bucket's name");
                const again = await runUnderMocks({ stack, setup: (c) => (c.createTime = () => EARLIER_UPDATE) }, program);
                assert.deepStrictEqual([infosOf(again.cloud), again.cloud.waits], [[], []], "a bucket of an earlier update waits for nothing");
            });

            it("a new secret's version reaches Cloud Run only after its accessor grant has had IAM's usual propagation time, however fast this machine's clock runs", async () => {
                // Cloud Run checks the revision's identity may read each secret when it creates the revision ("Permission
                // denied on secret: ... for Revision service account ...", the refusal the provider reports and does not
                // retry), so on the first `up` the service waits the whole window once the grant is made.
                const program = () => new CloudRunGcsService("service", serviceArgs(stack, { service: { ...serviceArgs(stack).service, adminFeatures: true } }));
                // Only the secret is new here (the service, and so its uptime check's grant, are an earlier update's).
                // Secret Manager's createTime 3 minutes before this machine's now: a clock running 3 minutes fast.
                const createdAgo = (ms: number) => (type: string) => (type === "gcp:secretmanager/secret:Secret" ? new Date(Date.now() - ms).toISOString() : EARLIER_UPDATE);
                const { cloud } = await runUnderMocks({ stack, setup: (c) => (c.createTime = createdAgo(180_000)) }, program);
                assert.deepStrictEqual(cloud.waits, [GRANT_PROPAGATION_MS]);
                assert.deepStrictEqual(
                    infosOf(cloud).filter((m) => m.includes("accessor grant")),
                    [`waiting 120 s before Cloud Run reads service-${stack}-admin-token: its accessor grant is new, and IAM changes typically take 2 minutes to reach every service`],
                );
                const env = cloud.one("gcp:cloudrunv2/service:Service").inputs.template.containers[0].envs.find((e: any) => e.name === "ADMIN_TOKEN");
                assert.deepStrictEqual(env.valueSource.secretKeyRef.version, "1");
                const again = await runUnderMocks({ stack, setup: (c) => (c.createTime = createdAgo(NEW_RESOURCE_MS + 1000)) }, program);
                assert.deepStrictEqual([infosOf(again.cloud), again.cloud.waits], [[], []], "a secret of an earlier update waits for nothing");
                // Created at midnight by Google's clock; this machine's now 30 s later, 3 minutes later (fast), 3 minutes before (slow).
                for (const now of ["2026-12-03T00:00:30Z", "2026-12-03T00:03:00Z", "2026-12-02T23:57:00Z"]) assert.strictEqual(propagationWaitMs("2026-12-03T00:00:00Z", Date.parse(now)), GRANT_PROPAGATION_MS, now);
                assert.strictEqual(propagationWaitMs("2026-12-03T00:00:00Z", Date.parse("2026-12-03T00:20:00Z")), 0);
                assert.strictEqual(propagationWaitMs(undefined, 0), 0);
            });

            // A new account has new grants on an existing bucket and secret (a component or environment renamed makes a
            // new runtime account). Before: the waits were keyed on the bucket's and the secret's age alone, so the
            // revision could be refused the secret, or time out listing the bucket, before the grants reached Cloud Run.
            it("a new runtime account's grants on an existing bucket and secret get IAM's usual propagation time too", async () => {
                const program = () => new CloudRunGcsService("service", serviceArgs(stack, { service: { ...serviceArgs(stack).service, adminFeatures: true } }));
                const justNow = new Date(Date.now() - 30_000).toISOString();
                // The account's wait (a time.Sleep, made once with the account) is new; everything else an earlier update's.
                const { cloud } = await runUnderMocks({ stack, setup: (c) => (c.createTime = (type) => (type === "time:index/sleep:Sleep" ? justNow : EARLIER_UPDATE)) }, program);
                const bucket = cloud.one("gcp:storage/bucket:Bucket").outputs.name;
                assert.deepStrictEqual(cloud.waits, [GRANT_PROPAGATION_MS, GRANT_PROPAGATION_MS]);
                assert.deepStrictEqual(infosOf(cloud).sort(), [
                    `waiting 120 s before Cloud Run reads service-${stack}-admin-token: its accessor grant is new, and IAM changes typically take 2 minutes to reach every service`,
                    `waiting 120 s before Cloud Run's first revision lists ${bucket}: its object grant is new, and IAM changes typically take 2 minutes to reach every service`,
                ]);
            });

            it("Cloud Run v2: settings as env, resources and scaling from settings, probes, gen2, ingress", async () => {
                const { run, container, env } = await deployService(stack);
                const t = run.inputs.template;
                assert.deepStrictEqual(container.resources.limits, { cpu: stack === "prod" ? "2" : "1", memory: stack === "prod" ? "2Gi" : "512Mi" });
                // Request-based billing (CPU only while serving), which the review's cost model prices; cpuIdle false is
                // instance-based billing, every instance-second at the CPU's price.
                assert.deepStrictEqual([container.resources.cpuIdle, container.resources.startupCpuBoost], [true, true]);
                assert.deepStrictEqual(run.inputs.scaling, { minInstanceCount: stack === "prod" ? 1 : 0, maxInstanceCount: stack === "prod" ? 10 : 2 }, "service-level bounds");
                // No revision-level minimum: Cloud Run starts one on every revision in the split (even at 0 %) or tagged,
                // so the candidate a rollback leaves tagged would keep prod's idle instance for good.
                assert.deepStrictEqual(t.scaling, { maxInstanceCount: stack === "prod" ? 10 : 2 });
                assert.strictEqual(t.maxInstanceRequestConcurrency, 80);
                assert.strictEqual(t.timeout, "60s");
                assert.strictEqual(t.executionEnvironment, "EXECUTION_ENVIRONMENT_GEN2");
                assert.strictEqual(run.inputs.ingress, "INGRESS_TRAFFIC_ALL");
                assert.strictEqual(run.inputs.deletionProtection, stack === "prod");
                assert.deepStrictEqual(container.startupProbe.httpGet, { path: "/ready", port: 8080 });
                assert.deepStrictEqual(container.livenessProbe.httpGet, { path: "/health", port: 8080 });
                // Restarted when /health fails 3 times in a row, not on one slow answer under load.
                assert.deepStrictEqual([container.livenessProbe.periodSeconds, container.livenessProbe.failureThreshold], [15, 3]);
                const value = (n: string) => env(n)?.value;
                assert.strictEqual(value("STORAGE_BACKEND"), "gcs");
                assert.strictEqual(value("OBJECT_PREFIX"), "events/");
                assert.strictEqual(value("BUCKET_NAME"), (await deployService(stack)).cloud.one("gcp:storage/bucket:Bucket").outputs.name);
                assert.strictEqual(value("CACHE_MAX_ENTRIES"), stack === "prod" ? "50000" : "10000");
                assert.strictEqual(value("CACHE_TTL_SECONDS"), stack === "prod" ? "7200" : "3600");
                assert.strictEqual(value("BATCH_SIZE"), stack === "prod" ? "500" : "100");
                assert.strictEqual(value("RETENTION_DAYS"), stack === "prod" ? "90" : "30");
                assert.strictEqual(value("ADMIN_FEATURES_ENABLED"), String(stack !== "prod"));
                assert.strictEqual(value("DEBUG"), String(stack !== "prod"));
                assert.strictEqual(value("LOG_LEVEL"), stack === "prod" ? "info" : "debug");
            });

            it("private by default: the invoker IAM check on, no allUsers invoker; the uptime check's agent may invoke", async () => {
                const { cloud } = await deployService(stack);
                assert.strictEqual(cloud.one("gcp:cloudrunv2/service:Service").inputs.invokerIamDisabled, false);
                const members = cloud.ofType("gcp:cloudrunv2/serviceIamMember:ServiceIamMember").map((m) => m.inputs.member);
                assert.ok(!members.includes("allUsers"));
                assert.deepStrictEqual(members, ["serviceAccount:service-987654321098@gcp-sa-monitoring-notification.iam.gserviceaccount.com"]);
                // Invoke only: a wider role on the service (run.developer, run.admin) would let Monitoring's agent change or delete it.
                assert.deepStrictEqual(cloud.ofType("gcp:cloudrunv2/serviceIamMember:ServiceIamMember").map((m) => m.inputs.role), ["roles/run.invoker"]);
                // Google creates a service agent "at some point after you activate and use the API" (IAM docs, "Service
                // agents"), and IAM refuses a grant to an account that does not exist yet: the grant waits for the
                // agent's creation, asked of Service Usage (generateServiceIdentity), once the Monitoring API is on.
                const grant = cloud.ofType("gcp:cloudrunv2/serviceIamMember:ServiceIamMember")[0];
                const identity = cloud.one("gcp:projects/serviceIdentity:ServiceIdentity");
                assert.strictEqual(identity.inputs.service, "monitoring.googleapis.com");
                assert.ok(grant.dependsOn.includes(identity.urn), "the invoker grant waits for the Monitoring service agent");
                const monitoringApi = cloud.ofType("gcp:projects/service:Service").find((api) => api.inputs.service === "monitoring.googleapis.com")!;
                assert.ok(identity.dependsOn.includes(monitoringApi.urn), "the agent is asked for once the Monitoring API is enabled");
            });

            it("the 5xx-ratio and p95-latency alerts page only on a window of at least release.minRequests requests (100): one failed or slow request on a quiet night pages no one", async () => {
                // The uptime check's probes alone are a few requests a minute: one 5xx among them is far over 5 %, and
                // one slow request is their p95. AND: "an incident is created only if all the conditions are met
                // simultaneously" (Monitoring v3 AlertPolicy.ConditionCombinerType); the API compares only GT or LT.
                const floorOf = (name: string) => {
                    const policy = cloud.one("gcp:monitoring/alertPolicy:AlertPolicy", name).inputs;
                    const volume = policy.conditions[1]?.conditionThreshold;
                    return [policy.combiner, volume?.filter.endsWith('metric.type = "run.googleapis.com/request_count"'), volume?.aggregations, volume?.comparison, volume?.thresholdValue, volume?.duration];
                };
                const { cloud } = await deployService(stack);
                const counted = [{ alignmentPeriod: "300s", perSeriesAligner: "ALIGN_DELTA", crossSeriesReducer: "REDUCE_SUM" }];
                for (const name of ["service-5xx-ratio", "service-p95-latency"]) assert.deepStrictEqual(floorOf(name), ["AND", true, counted, "COMPARISON_GT", 99, "300s"], name);
            });

            it("alerts: 5xx ratio above 5 %, p95 latency above 2 s, uptime check on /health", async () => {
                const { cloud } = await deployService(stack);
                const policy = (name: string) => cloud.one("gcp:monitoring/alertPolicy:AlertPolicy", name).inputs.conditions[0].conditionThreshold;
                const ratio = policy("service-5xx-ratio");
                assert.strictEqual(ratio.thresholdValue, 0.05);
                assert.match(ratio.filter, /metric\.labels\.response_code_class = "5xx"/);
                assert.match(ratio.denominatorFilter, /run\.googleapis\.com\/request_count/);
                assert.ok(!/5xx/.test(ratio.denominatorFilter));
                // Both sides per second and summed over every series: the ratio's two sides "must use the same alignment
                // period and produce time series that have the same periodicity and labels" (Monitoring v3
                // AlertPolicy.Condition.MetricThreshold, denominator_aggregations), and a mean over series divides the
                // 5xx by fewer series than all requests (one per response code): it pages a service well under the threshold.
                const summed = [{ alignmentPeriod: "300s", perSeriesAligner: "ALIGN_RATE", crossSeriesReducer: "REDUCE_SUM" }];
                assert.deepStrictEqual([ratio.aggregations, ratio.denominatorAggregations], [summed, summed]);
                const latency = policy("service-p95-latency");
                assert.strictEqual(latency.thresholdValue, 2000);
                // One p95 over the service's requests (distributions merged, then the percentile), not the worst series' p95.
                assert.deepStrictEqual([latency.aggregations[0].perSeriesAligner, latency.aggregations[0].crossSeriesReducer], ["ALIGN_DELTA", "REDUCE_PERCENTILE_95"]);
                for (const condition of [ratio, latency]) assert.strictEqual(condition.evaluationMissingData, "EVALUATION_MISSING_DATA_INACTIVE", "no data (no 5xx, no requests) closes an incident");
                const uptimeCheck = cloud.one("gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig");
                const uptime = uptimeCheck.inputs;
                assert.strictEqual(uptime.httpCheck.path, "/health");
                // run.app serves HTTPS on 443, with a certificate the check verifies.
                assert.deepStrictEqual([uptime.httpCheck.port, uptime.httpCheck.useSsl, uptime.httpCheck.validateSsl], [443, true, true]);
                assert.deepStrictEqual(uptime.httpCheck.serviceAgentAuthentication, { type: "OIDC_TOKEN" });
                assert.match(uptime.monitoredResource.labels.host, /\.a\.run\.app$/);
                // Cloud Run refuses the checker's token with 403 until roles/run.invoker is granted to Monitoring's agent.
                const checkerGrant = cloud.ofType("gcp:cloudrunv2/serviceIamMember:ServiceIamMember").find((m: any) => m.name.endsWith("-uptime-invoker"))!;
                assert.ok(cloud.one("gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig").dependsOn.includes(checkerGrant.urn), "the uptime check starts probing once its invoker grant exists");
                // It pages at the 3rd failed round of checks (the runbook's "health fails 3 times"): the condition holds
                // from the first failed round and must hold for its duration, so 3 rounds a minute apart are 120 s.
                // Before: 180 s, which paged at the 4th.
                const uptimeAlert = policy("service-uptime");
                assert.strictEqual(uptime.period, "60s");
                assert.strictEqual(uptimeAlert.duration, "120s");
                // A round fails when more than one checker location fails it: failed checks counted per host, above 1.
                assert.deepStrictEqual(
                    [uptimeAlert.aggregations[0].crossSeriesReducer, uptimeAlert.aggregations[0].groupByFields, uptimeAlert.thresholdValue],
                    ["REDUCE_COUNT_FALSE", ["resource.label.host"], 1],
                );
                // REDUCE_COUNT_FALSE "is valid for DELTA and GAUGE metrics of Boolean value_type" (Monitoring v3
                // Aggregation.Reducer): the aligner keeps check_passed's own boolean (ALIGN_FRACTION_TRUE makes a double).
                assert.strictEqual(uptimeAlert.aggregations[0].perSeriesAligner, "ALIGN_NEXT_OLDER");
                // This stack's check only: dev and every review stack share dev's project, and each has a check.
                assert.strictEqual(
                    uptimeAlert.filter,
                    `resource.type = "uptime_url" AND metric.type = "monitoring.googleapis.com/uptime_check/check_passed" AND metric.labels.check_id = "${uptimeCheck.outputs.uptimeCheckId}"`,
                );
                // Each fires above its threshold (a flipped comparison pages a healthy service and keeps quiet for a slow one).
                for (const condition of [ratio, latency, uptimeAlert]) assert.strictEqual(condition.comparison, "COMPARISON_GT");
                assert.deepStrictEqual(cloud.ofType("gcp:monitoring/notificationChannel:NotificationChannel"), []);
                // dev and every review stack share dev's project: each policy and check names its stack.
                const named = [...cloud.ofType("gcp:monitoring/alertPolicy:AlertPolicy"), ...cloud.ofType("gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig")];
                assert.strictEqual(named.length, 7);
                for (const r of named) assert.ok(r.inputs.displayName.startsWith(`multicloud-service (${stack}): `), r.inputs.displayName);
            });

            it("alerts on resource use: CPU and memory (p99 across instances) above 90 %, instances above 90 % of maxInstances, each to the on-call", async () => {
                const { cloud } = await deployService(stack, { alerts: { errorRatePercent: 5, p95LatencyMs: 2000, email: "oncall@company.com" } });
                const pages = cloud.one("gcp:monitoring/alertPolicy:AlertPolicy", "service-5xx-ratio").inputs.notificationChannels;
                assert.strictEqual(pages.length, 1);
                // The service-level maximum: it counts every revision in the split, as the sum over revisions does.
                const maxInstances = cloud.one("gcp:cloudrunv2/service:Service").inputs.scaling.maxInstanceCount;
                for (const [name, metric, threshold] of [
                    ["service-cpu-utilization", "run.googleapis.com/container/cpu/utilizations", 0.9],
                    ["service-memory-utilization", "run.googleapis.com/container/memory/utilizations", 0.9],
                    ["service-instances", "run.googleapis.com/container/instance_count", maxInstances * 0.9],
                ] as const) {
                    const policy = cloud.one("gcp:monitoring/alertPolicy:AlertPolicy", name).inputs;
                    const condition = policy.conditions[0].conditionThreshold;
                    assert.ok(condition.filter.includes(`metric.type = "${metric}"`) && condition.filter.includes('resource.type = "cloud_run_revision"'), name);
                    assert.deepStrictEqual([condition.comparison, condition.thresholdValue, condition.evaluationMissingData], ["COMPARISON_GT", threshold, "EVALUATION_MISSING_DATA_INACTIVE"], name);
                    assert.deepStrictEqual(policy.notificationChannels, pages, `${name} reaches the on-call, as the 5xx alert does`);
                }
                assert.deepStrictEqual(
                    ["service-cpu-utilization", "service-memory-utilization"].map((n) => cloud.one("gcp:monitoring/alertPolicy:AlertPolicy", n).inputs.conditions[0].conditionThreshold.aggregations[0].crossSeriesReducer),
                    ["REDUCE_PERCENTILE_99", "REDUCE_PERCENTILE_99"],
                    "the 99th percentile across instances, as the release's rollback reads it",
                );
                // An instance that turns idle within one alignment period is the maximum of both `state` series, so
                // ALIGN_MAX then REDUCE_SUM over 300 s counted it twice (dev's 1.8 line fired on one instance).
                const instances = cloud.one("gcp:monitoring/alertPolicy:AlertPolicy", "service-instances").inputs.conditions[0].conditionThreshold;
                assert.deepStrictEqual([instances.aggregations[0].alignmentPeriod, instances.aggregations[0].perSeriesAligner, instances.duration], ["60s", "ALIGN_MAX", "300s"], "instances summed per minute (each minute's most), above the line for 5 minutes");
                // Only those that serve: a revision out of the split keeps idle instances for a while, and after a deploy
                // two idle instances of two revisions passed dev's 1.8 line for 5 minutes.
                assert.match(instances.filter, / AND metric\.labels\.state = "active"$/);
            });

            it("labels every labelable resource with project, environment and managed-by", async () => {
                const { cloud, run } = await deployService(stack);
                for (const type of ["gcp:artifactregistry/repository:Repository", "gcp:storage/bucket:Bucket", "gcp:secretmanager/secret:Secret"]) {
                    for (const r of cloud.ofType(type)) assert.deepStrictEqual(r.inputs.labels, LABELS(stack), `${type} ${r.name}`);
                }
                assert.deepStrictEqual(run.inputs.labels, LABELS(stack));
                for (const r of cloud.ofType("gcp:monitoring/alertPolicy:AlertPolicy")) assert.deepStrictEqual(r.inputs.userLabels, LABELS(stack));
            });

            it("outputs: service URL, bucket, service account e-mail, image digest", async () => {
                const { component } = await deployService(stack);
                assert.match(await valueOf(component.serviceUrl), /^https:\/\/.*\.a\.run\.app$/);
                assert.match(await valueOf(component.bucketName), /^service-objects-/);
                assert.strictEqual(await valueOf(component.serviceAccountEmail), `service-${stack}@multicloud-service-${stack}.iam.gserviceaccount.com`);
                assert.match(await valueOf(component.imageDigest), /^sha256:[0-9a-f]{64}$/);
            });
        });
    }

    it("secrets: the database URL goes to Secret Manager, the container gets a reference, the account may read that secret only", async () => {
        const { cloud, env } = await deployService("prod", { databaseUrl: pulumi.secret("postgres://app:hunter2@db/app") });
        const secret = cloud.one("gcp:secretmanager/secret:Secret");
        assert.strictEqual(secret.inputs.secretId, "service-prod-database-url");
        assert.deepStrictEqual(secret.inputs.replication, { auto: {} });
        assert.ok(isSecretInput(cloud.one("gcp:secretmanager/secretVersion:SecretVersion").inputs.secretData));
        assert.deepStrictEqual(env("DATABASE_URL"), { name: "DATABASE_URL", valueSource: { secretKeyRef: { secret: "service-prod-database-url", version: "1" } } });
        assert.strictEqual(cloud.one("gcp:secretmanager/secretVersion:SecretVersion").inputs.deletionPolicy, "ABANDON", "a rollback revision's version stays readable");
        const access = cloud.one("gcp:secretmanager/secretIamMember:SecretIamMember").inputs;
        assert.strictEqual(access.role, "roles/secretmanager.secretAccessor");
        assert.strictEqual(access.secretId, "service-prod-database-url");
        assert.strictEqual(access.member, cloud.one("gcp:serviceaccount/account:Account").outputs.member);
        const run = cloud.one("gcp:cloudrunv2/service:Service");
        assert.ok(!JSON.stringify(run.inputs).includes("hunter2"), "the value is nowhere in the service");
    });

    it("the admin token: generated, in Secret Manager, by reference as ADMIN_TOKEN, a secret output", async () => {
        const { cloud, env, component } = await deployService("dev");
        assert.ok(cloud.one("random:index/randomPassword:RandomPassword"));
        // The version written by this deployment, never `latest`: a new value is a new revision, and a rollback revision
        // keeps reading the value it ran with.
        assert.deepStrictEqual(env("ADMIN_TOKEN").valueSource, { secretKeyRef: { secret: "service-dev-admin-token", version: "1" } });
        assert.strictEqual(env("ADMIN_TOKEN").value, undefined);
        assert.ok(component.adminToken && (await pulumi.isSecret(component.adminToken)));
        const prod = await deployService("prod");
        assert.strictEqual(prod.component.adminToken, undefined);
        assert.strictEqual(prod.env("ADMIN_TOKEN"), undefined);
    });

    // Secret Manager takes secret IDs of at most 255 characters (CreateSecretRequest.secret_id, the API reference);
    // a package caller's environment may be any text, and a longer ID failed the update at the secret's create.
    it("secret IDs stay within Secret Manager's 255 characters, and apart, however long the environment", async () => {
        const secretIds = async (environment: string) => {
            const { cloud } = await runUnderMocks({ stack: "dev" }, () => new CloudRunGcsService("service", serviceArgs("dev", { environment, databaseUrl: pulumi.secret("postgres://db/app") })));
            return cloud.ofType("gcp:secretmanager/secret:Secret").map((s) => String(s.inputs.secretId));
        };
        const [a, b] = [await secretIds(`${"e".repeat(260)}-a`), await secretIds(`${"e".repeat(260)}-b`)];
        assert.strictEqual(a.length, 2, "the database URL's secret and the admin token's");
        for (const id of [...a, ...b]) assert.match(id, /^[a-z0-9_-]{1,255}$/, `${id.length} characters`);
        assert.strictEqual(new Set([...a, ...b]).size, 4, "four secrets, four IDs");
    });

    it("a public service in dev when asked, with the invoker IAM check off, which domain restricted sharing allows; refused in prod without the opt-in, before anything is registered", async () => {
        // The mock cloud is a new organization's: domain restricted sharing on (scripts/offline/fakeOrgPolicies.ts).
        const dev = await deployService("dev", { publicInvoker: true });
        assert.strictEqual(dev.cloud.one("gcp:cloudrunv2/service:Service").inputs.invokerIamDisabled, true);
        assert.match(summarize("gcp:cloudrunv2/service:Service", dev.cloud.one("gcp:cloudrunv2/service:Service").inputs), / public=true /, "the offline plan says so");
        assert.doesNotMatch(summarize("gcp:cloudrunv2/service:Service", (await deployService("dev")).cloud.one("gcp:cloudrunv2/service:Service").inputs), /public=/);
        assert.ok(!dev.cloud.ofType("gcp:cloudrunv2/serviceIamMember:ServiceIamMember").some((m) => m.inputs.member === "allUsers"), "no allUsers grant, which that policy refuses");
        await assert.rejects(deployService("prod", { publicInvoker: true }), /a public service \(invoker IAM check off\) is refused in a production stack/);
        const allowed = await deployService("prod", { publicInvoker: true, allowPublicInvokerInProd: true });
        assert.strictEqual(allowed.cloud.one("gcp:cloudrunv2/service:Service").inputs.invokerIamDisabled, true);
    });

    it("the release's invokers (gcp.releaseInvokers): roles/run.invoker on the service itself to each member listed, none in the project", async () => {
        // Cloud Run does not recognize resource attributes in IAM Conditions (IAM docs, "Resource attributes for IAM
        // Conditions"), so a grant on the service is the only one that reaches this service alone.
        const RELEASE = "serviceAccount:release-prod@multicloud-service-deployer.iam.gserviceaccount.com";
        const ELSEWHERE = "serviceAccount:release-prod@another-deployer-project.iam.gserviceaccount.com";
        const invokerGrants = (cloud: MockCloud) => cloud.ofType("gcp:cloudrunv2/serviceIamMember:ServiceIamMember").filter((g) => !g.name.endsWith("-uptime-invoker"));
        const { cloud } = await deployService("prod", { releaseInvokers: [RELEASE, ELSEWHERE] });
        const service = cloud.one("gcp:cloudrunv2/service:Service");
        const grants = invokerGrants(cloud);
        // Two projects' accounts of one ID get a grant each.
        assert.deepStrictEqual(grants.map((g) => g.inputs.member).sort(), [ELSEWHERE, RELEASE]);
        for (const g of grants) {
            assert.deepStrictEqual([g.inputs.project, g.inputs.location, g.inputs.name, g.inputs.role], [service.inputs.project, service.inputs.location, service.outputs.name, "roles/run.invoker"], g.name);
        }
        assert.deepStrictEqual(cloud.ofType("gcp:projects/iAMMember:IAMMember").filter((g) => g.inputs.role === "roles/run.invoker"), []);
        assert.deepStrictEqual(invokerGrants((await deployService("prod")).cloud), [], "none listed, none granted");
        // The committed stack files' grants, against the account deployments/ makes: tests/deployments/githubOidc.spec.ts.
    });

    it("a new organization refuses an allUsers grant in Google's words (domain restricted sharing, on by default since 3 May 2024); an older one takes it", async () => {
        const grant = () => new cloudrunv2.ServiceIamMember("public", { project: "p", location: "asia-northeast1", name: "svc", role: "roles/run.invoker", member: "allUsers" });
        await failedUpdate(
            runUnderMocks({ stack: "dev" }, grant),
            /cloudrunv2\/serviceIamMember:ServiceIamMember::public: Error applying IAM policy for cloudrunv2 service "projects\/p\/locations\/asia-northeast1\/services\/svc": .*googleapi: Error 400: One or more users named in the policy do not belong to a permitted customer, {2}perhaps due to an organization policy\.$/m,
        );
        const older = await runUnderMocks({ stack: "dev", setup: (cloud) => (cloud.orgPolicies.domainRestrictedSharing = false) }, grant);
        assert.strictEqual(older.cloud.one("gcp:cloudrunv2/serviceIamMember:ServiceIamMember").inputs.member, "allUsers");
    });

    it("trustedProxyHops from another language outside 0-10 is refused, naming it, before the service would fail to start", async () => {
        await assert.rejects(deployService("dev", { trustedProxyHops: 11 }), /trustedProxyHops must be a whole number from 0 to 10 \(got 11\)/);
        await assert.rejects(deployService("dev", { trustedProxyHops: 1.5 }), /trustedProxyHops must be a whole number from 0 to 10 \(got 1.5\)/);
        assert.strictEqual((await deployService("dev", { trustedProxyHops: 0 })).env("TRUSTED_PROXY_HOPS").value, "0");
    });

    it("an alert e-mail becomes a notification channel on every policy", async () => {
        const { cloud } = await deployService("prod", { alerts: { errorRatePercent: 5, p95LatencyMs: 2000, email: "oncall@example.com" } });
        const channel = cloud.one("gcp:monitoring/notificationChannel:NotificationChannel");
        assert.deepStrictEqual(channel.inputs.labels, { email_address: "oncall@example.com" });
        for (const p of cloud.ofType("gcp:monitoring/alertPolicy:AlertPolicy")) assert.deepStrictEqual(p.inputs.notificationChannels, [channel.outputs.name]);
        // example.com is reserved for documentation (RFC 2606): no one there would ever verify the channel (next test),
        // and nothing else would say these alerts reach no one.
        assert.deepStrictEqual(messagesOf(cloud, "warning").filter((w) => w.includes("reserved for examples")), [
            "gcp.alerts.email is oncall@example.com, whose domain example.com is reserved for examples (RFC 2606): no one receives these alerts. Set gcp.alerts.email to an address someone reads",
        ]);
        const real = await deployService("prod", { alerts: { errorRatePercent: 5, p95LatencyMs: 2000, email: "oncall@company.com" } });
        assert.deepStrictEqual(messagesOf(real.cloud, "warning").filter((w) => w.includes("reserved for examples")), []);
    });

    // An e-mail channel made through the API is UNVERIFIED, "non-functioning" until verified with a code that only
    // sendVerificationCode sends (components/gcp/channelVerification.ts; the stand-in answers so, gcpOutputs.ts).
    it("an alert e-mail whose channel Cloud Monitoring holds UNVERIFIED is a warning on the up, with the calls that verify it", async () => {
        const { cloud } = await deployService("prod", { alerts: { errorRatePercent: 5, p95LatencyMs: 2000, email: "oncall@company.com" } });
        const channel = cloud.one("gcp:monitoring/notificationChannel:NotificationChannel");
        const method = (name: string) => `https://monitoring.googleapis.com/v3/${channel.outputs.name}:${name}`;
        assert.deepStrictEqual(messagesOf(cloud, "warning").filter((w) => w.includes("UNVERIFIED")), [
            `gcp.alerts.email oncall@company.com: Cloud Monitoring holds its notification channel UNVERIFIED, which it defines as non-functioning, so the alert policies reach nobody through it. Verify it: curl -X POST -H "Authorization: Bearer $(gcloud auth print-access-token)" -H "Content-Length: 0" ${method("sendVerificationCode")}, then with the code in the e-mail Google sends: curl -X POST -H "Authorization: Bearer $(gcloud auth print-access-token)" -H "Content-Type: application/json" -d '{"code":"<code>"}' ${method("verify")}; then \`pulumi refresh\` ends this warning (npm run release checks the channel itself and refuses to move traffic while it is unverified)`,
        ]);
        // The preview of a new channel does not know its status yet: said by the up that creates it.
        const preview = await runUnderMocks({ stack: "prod", preview: true, setup: (c) => (c.freshAccount = true) }, () =>
            new CloudRunGcsService("service", serviceArgs("prod", { alerts: { errorRatePercent: 5, p95LatencyMs: 2000, email: "oncall@company.com" } })),
        );
        assert.deepStrictEqual(messagesOf(preview.cloud, "warning").filter((w) => w.includes("UNVERIFIED")), []);
    });

    it("an uptime check (with its alert and the checker's invoker grant) only where Google's checkers can reach the service", async () => {
        const uptimeResources = (cloud: any) =>
            [...cloud.ofType("gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig"), ...cloud.ofType("gcp:monitoring/alertPolicy:AlertPolicy").filter((p: any) => p.name.endsWith("-uptime")), ...cloud.ofType("gcp:cloudrunv2/serviceIamMember:ServiceIamMember").filter((m: any) => m.name.endsWith("-uptime-invoker")), ...cloud.ofType("gcp:projects/serviceIdentity:ServiceIdentity")].length;
        assert.strictEqual(uptimeResources((await deployService("dev", { ingress: "all" })).cloud), 4);
        for (const [ingress, runIngress] of [["internal", "INGRESS_TRAFFIC_INTERNAL_ONLY"], ["internal-and-cloud-load-balancing", "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"]]) {
            const { cloud } = await deployService("dev", { ingress });
            assert.strictEqual(cloud.one("gcp:cloudrunv2/service:Service").inputs.ingress, runIngress, `${ingress}: not reachable from the internet`);
            assert.strictEqual(uptimeResources(cloud), 0, ingress);
            assert.strictEqual(cloud.ofType("gcp:monitoring/alertPolicy:AlertPolicy").length, 5, `${ingress}: the 5xx, latency and resource-use alerts stay`);
        }
    });

    describe("a new project: APIs enabled in this update serve it only minutes later", () => {
        // "activation is not guaranteed by the time the google_project_service resource is done provisioning" (the
        // Google provider's guide to google_project_service); until then each API answers 403 SERVICE_DISABLED, which
        // the provider retries for none of these resources (magic-modules' retry predicates).
        const program = () => new CloudRunGcsService("service", serviceArgs("dev", { service: { ...serviceArgs("dev").service, adminFeatures: true } }));
        const needsApis = ["gcp:artifactregistry/repository:Repository", "gcp:serviceaccount/account:Account", "gcp:storage/bucket:Bucket", "gcp:secretmanager/secret:Secret", "gcp:cloudrunv2/service:Service", "gcp:monitoring/alertPolicy:AlertPolicy"];
        it("what needs an API is registered once the API serves the project, and the wait is said", () =>
            withVirtualClock(async (slept, infos) => {
                const { cloud } = await runUnderMocks({ stack: "dev", setup: (c) => (c.apiActivation.activationReads.set("artifactregistry", 3), c.apiActivation.activationReads.set("secretmanager", 1)) }, program);
                assert.deepStrictEqual(
                    cloud.apiActivation.requests.filter((r) => r.api === "artifactregistry").map((r) => r.status),
                    [403, 403, 403, 200],
                );
                assert.ok(slept.filter((ms) => ms === 10_000).length >= 3, `slept ${slept}`);
                assert.ok(infos.some((m) => m.startsWith("waiting for artifactregistry.googleapis.com, secretmanager.googleapis.com to serve project multicloud-service-dev")), infos.join("\n"));
                for (const type of needsApis) assert.ok(cloud.ofType(type).length > 0, type);
            }));

        // A just-enabled API answers SERVICE_DISABLED to every method, and the quota read waits that out for a minute only
        // (getGoogleApi); under mocks the API's Service is created at once, so only the wait keeps the read after activation.
        it("Cloud Run's quota is read once the Cloud Quotas API serves the project, not once its Service is enabled", () =>
            withVirtualClock(async () => {
                const { cloud } = await runUnderMocks({ stack: "dev", setup: (c) => c.apiActivation.activationReads.set("cloudquotas", 3) }, program);
                assert.deepStrictEqual(cloud.apiActivation.requests.filter((r) => r.api === "cloudquotas").map((r) => r.status), [403, 403, 403, 200]);
                assert.deepStrictEqual(
                    cloud.cloudQuotas.requests.map((r) => r.reason ?? "answered"),
                    ["answered", "answered"],
                    "a quota read met SERVICE_DISABLED: it was asked before the wait saw the Cloud Quotas API serve",
                );
            }));

        it("an API that never serves fails the update after 5 minutes, naming it, before anything that needs it is registered", () =>
            withVirtualClock(async () => {
                let seen: any;
                // The whole program from source (the clock replaced here is its own), whose outputs carry the failure as `pulumi up` reports it.
                await assert.rejects(
                    runProgram("dev", { entry: "source", setup: (c) => ((seen = c), c.apiActivation.activationReads.set("run", Number.MAX_SAFE_INTEGER)) }),
                    /run\.googleapis\.com still answers 403 SERVICE_DISABLED for project multicloud-service-dev 5 min after it was enabled/,
                );
                for (const type of needsApis) assert.deepStrictEqual(seen.ofType(type).map((r: any) => r.name), [], `${type} registered before its API served`);
                assert.ok(seen.ofType("gcp:projects/service:Service").length >= 7, "the APIs themselves are enabled");
            }));

        it("Cloud Storage is asked for its buckets, and its older error form counts; a SERVICE_DISABLED about another project is not waited for", () =>
            withVirtualClock(async (slept, infos) => {
                const { cloud } = await runUnderMocks({ stack: "dev", setup: (c) => c.apiActivation.activationReads.set("storage", 2) }, program);
                const storage = cloud.apiActivation.requests.filter((r) => r.api === "storage");
                assert.deepStrictEqual(storage.map((r) => r.status), [403, 403, 200]);
                // buckets.list: storage.buckets.list is in the deployer's roles/storage.admin (hmacKeys.list is not).
                assert.deepStrictEqual([...new Set(storage.map((r) => r.url))], ["https://storage.googleapis.com/storage/v1/b?project=multicloud-service-dev&maxResults=1"]);
                // Only the v1 error list (errors[].reason accessNotConfigured), as Cloud Storage's JSON API has answered, in its
                // words: "Access Not Configured. Cloud Storage JSON API has not been used in project <number> before or it is
                // disabled. Enable it by visiting https://console.developers.google.com/apis/api/storage_api/overview?project=<number>
                // then retry. If you enabled this API recently, wait a few minutes for the action to propagate to our systems
                // and retry." (cloudyr/googleCloudStorageR#5); errors[] of domain usageLimits, reason accessNotConfigured and the
                // message (googlearchive/storage-getting-started-javascript#4).
                const legacyMessage =
                    "Access Not Configured. Cloud Storage JSON API has not been used in project 1 before or it is disabled. Enable it by visiting " +
                    "https://console.developers.google.com/apis/api/storage_api/overview?project=1 then retry. If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry.";
                let answers = 0;
                const legacyOnly = async () =>
                    ++answers <= 2
                        ? Response.json({ error: { code: 403, message: legacyMessage, errors: [{ domain: "usageLimits", reason: "accessNotConfigured", message: legacyMessage }] } }, { status: 403 })
                        : Response.json({});
                await waitUntilServing(["storage"], { id: "p", number: "1" }, "asia-northeast1", "token", legacyOnly as typeof fetch);
                assert.strictEqual(answers, 3);
                // That form names its project only in its message; the caller's OAuth client's project is not this one.
                const legacyOther = { httpStatus: 403, legacyReason: "accessNotConfigured", message: "Access Not Configured. Cloud Storage JSON API has not been used in project 201908948134 before or it is disabled." };
                assert.deepStrictEqual([disabledFor(legacyOther, { id: "p", number: "987654321098" }), disabledFor(legacyOther, { id: "p", number: "201908948134" })], [false, true]);
                assert.strictEqual(disabledFor({ httpStatus: 403, reason: "BILLING_DISABLED", legacyReason: "accessNotConfigured", message: "" }, { id: "p", number: "1" }), false, "an ErrorInfo decides alone");
                // ErrorInfo's consumer names the project by number, sometimes by ID: either is this project.
                const disabledIn = (consumer: string) => disabledFor({ httpStatus: 403, reason: "SERVICE_DISABLED", consumer, message: "" }, { id: "p-dev", number: "1" });
                assert.deepStrictEqual(["projects/1", "projects/p-dev", "projects/2", "projects/p-other"].map(disabledIn), [true, true, false, false]);
                // The caller's quota project (another project's number): this wait cannot outlast that, so it does not try.
                slept.length = infos.length = 0;
                const other = await runUnderMocks({ stack: "dev", setup: (c) => (c.apiActivation.otherConsumer = "projects/111111111111") }, program);
                assert.deepStrictEqual([slept.filter((ms) => ms === 10_000), infos.filter((m) => m.startsWith("waiting for"))], [[], []]);
                assert.ok(other.cloud.ofType("gcp:artifactregistry/repository:Repository").length === 1);
            }));

        // Google's error model: 429 RESOURCE_EXHAUSTED and 503 UNAVAILABLE (cloud.google.com/apis/design/errors) say
        // nothing about whether the API serves the project.
        it("a quota or server answer to an API's probe is asked again, not taken for serving, and one that stays is named with that answer", () =>
            withVirtualClock(async (slept) => {
                const answers = [unavailable(), quotaExceeded("run.googleapis.com"), Response.json({})];
                let asked = 0;
                await waitUntilServing(["run"], { id: "p", number: "1" }, "asia-northeast1", "token", (async () => answers[Math.min(asked++, 2)]) as typeof fetch);
                assert.deepStrictEqual([asked, slept.filter((ms) => ms === 10_000).length], [3, 2]);
                await assert.rejects(
                    waitUntilServing(["run", "iam"], { id: "p", number: "1" }, "asia-northeast1", "token", (async (url: string) => (url.includes("run.") ? unavailable() : Response.json({}))) as typeof fetch),
                    /^Error: run\.googleapis\.com answers HTTP 503 UNAVAILABLE \(quota or Google's own trouble\) for project p 5 min after it was enabled/,
                );
            }));

        // Under USER_PROJECT_OVERRIDE the provider's own calls name the billing project (magic-modules transport SendRequest,
        // X-Goog-User-Project); the probe that stands for them names the same, or it is billed elsewhere than they are.
        it("an API's probe names the quota project the provider's calls name", async () => {
            const named: (string | null)[] = [];
            const probe = (async (_url: string, init?: RequestInit) => (named.push(new Headers(init?.headers).get("x-goog-user-project")), Response.json({}))) as unknown as typeof fetch;
            await withProcessEnvironment({ USER_PROJECT_OVERRIDE: "true", GOOGLE_BILLING_PROJECT: "billing-project", GOOGLE_CLOUD_QUOTA_PROJECT: undefined }, () =>
                waitUntilServing(["run"], { id: "p", number: "1" }, "asia-northeast1", "token", probe),
            );
            assert.deepStrictEqual(named, ["billing-project"]);
        });

        it("the image's registry read names the project by number too: a SERVICE_DISABLED about the caller's quota project fails at once, naming it", async () => {
            const { cloud } = await failedUpdate(
                runUnderMocks({ stack: "dev", setup: (c) => (c.artifactRegistry.otherConsumer = "projects/111111111111") }, program),
                /the API is disabled in projects\/111111111111, the project the call was billed to \(the deploying identity's quota project\), not in multicloud-service-dev: enable it there/,
            );
            assert.strictEqual(cloud.artifactRegistry.requests.length, 1, "asked once, not waited out");
        });

        it("a preview asks nothing", async () => {
            const { cloud } = await runUnderMocks({ stack: "dev", preview: true }, program);
            assert.deepStrictEqual(cloud.apiActivation.requests, []);
        });
    });

    it("a prebuilt image in another project's Artifact Registry: Cloud Run's service agent may read that repository (only)", async () => {
        const prebuilt = `europe-west1-docker.pkg.dev/ci-images-project/releases/service@sha256:${"d".repeat(64)}`;
        const { cloud, run } = await deployService("dev", { image: { prebuilt } });
        const grant = cloud.one("gcp:artifactregistry/repositoryIamMember:RepositoryIamMember");
        assert.deepStrictEqual(
            { project: grant.inputs.project, location: grant.inputs.location, repository: grant.inputs.repository, role: grant.inputs.role, member: grant.inputs.member },
            {
                project: "ci-images-project",
                location: "europe-west1",
                repository: "releases",
                role: "roles/artifactregistry.reader",
                // Cloud Run pulls as its service agent: service-<project number>@serverless-robot-prod (Cloud Run docs, "Deploying images from other projects").
                member: "serviceAccount:service-987654321098@serverless-robot-prod.iam.gserviceaccount.com",
            },
        );
        assert.strictEqual(run.inputs.template.containers[0].image, prebuilt);
        // IAM refuses a grant to a service agent that does not exist yet: Cloud Run's is created first, once its API is on.
        // The binding is the project's agent's, shared by every stack of the project that runs an image from there:
        // a stack's destroy leaves it (the provider removes an IAM member whoever added it).
        assert.strictEqual(grant.options.retainOnDelete, true);
        const agent = cloud.ofType("gcp:projects/serviceIdentity:ServiceIdentity").find((i) => i.inputs.service === "run.googleapis.com");
        assert.ok(agent, "Cloud Run's service agent is created (generateServiceIdentity)");
        assert.ok(grant.dependsOn.includes(agent.urn), "the grant waits for the agent");
        const runApi = cloud.ofType("gcp:projects/service:Service").find((s) => s.inputs.service === "run.googleapis.com")!;
        assert.ok(agent.dependsOn.includes(runApi.urn), "the agent waits for the Cloud Run API");
    });

    it("a new grant on another project's repository: Cloud Run gets the image after IAM's usual propagation time; an existing one waits for nothing", async () => {
        // Cloud Run checks its agent may read the image when it creates the revision, and the provider does not
        // retry that refusal: the first `up` would fail while the new grant had not reached Cloud Run.
        const prebuilt = `europe-west1-docker.pkg.dev/ci-images-project/releases/service@sha256:${"d".repeat(64)}`;
        const agent = "serviceAccount:service-987654321098@serverless-robot-prod.iam.gserviceaccount.com";
        const program = () => new CloudRunGcsService("service", serviceArgs("dev", { image: { prebuilt } }));
        const { cloud } = await runUnderMocks({ stack: "dev" }, program);
        assert.deepStrictEqual(cloud.waits, [GRANT_PROPAGATION_MS]);
        assert.deepStrictEqual(infosOf(cloud), [
            "waiting 120 s before Cloud Run reads ci-images-project/releases: its reader grant is new, and IAM changes typically take 2 minutes to reach every service",
        ]);
        const read = cloud.calls.filter((c) => c.token === "gcp:artifactregistry/getRepositoryIamPolicy:getRepositoryIamPolicy");
        assert.deepStrictEqual(read.map((c) => ({ project: c.inputs.project, location: c.inputs.location, repository: c.inputs.repository })), [
            { project: "ci-images-project", location: "europe-west1", repository: "releases" },
        ]);
        assert.strictEqual(cloud.artifactRegistry.repositoryPolicyData("ci-images-project", "europe-west1", "releases"), JSON.stringify({ bindings: [{ members: [agent], role: "roles/artifactregistry.reader" }] }));

        const held = await runUnderMocks({ stack: "dev", setup: (c) => c.artifactRegistry.grant("ci-images-project", "europe-west1", "releases", "roles/artifactregistry.reader", agent) }, program);
        assert.deepStrictEqual([held.cloud.waits, infosOf(held.cloud)], [[], []], "a grant the repository held before the update waits for nothing");

        const writer = await runUnderMocks({ stack: "dev", setup: (c) => c.artifactRegistry.grant("ci-images-project", "europe-west1", "releases", "roles/artifactregistry.writer", agent) }, program);
        assert.deepStrictEqual(writer.cloud.waits, [GRANT_PROPAGATION_MS], "another role's binding is not the reader grant");

        // A conditional binding grants only while its condition holds ("An unsatisfied condition will not allow user
        // access via current binding": google.golang.org/api cloudresourcemanager/v1 Binding.Condition): the
        // unconditional grant this update adds beside it is new, and Cloud Run must not get the image before it spreads.
        const expired = { expression: 'request.time < timestamp("2020-01-01T00:00:00Z")', title: "expired" };
        const conditional = await runUnderMocks({ stack: "dev", setup: (c) => c.artifactRegistry.grant("ci-images-project", "europe-west1", "releases", "roles/artifactregistry.reader", agent, expired) }, program);
        assert.deepStrictEqual(conditional.cloud.waits, [GRANT_PROPAGATION_MS], "a reader binding under a condition is not the unconditional grant");

        // A preview (preview.yml's read-only account has no IAM access in a third project) reads nothing there.
        const preview = await runUnderMocks({ stack: "dev", preview: true }, program);
        assert.deepStrictEqual(preview.cloud.calls.filter((c) => c.token.includes("getRepositoryIamPolicy")), []);
    });

    it("a prebuilt image in the stack's own project (Artifact Registry or gcr.io) or on Docker Hub: no grant", async () => {
        const images = [
            `asia-northeast1-docker.pkg.dev/multicloud-service-dev/images/service@sha256:${"d".repeat(64)}`,
            `gcr.io/multicloud-service-dev/service@sha256:${"d".repeat(64)}`,
            `docker.io/library/service@sha256:${"d".repeat(64)}`,
        ];
        for (const prebuilt of images) {
            const { cloud } = await deployService("dev", { image: { prebuilt } });
            assert.deepStrictEqual(cloud.ofType("gcp:artifactregistry/repositoryIamMember:RepositoryIamMember"), [], prebuilt);
        }
    });

    // Container Registry is shut down; gcr.io is served from an Artifact Registry repository named after the host, in its
    // multi-region (Artifact Registry docs, "gcr.io repositories"), and Cloud Run's agent needs Artifact Registry Reader
    // there like anywhere else in another project.
    it("a prebuilt gcr.io image of another project: the reader grant goes to that project's gcr.io repository", async () => {
        for (const [host, location] of [["gcr.io", "us"], ["us.gcr.io", "us"], ["asia.gcr.io", "asia"], ["eu.gcr.io", "europe"]]) {
            const { cloud } = await deployService("dev", { image: { prebuilt: `${host}/ci-images-project/service@sha256:${"d".repeat(64)}` } });
            const grant = cloud.one("gcp:artifactregistry/repositoryIamMember:RepositoryIamMember").inputs;
            assert.deepStrictEqual([grant.project, grant.location, grant.repository, grant.role], ["ci-images-project", location, host, "roles/artifactregistry.reader"], host);
        }
        // A domain-scoped project's image path has a / where its ID has a : ("Repository and image names").
        const { cloud } = await deployService("dev", { image: { prebuilt: `eu.gcr.io/example.com/ci-images/service@sha256:${"d".repeat(64)}` } });
        const grant = cloud.one("gcp:artifactregistry/repositoryIamMember:RepositoryIamMember").inputs;
        assert.deepStrictEqual([grant.project, grant.location, grant.repository], ["example.com:ci-images", "europe", "eu.gcr.io"]);
    });

    it("a prebuilt image: nothing built, Cloud Run runs it as given", async () => {
        const prebuilt = `asia-northeast1-docker.pkg.dev/ci-project/images/service@sha256:${"d".repeat(64)}`;
        const { cloud, container } = await deployService("dev", { image: { prebuilt } });
        assert.deepStrictEqual(cloud.artifactRegistry.requests, [], "nothing is looked up");
        assert.strictEqual(container.image, prebuilt);
    });

    it("prod's registry, bucket and secrets are protected (bucket and secrets kept if removed from the program); dev's are not", async () => {
        for (const stack of ["dev", "prod"] as const) {
            const { cloud } = await deployService(stack, { databaseUrl: "postgres://db.internal/app" });
            const prod = stack === "prod";
            assert.strictEqual(cloud.one("gcp:artifactregistry/repository:Repository").options.protect, prod, `${stack} registry`);
            assert.deepStrictEqual(cloud.one("gcp:storage/bucket:Bucket").options, { protect: prod, retainOnDelete: prod }, `${stack} bucket`);
            for (const secret of cloud.ofType("gcp:secretmanager/secret:Secret")) {
                assert.deepStrictEqual(secret.options, { protect: prod, retainOnDelete: prod }, `${stack} secret ${secret.name}`);
            }
        }
    });
});

describe("GCP IDs of long stack names (review stacks: one per pull request, all in dev's project; they run dev's registries)", () => {
    // Review stacks are named alike up to the pull request's number; a cut at the limit made them one ID.
    const reviewStacks = ["pr-pulumi-my-pulumi-org-multicloud-service-42", "pr-pulumi-my-pulumi-org-multicloud-service-1043"];

    it("each gets its own service account ID, one Google accepts (6-30 of [a-z0-9-], a letter first, no trailing -)", async () => {
        const { SERVICE_ACCOUNT_ID } = await import("../../components/gcp/resourceIds");
        const ids: string[] = [];
        for (const environment of reviewStacks) {
            const { cloud } = await deployService("dev", { environment });
            ids.push(cloud.one("gcp:serviceaccount/account:Account").inputs.accountId);
        }
        assert.notStrictEqual(ids[0], ids[1], "two review stacks, one service account");
        for (const id of ids) assert.match(id, SERVICE_ACCOUNT_ID);
        const { cloud } = await deployService("dev");
        assert.strictEqual(cloud.one("gcp:serviceaccount/account:Account").inputs.accountId, "service-dev", "short names are kept as they were");
    });

    it("a long stack name with registries of its own gets an Artifact Registry repository ID of at most 63 characters; short names are kept", async () => {
        const { registryRepositoryId } = await import("../../components/gcp/imageRegistry");
        const ids = reviewStacks.map((environment) => registryRepositoryId("service-registry", environment));
        assert.notStrictEqual(ids[0], ids[1]);
        for (const id of ids) assert.ok(id.length <= 63 && /^[a-z][-a-z0-9]*[a-z0-9]$/.test(id), id);
        assert.strictEqual(registryRepositoryId("service-registry", "prod"), "service-registry-prod");
    });
});

// Google's IDs take lowercase letters, digits and `-` (secret IDs `_` too), so the stack's name is made so; stacks whose
// names that makes alike (review stacks and dev share dev's project) would share one service account, secret and
// repository ID, and the second stack's create would fail with "already exists" (409).
describe("GCP and ECR IDs of stacks whose names differ only in case, `.` or `_`", () => {
    const alike = ["prod-eu", "prod.eu", "prod_eu", "Prod-eu"];

    it("each gets a service account, secret and repository ID of its own, each one Google accepts; a name Google takes as it is keeps its ID", async () => {
        const { registryRepositoryId } = await import("../../components/gcp/imageRegistry");
        const ids = { accounts: [] as string[], secrets: [] as string[], repositories: [] as string[] };
        for (const environment of alike) {
            const { cloud } = await deployService("dev", { environment });
            ids.accounts.push(cloud.one("gcp:serviceaccount/account:Account").inputs.accountId);
            ids.secrets.push(cloud.one("gcp:secretmanager/secret:Secret").inputs.secretId);
            ids.repositories.push(registryRepositoryId("service-registry", environment));
        }
        const { SERVICE_ACCOUNT_ID } = await import("../../components/gcp/resourceIds");
        for (const [kind, list] of Object.entries(ids)) assert.strictEqual(new Set(list).size, alike.length, `${kind}: ${list.join(", ")}`);
        for (const id of ids.accounts) assert.match(id, SERVICE_ACCOUNT_ID);
        for (const id of ids.secrets) assert.match(id, /^[A-Za-z0-9_-]{1,255}$/);
        for (const id of ids.repositories) assert.match(id, /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/);
        assert.deepStrictEqual([ids.accounts[0], ids.secrets[0], ids.repositories[0]], ["service-prod-eu", "service-prod-eu-admin-token", "service-registry-prod-eu"]);
    });

    it("the ECR repository of a stack named in capitals is not the one of its lowercase twin; both are names ECR takes", async () => {
        const { ECR_REPOSITORY_NAME, ecrRepositoryName } = await import("../../components/names");
        const names = ["dev", "Dev", "DEV"].map((stack) => ecrRepositoryName("multicloud-service", stack));
        assert.strictEqual(new Set(names).size, 3, names.join(", "));
        for (const name of names) assert.match(name, ECR_REPOSITORY_NAME);
        assert.strictEqual(names[0], "multicloud-service-dev");
    });
});

describe("Cloud Run's drain and the settings rule that depends on it", () => {
    it("the component's DRAIN_TIMEOUT_MS is the drain the storage-deadline rule assumes", async () => {
        const { CLOUD_RUN_DRAIN_MS } = await import("../../config/cloudLimits");
        const { DRAIN_TIMEOUT_MS } = await import("../../components/gcp/cloudRunService");
        assert.strictEqual(DRAIN_TIMEOUT_MS, CLOUD_RUN_DRAIN_MS);
    });
});

// A label value is at most 63 characters (Resource Manager's label requirements, as resourceIds.ts cites them).
describe("GCP label values of long stack names", () => {
    it("are at most 63 of [a-z0-9_-], and stay apart when they differ past the limit", async () => {
        const { labelValue } = await import("../../components/gcp/resourceIds");
        const values = ["a", "b"].map((tail) => labelValue(`PR-${"x".repeat(100)}-${tail}`));
        for (const value of values) assert.match(value, /^[a-z0-9_-]{1,63}$/, value);
        assert.notStrictEqual(values[0], values[1]);
        assert.strictEqual(labelValue("prod"), "prod");
    });
});
