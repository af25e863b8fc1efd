/**
 * The new Cloud Run revision alone: its tagged URL (`https://candidate---<service>-<hash>.a.run.app`, the
 * service's trafficStatuses[].uri for the tag), with a Google ID token whose audience is that URL, since the
 * service has no public invoker (roles/run.invoker for the release's identity). Tokens come from
 * google-auth-library's ID token client, which caches and renews them.
 */
import { Transport } from "./transport";

export type IdTokenHeaders = (audience: string) => Promise<Record<string, string>>;

/** Application default credentials: a service account key, workload identity, or the metadata server. */
export const googleIdTokenHeaders: IdTokenHeaders = async (audience) => {
    const { GoogleAuth } = await import("google-auth-library");
    const client = await new GoogleAuth().getIdTokenClient(audience);
    return Object.fromEntries((await client.getRequestHeaders(audience)).entries());
};

export function httpTransport(baseUrl: string, headers: () => Promise<Record<string, string>> = async () => ({})): Transport {
    const base = baseUrl.replace(/\/$/, "");
    return async (request) => {
        const response = await fetch(`${base}${request.path}`, {
            method: request.method,
            headers: { ...(await headers()), ...(request.body !== undefined ? { "content-type": "application/json" } : {}) },
            body: request.body,
        });
        return { status: response.status, body: await response.text() };
    };
}
