import * as assert from "assert";
import { buildMissing, buildxArguments, missingLines, missingTargets, presentLines } from "../../scripts/image/build";
import { Registries, RepositoryTarget } from "../../scripts/image/registries";
import { FakeRegistry } from "../../scripts/offline/fakeRegistry";

const aws: RepositoryTarget = { cloud: "aws", repository: "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/multicloud-service-dev", tag: "c-aaa", platform: "linux/arm64" };
const gcp: RepositoryTarget = { cloud: "gcp", repository: "asia-northeast1-docker.pkg.dev/p/service-registry-dev/service", tag: "c-bbb", platform: "linux/amd64" };

function setUp(engine: boolean, buildx = true, pushFails = false) {
    const registry = new FakeRegistry("none");
    const registries: Registries = { digestOf: async (t) => registry.find(t.repository, t.tag), copy: async () => assert.fail("a build never copies"), oci: async () => assert.fail("a build reads no artifacts") };
    const calls: string[] = [];
    const docker = {
        // The probe's own sentence (scripts/image/dockerDaemon.ts), which tests/image/dockerDaemon.spec.ts checks with
        // the real client.
        engineProblem: async () => (engine ? undefined : "no Docker engine answers the docker client here (its DOCKER_HOST, DOCKER_CONTEXT or current context)"),
        buildx: async () => buildx,
        login: async (t: RepositoryTarget) => void calls.push(`login ${t.repository.split("/")[0]}`),
        logout: async (t: RepositoryTarget) => void calls.push(`logout ${t.repository.split("/")[0]}`),
        // The push of `docker buildx build --push`: the tag lands in the registry (ECR refuses a second one).
        run: async (args: string[]) => {
            calls.push(args.join(" "));
            // What main.ts's run() rejects with: Node's execFile error, "Command failed: <command>" then the command's
            // stderr (Node's child_process docs). The stderr line stands for buildx's refusal; only its passing through is checked.
            if (pushFails) throw new Error(`Command failed: docker ${args.join(" ")}\nERROR: failed to push: unexpected status 403 Forbidden`);
            const ref = args[args.indexOf("--tag") + 1];
            registry.push(ref.slice(0, ref.lastIndexOf(":")), ref.slice(ref.lastIndexOf(":") + 1));
        },
    };
    return { registry, registries, docker, calls };
}

describe("npm run image -- build: the one builder besides image.yml", () => {
    it("builds and pushes only the missing tag, as one manifest for its platform, then reads the digest back", async () => {
        const { registry, registries, docker, calls } = setUp(true);
        const present = registry.push(gcp.repository, gcp.tag);
        const lines: string[] = [];
        const results = await buildMissing("app", [aws, gcp], registries, docker, (line) => lines.push(line));
        const host = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com";
        assert.deepStrictEqual(calls, [`login ${host}`, buildxArguments("app", aws).join(" "), `logout ${host}`]);
        // Before: nothing said that what it pushed is unsigned, which image.yml's check and prod refuse.
        assert.ok(lines.some((l) => l.startsWith(`aws: ${aws.repository}:c-aaa is unsigned: a stack that verifies images`)), lines.join("\n"));
        assert.ok(!lines.some((l) => l.startsWith("gcp:") && l.includes("unsigned")), "the tag already there was not built here");
        assert.deepStrictEqual(buildxArguments("app", aws), ["buildx", "build", "app", "--platform", "linux/arm64", "--provenance=false", "--sbom=false", "--push", "--tag", `${aws.repository}:c-aaa`]);
        assert.deepStrictEqual(results.map((r) => [r.cloud, r.built]), [["aws", true], ["gcp", false]]);
        assert.strictEqual(results[1].digest, present);
        assert.deepStrictEqual(registry.pushes.map((p) => p.repository), [gcp.repository, aws.repository], "each tag pushed once");
    });

    // Before: the registry token (ECR's for 12 hours, a Google access token for one) stayed in the docker client's
    // config after the build, as base64 of user:password where no credential helper holds it.
    it("the registry login is taken back out after the push, and after a push that failed", async () => {
        const { registries, docker, calls } = setUp(true, true, true);
        await assert.rejects(buildMissing("app", [gcp], registries, docker, () => {}), /failed to push: unexpected status 403/);
        assert.deepStrictEqual(calls, ["login asia-northeast1-docker.pkg.dev", buildxArguments("app", gcp).join(" "), "logout asia-northeast1-docker.pkg.dev"]);
    });

    // A push that did not land where the stack looks (a builder that pushed elsewhere, a tag the registry dropped)
    // must fail the build, not report a built image with no digest.
    it("a tag the registry does not hold after the push fails the build, naming it", async () => {
        const { registries, docker } = setUp(true);
        const pushedElsewhere = { ...docker, run: async () => {} };
        await assert.rejects(buildMissing("app", [aws], registries, pushedElsewhere, () => {}), new RegExp(`${aws.repository}:c-aaa is not in the registry after the push`));
    });

    it("a second run builds nothing (the tags are there)", async () => {
        const { registries, docker, calls } = setUp(true);
        await buildMissing("app", [aws, gcp], registries, docker, () => {});
        calls.length = 0;
        await buildMissing("app", [aws, gcp], registries, docker, () => {});
        assert.deepStrictEqual(calls, []);
    });

    it("without a Docker engine, a missing tag fails saying so; present ones need none", async () => {
        const { registry, registries, docker } = setUp(false);
        registry.push(gcp.repository, gcp.tag);
        assert.deepStrictEqual((await buildMissing("app", [gcp], registries, docker, () => {})).map((r) => r.built), [false]);
        await assert.rejects(buildMissing("app", [aws], registries, docker, () => {}), /^Error: no Docker engine answers the docker client here \(its DOCKER_HOST, DOCKER_CONTEXT or current context\): build where Docker runs, or let image.yml build it$/);
    });

    // Before: only the engine was asked for; a client without buildx logged in to the registry and then failed on
    // "docker: unknown command: docker buildx" (the real client's answer without the plugin, seen on this machine).
    it("without the buildx plugin, a missing tag fails saying so, before any registry login", async () => {
        const { registries, docker, calls } = setUp(true, false);
        await assert.rejects(buildMissing("app", [aws], registries, docker, () => {}), /the docker client here has no buildx plugin/);
        assert.deepStrictEqual(calls, []);
    });

    // Each probe is a docker process (scripts/image/dockerDaemon.ts): one look before the first build serves them all.
    it("the Docker engine and buildx are asked about once, before the first of two missing tags is built", async () => {
        const { registries, docker, calls } = setUp(true);
        const asked: string[] = [];
        const counted = { ...docker, engineProblem: async () => void asked.push("engine"), buildx: async () => (asked.push("buildx"), true) };
        await buildMissing("app", [aws, gcp], registries, counted, () => {});
        assert.deepStrictEqual(asked, ["engine", "buildx"]);
        assert.strictEqual(calls.filter((c) => c.startsWith("buildx build")).length, 2, calls.join("\n"));
    });

    // image.yml hands each line to scripts/image/sign.sh, which signs only `<repository>@<digest this run pushed>` and
    // refuses anything else: a tag here (a mutant of it) would stop every run's signing.
    it("--present: each cloud's tag as <repository>@<digest>, empty where the registry does not hold it", async () => {
        const { registry, registries } = setUp(true);
        const digest = registry.push(aws.repository, aws.tag);
        assert.deepStrictEqual(await presentLines([aws, gcp], registries), [`aws_ref=${aws.repository}@${digest}`, "gcp_ref="]);
    });

    it("--missing: one true/false line and image line per cloud, for $GITHUB_OUTPUT", async () => {
        const { registry, registries } = setUp(true);
        registry.push(aws.repository, aws.tag);
        assert.deepStrictEqual(missingLines(await missingTargets([aws, gcp], registries)), ["aws_missing=false", "aws_image=", "gcp_missing=true", `gcp_image=${gcp.repository}:c-bbb`]);
    });
});
