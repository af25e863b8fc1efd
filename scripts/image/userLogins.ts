import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseStoredCredentials, StoredCredentials } from "./storedCredentials";

/**
 * The user's own logins that `docker logout <host>` erases: docker/cli cli/command/registry/logout.go runLogout erases
 * `[serverAddress, hostnameAddress, "http://"+hostnameAddress, "https://"+hostnameAddress]`, each from the store its
 * config gives that key (cli/config/configfile/file.go getConfiguredCredentialStore: credHelpers[key], else
 * credsStore, else the config's `auths`). A user logged in as Artifact Registry documents it
 * (`docker login ... https://LOCATION-docker.pkg.dev`) is logged in under `https://<host>`, which the tool's own
 * login does not touch but its logout erases.
 */
export interface UserLogins {
    /** `auths` entries of the client's config, as they were. */
    auths: Record<string, unknown>;
    /** What a credential store's `get` answered, with the helper that keeps it. */
    stored: { helper: string; credentials: StoredCredentials }[];
}

/** A user's login the tool's logout erased and could not put back: the message says which, and how to log in again. */
export class UserLoginsLost extends Error {}

/** The docker client's config, as much of it as the tool reads. */
export interface DockerConfig {
    auths?: Record<string, unknown>;
    credHelpers?: Record<string, unknown>;
    credsStore?: unknown;
}

/** Reads, before the tool's login, each login of the user's that `docker logout <host>` would erase; `config`: readDockerConfig's. */
export async function saveUserLogins(host: string, config: DockerConfig | undefined, env: NodeJS.ProcessEnv): Promise<UserLogins> {
    const saved: UserLogins = { auths: {}, stored: [] };
    if (!config) return saved; // none yet: docker login writes the first
    for (const key of logoutKeys(host)) {
        if (config.auths && Object.prototype.hasOwnProperty.call(config.auths, key)) saved.auths[key] = config.auths[key];
        const helper = storeFor(config, key);
        if (!helper) continue;
        const credentials = await readStoredLogin(helper, key, env).catch((err: Error) => {
            throw new Error(`${err.message}: your own login to ${key}, which \`docker logout ${host}\` erases, cannot be read to be put back after the push, so the tool does not log in`);
        });
        if (credentials !== undefined) saved.stored.push({ helper, credentials });
    }
    return saved;
}

/**
 * Puts back, after the tool's logout, the user's logins it erased; throws UserLoginsLost naming each one it could not,
 * with what became of it. A store that refuses the put-back may have refused the logout's erase too (a keychain locked
 * mid-build): docker/cli's nativeStore.Erase (cli/config/credentials/native_store.go) stops at the helper's refusal,
 * leaving the login in place, and `docker logout` does not say so (logout.go runLogout). So such a login is read back:
 * one still there is not lost; under the bare host the tool's own login took its place (login.go stores under
 * credentials.ConvertToHostname) whatever the logout did.
 */
export async function restoreUserLogins(host: string, saved: UserLogins, env: NodeJS.ProcessEnv): Promise<void> {
    const lost: { key: string; what: string }[] = [];
    const keys = Object.keys(saved.auths);
    if (keys.length > 0) {
        const file = dockerConfigFile(env);
        try {
            const config = JSON.parse(fs.readFileSync(file, "utf8"));
            config.auths = { ...config.auths, ...saved.auths };
            fs.writeFileSync(file, JSON.stringify(config, null, "\t"));
        } catch (err) {
            lost.push(...keys.map((key) => ({ key, what: `${key} in ${file}: it could not be written back (${(err as Error).message})` })));
        }
    }
    for (const { helper, credentials } of saved.stored) {
        const refusal = await credentialHelper(helper, "store", JSON.stringify(credentials), env).then(() => undefined, (err: Error) => err.message);
        if (refusal === undefined) continue;
        const what = await whatBecameOfRefusedLogin(host, helper, credentials, refusal, env);
        if (what !== undefined) lost.push({ key: credentials.ServerURL, what });
    }
    if (lost.length === 0) return;
    const logInAgain = [...new Set(lost.map(({ key }) => key))].map((key) => `\`docker login ${key}\``).join(", ");
    throw new UserLoginsLost(`your own logins to ${host} could not all be put back after the tool's push: ${lost.map(({ what }) => what).join("; ")}: where one is gone, log in again with ${logInAgain}`);
}

/**
 * What became of the user's login `credentials` that `helper`'s store refused to put back (`refusal`, its words):
 * undefined where it is still there (the store refused the logout's erase as well), else what the user is told.
 */
async function whatBecameOfRefusedLogin(
    host: string,
    helper: string,
    credentials: StoredCredentials,
    refusal: string,
    env: NodeJS.ProcessEnv,
): Promise<string | undefined> {
    const key = credentials.ServerURL;
    const where = `${key} as ${credentials.Username} in docker-credential-${helper}`;
    if (key === host) {
        return `${where}: the tool's login took its place (docker login keeps a login under the bare host) and the store refused to put it back (${refusal})`;
    }
    const readBack = await readStoredLogin(helper, key, env).then((stored) => ({ stored }), (err: Error) => ({ unreadable: err.message }));
    if ("unreadable" in readBack) {
        return (
            `${where}: the store refused to put it back (${refusal}) and to read it (${readBack.unreadable}); it is still there if the store refused ` +
            `\`docker logout ${host}\`'s erase too, which docker does not report (\`echo ${key} | docker-credential-${helper} get\` shows whether it is, once the store answers)`
        );
    }
    const { stored } = readBack;
    if (stored === undefined || stored.Username !== credentials.Username || stored.Secret !== credentials.Secret) {
        return `${where}: \`docker logout ${host}\` erased it and the store refused to put it back (${refusal})`;
    }
    return undefined;
}

/** The keys docker logout erases for `host` (logout.go runLogout; the tool logs in by hostname). */
function logoutKeys(host: string): string[] {
    return [...new Set([host, `http://${host}`, `https://${host}`])];
}

/** The credential helper that keeps `key`'s login, if any (file.go getConfiguredCredentialStore). */
export function storeFor(config: DockerConfig, key: string): string | undefined {
    const helper = config.credHelpers?.[key] ?? config.credsStore;
    return typeof helper === "string" && helper !== "" ? helper : undefined;
}

/**
 * $DOCKER_CONFIG/config.json, else .docker/config.json in the user's home (docker/cli cli/config/config.go Dir, with
 * moby pkg/homedir Get: Go's os.UserHomeDir, which reads USERPROFILE on Windows and HOME elsewhere; a HOME that Git
 * Bash or a company's login script sets on Windows is not where Docker Desktop's client keeps its config).
 */
export function dockerConfigFile(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string {
    const home = (platform === "win32" ? env.USERPROFILE : env.HOME) || os.homedir();
    return path.join(env.DOCKER_CONFIG || path.join(home, ".docker"), "config.json");
}

/** The docker client's config, or undefined where there is none (or one docker itself cannot read, which its login then reports). */
export function readDockerConfig(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): DockerConfig | undefined {
    try {
        return JSON.parse(fs.readFileSync(dockerConfigFile(env, platform), "utf8"));
    } catch {
        return undefined;
    }
}

/**
 * `docker-credential-<helper> get|store` with `input` on stdin (docker-credential-helpers client/client.go Get and
 * Store). `get` answers the credentials' JSON, or, for a key it holds nothing under, exits 1 having printed
 * "credentials not found in native keychain" on stdout (credentials/error.go; Serve prints errors to stdout):
 * undefined. Any other failure throws with the helper's own words, so no login is dropped unread.
 */
function credentialHelper(helper: string, action: "get" | "store", input: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
    const program = `docker-credential-${helper}`;
    return new Promise((resolve, reject) => {
        const child = spawn(program, [action], { env, stdio: ["pipe", "pipe", "pipe"] });
        let out = "";
        let stderr = "";
        child.stdout!.on("data", (chunk) => (out += chunk));
        child.stderr!.on("data", (chunk) => (stderr += chunk));
        child.on("error", (err) => reject(new Error(`${program} ${action}: ${err.message}`)));
        child.on("close", (code) => {
            if (code === 0) return resolve(out);
            if (action === "get" && out.trim() === "credentials not found in native keychain") return resolve(undefined);
            reject(new Error(`${program} ${action} failed (exit ${code}): ${(out + stderr).trim() || "it printed no reason"}`));
        });
        child.stdin!.on("error", () => {}); // the exit code and output say why
        child.stdin!.end(input);
    });
}

/**
 * The login `docker-credential-<helper>` keeps under `key`, read as docker reads it (storedCredentials.ts), or undefined
 * where it keeps none; an answer docker could not read either is an error naming the helper and the key.
 */
export async function readStoredLogin(helper: string, key: string, env: NodeJS.ProcessEnv): Promise<StoredCredentials | undefined> {
    const answer = await credentialHelper(helper, "get", key, env);
    return answer === undefined ? undefined : parseStoredCredentials(answer, helper, key);
}
