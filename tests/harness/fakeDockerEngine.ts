import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { withProcessEnvironment } from "../../scripts/offline/environment";

/**
 * A Docker engine as the Docker client talks to it, on a unix socket: `/_ping` answers "OK" with the API version in
 * a header, and `/v<api>/version` the engine's version (Docker Engine API reference, "Ping" and "Get version"); what
 * `docker version`, the build tool's engine probe (scripts/image/dockerDaemon.ts), needs to see an engine.
 * `notDocker` answers 404 to everything, as any other server on that socket would.
 */
export async function serveDockerEngine(socket: string, notDocker = false): Promise<http.Server> {
    const server = http.createServer((req, res) => {
        if (notDocker) return void res.writeHead(404).end();
        if (req.url?.startsWith("/_ping")) return void res.writeHead(200, { "Api-Version": "1.47", "Content-Type": "text/plain" }).end("OK");
        if (/^\/v[\d.]+\/version$/.test(req.url ?? "")) {
            res.writeHead(200, { "Content-Type": "application/json" });
            return void res.end(JSON.stringify({ Version: "27.3.1", ApiVersion: "1.47", MinAPIVersion: "1.24", Os: "linux", Arch: "amd64", Components: [{ Name: "Engine", Version: "27.3.1" }] }));
        }
        // The engine's answer to a path it has no route for (moby/moby api/swagger.yaml, the API's introduction on errors:
        // `{"message": "page not found"}`).
        res.writeHead(404, { "Content-Type": "application/json" }).end(JSON.stringify({ message: "page not found" }));
    });
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    return server;
}

/** serveDockerEngine in a folder of its own, with its DOCKER_HOST. */
export async function fakeDockerEngine(): Promise<{ host: string; close: () => Promise<void> }> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-docker-"));
    const socket = path.join(dir, "docker.sock");
    const server = await serveDockerEngine(socket);
    return {
        host: `unix://${socket}`,
        close: () => new Promise<void>((resolve) => server.close(() => (fs.rmSync(dir, { recursive: true, force: true }), resolve()))),
    };
}

/** Runs with a fake Docker engine as DOCKER_HOST: a machine where Docker runs (which must change nothing `pulumi up` does). */
export async function withDockerEngine<T>(run: () => Promise<T>): Promise<T> {
    const engine = await fakeDockerEngine();
    try {
        return await withProcessEnvironment({ DOCKER_HOST: engine.host }, run);
    } finally {
        await engine.close();
    }
}
