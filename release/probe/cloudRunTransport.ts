/**
 * The new Cloud Run revision alone: its tagged URL (`https://candidate---<service>-<hash>.a.run.app`, the
 * service's trafficStatuses[].uri for the tag), with a Google ID token whose audience is that URL, since the
 * service has no public invoker (the release's identity needs run.routes.invoke, which roles/run.admin has).
 */
import * as http from "http";
import * as https from "https";
import { MAX_IN_FLIGHT } from "./load";
import { Transport } from "./transport";

export type IdTokenHeaders = (audience: string) => Promise<Record<string, string>>;

/** Google ID tokens last an hour; one is reused for 50 minutes. */
const TOKEN_REUSE_MS = 50 * 60_000;
export const IAM_CREDENTIALS_API = "https://iamcredentials.googleapis.com";

/**
 * Where the token comes from. The release job has only an OAuth access token (ESC's gcp-login sets
 * GOOGLE_OAUTH_ACCESS_TOKEN): with it, IAM Credentials' `generateIdToken` for RELEASE_GCP_SERVICE_ACCOUNT (that
 * account needs iam.serviceAccounts.getOpenIdToken on itself). Without it, application default credentials through
 * google-auth-library's ID token client (a service account key, the metadata server).
 */
export function googleIdTokenHeaders(env: Record<string, string | undefined> = process.env, apiBase = IAM_CREDENTIALS_API, fetchImpl: typeof fetch = fetch): IdTokenHeaders {
    const cache = new Map<string, { token: string; until: number }>();
    const mint = async (audience: string): Promise<string> => {
        const accessToken = env.GOOGLE_OAUTH_ACCESS_TOKEN;
        if (!accessToken) {
            const { GoogleAuth } = await import("google-auth-library");
            const client = await new GoogleAuth().getIdTokenClient(audience);
            return client.idTokenProvider.fetchIdToken(audience);
        }
        const account = env.RELEASE_GCP_SERVICE_ACCOUNT;
        if (!account) throw new Error("gcp: GOOGLE_OAUTH_ACCESS_TOKEN is set but RELEASE_GCP_SERVICE_ACCOUNT is not: name the service account whose ID token reaches the new revision (an access token alone cannot call Cloud Run)");
        const response = await fetchImpl(`${apiBase}/v1/projects/-/serviceAccounts/${encodeURIComponent(account)}:generateIdToken`, {
            method: "POST",
            headers: { Authorization: `Bearer ${accessToken}`, "Content-Type": "application/json" },
            body: JSON.stringify({ audience, includeEmail: true }),
        });
        const text = await response.text();
        if (!response.ok) {
            let message = text;
            try {
                message = JSON.parse(text).error?.message ?? text;
            } catch {
                // not Google's JSON error body: keep the text
            }
            throw new Error(`gcp: an ID token for ${account} (audience ${audience}): ${response.status} ${message}`);
        }
        return JSON.parse(text).token;
    };
    return async (audience) => {
        const cached = cache.get(audience);
        if (cached && cached.until > Date.now()) return { Authorization: `Bearer ${cached.token}` };
        const token = await mint(audience);
        cache.set(audience, { token, until: Date.now() + TOKEN_REUSE_MS });
        return { Authorization: `Bearer ${token}` };
    };
}

/**
 * Requests over Node's http/https with keep-alive sockets, as many as the probe keeps in flight: several times
 * cheaper in CPU per request than fetch on Node 20 (scripts/bench/releaseProbe.ts measures it), which matters
 * when both clouds' loads run in one process.
 */
export function httpTransport(baseUrl: string, headers: () => Promise<Record<string, string>> = async () => ({})): Transport {
    const base = new URL(baseUrl);
    // A URL's href ends in "/" at its root; the request paths start with one.
    const root = base.href.replace(/\/$/, "");
    const client = base.protocol === "https:" ? https : http;
    const agent = new client.Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT });
    return async (request) => {
        const body = request.body === undefined ? undefined : Buffer.from(request.body);
        const sent = { ...(await headers()), ...(body ? { "content-type": "application/json", "content-length": String(body.length) } : {}) };
        return new Promise((resolve, reject) => {
            const req = client.request(`${root}${request.path}`, { method: request.method, headers: sent, agent }, (res) => {
                const chunks: Buffer[] = [];
                res.on("data", (chunk: Buffer) => chunks.push(chunk));
                res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
                res.on("error", reject);
            });
            req.on("error", reject);
            req.end(body);
        });
    };
}
