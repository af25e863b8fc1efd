/**
 * Where a real release keeps what it knows between runs (canary weights, stable and rolled-back versions): the
 * `pulumiConfig` of the ESC environment `<org>/multicloud-service/<stack>-release`, which the stack file imports. So a
 * release needs no commit: its state is one environment revision per change, and `pulumi up`, previews, drift runs and a
 * person's `pulumi config` all read the current state through the import. Stack config wins over an environment's
 * (key by key), so the stack file must not set these keys (a test checks Pulumi.prod.yaml).
 *
 * Spoken over Pulumi ESC's environments API the way pulumi/esc's client does (cmd/esc/cli/client/client.go): GET
 * /api/esc/environments/<org>/<project>/<env> answers the YAML definition and its ETag; PATCH with the new YAML and the
 * ETag it was read at, which ESC refuses with 409 when the environment changed in between. A PATCH answers the new
 * revision (Pulumi-ESC-Revision) but no ETag, so the next write reads the environment again and refuses it as well
 * when its revision is not the one the release wrote: a rollback by hand in between is never overwritten.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { boundedFetch } from "../../components/httpAttempt";
import { escYaml } from "../../deployments/escYaml";
import { PROJECT_NAMESPACE } from "../../config";
import { storedValue } from "../configChanges";
import { ConfigChange } from "../types";
import { WriteOptions, shortStackName, stackOrganization } from "./stackAccess";

export interface ReleaseStateStore {
    /** The environment's pulumiConfig as the CLI hands config to a program: full keys, objects as JSON. */
    read(): Promise<Record<string, string>>;
    /** Applies `pulumi config set --path` changes to the environment, as one revision. */
    write(changes: readonly ConfigChange[], options?: WriteOptions): Promise<void>;
}

export interface ReleaseStateLocation {
    organization: string;
    /** `<project>/<env>`. */
    environment: string;
    apiUrl: string;
    accessToken: string;
}

const DEFAULT_API = "https://api.pulumi.com";

/**
 * The stack as the release names it to the CLI: `prod` with PULUMI_ORG is `<PULUMI_ORG>/prod`, the organization its
 * release state is in. The CLI itself never reads PULUMI_ORG (its default organization is PULUMI_DEFAULT_ORGANIZATION,
 * `pulumi org set-default`, or the user's own), so a bare name could select another organization's stack.
 */
export function qualifiedStackName(stack: string, env: Record<string, string | undefined>): string {
    return stack.includes("/") || !env.PULUMI_ORG ? stack : `${env.PULUMI_ORG}/${stack}`;
}

/** The release state environment of a stack, in its organization: `prod` -> `multicloud-service/prod-release`. */
export function releaseStateEnvironment(stack: string): string {
    return `${PROJECT_NAMESPACE}/${shortStackName(stack)}-release`;
}

/**
 * `<org>/prod` (or `prod` with PULUMI_ORG) -> `<org>/multicloud-service/prod-release`, on the backend the CLI uses
 * (PULUMI_BACKEND_URL, else the one `pulumi login` made current), with PULUMI_ACCESS_TOKEN or the login's token.
 */
export function releaseStateLocation(stack: string, env: Record<string, string | undefined>): ReleaseStateLocation {
    const organization = stackOrganization(stack) ?? env.PULUMI_ORG;
    if (!organization) throw new Error(`release state: name the stack as <org>/${stack} (or set PULUMI_ORG): its state lives in that organization's ESC environment`);
    const stored = env.PULUMI_BACKEND_URL && env.PULUMI_ACCESS_TOKEN ? undefined : storedCredentials(env);
    const apiUrl = (env.PULUMI_BACKEND_URL ?? stored?.credentials.current ?? DEFAULT_API).replace(/\/$/, "");
    if (!/^https?:\/\//.test(apiUrl)) throw new Error(`release state: the Pulumi backend is ${apiUrl}, which has no ESC: a release keeps its state in Pulumi Cloud (log in to it, or set PULUMI_BACKEND_URL)`);
    const accessToken = env.PULUMI_ACCESS_TOKEN ?? stored?.credentials.accessTokens?.[apiUrl];
    if (!accessToken) {
        const where = stored?.encrypted ? `; ${stored.file} is encrypted (PULUMI_CREDENTIAL_STORE), which only the Pulumi CLI reads` : "";
        throw new Error(`release state: needs a Pulumi access token for ${apiUrl} (pulumi login, or PULUMI_ACCESS_TOKEN)${where}`);
    }
    return { organization, environment: releaseStateEnvironment(stack), apiUrl, accessToken };
}

interface StoredCredentials {
    current?: string;
    accessTokens?: Record<string, string>;
}

/**
 * What `pulumi login` stored, where the CLI keeps it: credentials.json in $PULUMI_CREDENTIALS_PATH, else $PULUMI_HOME,
 * else ~/.pulumi (pulumi/pulumi sdk/go/common/workspace/creds.go, getCredsFilePath). With PULUMI_CREDENTIAL_STORE the
 * CLI writes the file as an encrypted envelope (its top-level "$pulumiSecureStore" key) whose key is in the system's
 * keychain: that holds no token this process can read.
 */
function storedCredentials(env: Record<string, string | undefined>): { file: string; credentials: StoredCredentials; encrypted: boolean } | undefined {
    const folder = env.PULUMI_CREDENTIALS_PATH || env.PULUMI_HOME || (env.HOME ? path.join(env.HOME, ".pulumi") : undefined);
    const file = folder && path.join(folder, "credentials.json");
    if (!file || !fs.existsSync(file)) return undefined;
    let parsed: unknown;
    try {
        parsed = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (error) {
        throw new Error(`release state: ${file} is not the JSON \`pulumi login\` writes (${(error as Error).message}); log in again, or set both PULUMI_BACKEND_URL and PULUMI_ACCESS_TOKEN`);
    }
    const credentials = (typeof parsed === "object" && parsed !== null ? parsed : {}) as StoredCredentials & { $pulumiSecureStore?: unknown };
    if (credentials.$pulumiSecureStore !== undefined) return { file, credentials: {}, encrypted: true };
    return { file, credentials, encrypted: false };
}

/** Attempts of a write `over` (WriteOptions), and the pause before each retry. */
export const OVER_WRITE_ATTEMPTS = 4;
const OVER_WRITE_PAUSE_MS = 2_000;

export function escReleaseState(
    location: ReleaseStateLocation,
    fetchImpl: typeof fetch = fetch,
    pause: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): ReleaseStateStore {
    const name = `${location.organization}/${location.environment}`;
    const url = `${location.apiUrl}/api/esc/environments/${name}`;
    const headers = { Authorization: `token ${location.accessToken}`, Accept: "application/vnd.pulumi+8" };
    let etag: string | undefined;
    let definition: any;
    /** The revision this release last read or wrote; undefined before the first read. */
    let seenRevision: number | undefined;
    const conflict = () => new Error(`release state: ${name} changed since the release read it (409 conflict); rerun the release to resume from the current state`);

    const failure = async (response: Response, doing: string) => {
        const text = await response.text();
        let message = text;
        try {
            // ESC's error body: code, message and, for a definition it refused, the diagnostics that say why.
            const body = JSON.parse(text) as { message?: string; diagnostics?: { summary?: string }[] };
            message = [body.message ?? text, ...(body.diagnostics ?? []).map((d) => d.summary)].filter(Boolean).join("; ");
        } catch {
            // not ESC's JSON error body: keep the text
        }
        return new Error(`release state: ${doing} ${name}: ${response.status} ${message}`);
    };
    /**
     * One request of the environment, bounded as the program's own reads are (a Pulumi Cloud that never answers held the
     * release 5 minutes a request). A write nobody answered may have been applied all the same, so its error says how to look.
     */
    const request = (init: RequestInit, doing: string) =>
        boundedFetch(url, init, {
            what: `release state: ${doing} ${name}`,
            fetch: fetchImpl,
            ...(init.method === "PATCH" ? { then: `the write may have been applied all the same (pulumi env get ${name} shows the environment as it is)` } : {}),
        });
    const load = async () => {
        const response = await request({ headers }, "reading");
        if (!response.ok) throw await failure(response, "reading");
        etag = response.headers.get("ETag") ?? undefined;
        definition = parse(await response.text()) ?? {};
        return { definition, revision: revisionOf(response) };
    };

    return {
        async read() {
            const { definition, revision } = await load();
            seenRevision = revision;
            const config = definition.values?.pulumiConfig ?? {};
            return Object.fromEntries(Object.entries<unknown>(config).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]));
        },
        async write(changes, options) {
            if (changes.length === 0) return;
            if (!options?.over) return patch(changes, false);
            for (let attempt = 1; ; attempt++) {
                try {
                    return await patch(changes, true);
                } catch (err) {
                    if (attempt >= OVER_WRITE_ATTEMPTS) throw err;
                    await pause(OVER_WRITE_PAUSE_MS * attempt);
                }
            }
        },
    };

    /** One PATCH of `changes` on the definition last read (read now, when written since); `over`: on the newest one. */
    async function patch(changes: readonly ConfigChange[], over: boolean): Promise<void> {
        if (definition === undefined || over) {
            const { revision } = await load();
            if (!over && seenRevision !== undefined && revision !== undefined && revision !== seenRevision) throw conflict();
        }
        const values = (definition.values ??= {});
        const config = (values.pulumiConfig ??= {});
        for (const change of changes) setPath(config, change.key, storedValue(String(change.value)));
        const init = { method: "PATCH", headers: { ...headers, "Content-Type": "application/json", ...(etag ? { ETag: etag } : {}) }, body: escYaml(definition) };
        // Read again before the next write whatever this one answers (or if it answers nothing): the changes are in this
        // copy now, and a write that timed out may have been applied.
        etag = undefined;
        definition = undefined;
        const response = await request(init, "writing");
        if (response.status === 409) throw conflict();
        if (!response.ok) throw await failure(response, "writing");
        seenRevision = revisionOf(response);
    }
}

/** The environment revision an ESC answer names (Pulumi-ESC-Revision), when it names one. */
function revisionOf(response: Response): number | undefined {
    const revision = Number(response.headers.get("Pulumi-ESC-Revision") ?? NaN);
    return Number.isInteger(revision) ? revision : undefined;
}

/** `multicloud-service:aws.canary.weightPercent` -> config["multicloud-service:aws"].canary.weightPercent. */
function setPath(config: Record<string, any>, key: string, value: unknown) {
    const colon = key.indexOf(":");
    const [top, ...rest] = key.slice(colon + 1).split(".");
    const fullTop = `${key.slice(0, colon)}:${top}`;
    if (rest.length === 0) {
        config[fullTop] = value;
        return;
    }
    let node = (config[fullTop] = typeof config[fullTop] === "object" && config[fullTop] !== null ? config[fullTop] : {});
    for (const segment of rest.slice(0, -1)) node = node[segment] = typeof node[segment] === "object" && node[segment] !== null ? node[segment] : {};
    node[rest[rest.length - 1]] = value;
}
