import { spawn } from "child_process";

/**
 * `docker login <host>` with the password on stdin. Docker says why a login failed on stderr (an expired token, a
 * credential helper it cannot find, a host it cannot reach) and exits 1: the error carries those words. A client that
 * exits before it reads stdin (a bad flag, no such command) is an error too, not an EPIPE that ends the process.
 */
export function dockerLogin(host: string, user: string, password: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
    return docker("login", ["--username", user, "--password-stdin"], host, env, password);
}

/**
 * `docker logout <host>`: the client keeps a login in its config (DOCKER_CONFIG, else ~/.docker/config.json), without a
 * credential helper as base64 of `user:password`, until it is logged out; the ECR token lasts 12 hours and a Google
 * access token an hour, with all its account may do. docker answers a host it holds no login for with "Not logged in"
 * and exit 0. The error carries docker's own words.
 */
export function dockerLogout(host: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
    return docker("logout", [], host, env);
}

/** `docker <command> <options> <host>`, with `stdin` written to it when given; fails with docker's stderr. */
function docker(command: "login" | "logout", options: string[], host: string, env: NodeJS.ProcessEnv, stdin?: string): Promise<void> {
    return new Promise((resolve, reject) => {
        const child = spawn("docker", [command, ...options, host], { env, stdio: [stdin === undefined ? "ignore" : "pipe", "ignore", "pipe"] });
        let stderr = "";
        child.stderr!.on("data", (chunk) => (stderr += chunk));
        child.on("error", (err) => reject(new Error(`docker ${command} ${host}: ${err.message}`)));
        child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`docker ${command} ${host} failed (exit ${code}): ${stderr.trim() || "docker printed no reason"}`))));
        if (stdin !== undefined) {
            child.stdin!.on("error", () => {}); // the exit code and stderr say why
            child.stdin!.end(stdin);
        }
    });
}
