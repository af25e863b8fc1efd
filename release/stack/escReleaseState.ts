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
 *
 * A write that meets a passing trouble (ESC's 5xx or 429, no answer, a connection refused or dropped) is tried once
 * more, after reading the environment first (a rollback's, through any failure, up to OVER_WRITE_ATTEMPTS times); both
 * count in the release's window (deployments/releaseWindow.ts). pulumi/esc's own client retries no PATCH (cmd/esc/cli/client/retry.go
 * doWithRetry: only GETs, under its default retryGetMethod; client.go restCallWithOptions fails a 429 at once), but a
 * release that stops on one leaves a step's traffic live with no bake watching it. What the read finds decides: the
 * revision the write was made on (nothing applied: write again), the next one holding exactly the definition written
 * (applied, its answer lost: done), anything else a change by someone else, refused as ESC's 409 is.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { isDeepStrictEqual } from "util";
import { CALL_ATTEMPT, boundedFetch, retryAfterMs } from "../../components/httpAttempt";
import { ConnectionFailure, NoAnswer } from "../../components/noAnswer";
import { escYaml } from "../../deployments/escYaml";
import { PROJECT_NAMESPACE } from "../../config";
import { configText } from "../../config/configText";
import { setConfigChange } from "../configChanges";
import { ConfigChange } from "../types";
import { parseEscDefinition } from "./escDefinition";
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
 * The stack as the release names it to the CLI: `prod` (or `/prod`) with PULUMI_ORG is `<PULUMI_ORG>/prod`, the
 * organization its release state is in; `<org>/multicloud-service/prod` is `<org>/prod`. The CLI itself never reads PULUMI_ORG (its default organization is PULUMI_DEFAULT_ORGANIZATION,
 * `pulumi org set-default`, or the user's own), so a bare name could select another organization's stack.
 */
export function qualifiedStackName(stack: string, env: Record<string, string | undefined>): string {
    const organization = stackOrganizationOf(stack, env);
    return organization ? `${organization}/${shortStackName(stack)}` : stack;
}

/** The organization `stack` names, else PULUMI_ORG. */
function stackOrganizationOf(stack: string, env: Record<string, string | undefined>): string | undefined {
    return stackOrganization(stack) ?? (env.PULUMI_ORG || undefined);
}

/** The release state environment of a stack, in its organization: `prod` -> `multicloud-service/prod-release`. */
export function releaseStateEnvironment(stack: string): string {
    return `${PROJECT_NAMESPACE}/${shortStackName(stack)}-release`;
}

/**
 * `<org>/prod` (or `prod` with PULUMI_ORG) -> `<org>/multicloud-service/prod-release`, on the backend the CLI uses:
 * PULUMI_BACKEND_URL, else the one `pulumi login` made current, else PULUMI_API, else Pulumi Cloud (pulumi/pulumi
 * pkg/workspace/creds.go GetCurrentCloudURLWithSource, then pkg/backend/httpstate/backend.go ValueOrDefaultURL, the
 * order ESC's own commands follow too: pkg/cmd/esc/cli/login.go getCachedClient); with PULUMI_ACCESS_TOKEN or the
 * login's token. Like the CLI (env.GetString), an empty variable counts as unset.
 */
export function releaseStateLocation(stack: string, env: Record<string, string | undefined>): ReleaseStateLocation {
    const organization = stackOrganizationOf(stack, env);
    if (!organization) throw new Error(`release state: name the stack as <org>/${shortStackName(stack)} (or set PULUMI_ORG): its state lives in that organization's ESC environment`);
    const stored = env.PULUMI_BACKEND_URL && env.PULUMI_ACCESS_TOKEN ? undefined : storedCredentials(env, { reader: "release state", instead: "set both PULUMI_BACKEND_URL and PULUMI_ACCESS_TOKEN" });
    const apiUrl = (env.PULUMI_BACKEND_URL || stored?.credentials.current || env.PULUMI_API || DEFAULT_API).replace(/\/$/, "");
    if (!/^https?:\/\//.test(apiUrl)) throw new Error(`release state: the Pulumi backend is ${apiUrl}, which has no ESC: a release keeps its state in Pulumi Cloud (log in to it, or set PULUMI_BACKEND_URL)`);
    const accessToken = env.PULUMI_ACCESS_TOKEN || stored?.credentials.accessTokens?.[apiUrl];
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
 * else .pulumi in the user's home (pulumi/pulumi sdk/go/common/workspace/creds.go, getCredsFilePath;
 * sdk/go/common/util/pulumihome/pulumihome.go, Dir: Go's user.Current().HomeDir). On Windows that home is the user's
 * profile folder, %USERPROFILE%, whatever HOME says (Go's os/user on Windows asks for the profile directory; PowerShell
 * and cmd set no HOME at all). With PULUMI_CREDENTIAL_STORE the CLI writes the file as an encrypted envelope (its
 * top-level "$pulumiSecureStore" key) whose key is in the system's keychain: that holds no token this process can read.
 * `reader` opens the error on a file that is not JSON (what was reading it: the release state, deployments/),
 * `instead` says which variables would let the caller go without the file.
 */
export function storedCredentials(
    env: Record<string, string | undefined>,
    { reader, instead }: { reader: string; instead: string },
    platform: NodeJS.Platform = process.platform,
): { file: string; credentials: StoredCredentials; encrypted: boolean } | undefined {
    const home = platform === "win32" ? env.USERPROFILE : env.HOME;
    const folder = env.PULUMI_CREDENTIALS_PATH || env.PULUMI_HOME || (home ? path.join(home, ".pulumi") : undefined);
    const file = folder && path.join(folder, "credentials.json");
    if (!file || !fs.existsSync(file)) return undefined;
    let parsed: unknown;
    try {
        parsed = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (error) {
        throw new Error(`${reader}: ${file} is not the JSON \`pulumi login\` writes (${(error as Error).message}); log in again, or ${instead}`);
    }
    const credentials = (typeof parsed === "object" && parsed !== null ? parsed : {}) as StoredCredentials & { $pulumiSecureStore?: unknown };
    if (credentials.$pulumiSecureStore !== undefined) return { file, credentials: {}, encrypted: true };
    return { file, credentials, encrypted: false };
}

/**
 * Attempts of a write, and the pause before each retry (longer each time): a rollback's (`over`, WriteOptions) through
 * any failure; an ordinary one through passing troubles only, once (see the top of this file): every write's worst case
 * is counted in the release's window (deployments/releaseWindow.ts), which prod's settings fill.
 */
export const OVER_WRITE_ATTEMPTS = 4;
export const ORDINARY_WRITE_ATTEMPTS = 2;
const WRITE_PAUSE_MS = 2_000;
/** The longest a 429's Retry-After is waited for before the next try. */
const RETRY_AFTER_MAX_MS = 5_000;

/**
 * The longest one write of the release state may take: its tries, each a read and a PATCH bounded by CALL_ATTEMPT,
 * and the pauses between them (an ordinary write's after a 429: its Retry-After, at most RETRY_AFTER_MAX_MS).
 */
export function stateWriteWorstSeconds(kind: "ordinary" | "rollback"): number {
    const attempts = kind === "rollback" ? OVER_WRITE_ATTEMPTS : ORDINARY_WRITE_ATTEMPTS;
    const pauses = Array.from({ length: attempts - 1 }, (_, i) => pauseMs(i + 1, kind === "rollback" ? 0 : RETRY_AFTER_MAX_MS));
    return (attempts * 2 * CALL_ATTEMPT.timeoutMs + pauses.reduce((a, b) => a + b, 0)) / 1000;
}

/** The pause after the `attempt`th try: longer each time, or a 429's Retry-After (at most RETRY_AFTER_MAX_MS). */
function pauseMs(attempt: number, retryAfterMs = 0): number {
    return Math.max(WRITE_PAUSE_MS * attempt, Math.min(retryAfterMs, RETRY_AFTER_MAX_MS));
}

/** ESC's answer to a request of the environment that was not a success: its status, and a 429's Retry-After. */
class EscRefusal extends Error {
    constructor(
        message: string,
        readonly status: number,
        readonly retryAfterMs?: number,
    ) {
        super(message);
    }
}

/** A PATCH ready to send (its body the definition written as sent) and the revision of the definition it was made on. */
interface Prepared {
    init: RequestInit & { body: string };
    madeOn: number | undefined;
}

/** A PATCH sent whose answer was not a success it can go on from, and the error it met. */
type SentWrite = Prepared & { error: Error };

/** A write that may have been applied, which the environment's revisions cannot settle: its own error stands. */
class Unsettled extends Error {
    constructor(readonly error: Error) {
        super(error.message);
    }
}

/** A trouble that may pass: ESC's 5xx or 429, or no answer at all (UnansweredCall, ConnectionFailure). */
function passing(err: unknown): boolean {
    return err instanceof NoAnswer || (err instanceof EscRefusal && (err.status >= 500 || err.status === 429));
}

/**
 * What a try of a write met when its write may still land after it: no answer (but a connection never made), or ESC's
 * 5xx; undefined for a 429, whose write ESC refused.
 */
export function mayLand(err: Error): string | undefined {
    if (err instanceof ConnectionFailure && err.neverSent) return undefined;
    if (err instanceof NoAnswer) return "got no answer";
    return err instanceof EscRefusal && err.status >= 500 ? `met ESC's ${err.status}` : undefined;
}

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
    /** The revision `definition` was read at. */
    let definitionRevision: number | undefined;
    /** ESC's 409 as the release says it; `earlier`: what an earlier try of the same write met, which may land it late. */
    const conflict = (earlier?: string) => {
        const own = earlier ? `, perhaps by this release's own earlier attempt, which ${earlier} and landed late` : "";
        return new EscRefusal(`release state: ${name} changed since the release read it (409 conflict)${own}; rerun the release to resume from the current state`, 409);
    };

    const failure = async (response: Response, doing: string) => {
        const text = await response.text();
        let message = text;
        try {
            // ESC's error body: code, message and, for a definition it refused, the diagnostics that say why; or those
            // diagnostics alone (pulumi/esc cmd/esc/cli/client/client_test.go, TestUpdateEnvironment "Diags only").
            const body = JSON.parse(text) as { message?: string; diagnostics?: { summary?: string }[] };
            message = [body.message, ...(body.diagnostics ?? []).map((d) => d.summary)].filter(Boolean).join("; ") || text;
        } catch {
            // not ESC's JSON error body: keep the text
        }
        return new EscRefusal(`release state: ${doing} ${name}: ${response.status} ${message}`, response.status, retryAfterMs(response));
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
        // An empty ETag is none: a PATCH is conditional only "If etag is not the empty string" (pulumi/esc
        // cmd/esc/cli/client/client.go, UpdateEnvironmentWithRevision).
        etag = response.headers.get("ETag") || undefined;
        definition = parseEscDefinition(await response.text(), name);
        definitionRevision = revisionOf(response);
        return { definition, revision: definitionRevision };
    };

    return {
        async read() {
            const { definition, revision } = await load();
            seenRevision = revision;
            const config = definition.values?.pulumiConfig ?? {};
            return Object.fromEntries(Object.entries<unknown>(config).map(([key, value]) => [key, configText(value)]));
        },
        async write(changes, options) {
            if (changes.length === 0) return;
            if (!options?.over) return ordinaryWrite(changes);
            for (let attempt = 1; ; attempt++) {
                try {
                    return await send(await prepare(changes, true));
                } catch (err) {
                    if (attempt >= OVER_WRITE_ATTEMPTS) throw err;
                    await pause(pauseMs(attempt));
                }
            }
        },
    };

    /**
     * An ordinary write: refused when the environment changed since the release read or wrote it, and tried again through
     * passing troubles, once (ORDINARY_WRITE_ATTEMPTS). After a try whose write may have been applied (no answer, a 5xx),
     * the next try first looks at what the environment holds (appliedAlready). A 409 then (that write landing late, or
     * anyone else's) is refused as any 409 is, a rerun resuming from what the environment holds; the next try's own 409
     * says the change may be that earlier write's.
     */
    async function ordinaryWrite(changes: readonly ConfigChange[]): Promise<void> {
        /** The last try, with its error, when its write may have been applied. */
        let unsettled: SentWrite | undefined;
        for (let attempt = 1; ; attempt++) {
            let error: unknown;
            /** This try's PATCH once prepared: an error after that is the PATCH's own. */
            let sending: Prepared | undefined;
            try {
                if (unsettled && (await appliedAlready(unsettled))) return;
                sending = await prepare(changes, false);
                return await send(sending);
            } catch (err) {
                if (err instanceof Unsettled) throw err.error;
                if (sending) {
                    const earlier = unsettled && mayLand(unsettled.error);
                    if (earlier && err instanceof EscRefusal && err.status === 409) throw conflict(earlier);
                    unsettled = passing(err) ? { ...sending, error: err as Error } : undefined;
                }
                error = err;
            }
            if (!passing(error)) throw error;
            // Out of tries: a write that may have been applied says what its own error says (how to look).
            if (attempt >= ORDINARY_WRITE_ATTEMPTS) throw unsettled?.error ?? error;
            await pause(pauseMs(attempt, error instanceof EscRefusal ? error.retryAfterMs : undefined));
        }
    }

    /**
     * Whether a write whose answer did not come was applied: the environment one revision on from the one it was made on,
     * holding exactly what it sent. False when nothing was applied (the revision it was made on, whose definition the
     * next try writes on); a change by anyone else is refused as ESC's 409 is; without revisions to tell them apart, the
     * write's own error stands.
     */
    async function appliedAlready(sent: SentWrite): Promise<boolean> {
        const { definition: now, revision } = await load();
        if (sent.madeOn === undefined || revision === undefined) throw new Unsettled(sent.error);
        if (revision === sent.madeOn + 1 && isDeepStrictEqual(now, parse(sent.init.body))) {
            seenRevision = revision;
            definition = etag = undefined;
            return true;
        }
        if (revision !== sent.madeOn) throw conflict();
        return false;
    }

    /**
     * The PATCH of `changes` on the definition last read (read now, when written since; `over`: on the newest one), and
     * the revision of the definition it is made on.
     */
    async function prepare(changes: readonly ConfigChange[], over: boolean): Promise<Prepared> {
        if (definition === undefined || over) {
            const { revision } = await load();
            if (!over && seenRevision !== undefined && revision !== undefined && revision !== seenRevision) throw conflict();
        }
        // ESC answers every read with its ETag (pulumi/esc cmd/esc/cli/client/client.go, GetEnvironment); without one
        // the PATCH would be unconditional and could overwrite a rollback made by hand since the read.
        if (etag === undefined) throw new Error(`release state: ${name} was read without an ETag, so a write could overwrite a change made since; nothing was written (a proxy between here and Pulumi Cloud may drop the header)`);
        const values = (definition.values ??= {});
        const config = (values.pulumiConfig ??= {});
        for (const change of changes) setConfigChange(config, change);
        const body = escYaml(definition);
        const init = { method: "PATCH", headers: { ...headers, "Content-Type": "application/json", ETag: etag }, body };
        // Read again before the next write whatever this one answers (or if it answers nothing): the changes are in this
        // copy now, and a write that timed out may have been applied.
        const madeOn = definitionRevision;
        etag = undefined;
        definition = undefined;
        return { init, madeOn };
    }

    async function send({ init }: { init: RequestInit }): Promise<void> {
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
