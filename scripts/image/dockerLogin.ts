import { spawn } from "child_process";
import { assertToolLoginGone } from "./toolLoginLeft";
import { DockerConfig, dockerConfigFile, readDockerConfig, restoreUserLogins, saveUserLogins, storeFor, UserLogins } from "./userLogins";

/**
 * The credential helper the docker client's config names for `host` (its `credHelpers`), if any: the client then
 * stores and reads that host's login only through `docker-credential-<helper>` (docker/cli
 * cli/config/configfile/file.go, GetCredentialsStore / getConfiguredCredentialStore; the config is
 * $DOCKER_CONFIG/config.json, else ~/.docker/config.json, cli/config/config.go Dir). That is how AWS sets up ECR
 * (`"credHelpers": {"<account>.dkr.ecr.<region>.amazonaws.com": "ecr-login"}`) and `gcloud auth configure-docker`
 * sets up Artifact Registry (`"<region>-docker.pkg.dev": "gcloud"`). Such a helper gives the credentials itself
 * and keeps none it is handed: amazon-ecr-credential-helper's Add answers "not implemented" (ecr-login/ecr.go,
 * unless AWS_ECR_IGNORE_CREDS_STORAGE=true), so `docker login` fails with "Error saving credentials: error storing
 * credentials - err: exit status 1, out: `not implemented`" (seen with Debian's amazon-ecr-credential-helper and
 * docker 28.2.2), and gcloud's docker-helper ignores store and erase (surface/auth/docker_helper.py).
 * AWS's other documented setup, `"credsStore": "ecr-login"` (the helper's README), sends every host without a
 * credHelpers entry to that helper: it gives an ECR host its credentials and keeps no login for any host.
 */
function dockerCredentialHelper(host: string, config: DockerConfig | undefined): string | undefined {
    if (!config) return undefined;
    const helper = config.credHelpers?.[host];
    if (typeof helper === "string" && helper !== "") return helper;
    if (config.credsStore !== ECR_LOGIN) return undefined; // a store that keeps logins (desktop, osxkeychain, pass): the tool logs in
    if (ECR_REGISTRY.test(host)) return ECR_LOGIN;
    throw new Error(
        `the docker client's config sends ${host}'s login to docker-credential-${ECR_LOGIN} (its credsStore), which keeps no login and gives credentials ` +
            `for ECR registries only: give ${host} its own credential helper (\`gcloud auth configure-docker ${host}\` adds it to credHelpers) and build again`,
    );
}

/** amazon-ecr-credential-helper's name, and the registries it gives credentials for (ecr-login/api/client.go ecrPattern, which ExtractRegistry matches). */
const ECR_LOGIN = "ecr-login";
const ECR_REGISTRY = /^\d{12}\.dkr[.-]ecr(-fips)?\.[a-zA-Z0-9][a-zA-Z0-9-_]*\.(amazonaws\.(?:com(?:\.cn)?|eu)|on\.(?:aws|amazonwebservices\.com\.cn)|sc2s\.sgov\.gov|c2s\.ic\.gov|cloud\.adc-e\.uk|csp\.hci\.ic\.gov)$/;

/**
 * `docker login <host>` with the password on stdin; the credentials are asked for only when the client will take
 * them (a host with a credential helper needs none, and its cloud's token is not fetched). Docker says why a login
 * failed on stderr (an expired token, a credential helper it cannot find, a host it cannot reach) and exits 1: the error
 * carries those words. A client that exits before it reads stdin (a bad flag, no such command) is an error too, not an
 * EPIPE that ends the process. The user's own logins that the logout will erase are read first (userLogins.ts), for
 * dockerLogout to put back; the token is kept for dockerLogout to check that it is gone.
 */
export async function dockerLogin(
    host: string,
    credentials: () => Promise<{ user: string; password: string }>,
    env: NodeJS.ProcessEnv = process.env,
): Promise<{ helper: string } | ({ helper?: undefined } & ToolLogin)> {
    // A credential helper named for the host gives the client its credentials; a login could not be stored in it.
    const config = readDockerConfig(env);
    const helper = dockerCredentialHelper(host, config);
    if (helper) return { helper };
    const userLogins = await saveUserLogins(host, config, env);
    const { user, password } = await credentials();
    await docker("login", ["--username", user, "--password-stdin"], host, env, password);
    return { userLogins, token: password };
}

/** The tool's own login to a host: the user's logins its logout erases, and the token it logged in with. */
export interface ToolLogin {
    userLogins: UserLogins;
    token: string;
}

/**
 * `docker logout <host>`: the client keeps a login in its config file (dockerConfigFile: DOCKER_CONFIG, else the home's .docker), without a
 * credential helper as base64 of `user:password`, until it is logged out; the ECR token lasts 12 hours and a Google
 * access token an hour, with all its account may do. docker answers a host it holds no login for with "Removing login
 * credentials for <host>" and exit 0 (docker/cli cli/command/registry/logout.go, since v20.10). The error carries docker's own words.
 * The logout also erases the user's own logins to the host (under `https://<host>` too): the ones dockerLogin read
 * are put back, and one that cannot be is a UserLoginsLost naming it. docker exits 0 and says nothing when its store
 * refuses to erase (a locked keychain), so the store is asked after the put-back whether it still holds the tool's token.
 * Each of these that fails is reported, several as an AggregateError of them: a store that refused the put-back may
 * well have refused the erase of the tool's token too.
 */
export async function dockerLogout(host: string, login: ToolLogin | undefined, env: NodeJS.ProcessEnv = process.env): Promise<void> {
    if (dockerCredentialHelper(host, readDockerConfig(env))) return; // nothing was logged in (dockerLogin): the helper's own store is left alone
    const problems: Error[] = [];
    const exitedZero = await docker("logout", [], host, env).then(() => true, (err: Error) => (problems.push(err), false));
    if (login) {
        // Put back after a failed logout too, though none is known to have erased anything: docker/cli's runLogout
        // erases each key on its own and returns nil whatever Erase answered (cli/command/registry/logout.go, since
        // 1630fc40 and in 28.2.2), so a non-zero exit comes from before it (arguments, the client's start). The put-back
        // then writes the user's login back over the tool's under the same key, and rewrites the others as they are.
        await restoreUserLogins(host, login.userLogins, env).catch((err: Error) => problems.push(err));
        // After the put-back, which writes the user's own login (if any) over the tool's under the same key.
        if (exitedZero) await assertToolLoginGone(host, login.token, env).catch((err: Error) => problems.push(err));
    }
    if (problems.length > 1) throw new AggregateError(problems, problems.map((problem) => problem.message).join("; "));
    if (problems.length === 1) throw problems[0];
}

/**
 * What is left where dockerLogout failed: the tool's login, in the client's credential store or its config file on this
 * machine, and how to end it. A store is named with its own erase (docker-credential-helpers client/client.go Erase:
 * the host on stdin), which erases the tool's key alone and prints why it cannot, where `docker logout` says nothing.
 * The config file's login is the `auths` entry under the bare host (docker/cli cli/command/registry/login.go stores
 * under credentials.ConvertToHostname): deleting that entry ends it, where `docker logout` would also erase the
 * user's own logins under `https://<host>` and `http://<host>` (logout.go runLogout) that dockerLogout put back.
 */
export function loginLeftBehind(host: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
    const helper = storeFor(readDockerConfig(env, platform) ?? {}, host);
    if (helper) return `the registry login stays in docker-credential-${helper}, the credential store of the docker client's config (${dockerConfigFile(env, platform)}); run \`echo ${host} | docker-credential-${helper} erase\``;
    return (
        `the registry login stays in the docker client's config (${dockerConfigFile(env, platform)}); delete the "${host}" entry of its "auths" by hand ` +
        `(\`docker logout ${host}\` would also erase your own logins under https://${host} and http://${host})`
    );
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
