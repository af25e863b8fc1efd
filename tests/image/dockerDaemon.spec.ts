import * as assert from "assert";
import { spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as http from "http";
import * as path from "path";
import { dockerEngineProblem } from "../../scripts/image/dockerDaemon";
import { fakeDockerEngine, serveDockerEngine } from "../harness/fakeDockerEngine";
import { scratchDir } from "../harness/tempDirs";

/** A Docker client configuration folder whose contexts are `contexts` (name to socket) and whose current one is `current`. */
function dockerConfig(dir: string, contexts: Record<string, string>, current?: string): string {
    const config = path.join(dir, "docker-config");
    for (const [name, socket] of Object.entries(contexts)) {
        // The client keeps a context's endpoints under the SHA-256 of its name (docker/cli cli/context/store).
        const meta = path.join(config, "contexts", "meta", createHash("sha256").update(name).digest("hex"));
        fs.mkdirSync(meta, { recursive: true });
        fs.writeFileSync(path.join(meta, "meta.json"), JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: `unix://${socket}`, SkipTLSVerify: false } } }));
    }
    fs.mkdirSync(config, { recursive: true });
    fs.writeFileSync(path.join(config, "config.json"), JSON.stringify(current ? { currentContext: current } : {}));
    return config;
}

const NO_ENGINE = "no Docker engine answers the docker client here (its DOCKER_HOST, DOCKER_CONTEXT or current context)";

// `npm run image -- build` asks for a Docker engine before it builds (a client binary alone does not count). The
// probe is the Docker client itself, so these run the real client against a stand-in engine.
describe("the Docker engine probe (the docker client's own view)", function () {
    this.timeout(30_000);
    let dir = "";
    const servers: http.Server[] = [];
    /** An environment with no Docker settings of the machine's: only what a case gives. */
    const env = (extra: Record<string, string>) => ({ PATH: process.env.PATH, HOME: dir, DOCKER_CONFIG: path.join(dir, "empty-config"), ...extra });

    before(function () {
        if (spawnSync("docker", ["--version"]).status !== 0) {
            console.log("      skipped: no docker client on this machine (the probe asks it)");
            this.skip();
        }
        // Unix socket paths are limited to about 104 bytes: a short folder.
        dir = fs.mkdtempSync("/tmp/dk-");
    });
    after(async () => {
        await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });
    const serve = async (name: string, notDocker = false) => {
        const socket = path.join(dir, `${name}.sock`);
        servers.push(await serveDockerEngine(socket, notDocker));
        return socket;
    };

    it("finds none wanting when the engine at DOCKER_HOST answers; says none answers for a missing socket, a stale socket file and a server that is not Docker", async () => {
        assert.strictEqual(await dockerEngineProblem(env({ DOCKER_HOST: `unix://${await serve("engine")}` })), undefined);
        assert.strictEqual(await dockerEngineProblem(env({ DOCKER_HOST: `unix://${dir}/missing.sock` })), NO_ENGINE);
        const stale = path.join(dir, "stale.sock");
        fs.writeFileSync(stale, "");
        assert.strictEqual(await dockerEngineProblem(env({ DOCKER_HOST: `unix://${stale}` })), NO_ENGINE);
        assert.strictEqual(await dockerEngineProblem(env({ DOCKER_HOST: `unix://${await serve("not-docker", true)}` })), NO_ENGINE);
    });

    it("sees the engine the other image specs stand up as \"a machine where Docker runs\" (tests/harness/fakeDockerEngine.ts)", async () => {
        const engine = await fakeDockerEngine();
        try {
            assert.strictEqual(await dockerEngineProblem(env({ DOCKER_HOST: engine.host })), undefined);
        } finally {
            await engine.close();
        }
    });

    it("finds the engine of the client's current context (Docker Desktop's desktop-linux, Colima's), with no DOCKER_HOST", async () => {
        const config = dockerConfig(dir, { "desktop-linux": await serve("desktop") }, "desktop-linux");
        assert.strictEqual(await dockerEngineProblem(env({ DOCKER_CONFIG: config })), undefined);
    });

    it("follows DOCKER_CONTEXT over the configured current context", async () => {
        const config = dockerConfig(dir, { colima: await serve("colima"), gone: path.join(dir, "gone.sock") }, "gone");
        assert.strictEqual(await dockerEngineProblem(env({ DOCKER_CONFIG: config })), NO_ENGINE);
        assert.strictEqual(await dockerEngineProblem(env({ DOCKER_CONFIG: config, DOCKER_CONTEXT: "colima" })), undefined);
    });
});

describe("the Docker engine probe where there is no docker client", () => {
    // Node's spawn fails with ENOENT for a command not on PATH (Node's child_process docs): there is no client to ask,
    // which the build says as such rather than as an engine that does not answer.
    it("says there is no docker client, not that no engine answers", async () => {
        const empty = scratchDir("no-docker");
        assert.strictEqual(await dockerEngineProblem({ PATH: empty, HOME: empty }), "there is no docker client here (no `docker` on PATH)");
    });
});
