import * as assert from "assert";
import { messagesOf } from "../../scripts/offline/programMessages";
import { runProgram } from "../../scripts/offline/runProgram";
import { withDockerEngine } from "../harness/fakeDockerEngine";
import { committedStackRun } from "../harness/committedStackRun";
import { withProcessEnvironment } from "../../scripts/offline/environment";

/** type::name of every registered resource: what the engine diffs between two runs. */
const resourceSet = (run: Awaited<ReturnType<typeof runProgram>>) => run.cloud.resources.map((r) => `${r.type}::${r.name}`).sort();

const withDocker = <T>(present: boolean, run: () => Promise<T>): Promise<T> => (present ? withDockerEngine(run) : withProcessEnvironment({ DOCKER_HOST: "unix:///nonexistent/docker.sock" }, run));

/**
 * The image path at the edges (issue 19): the resource set never depends on the machine, a first preview of an
 * empty account succeeds, and `up` runs what the image workflow pushed and pushes nothing itself.
 */
describe("the image path on a first deployment and on every machine", function () {
    this.timeout(120_000);

    for (const stack of ["dev", "prod"] as const) {
        it(`${stack}: the same resources with and without a Docker engine, on an empty account in preview and after the image is pushed`, async () => {
            const runs = {
                "preview, empty account, Docker": await withDocker(true, () => runProgram(stack, { preview: true, setup: (c) => ((c.freshAccount = true), (c.registry.mode = "none")) })),
                "preview, empty account, no Docker": await withDocker(false, () => runProgram(stack, { preview: true, setup: (c) => ((c.freshAccount = true), (c.registry.mode = "none")) })),
                "preview, nothing pushed yet, Docker": await withDocker(true, () => runProgram(stack, { preview: true, setup: (c) => (c.registry.mode = "none") })),
                "up, image pushed, Docker": await withDocker(true, () => runProgram(stack)),
                "up, image pushed, no Docker": await withDocker(false, () => runProgram(stack)),
            };
            const [first, ...rest] = Object.entries(runs);
            for (const [name, run] of rest) assert.deepStrictEqual(resourceSet(run), resourceSet(first[1]), `${name} differs from ${first[0]}`);
            assert.ok(!resourceSet(first[1]).some((r) => r.startsWith("docker:")), "no Docker provider resource anywhere");
        });

        it(`${stack}: a first preview of an empty account asks no registry (nothing exists to ask) and shows the digests as unknown`, async () => {
            const run = await runProgram(stack, { preview: true, setup: (c) => ((c.freshAccount = true), (c.registry.mode = "none")) });
            assert.deepStrictEqual(run.cloud.awsApis.requests.filter((r) => r.service === "ecr"), []);
            assert.deepStrictEqual(run.cloud.artifactRegistry.requests, []);
            assert.strictEqual(run.outputs["aws.imageDigest"], undefined);
            assert.strictEqual(run.outputs["gcp.imageDigest"], undefined);
        });

        it(`${stack}: on an up, Artifact Registry is asked only after its API is enabled (never answered SERVICE_DISABLED)`, async () => {
            const run = await committedStackRun(stack);
            const asked = run.cloud.artifactRegistry.requests;
            assert.strictEqual(asked.length, 1);
            assert.deepStrictEqual([asked[0].status, asked[0].reason], [200, undefined]);
        });
    }

    it("image.yml pushes half a minute into up's wait: up polls every 15 s on the program's wait clock (a mock cloud spends none of it), saying so", async () => {
        const run = await runProgram("dev", {
            setup: (cloud) => {
                cloud.registry.mode = "none";
                const misses = new Map<string, number>();
                // Missed by the first look and the wait's first poll, then at the poll 15 s later, when image.yml pushes it.
                cloud.registry.onFind = (repository, tag, found) => {
                    if (found) return;
                    misses.set(repository, (misses.get(repository) ?? 0) + 1);
                    if (misses.get(repository) === 3) cloud.registry.push(repository, tag);
                };
            },
        });
        assert.deepStrictEqual(run.cloud.waits, [15_000, 15_000, 15_000, 15_000], "each cloud's wait slept twice on the wait clock");
        const progress = messagesOf(run.cloud, "info").filter((m) => m.startsWith("waiting for image "));
        for (const registry of ["ECR repository multicloud-service-dev", "Artifact Registry repository"]) assert.strictEqual(progress.filter((m) => m.includes(` in ${registry} `)).length, 2, registry);
    });

    it("the image workflow pushes while up waits: up runs the workflow's digest, and nothing else pushes (an immutable tag is pushed once)", async () => {
        const run = await withDocker(true, () =>
            runProgram("dev", {
                setup: (cloud) => {
                    cloud.registry.mode = "none";
                    // image.yml pushes the tag the moment after `pulumi up` first found it missing.
                    cloud.registry.onFind = (repository, tag, found) => {
                        if (!found && !cloud.registry.pushes.some((p) => p.repository === repository)) cloud.registry.push(repository, tag);
                    };
                },
            }),
        );
        const pushes = run.cloud.registry.pushes;
        assert.deepStrictEqual(pushes.map((p) => p.repository).sort(), ["asia-northeast1-docker.pkg.dev/multicloud-service-dev/service-registry-dev/service", "multicloud-service-dev"]);
        const ecrPush = pushes.find((p) => p.repository === "multicloud-service-dev")!;
        for (const fn of run.cloud.ofType("aws:lambda/function:Function")) assert.ok(fn.inputs.imageUri.endsWith(`@${ecrPush.digest}`), fn.name);
        assert.throws(() => run.cloud.registry.push("multicloud-service-dev", ecrPush.tag, "sha256:" + "f".repeat(64)), /TAG_INVALID: The image tag '[^']+' already exists in the 'multicloud-service-dev' repository and cannot be overwritten because the tag is immutable\.$/);
        // Artifact Registry's repository is mutable (immutableTags false): a push there moves the tag.
        const arPush = pushes.find((p) => p.repository !== "multicloud-service-dev")!;
        run.cloud.registry.push(arPush.repository, arPush.tag, "sha256:" + "f".repeat(64));
        assert.strictEqual(run.cloud.registry.find(arPush.repository, arPush.tag), "sha256:" + "f".repeat(64));
        assert.strictEqual(run.cloud.one("gcp:artifactregistry/repository:Repository").inputs.dockerConfig.immutableTags, false, "the stand-in's mutability is the program's");
    });
});
