import { ExecFileException, execFile } from "child_process";

/**
 * Why no Docker engine answers the Docker client here, or undefined when one does. The engine is found the way the
 * client finds it: `--host`/DOCKER_HOST, else DOCKER_CONTEXT, else the current context of ~/.docker/config.json
 * (Docker Desktop's `desktop-linux`, Colima's), with TLS (DOCKER_TLS_VERIFY, DOCKER_CERT_PATH) and ssh:// hosts as the
 * client handles them (Docker docs, "docker context use": the default context applies only when none of those is
 * set). `docker version` prints the server's version only when an engine answered; a client binary alone, or a stale
 * socket, is not enough: Pulumi Deployments' executor has the client but no engine, and that is the case to detect.
 */
export async function dockerEngineProblem(env: NodeJS.ProcessEnv = process.env, timeoutMs = 10_000): Promise<string | undefined> {
    const { error, stdout } = await docker(["version", "--format", "{{.Server.Version}}"], env, timeoutMs);
    // spawn's own error when no `docker` is on PATH: no client to ask, which is not an engine that is down.
    if (error?.code === "ENOENT") return "there is no docker client here (no `docker` on PATH)";
    if (!error && stdout.trim() !== "") return undefined;
    return "no Docker engine answers the docker client here (its DOCKER_HOST, DOCKER_CONTEXT or current context)";
}

/**
 * Whether the client has the buildx plugin the build runs (`docker buildx build`): a client without it (a distribution's
 * docker.io without docker-buildx) answers "docker: unknown command: docker buildx" and exits 1.
 */
export async function dockerBuildxAvailable(env: NodeJS.ProcessEnv = process.env, timeoutMs = 10_000): Promise<boolean> {
    return !(await docker(["buildx", "version"], env, timeoutMs)).error;
}

/** `docker <args>` run to its end or the time: its error, if any, and what it printed. */
function docker(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ error: ExecFileException | null; stdout: string }> {
    return new Promise((resolve) => {
        execFile("docker", args, { env, timeout: timeoutMs }, (error, stdout) => resolve({ error, stdout }));
    });
}
