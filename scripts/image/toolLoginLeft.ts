import { readDockerConfig, readStoredLogin, storeFor } from "./userLogins";

/**
 * Throws when the tool's token for `host` is still where the docker client reads `host`'s login after `docker logout
 * <host>` exited 0: docker/cli's runLogout (cli/command/registry/logout.go, 28.2.2) lists the host twice, as given
 * and as its hostname, and warns "could not erase credentials" only when its map of failed erases, keyed by address,
 * is as long as that list, so a store that refuses every erase (a locked keychain) gets exit 0 and an empty stderr.
 * The client reads the login from the store its config gives the host (cli/config/configfile/file.go
 * GetCredentialsStore): `docker-credential-<helper> get`, or `auths[host].auth`, base64 of `<user>:<password>`
 * (file.go encodeAuth). Only the tool's token counts: the user's own login put back under `host` is not the tool's.
 */
export async function assertToolLoginGone(host: string, token: string, env: NodeJS.ProcessEnv): Promise<void> {
    const config = readDockerConfig(env) ?? {};
    const helper = storeFor(config, host);
    let stored: string | undefined;
    if (helper) {
        const login = await readStoredLogin(helper, host, env).catch((err: Error) => {
            throw new Error(`${err.message}: whether \`docker logout ${host}\` erased the tool's token cannot be read`);
        });
        stored = login?.Secret;
    } else {
        const auth = (config.auths?.[host] as { auth?: unknown } | undefined)?.auth;
        const decoded = typeof auth === "string" ? Buffer.from(auth, "base64").toString("utf8") : "";
        stored = decoded.slice(decoded.indexOf(":") + 1);
    }
    if (stored === token) throw new Error(`\`docker logout ${host}\` exited 0 but the tool's token is still stored for ${host} (docker does not say when an erase fails)`);
}
