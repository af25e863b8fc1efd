import autocannon = require("autocannon");

export interface LoadResult {
    requestsPerSecond: number;
    p50: number;
    p95: number;
    p99: number;
    errors: number;
    non2xx: number;
}

function percentile(sorted: number[], p: number): number {
    if (sorted.length === 0) return NaN;
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Drives one route with a fixed number of connections and returns throughput and latency percentiles (ms). */
export async function load(options: { url: string; method?: "GET" | "PUT" | "POST"; body?: string; connections: number; seconds: number }): Promise<LoadResult> {
    const latencies: number[] = [];
    const result = await new Promise<autocannon.Result>((resolve, reject) => {
        const instance = autocannon(
            { url: options.url, method: options.method ?? "GET", body: options.body, connections: options.connections, duration: options.seconds },
            (err, res) => (err ? reject(err) : resolve(res)),
        );
        instance.on("response", (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
    });
    latencies.sort((a, b) => a - b);
    return {
        requestsPerSecond: result.requests.average,
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        p99: percentile(latencies, 99),
        errors: result.errors + result.timeouts,
        non2xx: result.non2xx,
    };
}
