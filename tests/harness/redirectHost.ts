/**
 * Sends this process's fetch requests to one host (`cloudquotas.googleapis.com`) to `baseUrl` (a SilentServer's URL;
 * `http://127.0.0.1:<a closed port>`: a host that cannot be reached), every other request going as before. Installed
 * inside a run under mocks (once the offline redirect is in place), the rest of the program's reads still reach the
 * stand-ins. Returns what puts the previous fetch back.
 */
export function redirectHost(hostname: string, baseUrl: string): () => void {
    const previous = globalThis.fetch;
    globalThis.fetch = ((input: string | URL | Request, init?: RequestInit) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        return previous(url.hostname === hostname ? `${baseUrl}${url.pathname}${url.search}` : input, init);
    }) as typeof fetch;
    return () => void (globalThis.fetch = previous);
}
