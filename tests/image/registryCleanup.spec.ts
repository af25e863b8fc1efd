import * as assert from "assert";
import { FakeCloudRunApi } from "../../scripts/offline/fakeCloudRunApi";
import { runProgram } from "../../scripts/offline/runProgram";
import { readStackFile } from "../../config/stackFile";
import { ArVersion, arBuilds, arDeletedBy, ecrExpiredBy, newerImages } from "../harness/registryCleanup";
import { sharedPerArgs } from "../harness/shared";

const STABLE_REVISION = "service-00007-abc";

/** A build as cosign leaves it in Artifact Registry: the image, then its `.sig` and `.att` manifests, pushed a moment later. */
function withCosignArtifacts(image: ArVersion): ArVersion[] {
    const artifact = (suffix: string, n: number) => ({ name: `sha256:${n}${image.name.slice(8, 71)}`, tags: [`${image.name.replace(":", "-")}.${suffix}`], ageDays: image.ageDays - n / 1000 });
    return [image, artifact("sig", 1), artifact("att", 2)];
}

/**
 * A stack whose canary keeps a stable Lambda version and Cloud Run revision (the rollback targets). Run once per stack
 * and shared: every test only reads the registered policies, the outputs and the image lookups.
 */
const withRollbackTargets = sharedPerArgs(async function withRollbackTargets(stack: "dev" | "prod") {
    const { config } = readStackFile(stack);
    const withCanary = (key: string, canary: object) => JSON.stringify({ ...JSON.parse(config[key]), canary });
    return runProgram(stack, {
        config: {
            ...config,
            "multicloud-service:aws": withCanary("multicloud-service:aws", { stableVersion: "7", weightPercent: 0 }),
            "multicloud-service:gcp": withCanary("multicloud-service:gcp", { stableRevision: STABLE_REVISION, percent: 0 }),
        },
    });
});

/**
 * Cleanup that really deletes, on both clouds, and never the image a stack runs or may roll back to (issue 19 #6):
 * the program's rules go through simulators of the registries' documented rules, immutability included, over a
 * registry that has seen 40 newer builds while the stack runs an older image (after a rollback) and keeps an even
 * older rollback target.
 */
describe("registry cleanup: bounded, and never what runs or what a rollback needs", () => {
    for (const stack of ["dev", "prod"] as const) {
        it(`${stack}: Artifact Registry deletes all but the newest imagesToKeep, the running image and the stable revision's (with their cosign artifacts where images are signed)`, async () => {
            const run = await withRollbackTargets(stack);
            const repo = run.cloud.one("gcp:artifactregistry/repository:Repository").inputs;
            const settings = readStackFile(stack).config;
            const imagesToKeep: number = JSON.parse(settings["multicloud-service:gcp"]).imagesToKeep;
            // Every build reaches a registry signed: image.yml signs and attests each image it pushes to dev's
            // registries, and the promotion copies prod's with their signatures (whether or not the stack verifies).
            const signed = true;
            const runningTag = run.cloud.imageLookups().ar!.tag;
            const running = { name: run.outputs["gcp.imageDigest"] as string, tags: [runningTag], ageDays: 200 };
            const stable = { name: FakeCloudRunApi.digestOf(STABLE_REVISION), tags: ["c-stable-build"], ageDays: 300 };
            const versions = [...arBuilds(40), running, stable].flatMap((build) => (signed ? withCosignArtifacts(build) : [build]));
            const deleted = new Set(arDeletedBy(repo.cleanupPolicies, versions, repo.dockerConfig));
            assert.ok(!deleted.has(running.name), "the running image is kept");
            assert.ok(!deleted.has(stable.name), "the rollback target is kept");
            const keptBuilds = versions.filter((v) => v.tags[0].startsWith("c-") && !deleted.has(v.name));
            assert.strictEqual(keptBuilds.length, imagesToKeep + 2, `the registry keeps ${imagesToKeep} builds + 2, not ${keptBuilds.length} (immutable tags: ${repo.dockerConfig.immutableTags}, signed: ${signed})`);
        });

        it(`${stack}: ECR expires all but the newest imagesToKeep, the running image and the stable version's`, async () => {
            const run = await withRollbackTargets(stack);
            const rules = JSON.parse(run.cloud.one("aws:ecr/lifecyclePolicy:LifecyclePolicy").inputs.policy).rules;
            const keep = rules[rules.length - 1].selection.countNumber;
            const runningTag = run.cloud.imageLookups().ecr!.tag;
            const images = [...newerImages(40), { tags: [runningTag], pushedDaysAgo: 200 }, { tags: ["c-version-7"], pushedDaysAgo: 300 }];
            const expired = ecrExpiredBy(rules, images);
            assert.ok(!expired.includes(runningTag), "the running image is kept");
            assert.ok(!expired.includes("c-version-7"), "the rollback target is kept");
            assert.strictEqual(images.length - expired.length, keep + 2);
        });
    }

    for (const stack of ["dev", "prod"] as const) {
        it(`${stack}: ECR keeps imagesToKeep signed builds: cosign's .sig and .att beside each take none of their places`, async () => {
            const run = await withRollbackTargets(stack);
            const rules = JSON.parse(run.cloud.one("aws:ecr/lifecyclePolicy:LifecyclePolicy").inputs.policy).rules;
            const imagesToKeep: number = JSON.parse(readStackFile(stack).config["multicloud-service:aws"]).imagesToKeep;
            // image.yml pushes each build, then cosign its signature and attestation a moment later (newest first).
            const builds = Array.from({ length: 3 * imagesToKeep }, (_, i) => {
                const digest = `sha256-${i.toString(16).padStart(64, "0")}`;
                return [{ tags: [`c-build-${i}`], pushedDaysAgo: i + 0.002 }, { tags: [`${digest}.sig`], pushedDaysAgo: i + 0.001 }, { tags: [`${digest}.att`], pushedDaysAgo: i }];
            });
            const expired = new Set(ecrExpiredBy(rules, builds.flat()));
            const keptBuilds = builds.filter(([image]) => !expired.has(image.tags[0])).length;
            assert.strictEqual(keptBuilds, imagesToKeep, `kept ${keptBuilds} of ${builds.length} signed builds`);
            const keptSignatures = builds.filter(([image, sig]) => !expired.has(image.tags[0]) && !expired.has(sig.tags[0])).length;
            assert.strictEqual(keptSignatures, imagesToKeep, "each kept build keeps its signature");
        });
    }

    it("the ECR simulator decides the User Guide's Example A as the guide does: a rule counts images a higher rule decides, and expires none of them", () => {
        const rule = (rulePriority: number, pattern: string) => ({ rulePriority, selection: { tagStatus: "tagged", tagPatternList: [pattern], countType: "imageCountMoreThan", countNumber: 1 } });
        const images = [{ tags: ["beta-1", "prod-1"], pushedDaysAgo: 10 }, { tags: ["beta-2", "prod-2"], pushedDaysAgo: 9 }, { tags: ["beta-3"], pushedDaysAgo: 8 }];
        assert.deepStrictEqual(ecrExpiredBy([rule(1, "prod*"), rule(2, "beta*")], images), ["beta-1", "prod-1"]);
    });

    it("prod: ECR keeps the running image's signature and attestations however many newer signed builds follow", async () => {
        const run = await withRollbackTargets("prod");
        const rules = JSON.parse(run.cloud.one("aws:ecr/lifecyclePolicy:LifecyclePolicy").inputs.policy).rules;
        const keep = rules[rules.length - 1].selection.countNumber;
        const cosignTags = (digest: string) => [`${digest.replace(":", "-")}.sig`, `${digest.replace(":", "-")}.att`];
        const signed = (tag: string, digest: string, pushedDaysAgo: number) => [{ tags: [tag], pushedDaysAgo }, ...cosignTags(digest).map((t) => ({ tags: [t], pushedDaysAgo }))];
        const newer = Array.from({ length: 40 }, (_, i) => signed(`c-new-${i}`, `sha256:${i.toString(16).padStart(64, "0")}`, i)).flat();
        const running = run.outputs["aws.imageDigest"] as string;
        const images = [...newer, ...signed(run.cloud.imageLookups().ecr!.tag, running, 200)];
        const expired = ecrExpiredBy(rules, images);
        for (const tag of cosignTags(running)) assert.ok(!expired.includes(tag), `${tag} is kept`);
        for (let i = 0; i < keep; i++) for (const tag of cosignTags(`sha256:${i.toString(16).padStart(64, "0")}`)) assert.ok(!expired.includes(tag), `the newest builds keep theirs: ${tag}`);
        assert.ok(expired.includes(cosignTags(`sha256:${(39).toString(16).padStart(64, "0")}`)[0]), "an old build's signature goes with it");
    });

    it("a registry of unsigned builds (`npm run image -- build` from a laptop) keeps more builds than imagesToKeep, never fewer", async () => {
        const run = await withRollbackTargets("dev");
        const repo = run.cloud.one("gcp:artifactregistry/repository:Repository").inputs;
        const imagesToKeep: number = JSON.parse(readStackFile("dev").config["multicloud-service:gcp"]).imagesToKeep;
        const versions = arBuilds(40);
        const deleted = new Set(arDeletedBy(repo.cleanupPolicies, versions, repo.dockerConfig));
        const kept = versions.filter((v) => !deleted.has(v.name)).length;
        assert.ok(kept >= imagesToKeep && kept <= imagesToKeep * 3, `kept ${kept} of 40 unsigned builds`);
    });

    it("the simulators can fail: immutable tags keep every tagged version; without the keep rules the running and stable images go", async () => {
        const run = await withRollbackTargets("prod");
        const repo = run.cloud.one("gcp:artifactregistry/repository:Repository").inputs;
        const versions = arBuilds(100); // more than keep-most-recent's count, which for signed builds is 3 versions a build
        assert.deepStrictEqual(arDeletedBy(repo.cleanupPolicies, versions, { immutableTags: true }), [], "Artifact Registry never deletes a tagged version where tags are immutable");
        const onlyCounts = repo.cleanupPolicies.filter((p: any) => !p.id.startsWith("keep-r"));
        const old = [{ name: "sha256:" + "a".repeat(64), tags: ["c-old"], ageDays: 500 }, ...versions];
        assert.ok(arDeletedBy(onlyCounts, old, { immutableTags: false }).includes("sha256:" + "a".repeat(64)));
    });
});
