import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { changeProcessEnvironment } from "../../scripts/offline/environment";

/** A Docker engine that only answers `GET /_ping`, on a unix socket: what the daemon probe looks for. */
export async function fakeDockerEngine(): Promise<{ host: string; close: () => Promise<void> }> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-docker-"));
    const socket = path.join(dir, "docker.sock");
    const server = http.createServer((req, res) => res.writeHead(req.url === "/_ping" ? 200 : 404).end("OK"));
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    return {
        host: `unix://${socket}`,
        close: () => new Promise<void>((resolve) => server.close(() => (fs.rmSync(dir, { recursive: true, force: true }), resolve()))),
    };
}

/** Runs with these environment variables (undefined: unset), restoring the old values afterwards. */
export async function withEnv<T>(vars: Record<string, string | undefined>, run: () => Promise<T>): Promise<T> {
    const restore = changeProcessEnvironment(vars);
    try {
        return await run();
    } finally {
        restore();
    }
}

/** Runs with a fake Docker engine as DOCKER_HOST: a machine where Docker runs (which must change nothing `pulumi up` does). */
export async function withDockerEngine<T>(run: () => Promise<T>): Promise<T> {
    const engine = await fakeDockerEngine();
    try {
        return await withEnv({ DOCKER_HOST: engine.host }, run);
    } finally {
        await engine.close();
    }
}
