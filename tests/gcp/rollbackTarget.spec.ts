import * as assert from "assert";
import { CloudRunGcsService } from "../../components/gcp";
import { imageDigestOfRevision, revisionUrl, unreadyStableRevision } from "../../components/gcp/rollbackTarget";
import { FakeCloudRunApi } from "../../scripts/offline/fakeCloudRunApi";
import { notFound, unavailable } from "../../scripts/offline/googleApiAnswers";
import { MockCloud, UnhandledProgramErrors, runUnderMocks } from "../../scripts/offline/mockCloud";
import { arBuilds, arDeletedBy } from "../harness/registryCleanup";
import { deployService, serviceArgs } from "./fixtures";
import { failedUpdate } from "../harness/failedUpdate";

const STABLE = "service-00007-abc";
const STABLE_DIGEST = FakeCloudRunApi.digestOf(STABLE);
/** A revision's spec.containers[].image (Cloud Run Admin API v1, Revision: RevisionSpec.containers[].image), which every revision has (the Ready tests read its conditions only). */
const TAGGED_SPEC = { containers: [{ image: "r/p/service:v1" }] };
const stableImage = (ageDays: number) => ({ name: STABLE_DIGEST, tags: ["c-stable"], ageDays });

async function policiesOf(canary?: { stableRevision?: string; percent: number }) {
    const { cloud } = await deployService("prod", { canary });
    return { cloud, policies: cloud.one("gcp:artifactregistry/repository:Repository").inputs.cleanupPolicies as any[] };
}

describe("Artifact Registry keeps the stable revision's image (the rollback target)", () => {
    it("no stable revision: no keep rule for it and no call to the Cloud Run API", async () => {
        const { cloud, policies } = await policiesOf();
        assert.ok(!policies.some((p) => p.id === "keep-rollback-target"));
        assert.strictEqual(cloud.cloudRun.requests.length, 0);
    });

    for (const percent of [0, 10, 100]) {
        it(`stable revision at ${percent} %: a KEEP rule matches the version (digest) of the image that revision runs`, async () => {
            const { cloud, policies } = await policiesOf({ stableRevision: STABLE, percent });
            assert.deepStrictEqual(policies[1], { id: "keep-rollback-target", action: "KEEP", condition: { tagState: "ANY", versionNamePrefixes: [STABLE_DIGEST] } });
            const [request] = cloud.cloudRun.requests;
            assert.strictEqual(request.url, `https://asia-northeast1-run.googleapis.com/apis/serving.knative.dev/v1/namespaces/multicloud-service-prod/revisions/${STABLE}`);
            assert.strictEqual(request.authorization, "Bearer offline-gcp-access-token");
            assert.strictEqual(arDeletedBy(policies, [stableImage(400), ...arBuilds(80)], { immutableTags: false }).includes(STABLE_DIGEST), false);
        });
    }

    it("the evaluation can fail: without the keep rule the stable image is deleted once more newer versions exist than keep-most-recent keeps", async () => {
        const { policies } = await policiesOf({ stableRevision: STABLE, percent: 10 });
        const withoutKeep = policies.filter((p) => p.id !== "keep-rollback-target");
        assert.ok(arDeletedBy(withoutKeep, [stableImage(400), ...arBuilds(80)], { immutableTags: false }).includes(STABLE_DIGEST));
    });

    // Cloud Run refuses traffic to a revision it does not have: "Revision '<name>' does not exist or is deleted. Update
    // all traffic to route to currently available revisions." (the Admin API's answer to such a service update).
    it("a stable revision that does not exist stops the deployment, naming the setting, before the registry's policy or the service is written", async () => {
        const { cloud } = await failedUpdate(
            runUnderMocks(
                { stack: "prod", setup: (c) => c.cloudRun.deletedRevisions.add(STABLE) },
                () => new CloudRunGcsService("service", serviceArgs("prod", { canary: { stableRevision: STABLE, percent: 0 } })),
            ),
            // The command that lists the revisions names the project too: gcloud would otherwise ask core/project.
            /canary\.stableRevision names revision service-00007-abc, which Cloud Run does not have in multicloud-service-prod \(asia-northeast1\): it answers NOT_FOUND, and refuses traffic to it\. Set it to a revision of the service \(gcloud run revisions list --region asia-northeast1 --project multicloud-service-prod;/,
        );
        assert.strictEqual(cloud.cloudRun.requests.length, 1);
        assert.deepStrictEqual([cloud.ofType("gcp:artifactregistry/repository:Repository").length, cloud.ofType("gcp:cloudrunv2/service:Service").length], [0, 0]);
    });

    // A revision that exists but is not Ready (its Ready condition "False": terraform-provider-google
    // cloudrun/cloudrun_polling.go takes that for a failed resource) cannot serve: before, only its existence was
    // checked, so a rollback could move all traffic onto it.
    it("a stable revision Cloud Run reports not ready stops the deployment, naming the setting and Cloud Run's message, before the registry's policy or the service is written", async () => {
        const { cloud } = await failedUpdate(
            runUnderMocks(
                { stack: "prod", setup: (c) => c.cloudRun.unreadyRevisions.add(STABLE) },
                () => new CloudRunGcsService("service", serviceArgs("prod", { canary: { stableRevision: STABLE, percent: 0 } })),
            ),
            /canary\.stableRevision names revision service-00007-abc, which Cloud Run reports not ready in multicloud-service-prod \(asia-northeast1\): Ready is False \(The user-provided container failed the configured startup probe checks\)/,
        );
        assert.deepStrictEqual([cloud.ofType("gcp:artifactregistry/repository:Repository").length, cloud.ofType("gcp:cloudrunv2/service:Service").length], [0, 0]);
    });

    // A stack on another stack's registries (imageRegistriesOf) has no repository of its own, so no cleanup policy asked
    // Cloud Run about the stable revision: before, the service was sent with all of the traffic on a revision Cloud Run
    // reports not ready (or does not have), and the run under mocks succeeded. Cloud Run itself refuses traffic to a
    // revision it does not have ("does not exist or is deleted", rollbackTarget.ts), after the rest of the update; the
    // program's refusal names the setting before the service is sent.
    for (const [kind, setup, message] of [
        ["not ready", (c: MockCloud) => c.cloudRun.unreadyRevisions.add(STABLE), /canary\.stableRevision names revision service-00007-abc, which Cloud Run reports not ready in multicloud-service-prod \(asia-northeast1\): Ready is False/],
        ["Cloud Run does not have", (c: MockCloud) => c.cloudRun.deletedRevisions.add(STABLE), /canary\.stableRevision names revision service-00007-abc, which Cloud Run does not have in multicloud-service-prod \(asia-northeast1\): it answers NOT_FOUND/],
    ] as const) {
        it(`in a stack on another stack's registries too, a stable revision ${kind} stops the deployment before the service's traffic moves onto it, refused once`, async () => {
            const refused = await failedUpdate(
                runUnderMocks({ stack: "prod", setup }, () => new CloudRunGcsService("service", serviceArgs("prod", { imageRegistriesOf: "dev", canary: { stableRevision: STABLE, percent: 0 } }))),
                message,
            );
            assert.deepStrictEqual(refused.cloud.ofType("gcp:cloudrunv2/service:Service"), [], "the service (its traffic onto the stable revision) is not sent");
            assert.strictEqual(refused.cloud.cloudRun.requests.length, 1);
            const reasons = (refused as UnhandledProgramErrors).reasons.filter((r) => message.test(String(r)));
            assert.strictEqual(new Set(reasons).size, 1, "one refusal, whatever asked");
        });
    }

    it("reads the Ready condition: False is reported, True and Unknown (still reconciling) are not held against the revision", async () => {
        const ref = { project: "p", region: "europe-west1", revision: STABLE };
        const withReady = (status: string) => async () => Response.json({ spec: TAGGED_SPEC, status: { conditions: [{ type: "Active", status: "True" }, { type: "Ready", status, message: "m" }] } });
        const notReady = await imageDigestOfRevision(ref, "t", { fetch: withReady("False") });
        assert.deepStrictEqual((notReady as any).ready, { type: "Ready", status: "False", message: "m" });
        assert.match(unreadyStableRevision(ref, notReady) ?? "", /Ready is False \(m\)/);
        assert.strictEqual(unreadyStableRevision(ref, await imageDigestOfRevision(ref, "t", { fetch: withReady("True") })), undefined);
        assert.strictEqual(unreadyStableRevision(ref, await imageDigestOfRevision(ref, "t", { fetch: withReady("Unknown") })), undefined);
    });

    // Only Ready says whether a revision can serve: Knative keeps Ready True while Active is False for a revision scaled
    // to zero (knative/serving#2562, "Docs describe Ready as True while Active can be False (when scaled to zero)"), which
    // a stable revision at 0 % of the traffic is. The condition in Knative's own words: knative/serving
    // pkg/reconciler/autoscaling/kpa/kpa.go, computeActiveCondition, MarkInactive("NoTraffic", "The target is not receiving traffic.").
    it("a revision Ready True with another condition False (Active: NoTraffic, scaled to zero) is not held against it", async () => {
        const ref = { project: "p", region: "europe-west1", revision: STABLE };
        const scaledToZero = async () =>
            Response.json({
                spec: TAGGED_SPEC,
                status: {
                    conditions: [
                        { type: "Active", status: "False", reason: "NoTraffic", message: "The target is not receiving traffic." },
                        { type: "ContainerHealthy", status: "True" },
                        { type: "Ready", status: "True" },
                        { type: "ResourcesAvailable", status: "True" },
                    ],
                },
            });
        const image = await imageDigestOfRevision(ref, "t", { fetch: scaledToZero });
        assert.deepStrictEqual((image as any).ready, { type: "Ready", status: "True" });
        assert.strictEqual(unreadyStableRevision(ref, image), undefined);
    });

    // The refusal says how to find a ready revision, in the project and region checked: gcloud would otherwise ask
    // core/project and run/region, as for a missing revision. Cloud Run's message for a revision whose container never
    // listened, in its own words: "Ready condition status changed to False for Revision githubwebhook-00001-tis with
    // message: The user-provided container failed to start and listen on the port ..." (openci-org/openci#487).
    it("a not-ready refusal names Cloud Run's message and the gcloud command for the revisions of that project and region", async () => {
        const ref = { project: "p", region: "europe-west1", revision: STABLE };
        const message = "The user-provided container failed to start and listen on the port defined provided by the PORT=8080 environment variable within the allocated timeout.";
        const failed = async () => Response.json({ spec: TAGGED_SPEC, status: { conditions: [{ type: "Ready", status: "False", message }] } });
        const said = unreadyStableRevision(ref, await imageDigestOfRevision(ref, "t", { fetch: failed })) ?? "";
        assert.ok(said.includes(`Ready is False (${message})`), said);
        assert.ok(said.includes("gcloud run revisions list --region europe-west1 --project p)"), said);
    });

    it("any other API failure stops the deployment, naming the revision and the permission it needs", async () => {
        // Cloud Run's Admin API (v1, the namespaces form revisionUrl reads) in its own words, as gcloud prints them for
        // run.services.get: "Permission '<permission>' denied on resource 'namespaces/<project>/<collection>/<name>' (or
        // resource may not exist)." ("ERROR: (gcloud.run.deploy) PERMISSION_DENIED: Permission 'run.services.get' denied on
        // resource 'namespaces/***/services/***' (or resource may not exist).", google-github-actions/deploy-cloudrun#182).
        const message = `Permission 'run.revisions.get' denied on resource 'namespaces/p/revisions/${STABLE}' (or resource may not exist).`;
        const denied = async () => Response.json({ error: { code: 403, message, status: "PERMISSION_DENIED" } }, { status: 403 });
        await assert.rejects(
            imageDigestOfRevision({ project: "p", region: "asia-northeast1", revision: STABLE }, "token", { fetch: denied }),
            (err: Error) => err.message.includes(STABLE) && err.message.includes("HTTP 403") && err.message.includes("run.revisions.get"),
        );
    });

    it("reads the digest from status.imageDigest, else from the container image; a tag-only image has none", async () => {
        const digest = `sha256:${"a".repeat(64)}`;
        const answer = (body: object) => async () => Response.json(body);
        const ref = { project: "p", region: "europe-west1", revision: STABLE };
        assert.deepStrictEqual(await imageDigestOfRevision(ref, "t", { fetch: answer({ status: { imageDigest: `r/p/service@${digest}` } }) }), { found: true, digest });
        assert.deepStrictEqual(await imageDigestOfRevision(ref, "t", { fetch: answer({ spec: { containers: [{ image: `r/p/service@${digest}` }] } }) }), { found: true, digest });
        assert.deepStrictEqual(await imageDigestOfRevision(ref, "t", { fetch: answer({ spec: { containers: [{ image: "r/p/service:v1" }] } }) }), { found: true, digest: undefined });
        assert.deepStrictEqual(await imageDigestOfRevision(ref, "t", { fetch: async () => notFound() }), { found: false });
        // A 503 UNAVAILABLE is asked again (getGoogleApi), not taken for a missing permission.
        let calls = 0;
        const flaky = async () => (++calls === 1 ? unavailable() : Response.json({ status: { imageDigest: `r/p/service@${digest}` } }));
        assert.deepStrictEqual(await imageDigestOfRevision(ref, "t", { fetch: flaky, sleep: async () => {} }), { found: true, digest });
        assert.strictEqual(revisionUrl(ref), `https://europe-west1-run.googleapis.com/apis/serving.knative.dev/v1/namespaces/p/revisions/${STABLE}`);
    });

    // Before: a 200 `null` read as NOT_FOUND ("Cloud Run does not have" it), and a revision without its image as one
    // named by tag, whose rollback target the cleanup policy was then free to delete.
    it("a 200 answer that is no revision with its image is neither a digest, a tag-only image nor NOT_FOUND: it fails naming the answer", async () => {
        const ref = { project: "p", region: "europe-west1", revision: STABLE };
        for (const [body, shown] of [[null, "null"], [{}, "{}"], [{ spec: { containers: [] } }, '{"spec":{"containers":[]}}'], [{ spec: { containers: [{ image: 7 }] } }, '{"spec":{"containers":[{"image":7}]}}']] as const) {
            await assert.rejects(imageDigestOfRevision(ref, "t", { fetch: async () => Response.json(body) }), (err: Error) => {
                assert.strictEqual(
                    err.message,
                    `Cloud Run answered revision ${STABLE} (p, europe-west1) with no container image (${shown}), neither a revision nor NOT_FOUND, so the image a rollback to it needs is unknown: ` +
                        `run this again, and if it stays, see the revision with gcloud run revisions describe ${STABLE} --region europe-west1 --project p`,
                );
                return true;
            });
        }
    });
});
