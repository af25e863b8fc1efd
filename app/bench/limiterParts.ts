/**
 * What the rate limiter does per request, timed in process on the app's Node (for `npm run bench`'s limiter rows):
 * `consume` of rate-limiter-flexible's in-memory limiter, as src/rateLimit.ts calls it, for one key and for 1,000
 * in turn; and what building the request's Headers from its raw pairs costs, which reading X-Forwarded-For through
 * Hono cost with @hono/node-server 1.x (`newHeadersFromIncoming`: the raw pairs into `new Headers`). The service
 * reads Node's own parsed header instead (src/clientKey.ts), and 2.x builds its RequestHeaders lazily.
 * Prints one JSON line of microseconds per call, the median of 5 batches less the timing loop's own cost.
 *   node --import tsx bench/limiterParts.ts [--calls 200000]
 */
import { parseArgs } from "node:util";
import { RateLimiterMemory } from "rate-limiter-flexible";

const { values } = parseArgs({ options: { calls: { type: "string", default: "200000" } } });
const CALLS = Number(values.calls);
const BATCHES = 5;

const addresses = Array.from({ length: 1000 }, (_, i) => `10.0.${i >> 8}.${i & 255}`);

/** The raw header pairs autocannon sends the bench's servers, one address each. */
const rawHeaders = (address: string) => [
    ["host", "127.0.0.1:18300"],
    ["x-forwarded-for", address],
];

/** A call that returns a promise is awaited, as the middleware awaits `consume`; a plain one is not. */
async function microsPerCall(call: (i: number) => unknown): Promise<number> {
    const run = async (i: number) => {
        const result = call(i);
        if (result instanceof Promise) await result;
    };
    for (let i = 0; i < CALLS / 10; i++) await run(i); // warm-up: let the JIT settle first
    const batches: number[] = [];
    for (let b = 0; b < BATCHES; b++) {
        const start = process.hrtime.bigint();
        for (let i = 0; i < CALLS; i++) await run(i);
        batches.push(Number(process.hrtime.bigint() - start) / CALLS / 1000);
    }
    return batches.sort((x, y) => x - y)[Math.floor(BATCHES / 2)];
}

async function main() {
    // The service's default window, a limit never reached: every call counts, none is refused.
    const limiter = new RateLimiterMemory({ points: 1_000_000_000, duration: 60 });
    const pairs = addresses.map(rawHeaders);
    // The timing loop's own cost per call, taken off each figure.
    const loop = await microsPerCall(() => undefined);
    const net = async (call: (i: number) => unknown) => Math.max(0, (await microsPerCall(call)) - loop);
    const figures = {
        consumeOneKeyMicros: await net(() => limiter.consume("ip:203.0.113.1")),
        consumeManyKeysMicros: await net((i) => limiter.consume(`ip:${addresses[i % addresses.length]}`)),
        forwardedForHeaderMicros: await net((i) => new Headers(pairs[i % pairs.length] as [string, string][]).get("x-forwarded-for")),
        loopMicros: loop,
        keys: addresses.length,
        calls: CALLS,
        node: process.version,
    };
    console.log(JSON.stringify(figures));
}

main().catch((err) => {
    process.stderr.write(`${err.stack ?? err}\n`);
    process.exit(1);
});
