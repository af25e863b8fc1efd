/**
 * The program's own calls (fetch: Google's REST APIs, the registries; the AWS SDK's clients) through the proxy that
 * HTTPS_PROXY / HTTP_PROXY name, but for NO_PROXY's hosts, as the Pulumi CLI and the providers route theirs (Go's
 * net/http ProxyFromEnvironment). Node's fetch and its http/https agents go direct unless told: the environment
 * proxy is Node's only under NODE_USE_ENV_PROXY=1 or --use-env-proxy at start, and then only for fetch and the global
 * agents, never for an agent made without `proxyEnv` (the AWS SDK's: @smithy/node-http-handler makes its own), and
 * gaxios alone reads the variables itself.
 * Loopback stays direct, as in Go (golang.org/x/net http/httpproxy, useProxy: `host == "localhost"`,
 * `ip.IsLoopback()`); Node would send it to the proxy unless NO_PROXY names it. So do the link-local credential
 * endpoints (NEVER_PROXIED).
 */
"use strict";

const PROXY_VARIABLES = ["https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY"];
/**
 * Loopback, and the link-local endpoints the SDK gets a runner's credentials from, which no proxy can reach: EC2's
 * instance metadata service and ECS's (and CodeBuild's) container credentials, which AWS's own proxy setup keeps
 * direct ("NO_PROXY=169.254.169.254,169.254.170.2", Amazon ECS developer guide, "Using an HTTP proxy").
 */
const NEVER_PROXIED = ["localhost", "127.0.0.1", "::1", "169.254.169.254", "fd00:ec2::254", "169.254.170.2"];

/**
 * `env` for Node's `proxyEnv` (an http/https Agent's option, http.setGlobalProxyFromEnv's argument), with loopback and
 * the credential endpoints added to its no-proxy list (no_proxy, which Node reads before NO_PROXY: docs/api/http.md, Built-in Proxy Support).
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {NodeJS.ProcessEnv}
 */
function proxyEnvironment(env = process.env) {
    const noProxy = [env.no_proxy || env.NO_PROXY, ...NEVER_PROXIED].filter(Boolean).join(",");
    return { ...env, no_proxy: noProxy, NO_PROXY: noProxy };
}

/**
 * Which variable of `env` names a proxy (the first set of https_proxy, HTTPS_PROXY, http_proxy, HTTP_PROXY), if any.
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {string | undefined}
 */
function namedProxyVariable(env = process.env) {
    return PROXY_VARIABLES.find((name) => env[name]);
}

/**
 * gRPC's own variables, set in `env` where a proxy is named: @grpc/grpc-js
 * reads only grpc_proxy, https_proxy, http_proxy and then no_grpc_proxy, no_proxy, lowercase, and matches each no-proxy
 * entry untrimmed (build/src/http_proxy.js getProxyInfo, getNoProxyHostList, hostMatchesNoProxyList). So the release's
 * Cloud Monitoring reads take HTTPS_PROXY as Node's calls do, and in the processes this one starts (the CLI, its
 * language host) Pulumi's gRPC between them on 127.0.0.1 stays direct: the Node SDK's channel to the engine follows a
 * lowercase https_proxy whose no_proxy omits loopback, and fails (pulumi/pulumi#18911: "14 UNAVAILABLE: No connection
 * established. Last error: Protocol error").
 * @param {NodeJS.ProcessEnv} env
 * @returns {() => void} what puts the variables this set back as they were
 */
function useGrpcProxyFromEnvironment(env) {
    /** @type {Record<string, string>} */
    const set = {};
    const httpsProxy = env.https_proxy || env.HTTPS_PROXY;
    if (!env.grpc_proxy && httpsProxy) set.grpc_proxy = httpsProxy;
    if (env.grpc_proxy || set.grpc_proxy || env.http_proxy) {
        const entries = [env.no_grpc_proxy || env.no_proxy || env.NO_PROXY, ...NEVER_PROXIED].join(",").split(",");
        // Once each: the runner's preload (grpcProxyAtStart.js) and the entry both run this in the program's process.
        set.no_grpc_proxy = [...new Set(entries.map((entry) => entry.trim()).filter(Boolean))].join(",");
    }
    const before = Object.fromEntries(Object.keys(set).map((name) => [name, env[name]]));
    Object.assign(env, set);
    return () => {
        for (const [name, value] of Object.entries(before)) {
            if (value === undefined) delete env[name];
            else env[name] = value;
        }
    };
}

/**
 * Whether this Node's fetch follows the environment's proxy when started with NODE_USE_ENV_PROXY=1: 22.21 on 22 (its
 * notable changes: "http: support http proxy for fetch under NODE_USE_ENV_PROXY"), any 24 or later; a 22 before it, or a
 * 23, ignores it.
 * @param {string} version as process.versions.node gives it
 */
function fetchFollowsEnvProxy(version) {
    const [major, minor] = version.split(".").map(Number);
    return major >= 24 || (major === 22 && minor >= 21);
}

/**
 * Whether this Node's http/https agents take `proxyEnv`, as the AWS SDK's clients' are given (components/aws/awsClient.ts):
 * 22.21 on 22 ("http,https: add built-in proxy support in http/https.request and Agent"), 24.5 on 24. A 24 before 24.5
 * ignores the option: run on the real 24.0.0 and 24.4.0, such an agent went direct, NODE_USE_ENV_PROXY=1 or not.
 * @param {string} version as process.versions.node gives it
 */
function agentsTakeProxyEnv(version) {
    const [major, minor] = version.split(".").map(Number);
    return major >= 25 || (major === 24 && minor >= 5) || (major === 22 && minor >= 21);
}

/**
 * The environments already told their calls go direct: a tool's entry (scripts/build/run.js) and then the program it
 * runs (program.js, through startProgram.js) each set the proxy up in one process, from one process.env.
 */
const TOLD = new WeakSet();

/**
 * @param {NodeJS.ProcessEnv} env
 * @param {string} text
 */
function sayOnce(env, text) {
    if (TOLD.has(env)) return;
    TOLD.add(env);
    process.stderr.write(text);
}

/**
 * When `env` names a proxy, sends fetch and Node's global agents through it for the rest of the process
 * (http.setGlobalProxyFromEnv: Node 24.14 and 25.4 on), and gRPC's calls (useGrpcProxyFromEnvironment). On an older
 * Node, fetch goes through it only if the process started with NODE_USE_ENV_PROXY=1 (Node 22.21 and 24 on) or
 * --use-env-proxy (22.21 and 24.5 on), and the AWS SDK's agents only from 22.21 and 24.5; otherwise this says so on
 * stderr, once for `env`, as the calls would go direct and, where the proxy is the only way out, fail unanswered.
 * @param {NodeJS.ProcessEnv} [env]
 * @param {{ setGlobalProxyFromEnv?: (proxyEnv: NodeJS.ProcessEnv) => () => void }} [nodeHttp] Node's http module
 * (loaded only when a proxy is named: 10 ms of every tool's start, --help's too, that no call may follow)
 * @param {string} [nodeVersion] Node's version, as process.versions.node gives it
 * @returns {() => void} what puts the global agents, fetch's dispatcher and gRPC's variables back as they were
 */
function useProxyFromEnvironment(env = process.env, nodeHttp = undefined, nodeVersion = process.versions.node) {
    const restoreGrpc = useGrpcProxyFromEnvironment(env);
    const named = namedProxyVariable(env);
    if (!named) return restoreGrpc;
    nodeHttp ??= /** @type {{ setGlobalProxyFromEnv?: (proxyEnv: NodeJS.ProcessEnv) => () => void }} */ (require("http"));
    if (typeof nodeHttp.setGlobalProxyFromEnv === "function") {
        const restoreNode = nodeHttp.setGlobalProxyFromEnv(proxyEnvironment(env));
        return () => (restoreNode(), restoreGrpc());
    }
    if (!fetchFollowsEnvProxy(nodeVersion)) {
        sayOnce(
            env,
            `${named} is set, but Node v${nodeVersion} sends this program's own calls (AWS's APIs, Google's APIs, the registries) direct, past the proxy, ` +
                "whatever NODE_USE_ENV_PROXY says: run it on Node 24.14 or later (25.4 or later on Node 25), or on 22.21 or later (24.5 or later on Node 24) started with NODE_USE_ENV_PROXY=1\n",
        );
        return restoreGrpc;
    }
    if (!agentsTakeProxyEnv(nodeVersion)) {
        sayOnce(
            env,
            `${named} is set, but Node v${nodeVersion} sends this program's own calls to AWS's APIs direct, past the proxy, whatever NODE_USE_ENV_PROXY says, ` +
                "and its fetch calls (Google's APIs, the registries) too unless it started with NODE_USE_ENV_PROXY=1: " +
                "run it on Node 24.14 or later (25.4 or later on Node 25), or on 24.5 or later started with NODE_USE_ENV_PROXY=1\n",
        );
        return restoreGrpc;
    }
    const atStart = env.NODE_USE_ENV_PROXY === "1" || process.execArgv.includes("--use-env-proxy") || /(^|\s)--use-env-proxy(\s|$)/.test(env.NODE_OPTIONS ?? "");
    if (!atStart) {
        sayOnce(
            env,
            `${named} is set, but Node v${nodeVersion} sends this program's own fetch calls (Google's APIs, the registries) direct, past the proxy: ` +
                "run it on Node 24.14 or later (25.4 or later on Node 25), or start it with NODE_USE_ENV_PROXY=1 (Node 22.21 or later)\n",
        );
    }
    return restoreGrpc;
}

module.exports = { namedProxyVariable, proxyEnvironment, useGrpcProxyFromEnvironment, useProxyFromEnvironment };
