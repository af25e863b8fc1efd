import * as assert from "assert";
import { CloudRunGcsService } from "../../components/gcp";
import { imageDigestOfRevision, revisionUrl } from "../../components/gcp/rollbackTarget";
import { runUnderMocks } from "../../scripts/offline/mockCloud";
import { deployService, serviceArgs } from "./fixtures";

const STABLE = "service-00007-abc";
const STABLE_TAG = `c-revision-${STABLE}`;

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
        it(`stable revision at ${percent} %: a KEEP rule matches the content tag of the image that revision runs`, async () => {
            const { cloud, policies } = await policiesOf({ stableRevision: STABLE, percent });
            assert.deepStrictEqual(policies[0], { id: "keep-rollback-target", action: "KEEP", condition: { tagState: "TAGGED", tagPrefixes: [STABLE_TAG] } });
            const [request] = cloud.cloudRun.requests;
            assert.strictEqual(request.url, `https://asia-northeast1-run.googleapis.com/apis/serving.knative.dev/v1/namespaces/multicloud-service-prod/revisions/${STABLE}`);
            assert.strictEqual(request.authorization, "Bearer offline-gcp-access-token");
            const asked = cloud.calls.find((c) => c.token === "gcp:artifactregistry/getDockerImage:getDockerImage" && String(c.inputs.imageName).includes("@"));
            assert.match(String(asked?.inputs.imageName), /^service@sha256:[0-9a-f]{64}$/);
            assert.deepStrictEqual(deletedBy(policies, [{ tags: [STABLE_TAG], ageDays: 400 }, ...newerImages(30)]).includes(STABLE_TAG), false);
        });
    }

    it("the evaluation can fail: without the keep rule the stable image is deleted once 20 newer builds exist", async () => {
        const { policies } = await policiesOf({ stableRevision: STABLE, percent: 10 });
        const withoutKeep = policies.filter((p) => p.id !== "keep-rollback-target");
        assert.ok(deletedBy(withoutKeep, [{ tags: [STABLE_TAG], ageDays: 400 }, ...newerImages(30)]).includes(STABLE_TAG));
    });

    it("a stable revision that no longer exists holds nothing back, and the deployment goes on", async () => {
        const { cloud } = await runUnderMocks(
            { stack: "prod", setup: (c) => c.cloudRun.deletedRevisions.add(STABLE) },
            () => new CloudRunGcsService("service", serviceArgs("prod", { canary: { stableRevision: STABLE, percent: 0 } })),
        );
        const policies = cloud.one("gcp:artifactregistry/repository:Repository").inputs.cleanupPolicies as any[];
        assert.strictEqual(cloud.cloudRun.requests.length, 1);
        assert.ok(!policies.some((p) => p.id === "keep-rollback-target"));
    });

    it("any other API failure stops the deployment, naming the revision and the permission it needs", async () => {
        const denied = async () => new Response('{"error":{"code":403,"status":"PERMISSION_DENIED"}}', { status: 403 });
        await assert.rejects(
            imageDigestOfRevision({ project: "p", region: "asia-northeast1", revision: STABLE }, "token", denied),
            (err: Error) => err.message.includes(STABLE) && err.message.includes("HTTP 403") && err.message.includes("run.revisions.get"),
        );
    });

    it("reads the digest from status.imageDigest, else from the container image; a tag-only image has none", async () => {
        const digest = `sha256:${"a".repeat(64)}`;
        const answer = (body: object) => async () => Response.json(body);
        const ref = { project: "p", region: "europe-west1", revision: STABLE };
        assert.strictEqual(await imageDigestOfRevision(ref, "t", answer({ status: { imageDigest: `r/p/service@${digest}` } })), digest);
        assert.strictEqual(await imageDigestOfRevision(ref, "t", answer({ spec: { containers: [{ image: `r/p/service@${digest}` }] } })), digest);
        assert.strictEqual(await imageDigestOfRevision(ref, "t", answer({ spec: { containers: [{ image: "r/p/service:v1" }] } })), undefined);
        assert.strictEqual(revisionUrl(ref), `https://europe-west1-run.googleapis.com/apis/serving.knative.dev/v1/namespaces/p/revisions/${STABLE}`);
    });
});

interface Version {
    tags: string[];
    ageDays: number;
}
const newerImages = (n: number): Version[] => Array.from({ length: n }, (_, i) => ({ tags: [`c-new-${i}`], ageDays: i }));

/**
 * Artifact Registry's documented evaluation: a version matched by any KEEP policy is kept (KEEP wins over DELETE,
 * whatever the order); `mostRecentVersions` keeps the newest `keepCount`; otherwise a DELETE condition that matches
 * (tag state and any tag prefix) deletes it.
 */
function deletedBy(policies: any[], versions: Version[]): string[] {
    const matches = (c: any, v: Version) =>
        (c.tagState === "UNTAGGED" ? v.tags.length === 0 : c.tagState === "TAGGED" ? v.tags.length > 0 : true) &&
        (!c.tagPrefixes || v.tags.some((t) => c.tagPrefixes.some((p: string) => t.startsWith(p))));
    const newest = [...versions].sort((a, b) => a.ageDays - b.ageDays);
    const kept = (v: Version) =>
        policies.some((p) => p.action === "KEEP" && (p.mostRecentVersions ? newest.indexOf(v) < p.mostRecentVersions.keepCount : matches(p.condition, v)));
    return versions.filter((v) => !kept(v) && policies.some((p) => p.action === "DELETE" && matches(p.condition, v))).flatMap((v) => v.tags);
}
