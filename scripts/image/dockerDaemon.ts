import * as fs from "fs";
import * as http from "http";

/** Where the Docker client would talk to the engine: DOCKER_HOST (unix:// or tcp://), else the default socket. */
export function dockerEndpoint(env: NodeJS.ProcessEnv = process.env): { socketPath: string } | { host: string; port: number } {
    const host = env.DOCKER_HOST;
    if (!host) return { socketPath: "/var/run/docker.sock" };
    if (host.startsWith("unix://")) return { socketPath: host.slice("unix://".length) };
    const url = new URL(host.replace(/^tcp:/, "http:"));
    return { host: url.hostname, port: Number(url.port || 2375) };
}

/**
 * Whether a Docker engine answers `GET /_ping` within `timeoutMs`. A client binary or a stale socket file is
 * not enough: Pulumi Deployments' executor has the client but no engine, and that is the case to detect.
 */
export function dockerDaemonReachable(env: NodeJS.ProcessEnv = process.env, timeoutMs = 1500): Promise<boolean> {
    const endpoint = dockerEndpoint(env);
    if ("socketPath" in endpoint && !fs.existsSync(endpoint.socketPath)) return Promise.resolve(false);
    return new Promise((resolve) => {
        const request = http.get({ ...endpoint, path: "/_ping", timeout: timeoutMs }, (response) => {
            response.resume();
            resolve(response.statusCode === 200);
        });
        request.on("timeout", () => request.destroy());
        request.on("error", () => resolve(false));
    });
}
