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

export async function skopeoCopy(source: string, destination: string, logins: RegistryLogin[]): Promise<void> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "skopeo-auth-"));
    const authFile = path.join(dir, "auth.json");
    try {
        // containers-auth.json(5): `auths` by registry, namespace or repository, each `auth` base64 of user:password.
        const auths = Object.fromEntries(logins.map((l) => [l.repository, { auth: Buffer.from(`${l.user}:${l.password}`).toString("base64") }]));
        fs.writeFileSync(authFile, JSON.stringify({ auths }), { mode: 0o600 });
        // --preserve-digests: refuse rather than convert (a converted manifest would be other bytes, another digest).
        const args = ["copy", "--preserve-digests", "--src-authfile", authFile, "--dest-authfile", authFile, source, destination];
        await promisify(execFile)("skopeo", args, { maxBuffer: 16 * 1024 * 1024 }).catch((err: NodeJS.ErrnoException & { stderr?: string }) => {
            const why = err.code === "ENOENT" ? "skopeo is not installed" : (err.stderr ?? "").trim() || err.message.split("\n")[0];
            throw new Error(`skopeo copy ${source} ${destination} failed: ${why}`);
        });
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
