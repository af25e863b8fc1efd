import { createHash } from "crypto";
import { boundedFetch, isTransient, retryAfterMs } from "../httpAttempt";
import { LastingRefusal } from "../lastingRefusal";
import { perRunMap } from "../perRun";
import { waitClock } from "../waitClock";
import { MalformedRegistryAnswer, ociManifest, registryJson } from "./ociShapes";

/** One repository of a registry, as the OCI distribution API reaches it: `https://<host>/v2/<name>/...`. */
export interface OciRepository {
    /** `123456789012.dkr.ecr.ap-northeast-1.amazonaws.com`, `asia-northeast1-docker.pkg.dev`. */
    host: string;
    /** The repository's path on that host, e.g. `multicloud-service-prod`, `<project>/<repository>/service`. */
    name: string;
    /**
     * The registry login (`docker login` user and password): ECR's `AWS` and its token, Artifact Registry's
     * `oauth2accesstoken`. Unset: anonymous (a public repository's pull token is asked for without one).
     */
    credentials?: () => Promise<{ user: string; password: string }>;
}

export interface OciDescriptor {
    mediaType: string;
    digest: string;
    size: number;
    annotations?: Record<string, string>;
}

export interface OciManifest {
    mediaType?: string;
    /** The image's config (its platform, os/architecture, among others). */
    config?: OciDescriptor;
    layers?: OciDescriptor[];
    /** An index's manifests, one per platform (OCI image spec, image-index.md). */
    manifests?: (OciDescriptor & { platform?: { os: string; architecture: string; variant?: string } })[];
}

export const MANIFEST_TYPES = ["application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json"];
/** An image index: OCI's, and Docker's manifest list (a multi-platform image). */
export const INDEX_TYPES = ["application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json"];

/** Whether a media type is an image index's (INDEX_TYPES). */
export const isIndexMediaType = (mediaType: string | undefined) => mediaType !== undefined && INDEX_TYPES.includes(mediaType);

/**
 * The distribution spec's codes for "not there": MANIFEST_UNKNOWN ("manifest unknown to registry") and NAME_UNKNOWN
 * ("repository name not known to registry"; ECR's answer for a repository that is not there), both 404
 * (opencontainers/distribution-spec spec.md, "Error Codes").
 */
export type Absence = "MANIFEST_UNKNOWN" | "NAME_UNKNOWN";

/**
 * A manifest by tag, or the code the registry answered that it is not there (Absence), decided by the code, never by
 * the message (opencontainers/distribution-spec spec.md, "Error Codes"). Any other answer throws with the registry's
 * words. `accept`: the media types asked for (single image manifests unless told), as the registry serves only those.
 */
export async function manifestOrAbsence(repo: OciRepository, tag: string, accept: string[] = MANIFEST_TYPES): Promise<{ manifest: OciManifest } | { absent: Absence }> {
    const res = await registryGet(repo, `manifests/${tag}`, accept.join(", "));
    if (res.status === 404) {
        const codes = await errorCodes(res);
        const absent = codes.find((c): c is Absence => c === "MANIFEST_UNKNOWN" || c === "NAME_UNKNOWN");
        if (absent) return { absent };
        throw new Error(`${repo.host}/${repo.name}:${tag}: HTTP 404 ${codes.join(", ") || "without an error code"}`);
    }
    if (!res.ok) throw failure(res.status, `${repo.host}/${repo.name}:${tag}: HTTP ${res.status} ${await errorWords(res)}`);
    return { manifest: ociManifest(await res.text(), `${repo.host}/${repo.name}:${tag}`) };
}

/** A manifest by tag, or undefined when the registry answers that it is not there (manifestOrAbsence). */
export async function manifestByTag(repo: OciRepository, tag: string, accept: string[] = MANIFEST_TYPES): Promise<OciManifest | undefined> {
    const read = await manifestOrAbsence(repo, tag, accept);
    return "manifest" in read ? read.manifest : undefined;
}

/** A blob's bytes, checked against its digest: content addressing is what makes the descriptor's digest mean anything. */
export async function blob(repo: OciRepository, descriptor: OciDescriptor): Promise<Buffer> {
    const res = await registryGet(repo, `blobs/${descriptor.digest}`);
    if (!res.ok) throw failure(res.status, `${repo.host}/${repo.name}@${descriptor.digest}: HTTP ${res.status} ${await errorWords(res)}`);
    const bytes = Buffer.from(await res.arrayBuffer());
    const actual = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
    if (actual !== descriptor.digest) throw new BlobMismatchError(`${repo.host}/${repo.name}: blob ${descriptor.digest} holds other bytes (${actual})`);
    return bytes;
}

export class BlobMismatchError extends Error {
    name = "BlobMismatchError";
}

/**
 * The registry refused these credentials this read, after its login flow: 401 (UNAUTHORIZED; ECR's plain "Not
 * Authorized") or 403 (DENIED; Artifact Registry's names the permission), at the registry or at its token endpoint
 * (distribution-spec "Error Codes"; Docker's token authentication specification). It lasts the run (LastingRefusal);
 * any other status (429 TOOMANYREQUESTS, 5xx) is an Error, once registryFetch has asked again, and the next asker asks again.
 */
export class RegistryRefusal extends LastingRefusal {
    name = "RegistryRefusal";
}

/** A registry's failure to answer as asked: a refusal (401, 403) or any other failure. */
const failure = (status: number, message: string): Error => (status === 401 || status === 403 ? new RegistryRefusal(message) : new Error(message));

/**
 * A registry's "not now" (isTransient): 429 TOOMANYREQUESTS ("Returned when a client attempts to contact a service too
 * many times", distribution-spec "Error Codes") and its own failures (500, 502, 503 UNAVAILABLE, 504). ECR says of
 * its 429 "To handle throttling errors, implement a retry function with incremental backoff into your code" (Amazon
 * ECR User Guide, "Troubleshooting Amazon ECR error messages"); Artifact Registry's Docker endpoint counts each HTTP
 * request of a pull against its per-minute quota. Every request here is a GET (idempotent), so it is asked again: up to
 * `attempts` tries, after the answer's Retry-After (seconds, or a date: retryAfterMs), else 1, 2, 4 s and a random
 * share of that more, each wait at most `longestMs`. The waits are on the program's wait clock, as its other waits:
 * under mocks a busy answer is waited out at once and seen in the run's waits. A test may shorten the waits.
 */
export const REGISTRY_RETRY = {
    attempts: 4,
    firstDelayMs: 1000,
    longestMs: 30_000,
    sleep: (ms: number) => waitClock.sleep(ms),
};

/** One GET of the registry (boundedFetch), asked again while the registry answers busy (isTransient); its last answer. */
async function registryFetch(url: string | URL, headers: Record<string, string>): Promise<Response> {
    for (let attempt = 1; ; attempt++) {
        const res = await boundedFetch(url, { headers });
        if (!isTransient(res.status) || attempt >= REGISTRY_RETRY.attempts) return res;
        const backoff = REGISTRY_RETRY.firstDelayMs * 2 ** (attempt - 1);
        await REGISTRY_RETRY.sleep(Math.min(retryAfterMs(res) ?? backoff + Math.random() * backoff, REGISTRY_RETRY.longestMs));
    }
}

/**
 * GET `/v2/<name>/<path>` with the registry's own login flow: a first unauthenticated request, then what its
 * `WWW-Authenticate` challenge asks for: `Basic` (ECR) or `Bearer realm=...,service=...,scope=...` with a token from
 * the realm (Docker's token authentication specification, which Artifact Registry follows). Each request is one attempt
 * bounded by CALL_ATTEMPT (../httpAttempt.ts) and asked again while the registry answers busy (registryFetch): a
 * registry that never answers, or cannot be reached, fails the read naming the URL (a NoAnswer).
 */
async function registryGet(repo: OciRepository, path: string, accept?: string): Promise<Response> {
    const url = `https://${repo.host}/v2/${repo.name}/${path}`;
    const headers: Record<string, string> = accept ? { accept } : {};
    // The login a first challenge led to is sent with the next requests to the repository (until it is refused).
    const known = logins.get(repo);
    const first = await registryFetch(url, known ? { ...headers, authorization: known } : headers);
    if (first.status !== 401) return first;
    logins.delete(repo);
    const challenge = first.headers.get("www-authenticate") ?? "";
    await first.arrayBuffer();
    const login = repo.credentials ? await repo.credentials() : undefined;
    const basic = login && `Basic ${Buffer.from(`${login.user}:${login.password}`).toString("base64")}`;
    if (/^basic/i.test(challenge)) {
        if (!basic) throw new RegistryRefusal(`${repo.host} asks for a login to read ${repo.name}, and none is configured for that host`);
        return basicLogin(repo, login.user, basic, url, headers);
    }
    const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (!/^bearer/i.test(challenge) || !params.realm) throw new Error(`${repo.host} asked for a login this client does not know: ${JSON.stringify(challenge)}`);
    const tokenUrl = new URL(params.realm);
    if (params.service) tokenUrl.searchParams.set("service", params.service);
    tokenUrl.searchParams.set("scope", params.scope ?? `repository:${repo.name}:pull`);
    // A token refused to this login for this scope (the repository) is refused for the run: the manifest's read and the
    // signature's and attestations' after it hear the first refusal, as the next asker of a read does (perRun.ts).
    const key = refusalKey(tokenUrl.href, basic);
    const refused = refusals().get(key);
    if (refused) throw refused;
    const tokenRes = await registryFetch(tokenUrl, basic ? { authorization: basic } : {});
    if (!tokenRes.ok) {
        const err = failure(tokenRes.status, `${repo.host} refused a pull token for ${repo.name}: HTTP ${tokenRes.status} ${await errorWords(tokenRes)}`);
        if (err instanceof RegistryRefusal) refusals().set(key, err);
        throw err;
    }
    // Docker's token authentication specification: `token`, or OAuth 2.0's `access_token`, a string.
    const answer = registryJson(await tokenRes.text(), `${repo.host}'s answer to a pull token request for ${repo.name}`) as { token?: unknown; access_token?: unknown } | null;
    const token = [answer?.token, answer?.access_token].find((t): t is string => typeof t === "string" && t !== "");
    if (!token) throw new MalformedRegistryAnswer(`${repo.host}'s answer to a pull token request for ${repo.name} holds no token (neither "token" nor "access_token" is a string)`);
    return remember(repo, `Bearer ${token}`, url, headers);
}

/** The login each repository object was last let in with: one object per read's asker, so a read's requests share it. */
const logins = new WeakMap<OciRepository, string>();
/**
 * Refusals in this run, by what was refused and the login's hash (refusalKey): a pull token, by its URL (realm, service,
 * scope); a Basic login, by the registry host or the repository (basicLogin).
 */
const refusals = perRunMap<RegistryRefusal>();

/** A refusal's key: what was refused, and a hash of the login it was refused to (never the login itself). */
const refusalKey = (refused: string, basic: string | undefined) => `${refused} ${basic ? createHash("sha256").update(basic).digest("hex") : "anonymous"}`;

/**
 * A request with a Basic login (ECR's), unless the registry refused that login this run. ECR's 401 ("Not Authorized", a
 * login it does not know) refuses the login on the whole registry (its GetAuthorizationToken password is the registry's);
 * its 403 DENIED refuses one repository to it (IAM's "not authorized to perform: ecr:BatchGetImage on resource: <the
 * repository's ARN>"), so another may still be read. An expired login is a 403 too, not a 401 ("Your authorization token
 * has expired. Reauthenticate and try again.": flipt-io/flipt#3043, awslabs/amazon-ecr-credential-helper#7): kept per
 * repository as any 403 is, so another repository asks once more. A fresh login is another key (the login's hash).
 */
async function basicLogin(repo: OciRepository, user: string, basic: string, url: string, headers: Record<string, string>): Promise<Response> {
    const keys = { 401: refusalKey(repo.host, basic), 403: refusalKey(`${repo.host}/${repo.name}`, basic) };
    const refused = refusals().get(keys[401]) ?? refusals().get(keys[403]);
    if (refused) throw refused;
    const res = await remember(repo, basic, url, headers);
    if (res.status !== 401 && res.status !== 403) return res;
    const what = res.status === 401 ? `the login of ${user}` : `${repo.name} to the login of ${user}`;
    const err = new RegistryRefusal(`${repo.host} refused ${what}: HTTP ${res.status} ${await errorWords(res)}`);
    refusals().set(keys[res.status], err);
    throw err;
}

async function remember(repo: OciRepository, authorization: string, url: string, headers: Record<string, string>): Promise<Response> {
    const res = await registryFetch(url, { ...headers, authorization });
    if (res.status !== 401 && res.status !== 403) logins.set(repo, authorization);
    return res;
}

/** A registry's errors (`{"errors":[{"code","message","detail"}]}`), or its body's text as one (ECR's 401 is plain text). */
async function registryErrors(res: Response): Promise<{ code: string; message?: string }[]> {
    const text = await res.text();
    try {
        return ((JSON.parse(text) as { errors?: { code?: string; message?: string }[] }).errors ?? []).map((e) => ({ code: String(e.code), message: e.message }));
    } catch {
        return [{ code: text.trim().slice(0, 200) }];
    }
}

async function errorCodes(res: Response): Promise<string[]> {
    return (await registryErrors(res)).map((e) => e.code);
}

/** The registry's own words for a failure: each error's code and message (Artifact Registry's DENIED names the permission and repository). */
async function errorWords(res: Response): Promise<string> {
    return (await registryErrors(res)).map((e) => (e.message ? `${e.code}: ${e.message}` : e.code)).join(", ");
}
