import * as assert from "assert";
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { dockerDaemonReachable, dockerEndpoint } from "../../components/image/dockerDaemon";
import { ImageNotFoundError, awaitImage, isNotFound, planImage } from "../../components/image/imageResolution";
import { ImageLookup } from "../../components/image/types";

const lookupAnswering = (answers: (string | undefined)[]): ImageLookup & { calls: number } => {
    const lookup = {
        calls: 0,
        description: "Artifact Registry repository asia-northeast1-docker.pkg.dev/p/r",
        findDigest: async () => answers[Math.min(lookup.calls++, answers.length - 1)],
    };
    return lookup;
};

describe("image resolution", () => {
    describe("planImage", () => {
        it("uses the registry's image and does not even ask for a Docker engine", async () => {
            let asked = false;
            const plan = await planImage("c-1", lookupAnswering(["sha256:aa"]), "auto", async () => ((asked = true), true));
            assert.deepStrictEqual(plan, { kind: "present", digest: "sha256:aa" });
            assert.strictEqual(asked, false);
        });
        it("builds a missing tag only with policy auto and an engine; otherwise awaits it", async () => {
            assert.deepStrictEqual(await planImage("c-1", lookupAnswering([undefined]), "auto", async () => true), { kind: "build" });
            assert.deepStrictEqual(await planImage("c-1", lookupAnswering([undefined]), "auto", async () => false), { kind: "await" });
            assert.deepStrictEqual(await planImage("c-1", lookupAnswering([undefined]), "never", async () => true), { kind: "await" });
        });
    });

    describe("awaitImage", () => {
        it("polls at the interval until the tag appears, reporting progress", async () => {
            let clock = 0;
            const slept: number[] = [];
            const progress: string[] = [];
            const digest = await awaitImage("c-1", lookupAnswering([undefined, undefined, "sha256:bb"]), {
                timeoutMs: 10 * 60_000,
                intervalMs: 15_000,
                progress: (m) => progress.push(m),
                sleep: async (ms) => void (slept.push(ms), (clock += ms)),
                now: () => clock,
            });
            assert.strictEqual(digest, "sha256:bb");
            assert.deepStrictEqual(slept, [15_000, 15_000]);
            assert.strictEqual(progress.length, 2);
            assert.match(progress[1], /waiting for image c-1 in Artifact Registry .* 0\.3 of 10 min/);
        });
        it("gives up at the deadline (never sleeping past it) with an error naming tag, registry and workflow", async () => {
            let clock = 0;
            const slept: number[] = [];
            const lookup = lookupAnswering([undefined]);
            await assert.rejects(
                awaitImage("c-9", lookup, { timeoutMs: 40_000, intervalMs: 15_000, progress: () => {}, sleep: async (ms) => void (slept.push(ms), (clock += ms)), now: () => clock }),
                (err: Error) => err instanceof ImageNotFoundError && /c-9 is not in Artifact Registry repository .* after waiting 0\.7 min/.test(err.message) && /image\.yml/.test(err.message),
            );
            assert.deepStrictEqual(slept, [15_000, 15_000, 10_000]);
            assert.strictEqual(lookup.calls, 4);
        });
    });

    it("tells a missing image or repository from other lookup failures", () => {
        assert.ok(isNotFound(new Error("ImageNotFoundException: The image with imageId {imageTag:'c-1'} does not exist")));
        assert.ok(isNotFound(new Error("RepositoryNotFoundException: The repository with name 'x' does not exist")));
        assert.ok(isNotFound(new Error("googleapi: Error 404: Requested entity was not found.")));
        assert.ok(!isNotFound(new Error("AccessDeniedException: not authorized to perform ecr:DescribeImages")));
    });

    describe("the Docker engine probe", () => {
        it("reads DOCKER_HOST as the Docker client does", () => {
            assert.deepStrictEqual(dockerEndpoint({}), { socketPath: "/var/run/docker.sock" });
            assert.deepStrictEqual(dockerEndpoint({ DOCKER_HOST: "unix:///run/user/1000/docker.sock" }), { socketPath: "/run/user/1000/docker.sock" });
            assert.deepStrictEqual(dockerEndpoint({ DOCKER_HOST: "tcp://10.0.0.5:2376" }), { host: "10.0.0.5", port: 2376 });
        });
        it("is false for a missing socket, a socket nobody serves and a server that is not Docker; true for /_ping 200", async () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "docker-probe-"));
            try {
                assert.strictEqual(await dockerDaemonReachable({ DOCKER_HOST: `unix://${dir}/missing.sock` }), false);
                const stale = path.join(dir, "stale.sock");
                fs.writeFileSync(stale, "");
                assert.strictEqual(await dockerDaemonReachable({ DOCKER_HOST: `unix://${stale}` }), false);
                for (const [status, expected] of [[404, false], [200, true]] as const) {
                    const socket = path.join(dir, `engine-${status}.sock`);
                    const server = http.createServer((_req, res) => res.writeHead(status).end());
                    await new Promise<void>((resolve) => server.listen(socket, resolve));
                    try {
                        assert.strictEqual(await dockerDaemonReachable({ DOCKER_HOST: `unix://${socket}` }), expected);
                    } finally {
                        await new Promise((resolve) => server.close(resolve));
                    }
                }
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    });
});
