import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as path from "path";
import { dockerBuildxAvailable } from "../../scripts/image/dockerDaemon";
import { dockerLogin, dockerLogout, loginLeftBehind } from "../../scripts/image/dockerLogin";
import { parseStoredCredentials } from "../../scripts/image/storedCredentials";
import { readDockerConfig, restoreUserLogins, UserLoginsLost } from "../../scripts/image/userLogins";
import { dockerStandIn } from "../harness/dockerStandIn";
import { scratchDir } from "../harness/tempDirs";

/** Skips the test, saying so, on a machine without a docker client. */
function needsDockerClient(test: Mocha.Context): void {
    if (spawnSync("docker", ["--version"]).status !== 0) {
        console.log("      skipped: no docker client on this machine");
        test.skip();
    }
}

/** The real docker client's environment here: its config in `config`, `bin`'s helpers first on PATH, and no engine. */
function clientEnv(config: string, bin?: string): NodeJS.ProcessEnv {
    return { PATH: bin ? `${bin}:${process.env.PATH}` : process.env.PATH, HOME: config, DOCKER_CONFIG: config, DOCKER_HOST: `unix://${config}/no-engine.sock` };
}

/** The real docker client's environment (clientEnv) whose config names `store`'s docker-credential-keeper as its credsStore, and nothing else. */
function clientEnvWithKeeper(store: { bin: string }): NodeJS.ProcessEnv {
    const config = scratchDir("docker-config");
    fs.writeFileSync(path.join(config, "config.json"), JSON.stringify({ credsStore: "keeper" }));
    return clientEnv(config, store.bin);
}

/** `run` with ecrLoginRegistry's host, the registry closed however it ends. */
async function withEcrLoginRegistry(run: (host: string) => Promise<void>): Promise<void> {
    const { host, close } = await ecrLoginRegistry();
    try {
        await run(host);
    } finally {
        await close();
    }
}

/**
 * A registry's API version check (distribution spec, "Determining support"): 401 with a Basic challenge until the
 * client sends the login AWS:ecr-token, as ECR answers it (WWW-Authenticate: Basic realm=..., service="ecr.amazonaws.com";
 * ECR User Guide, "Registry authentication", as scripts/offline/fakeOciRegistryApi.ts answers it too). `host`: its
 * `127.0.0.1:<port>`.
 */
async function ecrLoginRegistry(): Promise<{ host: string; close: () => Promise<void> }> {
    const registry = http.createServer((req, res) => {
        const ok = req.headers.authorization === `Basic ${Buffer.from("AWS:ecr-token").toString("base64")}`;
        const headers = { "docker-distribution-api-version": "registry/2.0", ...(ok ? {} : { "www-authenticate": 'Basic realm="https://127.0.0.1/",service="ecr.amazonaws.com"' }) };
        res.writeHead(ok ? 200 : 401, headers).end(ok ? "{}" : "");
    });
    await new Promise<void>((resolve) => registry.listen(0, "127.0.0.1", resolve));
    return { host: `127.0.0.1:${(registry.address() as AddressInfo).port}`, close: () => new Promise<void>((resolve) => registry.close(() => resolve())) };
}

/** osxkeychain's answer in a locked keychain (docker-credential-helpers osxkeychain/osxkeychain.go ErrInteractionNotAllowed). */
const LOCKED_KEYCHAIN = 'keychain cannot be accessed because the current session does not allow user interaction. The keychain may be locked; unlock it by running "security -v unlock-keychain ~/Library/Keychains/login.keychain-db" and try again';

/**
 * A `docker` whose login runs `login` (bash; its arguments: login --username <user> --password-stdin <host>, the
 * password on stdin) and whose logout erases nothing and exits 0, stderr empty: docker 28.2.2's answer when its store
 * refuses every erase (docker/cli cli/command/registry/logout.go runLogout; the real client's test below holds it to
 * that). Its config (`settings`) is in a scratch DOCKER_CONFIG; `bin`'s credential helpers are on its PATH.
 */
function silentLogoutDocker(login: string, settings?: object, bin?: string): NodeJS.ProcessEnv {
    const env = dockerStandIn(`if [ "$1" = login ]; then ${login}; exit; fi\n[ "$1" = logout ] && echo "Removing login credentials for $2"`);
    const config = scratchDir("docker-config");
    if (settings) fs.writeFileSync(path.join(config, "config.json"), JSON.stringify(settings));
    return { ...env, PATH: bin ? `${env.PATH}:${bin}` : env.PATH, HOME: config, DOCKER_CONFIG: config };
}

/** A stand-in login that hands the login to `docker-credential-<helper> store`, as the client's native store does (cli/config/credentials/native_store.go Store). */
function storingLogin(helper: string): string {
    return `printf '{"ServerURL":"%s","Username":"%s","Secret":"%s"}' "$5" "$3" "$(cat)" | docker-credential-${helper} store`;
}

/** The tool's login as dockerLogin gives it to dockerLogout (undefined where a credential helper gives the credentials). */
function toolLoginOf(loggedIn: Awaited<ReturnType<typeof dockerLogin>>) {
    return "userLogins" in loggedIn ? loggedIn : undefined;
}

/** The tool's login, push and logout for `host`, as scripts/image/commands.ts build runs them, with the client `env` puts first on PATH. */
async function toolLoginAndLogout(host: string, env: NodeJS.ProcessEnv): Promise<void> {
    const loggedIn = await dockerLogin(host, async () => ({ user: "AWS", password: "ecr-token" }), env);
    await dockerLogout(host, toolLoginOf(loggedIn), env);
}

/**
 * A `docker-credential-<name>` that keeps logins, as docker-credential-helpers' Serve answers docker
 * (credentials/credentials.go): `store` reads {"ServerURL","Username","Secret"}, `get` and `erase` read the server URL,
 * and a `get` for one it does not hold prints "credentials not found in native keychain" on stdout and exits 1
 * (credentials/error.go). One file a login under `<bin>/logins`; it refuses to store `refusedUser`'s login, with
 * `eraseRefusal` refuses every erase with those words, and after `lock(words)` refuses everything with them (a keychain
 * that locks mid-build). In bash, not node: docker and the tool run it a dozen times a test.
 */
function keepingCredentialHelper(
    name: string,
    logins: Record<string, { Username: string; Secret: string }>,
    refusedUser?: string,
    eraseRefusal?: string,
): { bin: string; logins: () => Record<string, { Username: string; Secret: string }>; lock: (words: string) => void } {
    const bin = scratchDir("docker-credential-helper");
    const kept = path.join(bin, "logins");
    fs.mkdirSync(kept);
    const fileOf = (serverUrl: string) => path.join(kept, serverUrl.replace(/[^A-Za-z0-9.]/g, "_"));
    for (const [ServerURL, login] of Object.entries(logins)) fs.writeFileSync(fileOf(ServerURL), JSON.stringify({ ServerURL, ...login }));
    if (refusedUser !== undefined) fs.writeFileSync(path.join(bin, "refused-user"), `"Username":${JSON.stringify(refusedUser)}`);
    if (eraseRefusal !== undefined) fs.writeFileSync(path.join(bin, "erase-refusal"), eraseRefusal);
    const script = `#!/usr/bin/env bash
bin=${JSON.stringify(bin)}
input=$(cat)
if [ -f "$bin/locked" ]; then cat "$bin/locked"; echo; exit 1; fi
file() { printf '%s/logins/%s' "$bin" "$(printf %s "$1" | tr -c 'A-Za-z0-9.' '_')"; }
case "$1" in
get) [ -f "$(file "$input")" ] || { echo "credentials not found in native keychain"; exit 1; }; cat "$(file "$input")" ;;
store)
    if [ -f "$bin/refused-user" ] && printf %s "$input" | grep -qF -f "$bin/refused-user"; then echo "The user name or passphrase you entered is not correct."; exit 1; fi
    printf %s "$input" > "$(file "$(printf %s "$input" | sed -E 's/.*"ServerURL":"([^"]*)".*/\\1/')")" ;;
erase)
    if [ -f "$bin/erase-refusal" ]; then cat "$bin/erase-refusal"; echo; exit 1; fi
    rm -f "$(file "$input")" ;;
esac
`;
    fs.writeFileSync(path.join(bin, `docker-credential-${name}`), script, { mode: 0o755 });
    const read = () =>
        fs.readdirSync(kept).map((f) => JSON.parse(fs.readFileSync(path.join(kept, f), "utf8")) as { ServerURL: string; Username: string; Secret: string });
    return {
        bin,
        logins: () => Object.fromEntries(read().map(({ ServerURL, Username, Secret }) => [ServerURL, { Username, Secret }])),
        lock: (words) => fs.writeFileSync(path.join(bin, "locked"), words),
    };
}

/**
 * A `docker-credential-<name>` in `store.bin` that prints `banner` on stdout before running the store's keeper: a
 * wrapper script around the real helper (the banner is the stand-in's own words). docker-credential-helpers client/client.go
 * Get decodes the answer's first JSON value, so docker cannot read its `get` either.
 */
function bannerWrapper(store: { bin: string }, name: string, banner: string): void {
    fs.writeFileSync(path.join(store.bin, `docker-credential-${name}`), `#!/usr/bin/env bash\necho ${JSON.stringify(banner)}\nexec "$(dirname "$0")/docker-credential-keeper" "$@"\n`, { mode: 0o755 });
}

/** What the tool says of `docker-credential-<helper>`'s `get` answer for `key` that docker cannot read either (storedCredentials.ts). */
function unreadableAnswer(helper: string, key: string, what: string): string {
    return (
        `docker-credential-${helper} get answered ${key} with ${what}, where docker reads a credential helper's JSON {"ServerURL","Username","Secret"} ` +
        `(docker-credential-helpers credentials.Get): check that the docker-credential-${helper} first on PATH is the credential helper your docker config ` +
        `names and that nothing it runs prints to stdout (\`echo ${key} | docker-credential-${helper} get\` shows its answer)`
    );
}

describe("npm run image -- build: the docker client's login and buildx", () => {
    // Before: the error said only "docker login <host> exited 1", and a client that exited without reading stdin
    // raised an EPIPE nothing handled, which ended the process.
    it("a failed login carries docker's own reason from stderr", async () => {
        // docker login's answer when the configured credential helper is not installed (docker/cli's credentials
        // store: "error storing credentials - err: exec: ...: executable file not found in $PATH").
        const env = dockerStandIn('cat > /dev/null; echo \'Error saving credentials: error storing credentials - err: exec: "docker-credential-desktop": executable file not found in $PATH, out: ``\' >&2; exit 1');
        await assert.rejects(dockerLogin("123456789012.dkr.ecr.ap-northeast-1.amazonaws.com", async () => ({ user: "AWS", password: "token" }), env), {
            message: /^docker login 123456789012\.dkr\.ecr\.ap-northeast-1\.amazonaws\.com failed \(exit 1\): Error saving credentials: error storing credentials .*docker-credential-desktop/,
        });
    });

    it("a client that exits before reading the password fails the login instead of ending the process", async () => {
        const env = dockerStandIn("echo 'docker: unknown flag: --password-stdin' >&2; exit 125");
        await assert.rejects(dockerLogin("host.example", async () => ({ user: "u", password: "p".repeat(1 << 20) }), env), /docker login host\.example failed \(exit 125\): docker: unknown flag: --password-stdin/);
    });

    it("a login that succeeds gives the password on stdin only", async () => {
        const seen = path.join(scratchDir("docker-login-seen"), "stdin");
        const env = dockerStandIn(`[ "$*" = "login --username AWS --password-stdin host.example" ] || exit 9; cat > ${JSON.stringify(seen)}`);
        await dockerLogin("host.example", async () => ({ user: "AWS", password: "secret-token" }), env);
        assert.strictEqual(fs.readFileSync(seen, "utf8"), "secret-token");
    });

    // The real client: it logs in to a registry by itself (GET /v2/, no engine needed) and writes the login to its config.
    it("the real client's login is written to its config, and dockerLogout takes it back out", async function () {
        needsDockerClient(this);
        await withEcrLoginRegistry(async (host) => {
            const config = scratchDir("docker-config");
            const env = { PATH: process.env.PATH, HOME: config, DOCKER_CONFIG: config };
            const logins = () => JSON.parse(fs.readFileSync(path.join(config, "config.json"), "utf8")).auths ?? {};
            const loggedIn = await dockerLogin(host, async () => ({ user: "AWS", password: "ecr-token" }), env);
            assert.deepStrictEqual(Object.keys(logins()), [host], "the client keeps the login");
            await dockerLogout(host, toolLoginOf(loggedIn), env);
            assert.deepStrictEqual(logins(), {});
            await dockerLogout(host, undefined, env); // "Removing login credentials for <host>", exit 0 (docker/cli logout.go since v20.10)
        });
    });

    // Before: with AWS's documented ECR setup (`credHelpers: {<host>: "ecr-login"}` in the client's config), the build
    // failed at its login: the client hands the login to the helper, whose store answers "not implemented".
    it("a host the client's config gives a credential helper is not logged in to (the helper gives the credentials)", async function () {
        needsDockerClient(this);
        // amazon-ecr-credential-helper as docker runs it: `docker-credential-ecr-login store|erase` answers "not
        // implemented" on stdout and exits 1 (ecr-login/ecr.go Add and Delete without AWS_ECR_IGNORE_CREDS_STORAGE;
        // docker-credential-helpers' Serve prints the error to stdout). docker login then fails with "Error saving
        // credentials: error storing credentials - err: exit status 1, out: `not implemented`" (Debian's
        // amazon-ecr-credential-helper with docker 28.2.2).
        const bin = scratchDir("docker-credential-helper");
        fs.writeFileSync(path.join(bin, "docker-credential-ecr-login"), '#!/usr/bin/env bash\ncat > /dev/null\necho "not implemented"\nexit 1\n', { mode: 0o755 });
        await withEcrLoginRegistry(async (host) => {
            const config = scratchDir("docker-config");
            const settings = JSON.stringify({ credHelpers: { [host]: "ecr-login" } });
            fs.writeFileSync(path.join(config, "config.json"), settings);
            // No engine: the client logs in by itself (docker/cli login.go loginClientSide).
            const env = clientEnv(config, bin);
            let asked = 0;
            const credentials = async () => (asked++, { user: "AWS", password: "ecr-token" });
            assert.deepStrictEqual(await dockerLogin(host, credentials, env), { helper: "ecr-login" });
            assert.strictEqual(asked, 0, "the cloud's token is not fetched for a host whose helper gives the credentials");
            await dockerLogout(host, undefined, env);
            assert.strictEqual(fs.readFileSync(path.join(config, "config.json"), "utf8"), settings, "the client's config is left as it was");
        });
    });

    // Before: with AWS's other documented setup, `"credsStore": "ecr-login"` (amazon-ecr-credential-helper's README), the
    // build failed at its login as with credHelpers: docker sends every host without a credHelpers entry to the credsStore,
    // whose store answers "not implemented" for any host (ecr-login/ecr.go Add).
    it("an ECR host under credsStore ecr-login is not logged in to; another host under it is refused, naming the helper to add", async function () {
        needsDockerClient(this);
        const bin = scratchDir("docker-credential-helper");
        fs.writeFileSync(path.join(bin, "docker-credential-ecr-login"), '#!/usr/bin/env bash\ncat > /dev/null\necho "not implemented"\nexit 1\n', { mode: 0o755 });
        const config = scratchDir("docker-config");
        const settings = JSON.stringify({ credsStore: "ecr-login" });
        fs.writeFileSync(path.join(config, "config.json"), settings);
        const env = clientEnv(config, bin);
        let asked = 0;
        const credentials = async () => (asked++, { user: "AWS", password: "ecr-token" });
        assert.deepStrictEqual(await dockerLogin("123456789012.dkr.ecr.ap-northeast-1.amazonaws.com", credentials, env), { helper: "ecr-login" });
        await dockerLogout("123456789012.dkr.ecr.ap-northeast-1.amazonaws.com", undefined, env);
        await assert.rejects(dockerLogin("asia-northeast1-docker.pkg.dev", credentials, env), {
            message: "the docker client's config sends asia-northeast1-docker.pkg.dev's login to docker-credential-ecr-login (its credsStore), which keeps no login and gives credentials for ECR registries only: give asia-northeast1-docker.pkg.dev its own credential helper (`gcloud auth configure-docker asia-northeast1-docker.pkg.dev` adds it to credHelpers) and build again",
        });
        assert.strictEqual(asked, 0, "no cloud token is fetched for a login that cannot be stored");
        assert.strictEqual(fs.readFileSync(path.join(config, "config.json"), "utf8"), settings, "the client's config is left as it was");
    });

    // docker logout hands a host with a credential helper to `docker-credential-<helper> erase` (docker/cli
    // cli/config/configfile/file.go, GetCredentialsStore): a helper that keeps logins (the desktop one, pass) would drop
    // the user's own. The tool logged nothing in there (dockerLogin), so it takes nothing out.
    it("dockerLogout leaves a credential helper's store alone: the helper is not asked to erase anything", async function () {
        needsDockerClient(this);
        const bin = scratchDir("docker-credential-helper");
        const erased = path.join(bin, "erased");
        fs.writeFileSync(path.join(bin, "docker-credential-keeper"), `#!/usr/bin/env bash\ncat > /dev/null\necho "$1" >> ${JSON.stringify(erased)}\n`, { mode: 0o755 });
        const config = scratchDir("docker-config");
        fs.writeFileSync(path.join(config, "config.json"), JSON.stringify({ credHelpers: { "registry.example": "keeper" } }));
        const env = clientEnv(config, bin);
        await dockerLogout("registry.example", undefined, env);
        assert.ok(!fs.existsSync(erased), `the helper was run: ${fs.existsSync(erased) ? fs.readFileSync(erased, "utf8") : ""}`);
    });

    // Before: `docker logout <host>` erases the host's logins under `<host>`, `http://<host>` and `https://<host>`
    // (docker/cli cli/command/registry/logout.go runLogout), so a user logged in as Artifact Registry documents it
    // (`docker login -u _json_key --password-stdin https://LOCATION-docker.pkg.dev`, kept under `https://<host>`) found
    // `{"auths": {}}` after the tool's push.
    it("the user's own logins to the host, under https://<host>, http://<host> and <host>, survive the tool's login and logout in the client's config", async function () {
        needsDockerClient(this);
        await withEcrLoginRegistry(async (host) => {
            const config = scratchDir("docker-config");
            const env = clientEnv(config);
            const auths = {
                [`https://${host}`]: { auth: Buffer.from("_json_key:{\"type\":\"service_account\"}").toString("base64") },
                [`http://${host}`]: { auth: Buffer.from("plain:http-login").toString("base64") },
                [host]: { auth: Buffer.from("oauth2accesstoken:users-own-token").toString("base64") },
                "other.example": { auth: Buffer.from("u:p").toString("base64") },
            };
            fs.writeFileSync(path.join(config, "config.json"), JSON.stringify({ auths }));
            await toolLoginAndLogout(host, env);
            const after = fs.readFileSync(path.join(config, "config.json"), "utf8");
            assert.deepStrictEqual(JSON.parse(after).auths, auths);
            assert.ok(!after.includes(Buffer.from("AWS:ecr-token").toString("base64")), "the tool's token is not left");
        });
    });

    it("the user's own logins to the host in the client's credsStore survive the tool's login and logout; the tool's token is not left", async function () {
        needsDockerClient(this);
        await withEcrLoginRegistry(async (host) => {
            const users = { [`https://${host}`]: { Username: "_json_key", Secret: "{\"type\":\"service_account\"}" }, [host]: { Username: "oauth2accesstoken", Secret: "users-own-token" } };
            const store = keepingCredentialHelper("keeper", users);
            const config = scratchDir("docker-config");
            // What `docker login https://<host>` leaves in the config beside the store's login (cli/config/credentials/native_store.go Store).
            const settings = { credsStore: "keeper", auths: { [`https://${host}`]: {}, [host]: {} } };
            fs.writeFileSync(path.join(config, "config.json"), JSON.stringify(settings));
            const env = clientEnv(config, store.bin);
            await toolLoginAndLogout(host, env);
            assert.deepStrictEqual(store.logins(), users);
            assert.deepStrictEqual(JSON.parse(fs.readFileSync(path.join(config, "config.json"), "utf8")), settings);
        });
    });

    it("a login of the user's that the logout erased and the store will not take back is reported, with how to log in again", async function () {
        needsDockerClient(this);
        await withEcrLoginRegistry(async (host) => {
            const store = keepingCredentialHelper("keeper", { [`https://${host}`]: { Username: "_json_key", Secret: "key" } }, "_json_key");
            const env = clientEnvWithKeeper(store);
            const loggedIn = await dockerLogin(host, async () => ({ user: "AWS", password: "ecr-token" }), env);
            await assert.rejects(dockerLogout(host, toolLoginOf(loggedIn), env), (err: Error) => {
                assert.ok(err instanceof UserLoginsLost, err.stack);
                assert.strictEqual(
                    err.message,
                    `your own logins to ${host} could not all be put back after the tool's push: https://${host} as _json_key in docker-credential-keeper: \`docker logout ${host}\` erased it and the store refused to put it back (docker-credential-keeper store failed (exit 1): The user name or passphrase you entered is not correct.): where one is gone, log in again with \`docker login https://${host}\``,
                );
                return true;
            });
            assert.deepStrictEqual(store.logins(), {}, "the tool's token is not left");
        });
    });

    // Before: `docker logout <host>` exits 0 with nothing on stderr though the store refused every erase (docker/cli
    // cli/command/registry/logout.go runLogout, 28.2.2: the host is listed twice, as given and as its hostname, and the
    // warning needs as many failures, kept in a map by address, as the list is long), so the tool's token stayed in the
    // user's credential store without a word.
    it("a logout whose store refused the erase in silence is caught: the tool's token still in the store is reported, with the store's own erase", async () => {
        const host = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com";
        const store = keepingCredentialHelper("keeper", {});
        const env = silentLogoutDocker(storingLogin("keeper"), { credsStore: "keeper" }, store.bin);
        await assert.rejects(toolLoginAndLogout(host, env), {
            message: `\`docker logout ${host}\` exited 0 but the tool's token is still stored for ${host} (docker does not say when an erase fails)`,
        });
        assert.strictEqual(
            loginLeftBehind(host, env),
            `the registry login stays in docker-credential-keeper, the credential store of the docker client's config (${path.join(env.DOCKER_CONFIG!, "config.json")}); run \`echo ${host} | docker-credential-keeper erase\``,
        );
    });

    it("the user's own login to the host, put back over the tool's after a silent logout, is not taken for the tool's", async () => {
        const host = "asia-northeast1-docker.pkg.dev";
        const users = { [host]: { Username: "oauth2accesstoken", Secret: "users-own-token" } };
        const store = keepingCredentialHelper("keeper", users);
        const env = silentLogoutDocker(storingLogin("keeper"), { credsStore: "keeper" }, store.bin);
        await dockerLogout(host, toolLoginOf(await dockerLogin(host, async () => ({ user: "oauth2accesstoken", password: "tool-token" }), env)), env);
        assert.deepStrictEqual(store.logins(), users);
    });

    it("a logout that left the tool's login in the client's config file in silence is caught", async () => {
        const host = "registry.example";
        // What docker login writes without a credential store (cli/config/configfile/file.go encodeAuth: base64 of user:password).
        const written = JSON.stringify({ auths: { [host]: { auth: Buffer.from("AWS:ecr-token").toString("base64") } } });
        const env = silentLogoutDocker(`cat > /dev/null; echo '${written}' > "$DOCKER_CONFIG/config.json"`);
        await assert.rejects(toolLoginAndLogout(host, env), {
            message: `\`docker logout ${host}\` exited 0 but the tool's token is still stored for ${host} (docker does not say when an erase fails)`,
        });
    });

    it("the real client's logout exits 0 and says nothing when its store refuses the erase; dockerLogout reports the token left", async function () {
        needsDockerClient(this);
        await withEcrLoginRegistry(async (host) => {
            const store = keepingCredentialHelper("keeper", {}, undefined, LOCKED_KEYCHAIN);
            const env = clientEnvWithKeeper(store);
            await assert.rejects(toolLoginAndLogout(host, env), { message: `\`docker logout ${host}\` exited 0 but the tool's token is still stored for ${host} (docker does not say when an erase fails)` });
            assert.deepStrictEqual(store.logins(), { [host]: { Username: "AWS", Secret: "ecr-token" } });
            const again = spawnSync("docker", ["logout", host], { env, encoding: "utf8" });
            assert.deepStrictEqual({ status: again.status, stderr: again.stderr }, { status: 0, stderr: "" }, "silentLogoutDocker answers as this client does");
        });
    });

    // Before: a store that refused the logout's erase and then the put-back was reported as "docker logout <host> erased
    // your own login", though docker/cli's nativeStore.Erase (cli/config/credentials/native_store.go) stops at the
    // helper's refusal, so the login was still there; and the tool's token left in the store went unreported.
    it("a store that refused both the logout's erase and the put-back still holds the user's own login: it is not reported lost, the tool's token left is", async function () {
        needsDockerClient(this);
        await withEcrLoginRegistry(async (host) => {
            const users = { [`https://${host}`]: { Username: "_json_key", Secret: "key" } };
            const store = keepingCredentialHelper("keeper", users, "_json_key", LOCKED_KEYCHAIN);
            const env = clientEnvWithKeeper(store);
            await assert.rejects(toolLoginAndLogout(host, env), (err: Error) => {
                assert.ok(!(err instanceof UserLoginsLost) && !(err instanceof AggregateError), err.stack);
                assert.strictEqual(err.message, `\`docker logout ${host}\` exited 0 but the tool's token is still stored for ${host} (docker does not say when an erase fails)`);
                return true;
            });
            assert.deepStrictEqual(store.logins(), { ...users, [host]: { Username: "AWS", Secret: "ecr-token" } });
        });
    });

    it("a store that locks between the tool's login and logout: the user's login the tool's replaced is lost, the one the logout may not have erased is said to be unknown, and the token check is reported too", async function () {
        needsDockerClient(this);
        await withEcrLoginRegistry(async (host) => {
            const users = { [`https://${host}`]: { Username: "_json_key", Secret: "key" }, [host]: { Username: "oauth2accesstoken", Secret: "users-own-token" } };
            const store = keepingCredentialHelper("keeper", users);
            const env = clientEnvWithKeeper(store);
            const loggedIn = await dockerLogin(host, async () => ({ user: "AWS", password: "ecr-token" }), env);
            store.lock(LOCKED_KEYCHAIN);
            const refused = `docker-credential-keeper store failed (exit 1): ${LOCKED_KEYCHAIN}`;
            await assert.rejects(dockerLogout(host, toolLoginOf(loggedIn), env), (err: Error) => {
                assert.ok(err instanceof AggregateError, err.stack);
                assert.ok(err.errors[0] instanceof UserLoginsLost, err.errors[0].stack);
                assert.deepStrictEqual(
                    err.errors.map((e: Error) => e.message),
                    [
                        `your own logins to ${host} could not all be put back after the tool's push: ` +
                            `${host} as oauth2accesstoken in docker-credential-keeper: the tool's login took its place (docker login keeps a login under the bare host) and the store refused to put it back (${refused}); ` +
                            `https://${host} as _json_key in docker-credential-keeper: the store refused to put it back (${refused}) and to read it (docker-credential-keeper get failed (exit 1): ${LOCKED_KEYCHAIN}); it is still there if the store refused \`docker logout ${host}\`'s erase too, which docker does not report (\`echo https://${host} | docker-credential-keeper get\` shows whether it is, once the store answers): ` +
                            `where one is gone, log in again with \`docker login ${host}\`, \`docker login https://${host}\``,
                        `docker-credential-keeper get failed (exit 1): ${LOCKED_KEYCHAIN}: whether \`docker logout ${host}\` erased the tool's token cannot be read`,
                    ],
                );
                return true;
            });
        });
    });

    it("a login of the user's the store cannot read is not risked: the tool does not log in, and says why", async () => {
        const bin = scratchDir("docker-credential-helper");
        // A store that cannot answer (these words are the stand-in's own): docker-credential-helpers client/client.go Get
        // takes any answer but "credentials not found in native keychain" as a failure.
        fs.writeFileSync(path.join(bin, "docker-credential-locked"), '#!/usr/bin/env bash\ncat > /dev/null\necho "gpg: decryption failed: No secret key"\nexit 1\n', { mode: 0o755 });
        const config = scratchDir("docker-config");
        fs.writeFileSync(path.join(config, "config.json"), JSON.stringify({ credsStore: "locked" }));
        const env = dockerStandIn("exit 0");
        let asked = 0;
        await assert.rejects(dockerLogin("registry.example", async () => (asked++, { user: "u", password: "p" }), { ...env, PATH: `${bin}:${env.PATH}`, HOME: config, DOCKER_CONFIG: config }), {
            message: "docker-credential-locked get failed (exit 1): gpg: decryption failed: No secret key: your own login to registry.example, which `docker logout registry.example` erases, cannot be read to be put back after the push, so the tool does not log in",
        });
        assert.strictEqual(asked, 0);
    });

    // Before: a helper whose `get` exits 0 with something other than the credentials' JSON threw JSON.parse's bare
    // SyntaxError, naming neither the helper nor the key nor what to do.
    it("a store answer docker cannot read is not risked: the tool does not log in, and names the helper, the key, what it printed and what to check", async () => {
        const host = "registry.example";
        const store = keepingCredentialHelper("keeper", { [host]: { Username: "oauth2accesstoken", Secret: "users-own-token" } });
        bannerWrapper(store, "wrapped", "Unlocking the password store with gpg-agent");
        const env = silentLogoutDocker("exit 0", { credsStore: "wrapped" }, store.bin);
        let asked = 0;
        await assert.rejects(dockerLogin(host, async () => (asked++, { user: "u", password: "p" }), env), {
            message:
                unreadableAnswer("wrapped", host, 'what is not a JSON object: "Unlocking the password store with gpg-agent"') +
                `: your own login to ${host}, which \`docker logout ${host}\` erases, cannot be read to be put back after the push, so the tool does not log in`,
        });
        assert.strictEqual(asked, 0);
    });

    // Before: a read-back the tool could not parse threw out of the put-back, so the user's logins after it were not put
    // back. The first login is kept behind a wrapper that began printing a banner after the tool read it (the saved
    // logins are written here as saveUserLogins would have read them), the second in the store itself.
    it("a refused put-back whose read-back cannot be read is reported as unknown, and the user's other logins are still put back", async () => {
        const host = "asia-northeast1-docker.pkg.dev";
        const users = { [`https://${host}`]: { Username: "_json_key", Secret: "key" } };
        const store = keepingCredentialHelper("keeper", users, "_json_key");
        bannerWrapper(store, "wrapped", "Unlocking the password store with gpg-agent");
        const env = { ...process.env, PATH: `${store.bin}:${process.env.PATH}` };
        const saved = {
            auths: {},
            stored: [
                { helper: "wrapped", credentials: { ServerURL: `https://${host}`, ...users[`https://${host}`] } },
                { helper: "keeper", credentials: { ServerURL: host, Username: "oauth2accesstoken", Secret: "users-own-token" } },
            ],
        };
        const refused = "docker-credential-wrapped store failed (exit 1): Unlocking the password store with gpg-agent\nThe user name or passphrase you entered is not correct.";
        const unread = unreadableAnswer("wrapped", `https://${host}`, 'what is not a JSON object: "Unlocking the password store with gpg-agent"');
        await assert.rejects(restoreUserLogins(host, saved, env), (err: Error) => {
            assert.ok(err instanceof UserLoginsLost, err.stack);
            assert.strictEqual(
                err.message,
                    `your own logins to ${host} could not all be put back after the tool's push: https://${host} as _json_key in docker-credential-wrapped: the store refused to put it back (${refused}) and to read it (${unread}); ` +
                    `it is still there if the store refused \`docker logout ${host}\`'s erase too, which docker does not report (\`echo https://${host} | docker-credential-wrapped get\` shows whether it is, once the store answers): ` +
                    `where one is gone, log in again with \`docker login https://${host}\``,
            );
            return true;
        });
        assert.deepStrictEqual(store.logins(), { ...users, [host]: { Username: "oauth2accesstoken", Secret: "users-own-token" } });
    });

    // gcloud's and ECR's logins share one user name (oauth2accesstoken, _json_key, AWS): only the secret tells them apart.
    it("a refused put-back whose key now holds the same user name with another secret is reported lost", async () => {
        const host = "asia-northeast1-docker.pkg.dev";
        const store = keepingCredentialHelper("keeper", { [`https://${host}`]: { Username: "_json_key", Secret: "another-key" } }, "_json_key");
        const env = { ...process.env, PATH: `${store.bin}:${process.env.PATH}` };
        const saved = { auths: {}, stored: [{ helper: "keeper", credentials: { ServerURL: `https://${host}`, Username: "_json_key", Secret: "users-own-key" } }] };
        await assert.rejects(restoreUserLogins(host, saved, env), (err: Error) => {
            assert.ok(err instanceof UserLoginsLost, err.stack);
            assert.match(err.message, new RegExp(`https://${host} as _json_key in docker-credential-keeper: \`docker logout ${host}\` erased it and the store refused to put it back`));
            return true;
        });
    });

    // docker 28.2.2's `docker login <host>` with a credsStore whose `get` printed JSON then "Goodbye", or lower-case field
    // names, authenticated with the stored username (tried here); Go's json.Decoder reads the first value and folds case.
    it("a store answer is read as docker reads it: the first JSON value, field names in any case, a missing field empty, none at all no login", () => {
        const key = "https://registry.example";
        assert.deepStrictEqual(parseStoredCredentials('{"ServerURL":"registry.example","Username":"u","Secret":"s"}\nGoodbye\n', "keeper", key), {
            ServerURL: key,
            Username: "u",
            Secret: "s",
        });
        assert.deepStrictEqual(parseStoredCredentials('{"username":"u","SECRET":"s {}"}', "keeper", key), { ServerURL: key, Username: "u", Secret: "s {}" });
        assert.deepStrictEqual(parseStoredCredentials('{"Username":"<token>"}', "keeper", key), { ServerURL: key, Username: "<token>", Secret: "" });
        // Go's decoder skips white space before the value and reads a string's escapes (a secret may hold `\"}`).
        assert.deepStrictEqual(parseStoredCredentials('\n  {"Username":"u","Secret":"s\\"}"}', "keeper", key), { ServerURL: key, Username: "u", Secret: 's"}' });
        assert.strictEqual(parseStoredCredentials('{"ServerURL":"registry.example","Username":null}', "keeper", key), undefined);
        assert.throws(() => parseStoredCredentials("", "keeper", key), { message: unreadableAnswer("keeper", key, "nothing") });
        // JSON that docker cannot read may still hold the secret: it is described, not quoted.
        assert.throws(() => parseStoredCredentials('{"Username":"u","Secret":"users-own-', "keeper", key), {
            message: unreadableAnswer("keeper", key, "JSON that is not a whole object (not quoted: it may hold the secret)"),
        });
        assert.throws(() => parseStoredCredentials('{"Username":"u","Secret":["users-own-token"]}', "keeper", key), {
            message: unreadableAnswer("keeper", key, "JSON whose Secret is not a string (not quoted: it may hold the secret)"),
        });
        assert.throws(() => parseStoredCredentials(`${"=".repeat(150)}{"Secret":"users-own-token"}`, "keeper", key), {
            message: unreadableAnswer("keeper", key, `what is not a JSON object: "${"=".repeat(100)}…"`),
        });
        assert.throws(() => parseStoredCredentials(`${"=".repeat(100)}\n`, "keeper", key), { message: unreadableAnswer("keeper", key, `what is not a JSON object: "${"=".repeat(100)}"`) });
        // A banner on the JSON's own line is quoted up to the JSON, which may hold the secret.
        assert.throws(() => parseStoredCredentials('Unlocking: {"Username":"u","Secret":"users-own-token"}', "keeper", key), {
            message: unreadableAnswer("keeper", key, 'what is not a JSON object: "Unlocking: "'),
        });
    });

    it("the client's config is read where Docker's client keeps it: under USERPROFILE on Windows, whatever HOME says, and HOME elsewhere", () => {
        const withConfig = (credsStore: string) => {
            const home = scratchDir("home");
            fs.mkdirSync(path.join(home, ".docker"));
            fs.writeFileSync(path.join(home, ".docker", "config.json"), JSON.stringify({ credsStore }));
            return home;
        };
        // Docker Desktop's Windows client: credsStore desktop under %USERPROFILE%\.docker; a HOME set by Git Bash or a login script elsewhere.
        const env = { USERPROFILE: withConfig("desktop"), HOME: withConfig("pass") };
        assert.deepStrictEqual(readDockerConfig(env, "win32"), { credsStore: "desktop" });
        assert.deepStrictEqual(readDockerConfig(env, "linux"), { credsStore: "pass" });
        assert.deepStrictEqual(readDockerConfig({ ...env, DOCKER_CONFIG: path.join(env.HOME, ".docker") }, "win32"), { credsStore: "pass" }, "DOCKER_CONFIG wins everywhere");
    });

    // Before: the advice was `docker logout <host>`, which erases the user's own logins under https://<host> and
    // http://<host> too (docker/cli logout.go runLogout), the ones the tool had just put back; the tool's login is the
    // bare-host key alone (login.go stores under credentials.ConvertToHostname).
    it("a logout that failed names the config file the login stays in, where this machine's client keeps it, and the one entry to delete", () => {
        const env = { USERPROFILE: "C:\\Users\\dev", HOME: "/home/dev" };
        assert.strictEqual(
            loginLeftBehind("registry.example", env, "win32"),
            `the registry login stays in the docker client's config (${path.join("C:\\Users\\dev", ".docker", "config.json")}); delete the "registry.example" entry of its "auths" by hand (\`docker logout registry.example\` would also erase your own logins under https://registry.example and http://registry.example)`,
        );
        assert.match(loginLeftBehind("registry.example", env, "linux"), /\(\/home\/dev\/\.docker\/config\.json\)/);
        assert.match(loginLeftBehind("registry.example", { ...env, DOCKER_CONFIG: "/etc/ci/docker" }, "win32"), /\(\/etc\/ci\/docker\/config\.json\)/, "DOCKER_CONFIG wins everywhere");
    });

    it("buildx is there when `docker buildx version` exits 0, and not when the client answers unknown command", async () => {
        assert.strictEqual(await dockerBuildxAvailable(dockerStandIn('[ "$1 $2" = "buildx version" ] && echo "github.com/docker/buildx v0.29.1 a1b2c3d"')), true);
        assert.strictEqual(await dockerBuildxAvailable(dockerStandIn("echo 'docker: unknown command: docker buildx' >&2; exit 1")), false);
    });
});
