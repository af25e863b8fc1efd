import * as assert from "assert";
import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import * as storage from "@pulumi/gcp/storage";
import { serviceAccountDisplayName } from "../../components/gcp/resourceIds";
import { ACCOUNT_PROPAGATION } from "../../components/gcp/accountPropagation";
import { waitClock } from "../../components/waitClock";
import { CloudRunGcsService } from "../../components/gcp";
import { MockCloud, RecordedResource, RefusedRegistrations, runUnderMocks } from "../../scripts/offline/mockCloud";
import { runProgram } from "../../scripts/offline/runProgram";
import { failedUpdate } from "../harness/failedUpdate";
import { sharedPerArgs } from "../harness/shared";
import { serviceArgs } from "./fixtures";

const ACCOUNT = "gcp:serviceaccount/account:Account";
const SLEEP = "time:index/sleep:Sleep";
const BUCKET_GRANT = "gcp:storage/bucketIAMMember:BucketIAMMember";
const SECRET_GRANT = "gcp:secretmanager/secretIamMember:SecretIamMember";
const AGENT = "gcp:projects/serviceIdentity:ServiceIdentity";
const SERVICE_GRANT = "gcp:cloudrunv2/serviceIamMember:ServiceIamMember";
const REPOSITORY_GRANT = "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember";
/** Monitoring's service agent, as generateServiceIdentity names it for the mock project's number. */
const MONITORING_AGENT = "serviceAccount:service-987654321098@gcp-sa-monitoring-notification.iam.gserviceaccount.com";

/** The time.Sleep whose triggers name `member`: the wait for that account to be known. */
function waitFor(cloud: MockCloud, member: string): RecordedResource {
    const waits = cloud.ofType(SLEEP).filter((s) => Object.values(s.inputs.triggers ?? {}).includes(member));
    assert.strictEqual(waits.length, 1, `one wait triggered by ${member}: ${waits.map((w) => w.name).join(", ")}`);
    return waits[0];
}

/** A first `up` of a stack in an empty account, run once per stack and shared: its tests only read what it registered. */
const firstUp = sharedPerArgs((stack: "dev" | "prod") => runProgram(stack, { setup: (c) => (c.freshAccount = true) }));

/** Every resource `resource` waits on, directly or through others (the engine's dependency graph). */
function dependencies(cloud: MockCloud, resource: RecordedResource): RecordedResource[] {
    const byUrn = new Map(cloud.resources.map((r) => [r.urn, r]));
    const seen = new Set<RecordedResource>();
    const visit = (r: RecordedResource) => {
        for (const urn of r.dependsOn) {
            const next = byUrn.get(urn);
            if (next && !seen.has(next)) {
                seen.add(next);
                visit(next);
            }
        }
    };
    visit(resource);
    return [...seen];
}

describe("the runtime service account on a first up (Google's eventual consistency for new accounts)", function () {
    this.timeout(60_000);

    describe("the fake cloud, as Google and the provider answer", () => {
        let cloud: MockCloud;
        const create = (type: string, name: string, inputs: Record<string, any>) => cloud.newResource({ type, name, inputs, custom: true } as any);
        const member = "serviceAccount:service-dev@multicloud-service-dev.iam.gserviceaccount.com";
        beforeEach(() => {
            cloud = new MockCloud({ aws: "ap-northeast-1", gcp: "asia-northeast1" }, "multicloud-service-dev");
            cloud.startRun(false);
            cloud.freshAccount = true;
            create(ACCOUNT, "service-runtime", { project: "multicloud-service-dev", accountId: "service-dev" });
        });

        it("refuses a bucket or secret grant made right after the account, in the provider's words", () => {
            assert.throws(
                () => create(BUCKET_GRANT, "grant", { bucket: "objects-dev", role: "roles/storage.objectUser", member }),
                {
                    message:
                        'Error applying IAM policy for storage bucket "b/objects-dev": Error setting IAM policy for storage bucket "b/objects-dev": googleapi: Error 400: Service account service-dev@multicloud-service-dev.iam.gserviceaccount.com does not exist., invalid',
                },
            );
            // Secret Manager's answer carries no errors[].reason for googleapi to print after the message, unlike Cloud
            // Storage's: a real refusal as printed (ObrienlabsDev/gcp-infrastructure-as-code, README.md, under its
            // heading Expected SA creation): "googleapi: Error 400: Service account service-<number>@gcp-sa-cloudbuild.iam.gserviceaccount.com does not exist."
            assert.throws(() => create(SECRET_GRANT, "grant", { secretId: "admin-token", role: "roles/secretmanager.secretAccessor", member }), {
                message:
                    'Error applying IAM policy for secretmanager secret "projects/multicloud-service-dev/secrets/admin-token": Error setting IAM policy for secretmanager secret "projects/multicloud-service-dev/secrets/admin-token": googleapi: Error 400: Service account service-dev@multicloud-service-dev.iam.gserviceaccount.com does not exist.',
            });
        });

        // Resource Manager's and IAM's own answers list a reason, which googleapi prints after the message: project
        // grants refused as "Error setting IAM policy for project \"<project>\": googleapi: Error 400: ..., badRequest"
        // (hashicorp/terraform-provider-google#6854; terraform-google-modules/terraform-google-cloud-dns#12), and a new
        // account named in one as "Service account ... does not exist., badRequest" (midl-dev/tezos-on-gke#45); a
        // service account's own policy as "... Identity Pool does not exist (...)..., badRequest"
        // (terraform-google-modules/terraform-google-kubernetes-engine#916).
        it("refuses a project or service-account grant made right after the account with the reason IAM's answers carry", () => {
            assert.throws(() => create("gcp:projects/iAMMember:IAMMember", "grant", { project: "multicloud-service-dev", role: "roles/monitoring.viewer", member }), {
                message:
                    'Request `Create IAM Members roles/monitoring.viewer serviceAccount:service-dev@multicloud-service-dev.iam.gserviceaccount.com for project "multicloud-service-dev"` returned error: Error applying IAM policy for project "multicloud-service-dev": Error setting IAM policy for project "multicloud-service-dev": googleapi: Error 400: Service account service-dev@multicloud-service-dev.iam.gserviceaccount.com does not exist., badRequest',
            });
            const account = "projects/multicloud-service-dev/serviceAccounts/release-dev@multicloud-service-dev.iam.gserviceaccount.com";
            assert.throws(() => create("gcp:serviceaccount/iAMMember:IAMMember", "grant", { serviceAccountId: account, role: "roles/iam.serviceAccountOpenIdTokenCreator", member }), {
                message: `Error applying IAM policy for service account '${account}': Error setting IAM policy for service account '${account}': googleapi: Error 400: Service account service-dev@multicloud-service-dev.iam.gserviceaccount.com does not exist., badRequest`,
            });
        });

        it("takes a grant that depends on a time.Sleep of 60 s triggered by the account; not one that depends on a shorter one, or on none", () => {
            const grantWaitingOn = (sleep: string | undefined) => {
                cloud.optionsByResource.set(`${BUCKET_GRANT}::grant`, { protect: false, retainOnDelete: false, deleteBeforeReplace: false, ignoreChanges: [], propertyDependencies: {}, dependsOn: sleep ? [`urn:pulumi:dev::multicloud-service::${SLEEP}::${sleep}`] : [] });
                return () => create(BUCKET_GRANT, "grant", { bucket: "objects-dev", member });
            };
            create(SLEEP, "short", { createDuration: "30s", triggers: { member } });
            create(SLEEP, "long", { createDuration: "1m", triggers: { member } });
            // One unit only: the time provider's Check refuses "1m30s" before anything is made (serviceInputChecks.ts).
            assert.throws(() => create(SLEEP, "unreadable", { createDuration: "1m30s", triggers: { member } }), /Invalid Attribute Value Match\. Attribute create_duration must be a number immediately followed by/);
            assert.throws(grantWaitingOn("short"), /does not exist/);
            assert.throws(grantWaitingOn("unreadable"), /does not exist/, "a wait the provider refused waits for nothing");
            // Made as soon as the account exists, in parallel with the wait: Google refuses it all the same.
            assert.throws(grantWaitingOn(undefined), /does not exist/);
            assert.doesNotThrow(grantWaitingOn("long"));
        });

        it("refuses a Cloud Run or Artifact Registry grant made right after generateServiceIdentity made the agent, in the provider's words", () => {
            create(AGENT, "monitoring-agent", { project: "multicloud-service-dev", service: "monitoring.googleapis.com" });
            create(AGENT, "run-agent", { project: "multicloud-service-dev", service: "run.googleapis.com" });
            assert.throws(() => create(SERVICE_GRANT, "invoker", { project: "multicloud-service-dev", location: "asia-northeast1", name: "service-1", role: "roles/run.invoker", member: MONITORING_AGENT }), {
                message:
                    'Error applying IAM policy for cloudrunv2 service "projects/multicloud-service-dev/locations/asia-northeast1/services/service-1": Error setting IAM policy for cloudrunv2 service "projects/multicloud-service-dev/locations/asia-northeast1/services/service-1": googleapi: Error 400: Service account service-987654321098@gcp-sa-monitoring-notification.iam.gserviceaccount.com does not exist.',
            });
            const runAgent = "serviceAccount:service-987654321098@serverless-robot-prod.iam.gserviceaccount.com";
            assert.throws(() => create(REPOSITORY_GRANT, "reader", { project: "ci-images", location: "europe-west1", repository: "releases", role: "roles/artifactregistry.reader", member: runAgent }), {
                message: /^Error applying IAM policy for artifactregistry repository "projects\/ci-images\/locations\/europe-west1\/repositories\/releases": .*Error 400: Service account service-987654321098@serverless-robot-prod\.iam\.gserviceaccount\.com does not exist\.$/,
            });
        });

        it("a run in which it refuses a grant fails, naming the resource and the answer, as the update would", async () => {
            const program = () => {
                const account = new serviceaccount.Account("runtime", { accountId: "service-dev" });
                new storage.BucketIAMMember("grant", { bucket: "objects-dev", role: "roles/storage.objectUser", member: account.member });
            };
            const refused = await failedUpdate(
                runUnderMocks({ stack: "dev", setup: (c) => (c.freshAccount = true) }, program),
                /^a resource was refused, which fails the update:\n {2}gcp:storage\/bucketIAMMember:BucketIAMMember::grant: Error applying IAM policy for storage bucket "b\/objects-dev": .* does not exist\., invalid$/,
            );
            assert.ok(refused instanceof RefusedRegistrations);
            // The same program in an account that had it: nothing refused, the run ends.
            await runUnderMocks({ stack: "dev" }, program);
        });

        it("takes the grant at once when the account was there before this update", () => {
            const existing = new MockCloud({ aws: "ap-northeast-1", gcp: "asia-northeast1" }, "multicloud-service-dev");
            existing.startRun(false);
            existing.newResource({ type: ACCOUNT, name: "service-runtime", inputs: { project: "multicloud-service-dev", accountId: "service-dev" }, custom: true } as any);
            assert.doesNotThrow(() => existing.newResource({ type: BUCKET_GRANT, name: "grant", inputs: { bucket: "objects-dev", member }, custom: true } as any));
        });
    });

    // IAM refuses a display name over 100 UTF-8 bytes (ServiceAccount.display_name), which the provider does not check
    // (its display_name has no validation): a review stack of a long organization or repository name failed its first up.
    it("a stack named as long as a review stack of a long repository gets a display name IAM takes, distinct per stack", async () => {
        const long = (n: number) => `pr-pulumi-a-platform-organization-with-a-long-name-multicloud-service-${n}`;
        const names: string[] = [];
        for (const environment of [long(41), long(42)]) {
            const { cloud } = await runUnderMocks({ stack: environment }, () => new CloudRunGcsService("service", serviceArgs("dev", { environment })));
            names.push(String(cloud.one(ACCOUNT).inputs.displayName));
        }
        for (const name of names) assert.ok(Buffer.byteLength(name) <= 100, `${Buffer.byteLength(name)} bytes: ${name}`);
        assert.notStrictEqual(names[0], names[1]);
        assert.match(names[0], /^Runtime identity of service \(pr-pulumi-/);
        // A package consumer names the component: bytes, not characters, are what IAM counts.
        const wide = serviceAccountDisplayName(`Runtime identity of ${"サービス".repeat(10)} (dev)`);
        assert.ok(Buffer.byteLength(wide) <= 100 && wide.startsWith("Runtime identity of サ"), `${Buffer.byteLength(wide)} bytes: ${wide}`);
        assert.strictEqual(serviceAccountDisplayName("Runtime identity of service (dev)"), "Runtime identity of service (dev)");
    });

    for (const stack of ["dev", "prod"] as const) {
        it(`${stack}: a first up in an empty account makes its grants, and Cloud Run names the account, only after a ${ACCOUNT_PROPAGATION} wait triggered by the account's unique ID`, async () => {
            const { cloud } = await firstUp(stack);
            const account = cloud.one(ACCOUNT);
            const wait = waitFor(cloud, String(account.outputs.member));
            assert.strictEqual(wait.inputs.createDuration, ACCOUNT_PROPAGATION);
            // Triggered by the unique ID: made again only for a new account, so a later up waits for nothing.
            assert.strictEqual(wait.inputs.triggers.uniqueId, account.outputs.uniqueId);
            assert.strictEqual(wait.inputs.triggers.member, account.outputs.member);
            const users = [...cloud.ofType(BUCKET_GRANT), ...cloud.ofType(SECRET_GRANT), cloud.one("gcp:cloudrunv2/service:Service")].filter(
                (r) => JSON.stringify(r.inputs).includes(String(account.outputs.email)),
            );
            assert.ok(users.length >= 2, `the bucket grant and the service name the account (${users.map((u) => u.name).join(", ")})`);
            for (const user of users) assert.ok(dependencies(cloud, user).includes(wait), `${user.type}::${user.name} waits for ${wait.name}`);
        });

        // The uptime check probes as Monitoring's service agent, which the program has Service Usage create: a grant to
        // it made the moment it exists was refused on a real first up (terraform-provider-google#21931).
        it(`${stack}: the uptime check's invoker grant to Monitoring's new service agent is made only after a ${ACCOUNT_PROPAGATION} wait triggered by the agent`, async () => {
            const { cloud } = await firstUp(stack);
            const agent = cloud.ofType(AGENT).find((a) => a.inputs.service === "monitoring.googleapis.com")!;
            assert.strictEqual(agent.outputs.member, MONITORING_AGENT);
            const wait = waitFor(cloud, MONITORING_AGENT);
            assert.strictEqual(wait.inputs.createDuration, ACCOUNT_PROPAGATION);
            assert.ok(dependencies(cloud, wait).includes(agent), "the wait starts once the agent is made");
            const grant = cloud.ofType(SERVICE_GRANT).find((g) => g.inputs.member === MONITORING_AGENT)!;
            assert.ok(dependencies(cloud, grant).includes(wait), `${grant.name} waits for ${wait.name}`);
        });
    }

    it("a prebuilt image in another project: the reader grant to Cloud Run's new service agent waits for it to be known", async () => {
        const prebuilt = `europe-west1-docker.pkg.dev/ci-images-project/releases/service@sha256:${"d".repeat(64)}`;
        // The image's own wait for the new grant to reach Cloud Run (grantPropagation.ts) is not what this is about.
        const { sleep } = waitClock;
        waitClock.sleep = async () => undefined;
        const { cloud } = await runUnderMocks({ stack: "dev", setup: (c) => (c.freshAccount = true) }, () => new CloudRunGcsService("service", serviceArgs("dev", { image: { prebuilt } }))).finally(
            () => (waitClock.sleep = sleep),
        );
        const agent = cloud.ofType(AGENT).find((a) => a.inputs.service === "run.googleapis.com")!;
        const wait = waitFor(cloud, String(agent.outputs.member));
        assert.strictEqual(wait.inputs.createDuration, ACCOUNT_PROPAGATION);
        assert.ok(dependencies(cloud, cloud.one(REPOSITORY_GRANT)).includes(wait));
    });
});
