/**
 * `skopeo copy` by digest, bytes unchanged, with the registry logins in an auth file rather than on the command line:
 * Node's execFile puts the whole command line in the error it throws, and the job log would then show an ECR token
 * and a Google access token that can write to prod's registries (GitHub masks only registered secrets).
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";

export interface RegistryLogin {
    /**
     * What the login is for: a repository, `<host>/<path>` (containers-auth.json(5) takes a registry, a namespace or a
     * repository as the key, the most specific winning), so a source and a destination on one host keep their own.
     */
    repository: string;
    user: string;
    password: string;
}

/**
 * How long one copy may take. Node's execFile waits for its child without limit unless given a `timeout` (Node's
 * child_process docs, child_process.execFile: `timeout` "Default: 0"), and skopeo is given no deadline here (its own
 * retries are off as well: `--retry-times` defaults to 0, containers/skopeo cmd/skopeo/utils.go, retryFlags), so a
 * skopeo stuck on a registry or proxy that takes the request and stays silent held `npm run image -- promote` without
 * end on a laptop, and deploy-prod.yml's promote step until its 30 minutes ran out. At the bound skopeo is ended
 * (execFile's killSignal, SIGTERM) and the copy fails saying so; the remedy, running the promotion again (a tag already
 * there with the same digest is not copied again), is the stopped promotion's to give, once (promotionStopped.ts).
 * Read at each copy: a test may shorten it.
 */
export const SKOPEO_COPY = { timeoutMs: 5 * 60_000 };

export async function skopeoCopy(source: string, destination: string, logins: RegistryLogin[]): Promise<void> {
    const timeoutMs = SKOPEO_COPY.timeoutMs;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "skopeo-auth-"));
    const authFile = path.join(dir, "auth.json");
    try {
        // containers-auth.json(5): `auths` by registry, namespace or repository, each `auth` base64 of user:password.
        const auths = Object.fromEntries(logins.map((l) => [l.repository, { auth: Buffer.from(`${l.user}:${l.password}`).toString("base64") }]));
        fs.writeFileSync(authFile, JSON.stringify({ auths }), { mode: 0o600 });
        // --preserve-digests: refuse rather than convert (a converted manifest would be other bytes, another digest).
        const args = ["copy", "--preserve-digests", "--src-authfile", authFile, "--dest-authfile", authFile, source, destination];
        await promisify(execFile)("skopeo", args, { maxBuffer: 16 * 1024 * 1024, timeout: timeoutMs }).catch((err: NodeJS.ErrnoException & { stderr?: string; killed?: boolean }) => {
            // execFile's error for a child it ended at `timeout`: killed true, signal SIGTERM (Node's child_process docs).
            if (err.killed) throw new Error(`skopeo copy ${source} ${destination} did not finish within ${Math.round(timeoutMs / 1000)} s (a registry that takes the request and stays silent) and was stopped`);
            const why = err.code === "ENOENT" ? "skopeo is not installed" : (err.stderr ?? "").trim() || err.message.split("\n")[0];
            throw new Error(`skopeo copy ${source} ${destination} failed: ${why}`);
        });
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
