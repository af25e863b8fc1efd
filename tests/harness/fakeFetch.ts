/** A spec's own fetch: the registry reads call fetch with a URL, a string or URL object (httpAttempt.ts boundedFetch), never a Request. */
export type FakeFetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** Runs `use` with `fake` as this process's fetch, and puts the fetch before it back after, whether `use` passes or throws. */
export async function withFakeFetch<T>(fake: FakeFetch, use: () => Promise<T>): Promise<T> {
    const previous = globalThis.fetch;
    globalThis.fetch = fake as typeof fetch;
    try {
        return await use();
    } finally {
        globalThis.fetch = previous;
    }
}
