import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { FAKE_ECR_PASSWORD } from "../../scripts/offline/fakeOciRegistryApi";
import { FakeRegistry } from "../../scripts/offline/fakeRegistry";
import { runProgram } from "../../scripts/offline/runProgram";
import { ImageVerificationError, verifyImage } from "../../components/image";
import { signingPublicKey } from "../../components/image/signingKey";
import { cosignTag } from "../../components/image/cosignSignature";
import { PromotionError, PromotionPlan, PromotionResult, RunningDigests, VerifyImage, promote, promotionPlan } from "../../scripts/image/promote";
import { useCloudApisInProcess } from "../../scripts/offline/cloudApiServer";
import { MockCloud } from "../../scripts/offline/mockCloud";
import { Registries, RepositoryTarget, repositoryTargets } from "../../scripts/image/registries";
import { runningDigests } from "../../scripts/image/runningDigests";
import { ImageTargets, imageTargets } from "../../scripts/image/targets";
import { recordedCalls } from "../harness/recordedCalls";
import { scratchDir } from "../harness/tempDirs";
import { withProcessEnvironment } from "../../scripts/offline/environment";
import { PROJECT_ROOT, readStackFile } from "../../config/stackFile";
import { contentTag } from "../../components/image";

const ECR_HOST = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com";

/** Where a target's images are in the fake cloud: ECR by repository name, Artifact Registry by its full path. */
const keyOf = (t: RepositoryTarget) => (t.cloud === "aws" ? t.repository.slice(ECR_HOST.length + 1) : t.repository);

/**
 * The registries as the promotion sees them, over the fake cloud's: a copy keeps the digest, as skopeo
 * --preserve-digests does (an artifact's manifest and blobs too); `oci` reaches the registry stand-in on loopback.
 */
const registriesRegistry = new WeakMap<Registries, FakeRegistry>();
function fakeRegistries(registry: FakeRegistry): Registries & { copies: string[]; checkReads: string[] } {
    const copies: string[] = [];
    const reads: string[] = [];
    const registries: Registries & { copies: string[]; checkReads: string[] } = {
        copies,
        /** The image digests (not .sig or .att) the promotion read before its first copy, as "<cloud> <dev|prod>". */
        checkReads: [],
        digestOf: async (t) => {
            if (!/\.(sig|att)$/.test(t.tag)) reads.push(`${t.cloud} ${t.repository.includes("prod") ? "prod" : "dev"}`);
            return registry.find(keyOf(t), t.tag);
        },
        copy: async (from, digest, to) => {
            if (registries.checkReads.length === 0) registries.checkReads.push(...reads);
            // skopeo's refusal of a digest the source does not hold, shortened: tests/image/skopeo.spec.ts quotes the real line.
            if (!registry.holds(keyOf(from), digest)) throw new Error(`skopeo: ${from.repository}@${digest}: manifest unknown`);
            copies.push(`${from.repository}@${digest} -> ${to.repository}:${to.tag}`);
            const manifest = registry.manifest(keyOf(from), from.tag);
            if (manifest) registry.pushArtifact(keyOf(to), to.tag, { manifest, blobs: new Map() });
            else registry.push(keyOf(to), to.tag, digest);
        },
        oci: async (t) => {
            const [host, ...path] = t.repository.split("/");
            const credentials = t.cloud === "aws" ? { user: "AWS", password: FAKE_ECR_PASSWORD } : { user: "oauth2accesstoken", password: "offline-gcp-access-token" };
            return { host, name: path.join("/"), credentials: async () => credentials };
        },
    };
    registriesRegistry.set(registries, registry);
    return registries;
}

const plan = (): PromotionPlan => ({
    from: "dev",
    to: "prod",
    source: repositoryTargets(imageTargets("dev"), ECR_HOST),
    destination: repositoryTargets(imageTargets("prod"), ECR_HOST),
});

/** dev's image as image.yml pushes it: each cloud's tag, built once. */
function afterImageWorkflow(): FakeRegistry {
    const registry = new FakeRegistry("none");
    for (const t of plan().source) registry.push(keyOf(t), t.tag);
    return registry;
}

/** What dev runs after image.yml's push (`registry`): each cloud of `planned`'s source at the digest its tag holds. */
function devRunning(registry: FakeRegistry, planned: PromotionPlan = plan()): RunningDigests {
    return Object.fromEntries(planned.source.map((t) => [t.cloud, registry.find(keyOf(t), t.tag)]));
}

/** An assert.rejects check: the promotion was refused (a PromotionError, the tool's verdict) with `expected`'s message. */
function aPromotionError(expected: string | RegExp, context = "the promotion") {
    return (err: Error) => {
        assert.ok(err instanceof PromotionError, `${context}: not a PromotionError: ${err.stack}`);
        if (typeof expected === "string") assert.strictEqual(err.message, expected);
        else assert.match(err.message, expected);
        return true;
    };
}

const sharing = (registry: FakeRegistry) => (cloud: { useRegistry(r: FakeRegistry): void }) => cloud.useRegistry(registry);

describe("build once, promote by digest: prod runs the bytes dev ran", function () {
    this.timeout(60_000);

    it("each stack's ECR repository is looked for in its own region: prod in eu-west-1 copies from dev's ap-northeast-1", async () => {
        // ECR repositories are regional. Before: the source was looked for under prod's registry host, where ECR
        // answers RepositoryNotFoundException, which the promotion read as "dev has not run this checkout's image".
        const inEurope = (stack: string): ImageTargets => {
            const targets = imageTargets(stack);
            return stack === "prod" ? { ...targets, aws: { ...targets.aws!, region: "eu-west-1" } } : targets;
        };
        const hostOf = async (t: ImageTargets) => (t.aws ? `123456789012.dkr.ecr.${t.aws.region}.amazonaws.com` : undefined);
        const planned = await promotionPlan("dev", "prod", inEurope, hostOf);
        const aws = (targets: RepositoryTarget[]) => targets.find((t) => t.cloud === "aws")!.repository;
        assert.strictEqual(aws(planned.source), "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/multicloud-service-dev");
        assert.strictEqual(aws(planned.destination), "123456789012.dkr.ecr.eu-west-1.amazonaws.com/multicloud-service-prod");
    });

    it("prod's deployed digests equal dev's, copied by digest; prod's program registers no build", async () => {
        const registry = afterImageWorkflow();
        const dev = await runProgram("dev", { setup: sharing(registry) });
        const running = { aws: dev.outputs["aws.imageDigest"] as string, gcp: dev.outputs["gcp.imageDigest"] as string };
        const registries = fakeRegistries(registry);
        const results = await promote(plan(), running, registries, () => {});
        assert.deepStrictEqual(results.map((r) => [r.cloud, r.action]), [["aws", "copied"], ["gcp", "copied"]]);

        const prod = await runProgram("prod", { setup: sharing(registry) });
        assert.strictEqual(prod.outputs["aws.imageDigest"], running.aws);
        assert.strictEqual(prod.outputs["gcp.imageDigest"], running.gcp);
        const { ecr, ar } = prod.cloud.imageLookups();
        assert.strictEqual(ecr?.repositoryName, "multicloud-service-prod", "prod runs what is in its own registries");
        assert.strictEqual(ar?.repositoryId, "service-registry-prod");
        for (const fn of prod.cloud.ofType("aws:lambda/function:Function")) assert.ok(fn.inputs.imageUri.startsWith(`${ECR_HOST}/multicloud-service-prod@${running.aws}`));
        assert.ok(!prod.cloud.resources.some((r) => r.type.startsWith("docker:")), "no build");
        assert.deepStrictEqual(registry.pushes.filter((p) => p.repository.includes("prod")).map((p) => p.digest).sort(), [running.aws, running.gcp].sort(), "prod's registries got dev's digests, nothing else");
    });

    /** The check main.ts gives the promotion: prod's image.verify, with the key KMS answers, over the registry stand-in. */
    async function prodVerification(registries: Registries): Promise<{ verify: VerifyImage; restore: () => void }> {
        const cloud = new MockCloud({ aws: "ap-northeast-1", gcp: "asia-northeast1" }, "multicloud-service-prod");
        cloud.useRegistry(registriesRegistry.get(registries)!);
        const restore = await useCloudApisInProcess(cloud);
        const policy = imageTargets("prod").verify!;
        const verify: VerifyImage = async (t, digest) => verifyImage(await registries.oci(t), digest, policy, await signingPublicKey(policy.signingKey, policy.keyRegion));
        return { verify, restore };
    }

    it("verifies dev's image before copying, carries its .sig and .att along, and prod's copy verifies", async () => {
        const registry = afterImageWorkflow();
        const dev = await runProgram("dev", { setup: sharing(registry) });
        const running = { aws: dev.outputs["aws.imageDigest"] as string, gcp: dev.outputs["gcp.imageDigest"] as string };
        const registries = fakeRegistries(registry);
        const { verify, restore } = await prodVerification(registries);
        try {
            const checked: string[] = [];
            await promote(plan(), running, registries, () => {}, async (t, digest) => {
                assert.strictEqual(digest, running[t.cloud]);
                checked.push(t.repository);
                await verify(t, digest);
            });
            const [awsFrom, gcpFrom] = plan().source;
            const [awsTo, gcpTo] = plan().destination;
            assert.deepStrictEqual(checked, [awsFrom.repository, gcpFrom.repository, awsTo.repository, gcpTo.repository], "dev's images before any copy, prod's after");
            for (const [cloud, digest] of Object.entries(running)) {
                for (const suffix of ["sig", "att"]) assert.ok(registries.copies.some((c) => c.endsWith(`:${digest.replace(":", "-")}.${suffix}`)), `${cloud} ${suffix} copied`);
            }
        } finally {
            restore();
        }
    });

    it("refuses to promote an image dev's registry holds unsigned, copying nothing", async () => {
        const registry = afterImageWorkflow();
        const dev = await runProgram("dev", { setup: sharing(registry) });
        const running = { aws: dev.outputs["aws.imageDigest"] as string, gcp: dev.outputs["gcp.imageDigest"] as string };
        const [awsSource] = plan().source;
        registry.untag(keyOf(awsSource), `${running.aws.replace(":", "-")}.sig`);
        const registries = fakeRegistries(registry);
        const { verify, restore } = await prodVerification(registries);
        try {
            await assert.rejects(promote(plan(), running, registries, () => {}, verify), (err: Error) => {
                assert.ok(err instanceof ImageVerificationError);
                assert.match(err.message, new RegExp(`image ${ECR_HOST}/multicloud-service-dev@${running.aws} does not verify.*\n.*signature: unsigned`));
                return true;
            });
            assert.deepStrictEqual(registries.copies, []);
        } finally {
            restore();
        }
    });

    // What the copy leaves under prod's tag is looked at again: a push to that tag between the copy and the look, or
    // a copy that did not keep the bytes (skopeo-copy(1): only --preserve-digests refuses to change them), is not dev's image.
    it("a copy after which prod's tag holds another digest is refused, and no signature is carried to it", async () => {
        const registry = afterImageWorkflow();
        const dev = await runProgram("dev", { setup: sharing(registry) });
        const running = { aws: dev.outputs["aws.imageDigest"] as string, gcp: dev.outputs["gcp.imageDigest"] as string };
        const registries = fakeRegistries(registry);
        const other = `sha256:${"c".repeat(64)}`;
        registries.copy = async (from, digest, to) => {
            registries.copies.push(`${from.repository}@${digest} -> ${to.repository}:${to.tag}`);
            registry.push(keyOf(to), to.tag, other);
        };
        await assert.rejects(promote(plan(), running, registries, () => {}), aPromotionError(new RegExp(`^${ECR_HOST}/multicloud-service-prod:c-[0-9a-f]{24} is ${other} after the copy, not ${running.aws}$`)));
        assert.deepStrictEqual(registries.copies.filter((c) => /\.(sig|att)$/.test(c)), [], "no .sig or .att copied");
    });

    // The real skopeo and registry show the stop on the second cloud and the second run (skopeoRealRegistry.spec.ts);
    // here the first cloud's stop, which names the clouds not reached.
    it("a promotion stopped by a failed copy on its first cloud says so of each cloud, and that the same command finishes it", async () => {
        const registry = afterImageWorkflow();
        const registries = fakeRegistries(registry);
        const [awsTo, gcpTo] = plan().destination;
        let reset: Error | undefined;
        registries.copy = async (from, digest, to) => {
            // The real skopeo 1.9.3's line for a reset blob upload (tests/image/skopeoRealRegistry.spec.ts): containers/image
            // docker/docker_image_dest.go returns the POST's transport error, which copy prefixes with "writing blob: ".
            const upload = `https://${to.repository.split("/")[0]}/v2/${to.repository.split("/").slice(1).join("/")}/blobs/uploads/`;
            throw (reset = new Error(`skopeo copy docker://${from.repository}@${digest} docker://${to.repository}:${to.tag} failed: time="2026-12-07T15:43:27Z" level=fatal msg="writing blob: Post \\"${upload}\\": read tcp 10.1.0.4:35210->52.119.160.10:443: read: connection reset by peer"`));
        };
        await assert.rejects(promote(plan(), devRunning(registry), registries, () => {}), (err: Error) => {
            assert.ok(err instanceof PromotionError, err.stack);
            assert.strictEqual(err.cause, reset, "skopeo's error is kept as the cause");
            const [first, ...states] = err.message.split("\n");
            assert.match(first, /^the promotion of dev into prod stopped on aws: skopeo copy .* failed: .*connection reset by peer"$/);
            assert.deepStrictEqual(states.slice(0, 2), [`  aws: not promoted: stopped while copying into ${awsTo.repository}:${awsTo.tag} (what was copied stays)`, "  gcp: not promoted: not started"]);
            assert.match(states[2], /^Run the same command again \(`npm run image -- promote dev prod`; in deploy-prod\.yml, re-run the failed job\)/);
            return true;
        });
        assert.strictEqual(registry.find(keyOf(gcpTo), gcpTo.tag), undefined, "gcp was not copied");
    });

    // dev deploys on every push to main, so by the time a stopped promotion's job is re-run dev may run a newer commit.
    // Every cloud is checked before any is copied, so prod holding dev's image under this checkout's tag is the mark of
    // a run whose checks passed: the re-run finishes it. Before: it was refused on aws ("dev runs ... deploy this commit
    // to dev first"), though prod's aws already held the image, and the stop's own remedy was to run it again.
    it("a stopped promotion re-run after dev moved on finishes what it began, copying only the cloud prod lacks", async () => {
        const registry = afterImageWorkflow();
        const [, gcpTo] = plan().destination;
        const ran = devRunning(registry);
        const stopping = fakeRegistries(registry);
        const copy = stopping.copy;
        stopping.copy = async (from, digest, to) => {
            // skopeo's own words for a registry's 503 on a blob upload: containers/image docker/docker_image_dest.go
            // ("initiating layer upload to %s in %s: %w", registryHTTPResponseToError) and distribution's registry/client
            // errors.go UnexpectedHTTPStatusError ("received unexpected HTTP status: %s"), under skopeo's fatal log line.
            if (to.repository === gcpTo.repository && to.tag === gcpTo.tag) throw new Error(`skopeo copy docker://${from.repository}@${digest} docker://${to.repository}:${to.tag} failed: time="2026-12-07T15:43:27Z" level=fatal msg="writing blob: initiating layer upload to /v2/${to.repository.split("/").slice(1).join("/")}/blobs/uploads/ in ${to.repository.split("/")[0]}: received unexpected HTTP status: 503 Service Unavailable"`);
            await copy(from, digest, to);
        };
        await assert.rejects(promote(plan(), ran, stopping, () => {}), aPromotionError(/^the promotion of dev into prod stopped on gcp: [^]*, even once dev runs a newer commit \(prod's copy of aws shows that every cloud's checks passed\): /));

        const movedOn: RunningDigests = { aws: `sha256:${"a".repeat(64)}`, gcp: `sha256:${"b".repeat(64)}` };
        const again = fakeRegistries(registry);
        const lines: string[] = [];
        const results = await promote(plan(), movedOn, again, (line) => lines.push(line));
        assert.deepStrictEqual(results.map((r) => [r.cloud, r.digest, r.action]), [["aws", ran.aws, "already there"], ["gcp", ran.gcp, "copied"]]);
        assert.strictEqual(registry.find(keyOf(gcpTo), gcpTo.tag), ran.gcp, "prod's gcp holds what dev ran when the promotion began");
        assert.deepStrictEqual(again.copies.map((c) => c.split(" -> ")[1]).filter((to) => !/\.(sig|att)$/.test(to)), [`${gcpTo.repository}:${gcpTo.tag}`], "the image copied is gcp's alone");
        assert.ok(lines.some((l) => l.startsWith(`gcp: dev now runs ${movedOn.gcp}, not ${ran.gcp}: finishing the promotion an earlier run of this checkout began (prod holds aws's copy)`)), lines.join("\n"));
        // Each cloud's check reads dev's digest and, after it, prod's; whether an earlier run began it (prod's aws holds
        // dev's, prod's gcp nothing) is asked once, at the first cloud dev no longer runs.
        assert.deepStrictEqual(again.checkReads, ["aws dev", "aws prod", "aws dev", "gcp prod", "aws prod", "gcp dev", "gcp prod"]);
    });

    // Before bf219db8: every promotion read each cloud's two digests once more, asking whether an earlier run began it.
    it("a promotion of what dev runs reads no digest to ask whether an earlier run began it", async () => {
        const registry = afterImageWorkflow();
        const registries = fakeRegistries(registry);
        await promote(plan(), devRunning(registry), registries, () => {});
        assert.deepStrictEqual(registries.checkReads, ["aws dev", "aws prod", "gcp dev", "gcp prod"], "each cloud's check reads dev's digest, then prod's");
    });

    // A verdict met after aws was promoted keeps its words and its remedy, not "run it again" (the second run would meet
    // it again), and says that aws is promoted. Before: it was printed alone, and the operator was not told.
    it("a refusal on the second cloud after its copy names each cloud's state, then the refusal as it is, with no run again", async () => {
        const [awsTo, gcpTo] = plan().destination;
        const other = `sha256:${"c".repeat(64)}`;
        const pushedOver = (registry: FakeRegistry) => {
            const registries = fakeRegistries(registry);
            const copy = registries.copy;
            registries.copy = async (from, digest, to) => {
                if (to.repository === gcpTo.repository && to.tag === gcpTo.tag) registry.push(keyOf(to), to.tag, other);
                else await copy(from, digest, to);
            };
            return registries;
        };
        // components/image/imageVerification.ts (verifyImage) and cosignSignature.ts (signatureProblem): its words for a .sig that is not there.
        const unsigned = (digest: string) => new ImageVerificationError(gcpTo.repository, digest, [`signature: unsigned: there is no signature (${cosignTag(digest, "sig")}: MANIFEST_UNKNOWN)`]);
        const refusedWhereItLanded: VerifyImage = async (t, digest) => {
            if (t.repository === gcpTo.repository) throw unsigned(digest);
        };
        const refusals: [string, (registry: FakeRegistry, running: RunningDigests) => Promise<PromotionResult[]>, (running: RunningDigests) => string][] = [
            ["gcp's tag holds another digest after the copy", (registry, running) => promote(plan(), running, pushedOver(registry), () => {}), (running) => `${gcpTo.repository}:${gcpTo.tag} is ${other} after the copy, not ${running.gcp}`],
            ["gcp's copy does not verify", (registry, running) => promote(plan(), running, fakeRegistries(registry), () => {}, refusedWhereItLanded), (running) => unsigned(running.gcp!).message],
        ];
        for (const [why, promotion, refusal] of refusals) {
            const registry = afterImageWorkflow();
            const running = devRunning(registry);
            await assert.rejects(promotion(registry, running), (err: Error) => {
                assert.ok(err instanceof PromotionError, `${why}: ${err.stack}`);
                assert.strictEqual(
                    err.message,
                    [
                        "the promotion of dev into prod was refused on gcp, after its copy, so prod's registries hold part of the release:",
                        `  aws: promoted (${awsTo.repository}:${awsTo.tag} is ${running.aws})`,
                        `  gcp: not promoted: refused after the copy into ${gcpTo.repository}:${gcpTo.tag} (what was copied stays), for this:`,
                        refusal(running),
                    ].join("\n"),
                    why,
                );
                assert.doesNotMatch(err.message, /again/i, why);
                // The verdict itself, with its own class and trace, for a caller (or a debugger) that looks past the message.
                assert.ok(err.cause instanceof PromotionError || err.cause instanceof ImageVerificationError, `${why}: the verdict is not the cause: ${String(err.cause)}`);
                assert.strictEqual(err.cause.message, refusal(running), why);
                return true;
            });
        }
    });

    // A verdict is not a stop: running the promotion again finds the copy there and verifies it again, with the same result.
    it("a copy that does not verify where it landed fails in the verification's words, not as a stop that running again finishes", async () => {
        const registry = afterImageWorkflow();
        const [awsTo] = plan().destination;
        const refusal = new ImageVerificationError(awsTo.repository, devRunning(registry).aws!, ["signature: unsigned"]);
        const verify: VerifyImage = async (t) => {
            if (t.repository === awsTo.repository) throw refusal;
        };
        await assert.rejects(promote(plan(), devRunning(registry), fakeRegistries(registry), () => {}, verify), (err: Error) => {
            assert.strictEqual(err, refusal, `not the verification's own error: ${err.stack}`);
            return true;
        });
    });

    it("a second promotion of the same release copies nothing", async () => {
        const registry = afterImageWorkflow();
        const dev = await runProgram("dev", { setup: sharing(registry) });
        const running = { aws: dev.outputs["aws.imageDigest"] as string, gcp: dev.outputs["gcp.imageDigest"] as string };
        await promote(plan(), running, fakeRegistries(registry), () => {});
        const again = fakeRegistries(registry);
        const results = await promote(plan(), running, again, () => {});
        assert.deepStrictEqual(results.map((r) => r.action), ["already there", "already there"]);
        assert.deepStrictEqual(again.copies, []);
    });

    it("a promotion that finds the image there but carries its missing .sig reports it copied, not already there", async () => {
        const registry = afterImageWorkflow();
        const dev = await runProgram("dev", { setup: sharing(registry) });
        const running = { aws: dev.outputs["aws.imageDigest"] as string, gcp: dev.outputs["gcp.imageDigest"] as string };
        await promote(plan(), running, fakeRegistries(registry), () => {});
        const [destination] = plan().destination;
        registry.untag(keyOf(destination), cosignTag(running.aws, "sig"));
        const again = fakeRegistries(registry);
        const results = await promote(plan(), running, again, () => {});
        assert.deepStrictEqual(results.map((r) => [r.cloud, r.action]), [["aws", "copied"], ["gcp", "already there"]]);
        assert.deepStrictEqual(again.copies.map((c) => c.split(" -> ")[1]), [`${destination.repository}:${cosignTag(running.aws, "sig")}`], "only the .sig");
    });

    it("refuses an image dev does not run (dev moved on, or never deployed this commit), copying nothing", async () => {
        const registry = afterImageWorkflow();
        const registries = fakeRegistries(registry);
        await assert.rejects(promote(plan(), { aws: `sha256:${"0".repeat(64)}` }, registries, () => {}), aPromotionError(/^dev runs sha256:0{64} on aws, not sha256:[0-9a-f]{64} \(c-[0-9a-f]{24}, this checkout's image\): deploy this commit to dev first/));
        assert.deepStrictEqual(registries.copies, []);
    });

    // deploy-prod's promote step gives dev's outputs as a `--running` file. Each cloud's image is its own build (arm64
    // for Lambda, amd64 for Cloud Run), so the two digests always differ. Before (a mutant of it): gcp's was read from
    // aws.imageDigest, and every promotion was refused on gcp.
    it("dev's outputs from `pulumi stack output --json`: each cloud is judged on its own imageDigest", async () => {
        const registry = afterImageWorkflow();
        const [aws, gcp] = plan().source.map((t) => registry.find(keyOf(t), t.tag)!);
        assert.notStrictEqual(aws, gcp);
        const outputs = path.join(scratchDir("dev-outputs"), "dev.json");
        fs.writeFileSync(outputs, JSON.stringify({ aws: { bucketName: "b", imageDigest: aws }, gcp: { serviceName: "s", imageDigest: gcp } }, null, 4));
        const registries = fakeRegistries(registry);
        const results = await promote(plan(), await runningDigests("dev", outputs), registries, () => {});
        assert.deepStrictEqual(results.map((r) => [r.cloud, r.digest, r.action]), [["aws", aws, "copied"], ["gcp", gcp, "copied"]]);
    });

    // deploy-prod.yml's promote step gives no --running file: dev's outputs come from the CLI, as $PULUMI_ORG/dev. The
    // CLI never reads PULUMI_ORG itself (tests/release/releaseState.spec.ts): an unqualified `dev` is looked for in the
    // login's default organization. Before (mutant G01): the name was never qualified, and no test saw it.
    it("without --running, dev's outputs are read with `pulumi stack output --json --stack $PULUMI_ORG/dev`", async () => {
        const [aws, gcp] = [`sha256:${"a".repeat(64)}`, `sha256:${"b".repeat(64)}`];
        const bin = scratchDir("pulumi-stand-in");
        const calls = path.join(bin, "calls");
        // pulumi/pulumi pkg/cmd/pulumi/stack/stack_output.go: --json writes every output as one JSON object (jsonStackOutputWriter.WriteMany).
        const outputs = JSON.stringify({ aws: { bucketName: "b", imageDigest: aws }, gcp: { serviceName: "s", imageDigest: gcp } }, null, 2);
        fs.writeFileSync(path.join(bin, "pulumi"), `#!/usr/bin/env bash\necho "$*" >> '${calls}'\ncat <<'JSON'\n${outputs}\nJSON\n`, { mode: 0o755 });
        const read = (org: string | undefined) => withProcessEnvironment({ PATH: `${bin}:${process.env.PATH}`, PULUMI_ORG: org }, () => runningDigests("dev"));
        assert.deepStrictEqual(await read("acme"), { aws, gcp });
        await read(undefined);
        assert.deepStrictEqual(recordedCalls(calls), ["stack output --json --stack acme/dev", "stack output --json --stack dev"]);
    });

    // Before (mutant P13): a cloud prod runs from its registry but dev does not build (dev's aws.image set, or aws
    // disabled there) was skipped, and the promotion went on with the other cloud as if it were the whole release.
    it("refuses a cloud prod builds that dev does not run its own image on, naming it, copying nothing", async () => {
        const registry = afterImageWorkflow();
        const running = devRunning(registry);
        const devWithoutAws = { ...plan(), source: plan().source.filter((t) => t.cloud !== "aws") };
        const registries = fakeRegistries(registry);
        await assert.rejects(promote(devWithoutAws, running, registries, () => {}), aPromotionError("dev does not run its own image on aws (aws.image/gcp.image set, or the cloud disabled): nothing to promote to prod"));
        assert.deepStrictEqual(registries.copies, []);
    });

    // Before: each cloud was checked in the copy loop, so a refusal on gcp came after aws had been copied into prod's
    // registry, and prod held half a release that no promotion had accepted.
    it("a promotion refused on its second cloud (gcp) copies nothing, not even the first cloud's image", async () => {
        const registry = afterImageWorkflow();
        const registries = fakeRegistries(registry);
        const lines: string[] = [];
        const log = (line: string) => void lines.push(line);
        const running = devRunning(registry);
        const [, gcpTo] = plan().destination;
        const refusals: [string, () => Promise<PromotionResult[]>, RegExp][] = [
            ["dev runs another gcp image", () => promote(plan(), { ...running, gcp: `sha256:${"0".repeat(64)}` }, registries, log), /^dev runs sha256:0{64} on gcp, not /],
            ["dev does not build gcp", () => promote({ ...plan(), source: plan().source.filter((t) => t.cloud !== "gcp") }, running, registries, log), /^dev does not run its own image on gcp /],
            [
                "prod's gcp tag holds another digest",
                async () => {
                    registry.push(keyOf(gcpTo), gcpTo.tag, `sha256:${"e".repeat(64)}`);
                    return promote(plan(), running, registries, log);
                },
                /^asia-northeast1-docker\.pkg\.dev\/multicloud-service-prod\/service-registry-prod\/service:c-[0-9a-f]{24} is sha256:e{64}, not sha256:[0-9a-f]{64}: a tag is never moved/,
            ],
        ];
        for (const [why, promotion, refusal] of refusals) {
            await assert.rejects(promotion(), aPromotionError(refusal, why));
            assert.deepStrictEqual(registries.copies, [], `${why}: nothing copied`);
        }
        assert.deepStrictEqual(lines, [], "no copy announced");
    });

    it("refuses when dev's outputs name no running image (an older program, or the cloud's first up not done), copying nothing", async () => {
        const registry = afterImageWorkflow();
        const registries = fakeRegistries(registry);
        await assert.rejects(promote(plan(), {}, registries, () => {}), /^PromotionError: dev runs nothing on aws, not sha256:[0-9a-f]{64} \(c-[0-9a-f]{24}, this checkout's image\)/);
        assert.deepStrictEqual(registries.copies, []);
    });

    // Before (a mutant of it): dev's arm64 image was copied under prod's amd64 content tag, which prod's `pulumi up`
    // then deploys to its x86_64 functions. The stacks' settings do not refuse it: only this check does.
    it("refuses stacks whose Lambda architectures differ, copying nothing", async () => {
        const registry = afterImageWorkflow();
        const x86Prod = imageTargets("prod");
        const amd64 = { platform: "linux/amd64", tag: contentTag({ context: `${PROJECT_ROOT}/app`, platform: "linux/amd64" }) };
        const planned = { ...plan(), destination: repositoryTargets({ ...x86Prod, aws: { ...x86Prod.aws!, ...amd64 } }, ECR_HOST) };
        const running = devRunning(registry, planned);
        const registries = fakeRegistries(registry);
        await assert.rejects(promote(planned, running, registries, () => {}), aPromotionError("dev and prod build aws for different platforms (linux/arm64 vs linux/amd64): set the same architecture in both stacks"));
        assert.deepStrictEqual(registries.copies, []);
    });

    it("refuses a checkout whose image dev never had, naming the tag and the workflow", async () => {
        const registries = fakeRegistries(new FakeRegistry("none"));
        await assert.rejects(promote(plan(), {}, registries, () => {}), /multicloud-service-dev:c-[0-9a-f]{24} is not there: dev has not run this checkout's image \(image\.yml builds it/);
    });

    it("never moves a tag: a prod tag that holds another digest is refused, with or without prod's verification, copying nothing", async () => {
        const registry = afterImageWorkflow();
        const dev = await runProgram("dev", { setup: sharing(registry) });
        const [awsTarget] = plan().destination;
        const pushedByHand = `sha256:${"e".repeat(64)}`;
        registry.push(keyOf(awsTarget), awsTarget.tag, pushedByHand);
        const running = { aws: dev.outputs["aws.imageDigest"] as string, gcp: dev.outputs["gcp.imageDigest"] as string };
        const refusal = /multicloud-service-prod:c-[0-9a-f]{24} is sha256:e{64}, not sha256:[0-9a-f]{64}: a tag is never moved/;
        const unverified = fakeRegistries(registry);
        await assert.rejects(promote(plan(), running, unverified, () => {}), refusal);
        const verified = fakeRegistries(registry);
        const { verify, restore } = await prodVerification(verified);
        try {
            await assert.rejects(promote(plan(), running, verified, () => {}, verify), refusal);
        } finally {
            restore();
        }
        assert.deepStrictEqual([...unverified.copies, ...verified.copies], [], "nothing copied, not even the signature");
        assert.strictEqual(await verified.digestOf(awsTarget), pushedByHand, "the tag still holds what was pushed there");
    });

    it("a stale signature already under prod's .sig tag (a re-signed image) is replaced by dev's, which the copied image verifies against", async () => {
        const registry = afterImageWorkflow();
        const dev = await runProgram("dev", { setup: sharing(registry) });
        const running = { aws: dev.outputs["aws.imageDigest"] as string, gcp: dev.outputs["gcp.imageDigest"] as string };
        const [source] = plan().source;
        const [destination] = plan().destination;
        const sig = cosignTag(running.aws, "sig");
        const stale = registry.pushArtifact(keyOf(destination), sig, { manifest: Buffer.from('{"schemaVersion":2,"stale":true}'), blobs: new Map() });
        const devSignature = registry.find(keyOf(source), sig);
        assert.ok(devSignature && devSignature !== stale);
        await promote(plan(), running, fakeRegistries(registry), () => {});
        assert.strictEqual(registry.find(keyOf(destination), sig), devSignature);
    });

    it("before the promotion, prod's preview shows its image as not known yet and names the promotion when up would wait", async () => {
        const prodConfig = readStackFile("prod").config;
        const registry = afterImageWorkflow();
        const prod = await runProgram("prod", { preview: true, setup: sharing(registry) });
        assert.strictEqual(prod.outputs["aws.imageDigest"], undefined);
        assert.strictEqual(prod.outputs["gcp.imageDigest"], undefined);
        await assert.rejects(
            runProgram("prod", { config: { ...prodConfig, "multicloud-service:image": JSON.stringify({ ...JSON.parse(prodConfig["multicloud-service:image"]), waitMinutes: 0 }) }, setup: sharing(registry) }),
            /is not in ECR repository multicloud-service-prod .*push it with the promotion from dev \(`npm run image -- promote dev <stack>`/,
        );
    });
});
