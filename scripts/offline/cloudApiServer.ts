import * as http from "http";
import { AddressInfo } from "net";
import * as path from "path";
import { projectRoot } from "../../config/projectRoot";
import { EnvironmentChanges, changeProcessEnvironment } from "./environment";
import type { MockCloud } from "./mockCloud";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const googleApisRedirect = require("./googleApisRedirect.js") as { install(base: string): void };
// By path from the project root: this module also runs bundled under bin/ (scripts/build/run.js), away from the file.
const REDIRECT_PRELOAD = path.join(projectRoot(), "scripts", "offline", "googleApisRedirect.js");

let server: http.Server | undefined;
/** The mock clouds served, newest first: a request goes to the one that owns what it names (project, repository). */
let clouds: MockCloud[] = [];

/**
 * The clouds' APIs the program calls without the engine (ECR and Lambda through the AWS SDK, Artifact Registry
 * and Cloud Run Admin through fetch), served on loopback for the latest mock cloud, in their own words (see
 * fakeAwsApis.ts, fakeArtifactRegistryApi.ts, fakeCloudRunApi.ts). One server per process; returns its URL.
 */
export async function serveCloudApis(cloud: MockCloud, options: { exclusive?: boolean } = {}): Promise<string> {
    // In-process runs follow one another: only the latest cloud answers. Engines may serve one plugin side by side.
    clouds = options.exclusive ? [cloud] : [cloud, ...clouds.filter((c) => c !== cloud)].slice(0, 8);
    if (!server) {
        server = http.createServer((req, res) => {
            let body = "";
            req.on("data", (chunk) => (body += chunk));
            req.on("end", () => void answer(req, body, res));
        });
        await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
        server.unref();
    }
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function answer(req: http.IncomingMessage, body: string, res: http.ServerResponse): Promise<void> {
    const google = /^\/google\/([^/]+)(\/.*)$/.exec(req.url ?? "");
    if (!google) {
        const repository = (JSON.parse(body || "{}") as { repositoryName?: string }).repositoryName;
        const owner = clouds.find((c) => repository !== undefined && c.awsApis.repositories.has(repository)) ?? clouds[0];
        return owner.awsApis.answer(req, body, res);
    }
    const url = `https://${google[1]}${google[2]}`;
    // The newest cloud whose program enabled an API in the project the request names (Artifact Registry is asked only
    // after that), else the newest: two engines (dev and prod) may serve one plugin at once.
    const project = /\/(?:projects|namespaces)\/([^/]+)\//.exec(google[2])?.[1];
    const owner = clouds.find((c) => [...c.artifactRegistry.enabledApis].some((api) => api.startsWith(`${project}/`))) ?? clouds[0];
    const authorization = req.headers.authorization ?? null;
    const reply = owner.cloudRun.answer(url, authorization) ?? owner.artifactRegistry.answer(url, authorization);
    if (!reply) return void res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { code: 404, message: `${url} is not answered offline`, status: "NOT_FOUND" } }));
    res.writeHead(reply.status, { "content-type": reply.headers.get("content-type") ?? "application/json" }).end(await reply.text());
}

/**
 * What a process needs to reach the stand-ins instead of the clouds: the AWS SDK's documented service endpoint
 * variables and credentials only the stand-in accepts, and the Google API redirect (preloaded into a child process).
 */
export function cloudApiEnvironment(url: string, options: { preload: boolean }): EnvironmentChanges {
    return {
        AWS_ENDPOINT_URL_ECR: url,
        AWS_ENDPOINT_URL_LAMBDA: url,
        AWS_ACCESS_KEY_ID: "AKIAOFFLINEFAKE00000",
        AWS_SECRET_ACCESS_KEY: "offline-fake-secret",
        AWS_SESSION_TOKEN: undefined,
        AWS_PROFILE: undefined,
        // The SDK's notice that it will need Node 22 concerns real deployments (their runners use Node 24); offline
        // runs on the machine's Node would print it on every plan.
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
        OFFLINE_GOOGLE_APIS: url,
        ...(options.preload ? { NODE_OPTIONS: [process.env.NODE_OPTIONS, `--require ${REDIRECT_PRELOAD}`].filter(Boolean).join(" ") } : {}),
    };
}

/** Points this process at the stand-ins for the duration of a run; returns a function that restores its environment. */
export async function useCloudApisInProcess(cloud: MockCloud): Promise<() => void> {
    const url = await serveCloudApis(cloud, { exclusive: true });
    const restore = changeProcessEnvironment(cloudApiEnvironment(url, { preload: false }));
    googleApisRedirect.install(url);
    return restore;
}
