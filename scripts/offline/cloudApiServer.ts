import * as http from "http";
import { AddressInfo } from "net";
import * as path from "path";
import { projectRoot } from "../../config/projectRoot";
import { EnvironmentChanges, changeProcessEnvironment } from "./environment";
import { nodeOptionsRequiring } from "./nodeOptions";
import { FakeOciRegistryApi } from "./fakeOciRegistryApi";
import { frontEndNotFound } from "./googleApiAnswers";
import type { MockCloud } from "./mockCloud";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const googleApisRedirect = require("./googleApisRedirect.js") as typeof import("./googleApisRedirect");
// By path from the project root: this module also runs bundled under bin/ (scripts/build/run.js), away from the file.
const REDIRECT_PRELOAD = path.join(projectRoot(), "scripts", "offline", "googleApisRedirect.js");

let server: http.Server | undefined;
/** ECR's layer bucket (FakeOciRegistryApi.answerLayer): a second loopback origin, as S3 is another origin than ECR. */
let layerServer: http.Server | undefined;
/** The cloud of the run in this process (the latest one started). */
let inProcess: MockCloud | undefined;
/** Clouds of running fake engines, each reached by the processes it serves under its own path, `/engine/<n>`. */
const engines = new Map<string, MockCloud>();
/** Engines served so far: the next one's `<n>` (never one a stopped engine had). */
let enginesServed = 0;

/**
 * The clouds' APIs the program calls without the engine (ECR, KMS and Lambda through the AWS SDK, Artifact Registry
 * and Cloud Run Admin through fetch, the registries' OCI distribution API), served on loopback in their own words (see fakeAwsApis.ts,
 * fakeArtifactRegistryApi.ts, fakeCloudRunApi.ts). One server per process; returns the base URL for `cloud`: the
 * server's own for an in-process run, a path of its own for a fake engine's cloud, so that a plugin or runner the
 * engine serves reaches that cloud whatever runs in this process meanwhile.
 */
export async function serveCloudApis(cloud: MockCloud, options: { forEngine?: boolean } = {}): Promise<string> {
    if (!server) {
        server = http.createServer((req, res) => {
            // One connection per request. This server lives in the process whose program calls it; when that process
            // blocks (a spawnSync in another spec of the same mocha worker), the server's keep-alive timeout and the
            // client's fire together afterwards, and a request written to a socket being closed reads ECONNRESET.
            res.setHeader("connection", "close");
            let body = "";
            req.on("data", (chunk) => (body += chunk));
            req.on("end", () => (noteInProcessRequest(req, res, body), void answer(req, body, res)));
        });
        await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
        server.unref();
        layerServer = http.createServer((req, res) => {
            res.setHeader("connection", "close");
            noteInProcessRequest(req, res);
            req.resume().on("end", () => void answerLayer(req, res));
        });
        await new Promise<void>((resolve) => layerServer!.listen(0, "127.0.0.1", resolve));
        layerServer.unref();
    }
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (!options.forEngine) {
        inProcess = cloud;
        return base;
    }
    const id = String(++enginesServed);
    engines.set(id, cloud);
    return `${base}/engine/${id}`;
}

/**
 * A request of the program running in this process (not of an engine's processes), in its cloud's activity until it
 * is answered: `METHOD /path`, with the AWS operation after it (JSON protocols' X-Amz-Target, the query protocol's
 * `Action` in its form).
 */
function noteInProcessRequest(req: http.IncomingMessage, res: http.ServerResponse, body = ""): void {
    if (!inProcess || (req.url ?? "").startsWith("/engine/")) return;
    const operation = req.headers["x-amz-target"] ?? (req.headers["content-type"]?.startsWith("application/x-www-form-urlencoded") ? new URLSearchParams(body).get("Action") : null);
    const answered = inProcess.activity.asked(`${req.method} ${req.url}${operation ? ` (${operation})` : ""}`);
    res.on("close", answered);
}

/** Stops answering for the engine cloud that serveCloudApis gave `url` (its engine has stopped). */
export function stopServingEngine(url: string): void {
    const id = /\/engine\/(\d+)$/.exec(url)?.[1];
    if (id) engines.delete(id);
}

/**
 * The cloud a request is for: the in-process run's, or for a process a running engine serves, that engine's cloud when
 * it owns what the request names, else another running engine's that does (one plugin may serve a dev and a prod
 * engine at once), else that engine's. None for a process of an engine that has stopped.
 */
function cloudFor(engineId: string | undefined, owns: (cloud: MockCloud) => boolean): MockCloud | undefined {
    if (engineId === undefined) return inProcess;
    const own = engines.get(engineId);
    if (!own) return undefined;
    return owns(own) ? own : ([...engines.values()].find(owns) ?? own);
}

async function answer(req: http.IncomingMessage, body: string, res: http.ServerResponse): Promise<void> {
    const engine = /^\/engine\/(\d+)(\/.*)?$/.exec(req.url ?? "");
    const route = engine ? (engine[2] ?? "/") : (req.url ?? "/");
    const registry = /^\/registry\/([^/]+)(\/.*)$/.exec(route);
    if (registry) return answerRegistry(engine?.[1], new URL(`https://${registry[1]}${registry[2]}`), req, res);
    const google = /^\/google\/([^/]+)(\/.*)$/.exec(route);
    if (!google) {
        // STS's query protocol sends a form, not JSON.
        const repository = req.headers["content-type"]?.startsWith("application/x-www-form-urlencoded") ? undefined : (JSON.parse(body || "{}") as { repositoryName?: string }).repositoryName;
        const cloud = cloudFor(engine?.[1], (c) => repository !== undefined && c.awsApis.repositories.has(repository));
        if (!cloud) return void res.writeHead(503).end("no mock cloud is served here");
        req.url = route;
        return cloud.awsApis.answer(req, body, res);
    }
    // The project a request is for: in its path, or in its query (Cloud Storage's bucket list, `b?project=`).
    const named = /\/(?:projects|namespaces)\/([^/]+)\/|[?&]project=([^&]+)/.exec(google[2]);
    const project = named?.[1] ?? named?.[2];
    const cloud = cloudFor(engine?.[1], (c) => [...c.artifactRegistry.enabledApis].some((api) => api.startsWith(`${project}/`)));
    if (!cloud) return void res.writeHead(503).end("no mock cloud is served here");
    const url = `https://${google[1]}${google[2]}`;
    const authorization = req.headers.authorization ?? null;
    const quotaProject = req.headers["x-goog-user-project"];
    const reply = cloud.apiActivation.answer(url) ?? cloud.cloudRun.answer(url, authorization) ?? cloud.artifactRegistry.answer(url, authorization) ?? cloud.cloudQuotas.answer(url, authorization, typeof quotaProject === "string" ? quotaProject : undefined) ?? cloud.containerAnalysis.answer(url);
    if (!reply) return void (await send(frontEndNotFound(google[2]), res));
    res.writeHead(reply.status, { "content-type": reply.headers.get("content-type") ?? "application/json" }).end(await reply.text());
}

/** The registries' OCI distribution API (fakeOciRegistryApi.ts), for the cloud whose registry holds the repository. */
async function answerRegistry(engineId: string | undefined, url: URL, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const name = /^\/v2\/(.+)\/(?:manifests|blobs)\//.exec(url.pathname)?.[1] ?? "";
    const cloud = cloudFor(engineId, (c) => c.registry.hasRepository(FakeOciRegistryApi.repositoryKey(url.hostname, name)));
    if (!cloud) return void res.writeHead(503).end("no mock cloud is served here");
    const layers = `http://127.0.0.1:${(layerServer!.address() as AddressInfo).port}${engineId ? `/engine/${engineId}` : ""}/layer/${url.hostname}/${name}`;
    const reply = cloud.ociRegistry.answer(url, req.headers.authorization ?? null, layers, req.headers.accept ?? null);
    await send(reply, res);
}

/** A blob at ECR's presigned layer URL, `[/engine/<n>]/layer/<host>/<name>/<digest>?X-Amz-...`. */
async function answerLayer(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const route = /^(?:\/engine\/(\d+))?\/layer\/([^/]+)\/(.+)\/(sha256:[0-9a-f]{64})\?/.exec(req.url ?? "");
    if (!route) return void res.writeHead(404).end("not a layer URL");
    const [, engineId, host, name, digest] = route;
    const cloud = cloudFor(engineId, (c) => c.registry.hasRepository(FakeOciRegistryApi.repositoryKey(host, name)));
    if (!cloud) return void res.writeHead(503).end("no mock cloud is served here");
    await send(cloud.ociRegistry.answerLayer(digest, req.headers.authorization ?? null), res);
}

/** Writes a stand-in's answer (a fetch Response) to an HTTP server's response. */
export async function send(reply: Response, res: http.ServerResponse): Promise<void> {
    res.writeHead(reply.status, Object.fromEntries(reply.headers)).end(Buffer.from(await reply.arrayBuffer()));
}

/**
 * What a process needs to reach the stand-ins instead of the clouds: the AWS SDK's documented service endpoint
 * variables and credentials only the stand-in accepts, and the Google API redirect (preloaded into a child process).
 */
export function cloudApiEnvironment(url: string, options: { preload: boolean }): EnvironmentChanges {
    return {
        AWS_ENDPOINT_URL_ECR: url,
        AWS_ENDPOINT_URL_LAMBDA: url,
        AWS_ENDPOINT_URL_KMS: url,
        AWS_ENDPOINT_URL_STS: url,
        AWS_ACCESS_KEY_ID: "AKIAOFFLINEFAKE00000",
        AWS_SECRET_ACCESS_KEY: "offline-fake-secret",
        AWS_SESSION_TOKEN: undefined,
        AWS_PROFILE: undefined,
        // The SDK's notice that it will need Node 22 concerns real deployments (their runners use Node 24); offline
        // runs on the machine's Node would print it on every plan.
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
        OFFLINE_GOOGLE_APIS: url,
        ...(options.preload ? { NODE_OPTIONS: nodeOptionsRequiring(process.env.NODE_OPTIONS, REDIRECT_PRELOAD) } : {}),
    };
}

/**
 * Points this process at the stand-ins for the duration of a run; returns a function that restores its environment and
 * its fetch. Left in, the redirect sent the fetch calls of whatever ran next in the process (the next spec in a mocha
 * worker) to the stand-ins of the last run's cloud.
 */
export async function useCloudApisInProcess(cloud: MockCloud): Promise<() => void> {
    const url = await serveCloudApis(cloud);
    const restoreEnvironment = changeProcessEnvironment(cloudApiEnvironment(url, { preload: false }));
    const uninstallRedirect = googleApisRedirect.install(url);
    return () => {
        uninstallRedirect();
        restoreEnvironment();
    };
}
