import * as assert from "assert";
import * as grpc from "@grpc/grpc-js";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { projectWay, runUnderPulumiRuntime } from "../../scripts/offline/pulumiRuntime";
import { sdkIdentity } from "../../components/aws/sdkIdentity";
import { checkMaxInstances } from "../../components/gcp/cloudRunQuota";
import { FAKE_ACCOUNT_ID } from "../../scripts/offline/fakeIds";
import { cloudApiEnvironment, serveCloudApis } from "../../scripts/offline/cloudApiServer";
import { changeProcessEnvironment, mergedEnvironment, withProcessEnvironment } from "../../scripts/offline/environment";
import { mockCloudFor } from "../../scripts/offline/mockCloud";
import { InvokeCommand } from "@aws-sdk/client-lambda";
import { probeLambdaClient } from "../../release/probe/lambdaTransport";
import { ConnectProxy, startConnectProxy } from "../harness/connectProxy";
import { skipWithoutGlobalProxy } from "../harness/nodeProxySupport";
import { NO_PROXY_VARIABLES } from "../harness/noProxyVariables";
import { asRunJsStartsIt, inFreshNode } from "../harness/freshNode";
import { defaultProvider } from "@aws-sdk/credential-provider-node";
import { boundedAttempt, credentialsAsTheProvider } from "../../components/aws/awsClient";
import { scratchDir } from "../harness/tempDirs";
import { PROJECT_ROOT } from "../../config/stackFile";
import { ssoProfileHome } from "../harness/ssoProfile";
import { loginProfileHome } from "../harness/loginProfile";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const googleApisRedirect = require("../../scripts/offline/googleApisRedirect.js") as typeof import("../../scripts/offline/googleApisRedirect");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { proxyEnvironment, useProxyFromEnvironment } = require("../../loader/proxyFromEnvironment.js") as typeof import("../../loader/proxyFromEnvironment");
/** What the program adds to every no-proxy list: loopback, EC2's metadata service and ECS's credentials endpoint. */
const ALWAYS_DIRECT = "localhost,127.0.0.1,::1,169.254.169.254,fd00:ec2::254,169.254.170.2";

/**
 * Behind a proxy that is the only way out (HTTPS_PROXY / HTTP_PROXY), the program's own reads before anything is
 * registered went direct: Node's fetch and the AWS SDK's agents read no proxy variable, so STS, ECR, Lambda, KMS,
 * Google's APIs and the registries failed (a name that does not resolve) or waited out CALL_ATTEMPT per attempt, while
 * the CLI and the providers went through it. Here the stand-in clouds are reached at a name that resolves nowhere
 * (`.invalid`), through a loopback proxy that alone reaches them; the entries (program.js and the others) call
 * useProxyFromEnvironment as this does.
 */
describe("the program's own calls go through the proxy the environment names", function () {
    this.timeout(20_000);
    let proxy: ConnectProxy;
    let direct: string;
    let behindProxy: string;
    let restoreEnvironment: () => void;
    let restoreProxy: () => void;
    const realFetch = globalThis.fetch;

    before(async function () {
        skipWithoutGlobalProxy(this);
        proxy = await startConnectProxy();
        const cloud = mockCloudFor({});
        cloud.artifactRegistry.enabledApis.add("offline-project/cloudquotas.googleapis.com");
        direct = await serveCloudApis(cloud);
        behindProxy = direct.replace("127.0.0.1", "cloud-apis.behind-proxy.invalid");
        restoreEnvironment = changeProcessEnvironment({
            ...cloudApiEnvironment(behindProxy, { preload: false }),
            ...NO_PROXY_VARIABLES,
            HTTPS_PROXY: proxy.url,
            HTTP_PROXY: proxy.url,
            AWS_EC2_METADATA_DISABLED: "true",
        });
        googleApisRedirect.install(behindProxy);
        restoreProxy = useProxyFromEnvironment();
    });
    after(async () => {
        restoreProxy?.();
        restoreEnvironment?.();
        globalThis.fetch = realFetch;
        await proxy?.stop();
    });
    beforeEach(() => void proxy.passed.splice(0));
    const quotaRequest = { project: "offline-project", region: "asia-northeast1", maxInstances: 1, cpu: "1", memory: "512Mi" };
    /** NO_PROXY's own .corp.example, then what the program adds (ALWAYS_DIRECT). */
    const CORP_AND_DIRECT = `.corp.example,${ALWAYS_DIRECT}`;
    const seenByProxy = () => `the proxy saw: ${proxy.passed.join(", ") || "nothing"}`;

    it("the AWS SDK's clients: STS GetCallerIdentity answered through it", async () => {
        const identity = await sdkIdentity("ap-northeast-1");
        assert.strictEqual(identity.account, FAKE_ACCOUNT_ID);
        assert.deepStrictEqual(proxy.passed, [`POST ${behindProxy}/`]);
    });

    it("the AWS SDK's clients at AWS's own https endpoint: tunnelled with CONNECT", async () => {
        // The proxy's tunnel leads to loopback's port 443, where nothing listens: no answer, but the route is shown.
        await withProcessEnvironment({ AWS_ENDPOINT_URL_STS: undefined }, () => assert.rejects(sdkIdentity("eu-west-3")));
        assert.ok(proxy.passed.includes("CONNECT sts.eu-west-3.amazonaws.com:443"), seenByProxy());
    });

    it("an SSO profile's credentials (the SDK's own SSO client, GetRoleCredentials): tunnelled with CONNECT", async () => {
        // The tunnel leads to loopback's port 443, where nothing listens: no credentials, but the route is shown.
        await withProcessEnvironment(ssoProfileHome(scratchDir("sso-home"), { profile: "deployer", ssoRegion: "eu-north-1" }), () =>
            assert.rejects(sdkIdentity("ap-southeast-2"), /CredentialsProviderError/),
        );
        assert.ok(proxy.passed.includes("CONNECT portal.sso.eu-north-1.amazonaws.com:443"), seenByProxy());
    });

    it("a login_session profile's refresh (the SDK's own Signin client, CreateOAuth2Token): tunnelled with CONNECT", async () => {
        // @aws-sdk/credential-provider-login LoginCredentialsFetcher.refresh makes its SigninClient with the asking
        // client's requestHandler (callerClientConfig's), then init.clientConfig's (credentialsThroughProxy's: the same one).
        // The tunnel leads to loopback's port 443, where nothing listens: the SDK keeps the unexpired session and STS answers.
        const identity = await withProcessEnvironment(loginProfileHome(scratchDir("login-home"), { profile: "deployer", region: "eu-south-1" }), () => sdkIdentity("ap-southeast-3"));
        assert.strictEqual(identity.account, FAKE_ACCOUNT_ID);
        assert.ok(proxy.passed.includes("CONNECT eu-south-1.signin.aws.amazon.com:443"), seenByProxy());
    });

    // EKS Pod Identity's agent, the hosts @aws-sdk/credential-provider-http's checkUrl lets through in plain http
    // (EKS_CONTAINER_HOST_IPv4, EKS_CONTAINER_HOST_IPv6): fromHttp asks it with an agent of its own, made without
    // proxyEnv (NodeHttpHandler.create), and @smithy/credential-provider-imds fromContainerMetadata, next in the chain,
    // refuses any FULL_URI host but localhost and 127.0.0.1 before asking. Whatever answers there (off EKS, nothing), the route is shown.
    for (const fullUri of ["http://169.254.170.23/v1/credentials", "http://[fd00:ec2::23]/v1/credentials"]) {
        it(`EKS Pod Identity's credentials (${fullUri}) are never sent to it: no proxy can reach a node's link-local agent`, async () => {
            const home = scratchDir("pod-identity");
            const tokenFile = path.join(home, "token");
            fs.writeFileSync(tokenFile, "eks-pod-identity-token");
            // Only the pod's variables: no profile, keys or web identity before the container provider in the chain.
            const pod = {
                AWS_CONTAINER_CREDENTIALS_FULL_URI: fullUri,
                AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: tokenFile,
                AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
                HOME: home,
                AWS_PROFILE: undefined,
                AWS_CONFIG_FILE: undefined,
                AWS_SHARED_CREDENTIALS_FILE: undefined,
                AWS_ACCESS_KEY_ID: undefined,
                AWS_SECRET_ACCESS_KEY: undefined,
                AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
            };
            // The chain every client of the program gets behind a proxy, with one short attempt (fromHttp's own options).
            await withProcessEnvironment(pod, () =>
                assert.rejects(credentialsAsTheProvider().credentialDefaultProvider!({ timeout: 300, maxRetries: 0 })(), /CredentialsProviderError|not a valid container metadata service hostname/),
            );
            assert.deepStrictEqual(proxy.passed, []);
        });
    }

    it("the release's Lambda probe with an SSO profile's credentials: SSO's GetRoleCredentials tunnelled with CONNECT", async () => {
        const restore = changeProcessEnvironment(ssoProfileHome(scratchDir("sso-home"), { profile: "releaser", ssoRegion: "sa-east-1" }));
        const client = await probeLambdaClient({ region: "ap-northeast-1" });
        try {
            await assert.rejects(client.send(new InvokeCommand({ FunctionName: "api", Qualifier: "live" })), /CredentialsProviderError/);
        } finally {
            client.destroy();
            restore();
        }
        assert.ok(proxy.passed.includes("CONNECT portal.sso.sa-east-1.amazonaws.com:443"), seenByProxy());
    });

    it("with no proxy variable set, the clients keep the SDK's own credential chain, as before", async () => {
        const restore = changeProcessEnvironment({ HTTPS_PROXY: undefined, HTTP_PROXY: undefined });
        const { STSClient } = await import("@aws-sdk/client-sts");
        const clients = [new STSClient({ region: "ap-northeast-1", ...boundedAttempt() }), await probeLambdaClient({ region: "ap-northeast-1" })];
        try {
            for (const client of clients) assert.strictEqual(client.config.credentialDefaultProvider, defaultProvider, client.constructor.name);
        } finally {
            clients.forEach((client) => client.destroy());
            restore();
        }
    });

    it("fetch (Google's APIs, the registries): Cloud Quotas answered through it", async () => {
        assert.strictEqual(await checkMaxInstances(quotaRequest, "ya29.deployer-access-token", { once: true }), 1);
        assert.strictEqual(proxy.passed.length, 2, seenByProxy());
        // The stand-in answers plain http, which Node 24's fetch (undici 7) tunnels with CONNECT and Node 26's (undici 8.7
        // on: lib/dispatcher/proxy-agent.js, shouldProxyTunnel) sends to the proxy in absolute form; https is tunnelled by both.
        const reachedThroughProxy = /^(CONNECT cloud-apis\.behind-proxy\.invalid:\d+|GET http:\/\/cloud-apis\.behind-proxy\.invalid:\d+\/)/;
        assert.ok(proxy.passed.every((line) => reachedThroughProxy.test(line)), seenByProxy());
    });

    it("loopback stays direct, as the CLI's Go client keeps it (the offline runs' stand-ins)", async () => {
        await withProcessEnvironment({ AWS_ENDPOINT_URL_STS: direct }, async () => {
            assert.strictEqual((await sdkIdentity("ca-central-1")).account, FAKE_ACCOUNT_ID);
            const answer = await fetch(`${direct}/google/cloudquotas.googleapis.com/v1/projects/offline-project/locations/global/services/run.googleapis.com/quotaInfos/CpuAllocPerProjectRegion`);
            assert.strictEqual(answer.status, 200);
        });
        assert.deepStrictEqual(proxy.passed, []);
    });

    it("EC2's instance metadata service and ECS's container credentials are never sent to it: no proxy can reach a link-local address", () => {
        const noProxy = proxyEnvironment({ HTTPS_PROXY: proxy.url, NO_PROXY: ".corp.example" }).NO_PROXY?.split(",");
        assert.deepStrictEqual(noProxy, CORP_AND_DIRECT.split(","));
    });

    it("an empty no_proxy leaves NO_PROXY's hosts direct, as Go and Node skip an empty variable", () => {
        // golang.org/x/net/http/httpproxy getEnvAny and Node's lib/internal/http.js (`env.no_proxy || env.NO_PROXY`).
        const env = proxyEnvironment({ HTTPS_PROXY: proxy.url, no_proxy: "", NO_PROXY: ".corp.example" });
        assert.strictEqual(env.no_proxy, CORP_AND_DIRECT);
    });

    it("a lowercase no_proxy, which Node reads first, carries loopback and the metadata service too", () => {
        const env = proxyEnvironment({ https_proxy: proxy.url, no_proxy: ".corp.example" });
        assert.deepStrictEqual({ no_proxy: env.no_proxy, NO_PROXY: env.NO_PROXY }, { no_proxy: CORP_AND_DIRECT, NO_PROXY: CORP_AND_DIRECT });
    });

    it("the release's Lambda probe client (its own agents): Invoke sent through it", async () => {
        const client = await probeLambdaClient({ region: "ap-northeast-1", endpoint: behindProxy, credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" } });
        try {
            // Whatever the stand-in answers for an unknown function, the route is what is shown.
            await client.send(new InvokeCommand({ FunctionName: "api", Qualifier: "live", Payload: new TextEncoder().encode("{}") })).catch(() => undefined);
        } finally {
            client.destroy();
        }
        assert.ok(proxy.passed.some((line) => line.startsWith(`POST ${behindProxy}/2015-03-31/functions/api/invocations`)), seenByProxy());
    });

    it("every entry hands Node the proxy before the program runs: program.js, deployments/program.js, the plugin, scripts/build/run.js", () => {
        // Each entry's bundle is replaced by a module already loaded, so only what the entry itself does runs; then a
        // fetch to a name that resolves nowhere shows the route: through the proxy (nothing listens at its port:
        // ECONNREFUSED), or direct (ENOTFOUND).
        const entries = {
            "program.js": `require("./program.js")`,
            "deployments/program.js": `require("./deployments/program.js")`,
            "multicloud/index.js": `try { require("./multicloud/index.js")(); } catch {}`,
            "scripts/build/run.js": `process.argv = [process.argv[0], "scripts/build/run.js", "scripts/plan/main.ts"]; require("./scripts/build/run.js")`,
        };
        const routes = Object.entries(entries).map(([entry, start]) => {
            const out = inFreshNode(
                `require("./loader/bundle").ensureBundle = () => ({ outfile: require.resolve("./loader/bundle") });
                 ${start};
                 fetch("https://cloud-apis.behind-proxy.invalid/").catch((e) => console.log(JSON.stringify(e.cause?.code)));`,
                { HTTPS_PROXY: "http://127.0.0.1:1", https_proxy: "", NO_PROXY: "", no_proxy: "" },
            );
            return `${entry}: ${out}`;
        });
        assert.deepStrictEqual(routes, Object.keys(entries).map((entry) => `${entry}: ECONNREFUSED`));
    });

    it("NO_PROXY's hosts go direct (here a name that resolves nowhere), the proxy seeing none of them", async () => {
        const restore = changeProcessEnvironment({ NO_PROXY: ".behind-proxy.invalid" });
        const undo = useProxyFromEnvironment();
        try {
            await assert.rejects(sdkIdentity("us-west-2"), /ENOTFOUND cloud-apis\.behind-proxy\.invalid/);
            await assert.rejects(checkMaxInstances(quotaRequest, "ya29.deployer-access-token", { once: true }), /ENOTFOUND cloud-apis\.behind-proxy\.invalid/);
        } finally {
            undo();
            restore();
        }
        assert.deepStrictEqual(proxy.passed, []);
    });
});

describe("which variables name a proxy", () => {
    // Go's ProxyFromEnvironment and Node's own (lib/internal/http.js, parseProxyConfigFromEnv) read both spellings.
    for (const name of ["https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY"]) {
        it(`${name} alone hands Node the proxy setting`, () => {
            const handed: NodeJS.ProcessEnv[] = [];
            useProxyFromEnvironment({ [name]: "http://proxy.corp.example:3128" }, { setGlobalProxyFromEnv: (env) => (handed.push(env), () => undefined) });
            assert.strictEqual(handed.length, 1, `${name} set, and Node was not told`);
            assert.strictEqual(handed[0][name], "http://proxy.corp.example:3128");
        });
    }
});

describe("on a Node without http.setGlobalProxyFromEnv (before 24.14 and 25.4)", () => {
    const said: string[] = [];
    const write = process.stderr.write;
    beforeEach(() => void (said.splice(0), (process.stderr.write = ((text: string) => (said.push(text), true)) as typeof process.stderr.write)));
    afterEach(() => void (process.stderr.write = write));

    it("a proxy variable set: it says fetch goes direct, and what to run instead", () => {
        useProxyFromEnvironment({ HTTPS_PROXY: "http://proxy.corp.example:3128" }, {}, "24.13.0");
        assert.strictEqual(said.length, 1);
        assert.match(said[0], /^HTTPS_PROXY is set, but Node v24\.13\.0 sends this program's own fetch calls .* direct, past the proxy: run it on Node 24\.14 or later \(25\.4 or later on Node 25\), or start it with NODE_USE_ENV_PROXY=1/);
    });

    it("a Node 22 before 22.21, which has no proxy support of its own: it says every call goes direct, NODE_USE_ENV_PROXY=1 or not", () => {
        for (const start of [{}, { NODE_USE_ENV_PROXY: "1" }]) useProxyFromEnvironment({ HTTPS_PROXY: "http://proxy.corp.example:3128", ...start }, {}, "22.20.0");
        assert.strictEqual(said.length, 2, said.join(""));
        for (const line of said) {
            assert.match(line, /^HTTPS_PROXY is set, but Node v22\.20\.0 sends this program's own calls \(AWS's APIs, Google's APIs, the registries\) direct, past the proxy, whatever NODE_USE_ENV_PROXY says: .*, or on 22\.21 or later \(24\.5 or later on Node 24\) started with NODE_USE_ENV_PROXY=1\n$/);
        }
    });

    it("a Node 24 before 24.5, whose fetch alone follows NODE_USE_ENV_PROXY: it says AWS's calls go direct, NODE_USE_ENV_PROXY=1 or not", () => {
        // Run on the real 24.0.0 and 24.4.0 binaries: with NODE_USE_ENV_PROXY=1, fetch went through a CONNECT proxy, and an
        // https.Agent given proxyEnv (as the AWS SDK's, components/aws/awsClient.ts) went direct; 24.5.0 sent both through it.
        for (const start of [{}, { NODE_USE_ENV_PROXY: "1" }]) useProxyFromEnvironment({ HTTPS_PROXY: "http://proxy.corp.example:3128", ...start }, {}, "24.4.0");
        assert.strictEqual(said.length, 2, said.join(""));
        for (const line of said) {
            assert.match(line, /^HTTPS_PROXY is set, but Node v24\.4\.0 sends this program's own calls to AWS's APIs direct, past the proxy, whatever NODE_USE_ENV_PROXY says, .*: run it on Node 24\.14 or later \(25\.4 or later on Node 25\), or on 24\.5 or later started with NODE_USE_ENV_PROXY=1\n$/);
        }
    });

    it("`npm run plan` (the tool's entry, then program.js, each set the proxy up in one process): said once", function () {
        this.timeout(60_000);
        // A Node 24.13 in all but its binary: its version, and no http.setGlobalProxyFromEnv.
        const onNode2413 = `Object.defineProperty(process.versions, "node", { value: "24.13.0" });
            delete require("http").setGlobalProxyFromEnv;
            process.argv = [process.execPath, "scripts/build/run.js", "scripts/plan/main.ts", "dev"];
            require("./scripts/build/run.js");`;
        const plan = spawnSync(process.execPath, ["-e", onNode2413], {
            cwd: PROJECT_ROOT,
            encoding: "utf8",
            maxBuffer: 64 * 1024 * 1024,
            env: mergedEnvironment(process.env, { ...NO_PROXY_VARIABLES, HTTPS_PROXY: "http://127.0.0.1:9" }),
        });
        assert.strictEqual(plan.status, 0, plan.stderr);
        assert.strictEqual(plan.stderr.match(/^HTTPS_PROXY is set, but Node v24\.13\.0 /gm)?.length, 1, plan.stderr);
    });

    // Each of the three warnings, one Node version apiece: 22.20 (no proxy support), 24.4 (fetch's alone), 24.13 (not from the environment).
    it("set up twice from one environment (a tool's entry, then the program it runs): each warning said once", () => {
        for (const version of ["22.20.0", "24.4.0", "24.13.0"]) {
            const env: NodeJS.ProcessEnv = { HTTPS_PROXY: "http://proxy.corp.example:3128" };
            for (const _entry of ["scripts/build/run.js", "program.js"]) useProxyFromEnvironment(env, {}, version);
        }
        assert.deepStrictEqual(said.map((line) => line.match(/^HTTPS_PROXY is set, but Node v(\S+) /)?.[1]), ["22.20.0", "24.4.0", "24.13.0"], said.join(""));
    });

    it("gRPC's variables are set all the same: grpc-js reads them itself, on any Node", () => {
        const env: NodeJS.ProcessEnv = { https_proxy: "http://proxy.corp.example:3128" };
        const restore = useProxyFromEnvironment(env, {});
        assert.deepStrictEqual(
            { grpc_proxy: env.grpc_proxy, no_grpc_proxy: env.no_grpc_proxy },
            { grpc_proxy: "http://proxy.corp.example:3128", no_grpc_proxy: ALWAYS_DIRECT },
        );
        restore();
        assert.deepStrictEqual(env, { https_proxy: "http://proxy.corp.example:3128" });
    });

    // The first release of each line whose fetch and agents both follow it: 22.21, 24.5, and any 25 (before 25.4, which
    // has http.setGlobalProxyFromEnv).
    it("NODE_USE_ENV_PROXY=1 at start (Node's own fetch support), or no proxy variable: nothing to say", () => {
        for (const version of ["22.21.0", "24.5.0", "25.0.0"]) useProxyFromEnvironment({ HTTPS_PROXY: "http://proxy.corp.example:3128", NODE_USE_ENV_PROXY: "1" }, {}, version);
        useProxyFromEnvironment({}, {});
        assert.deepStrictEqual(said, []);
    });

    it("--use-env-proxy at start, in NODE_OPTIONS or on the command line: nothing to say", () => {
        useProxyFromEnvironment({ HTTPS_PROXY: "http://proxy.corp.example:3128", NODE_OPTIONS: "--max-old-space-size=4096 --use-env-proxy" }, {}, "24.13.0");
        process.execArgv.push("--use-env-proxy");
        try {
            useProxyFromEnvironment({ HTTPS_PROXY: "http://proxy.corp.example:3128" }, {}, "24.13.0");
        } finally {
            process.execArgv.pop();
        }
        assert.deepStrictEqual(said, []);
    });
});

/**
 * @grpc/grpc-js reads only lowercase variables (grpc_proxy, https_proxy, http_proxy; no_grpc_proxy, no_proxy:
 * build/src/http_proxy.js) and proxies 127.0.0.1 too unless no_proxy names it: the Pulumi Node SDK's channel to the
 * engine, which the CLI's language host opens before the program runs, then fails (pulumi/pulumi#18911).
 */
describe("gRPC's own proxy variables", function () {
    this.timeout(30_000);
    let proxy: ConnectProxy;
    beforeEach(async () => void (proxy = await startConnectProxy()));
    afterEach(async () => await proxy.stop());
    const seenByProxy = () => `the proxy saw: ${proxy.passed.join(", ") || "nothing"}`;

    it("the release's Cloud Monitoring reads under HTTPS_PROXY alone: tunnelled with CONNECT", async () => {
        // Nothing answers behind the stand-in proxy at 443: the call fails, and the route is what is shown.
        await asRunJsStartsIt(
            `(async () => {
                const client = await require("./release/metrics/cloudMonitoringSource").metricServiceClient("offline-project", { GOOGLE_OAUTH_ACCESS_TOKEN: "ya29.release-access-token" });
                await client.listTimeSeries({ name: "projects/offline-project", filter: 'metric.type = "run.googleapis.com/request_count"' }, { timeout: 5000, retry: null }).catch(() => undefined);
                process.exit(0);
            })();`,
            { HTTPS_PROXY: proxy.url },
        );
        assert.ok(proxy.passed.includes("CONNECT monitoring.googleapis.com:443"), seenByProxy());
    });

    it("in the processes the release starts, gRPC to 127.0.0.1 stays direct under a lowercase https_proxy with no no_proxy", async () => {
        const engine = new grpc.Server();
        const port = await new Promise<number>((resolve, reject) => engine.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
        try {
            // A child standing in for the language host the CLI starts: it inherits the environment and opens its
            // channel to the engine's 127.0.0.1 address as the SDK does (runtime/settings.js getMonitor: an insecure
            // client at the --monitor address).
            const languageHost = `const grpc = require("@grpc/grpc-js");
                const client = new grpc.Client("127.0.0.1:${port}", grpc.credentials.createInsecure());
                client.waitForReady(Date.now() + 10000, (e) => (console.log(JSON.stringify(e ? e.message : "ready")), client.close()));`;
            const answer = await asRunJsStartsIt(`require("child_process").execFileSync(process.execPath, ["-e", ${JSON.stringify(languageHost)}], { stdio: "inherit" });`, { https_proxy: proxy.url });
            assert.deepStrictEqual([JSON.parse(answer), seenByProxy()], ["ready", "the proxy saw: nothing"]);
        } finally {
            engine.forceShutdown();
        }
    });

    it("a `pulumi up` by hand under a lowercase https_proxy with no no_proxy: the Node SDK's channel to the engine stays direct", async () => {
        // The SDK registers the stack, opening its channel to the engine's 127.0.0.1 address, before program.js runs
        // (runtime/stack.js Stack); Pulumi.yaml's nodeargs preload is what sets gRPC's no-proxy list in time. Run as
        // the language host starts the program (node, the project's nodeargs, the runner, in the project's folder).
        const run = await withProcessEnvironment({ ...NO_PROXY_VARIABLES, https_proxy: proxy.url }, () => runUnderPulumiRuntime("dev", projectWay()));
        assert.deepStrictEqual([run.exitCode, seenByProxy()], [0, "the proxy saw: nothing"], run.stderr);
    });

    const NODE_WITH_PROXY = { setGlobalProxyFromEnv: () => () => undefined };
    const grpcVariables = (env: NodeJS.ProcessEnv) => ({ grpc_proxy: env.grpc_proxy, no_grpc_proxy: env.no_grpc_proxy });

    it("HTTPS_PROXY names gRPC's proxy, and its no-proxy list carries NO_PROXY's hosts trimmed (grpc-js matches untrimmed), loopback and the credential endpoints", () => {
        const env: NodeJS.ProcessEnv = { HTTPS_PROXY: "http://proxy.corp.example:3128", NO_PROXY: ".corp.example, build.internal" };
        useProxyFromEnvironment(env, NODE_WITH_PROXY);
        assert.deepStrictEqual(grpcVariables(env), {
            grpc_proxy: "http://proxy.corp.example:3128",
            no_grpc_proxy: `.corp.example,build.internal,${ALWAYS_DIRECT}`,
        });
    });

    it("a grpc_proxy and no_grpc_proxy already set are kept, loopback added; HTTP_PROXY alone names no proxy for gRPC's https calls, as for Node's", () => {
        const own: NodeJS.ProcessEnv = { HTTPS_PROXY: "http://proxy.corp.example:3128", grpc_proxy: "http://grpc-proxy.corp.example:8080", no_grpc_proxy: ".grpc.corp.example" };
        useProxyFromEnvironment(own, NODE_WITH_PROXY);
        assert.deepStrictEqual(grpcVariables(own), {
            grpc_proxy: "http://grpc-proxy.corp.example:8080",
            no_grpc_proxy: `.grpc.corp.example,${ALWAYS_DIRECT}`,
        });
        const httpOnly: NodeJS.ProcessEnv = { HTTP_PROXY: "http://proxy.corp.example:3128" };
        useProxyFromEnvironment(httpOnly, NODE_WITH_PROXY);
        assert.deepStrictEqual(grpcVariables(httpOnly), { grpc_proxy: undefined, no_grpc_proxy: undefined });
    });

    it("gRPC's own order where both are set: https_proxy before http_proxy, no_grpc_proxy before no_proxy", () => {
        const env: NodeJS.ProcessEnv = { https_proxy: "http://proxy.corp.example:3128", http_proxy: "http://plain.corp.example:8080", no_grpc_proxy: ".grpc.corp.example", no_proxy: ".corp.example" };
        useProxyFromEnvironment(env, NODE_WITH_PROXY);
        assert.deepStrictEqual(grpcVariables(env), {
            grpc_proxy: "http://proxy.corp.example:3128",
            no_grpc_proxy: `.grpc.corp.example,${ALWAYS_DIRECT}`,
        });
    });

    it("a lowercase http_proxy alone, which grpc-js follows last: loopback and the credential endpoints are kept direct", () => {
        const env: NodeJS.ProcessEnv = { http_proxy: "http://proxy.corp.example:3128" };
        useProxyFromEnvironment(env, NODE_WITH_PROXY);
        assert.deepStrictEqual(grpcVariables(env), { grpc_proxy: undefined, no_grpc_proxy: ALWAYS_DIRECT });
    });

    it("set twice in one process (the runner's preload, then the entry), gRPC's no-proxy list names each host once", () => {
        const env: NodeJS.ProcessEnv = { https_proxy: "http://proxy.corp.example:3128", no_proxy: ".corp.example" };
        useProxyFromEnvironment(env, NODE_WITH_PROXY);
        useProxyFromEnvironment(env, NODE_WITH_PROXY);
        assert.strictEqual(env.no_grpc_proxy, `.corp.example,${ALWAYS_DIRECT}`);
    });

    it("what it returns puts gRPC's variables back as they were, those it added gone", () => {
        const env: NodeJS.ProcessEnv = { HTTPS_PROXY: "http://proxy.corp.example:3128", no_grpc_proxy: ".grpc.corp.example" };
        useProxyFromEnvironment(env, NODE_WITH_PROXY)();
        assert.deepStrictEqual(grpcVariables(env), { grpc_proxy: undefined, no_grpc_proxy: ".grpc.corp.example" });
        // Gone, not set to undefined: process.env keeps that as the string "undefined", which grpc-js would take for a proxy.
        assert.ok(!("grpc_proxy" in env), "grpc_proxy left in the environment");
    });

    it("a grpc_proxy alone (no proxy for Node's calls): loopback added to its no-proxy list, and taken away again by what it returns", () => {
        const env: NodeJS.ProcessEnv = { grpc_proxy: "http://grpc-proxy.corp.example:8080" };
        const restore = useProxyFromEnvironment(env, NODE_WITH_PROXY);
        assert.deepStrictEqual(grpcVariables(env), { grpc_proxy: "http://grpc-proxy.corp.example:8080", no_grpc_proxy: ALWAYS_DIRECT });
        restore();
        assert.deepStrictEqual(env, { grpc_proxy: "http://grpc-proxy.corp.example:8080" });
    });
});
