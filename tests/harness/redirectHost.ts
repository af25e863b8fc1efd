/**
 * Sends this process's fetch requests to one host (`cloudquotas.googleapis.com`) to `baseUrl` (a SilentServer's URL;
 * `http://127.0.0.1:<a closed port>`: a host that cannot be reached), every other request going as before. Installed
 * inside a run under mocks (once the offline redirect is in place), the rest of the program's reads still reach the
 * stand-ins. Returns what puts the previous fetch back. Inside a run, put back the fetch from before the run after it
 * instead (withFakeFetch(globalThis.fetch, run)): the previous fetch is the run's redirect, which the run's end leaves
 * in place while this one is the process's fetch, so putting it back after the run would leave it in for what runs next.
 */
export function redirectHost(hostname: string, baseUrl: string): () => void {
    const previous = globalThis.fetch;
    globalThis.fetch = ((input: string | URL | Request, init?: RequestInit) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        return previous(url.hostname === hostname ? `${baseUrl}${url.pathname}${url.search}` : input, init);
    }) as typeof fetch;
    return () => void (globalThis.fetch = previous);
}
