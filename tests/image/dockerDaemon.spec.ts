import * as assert from "assert";
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { dockerDaemonReachable, dockerEndpoint } from "../../scripts/image/dockerDaemon";

// `npm run image -- build` asks for a Docker engine before it builds (a client binary alone does not count).
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
