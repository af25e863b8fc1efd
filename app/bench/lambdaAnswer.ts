/**
 * The Lambda API handler's CPU for one answer of the largest object the API stores (LAMBDA_API_MAX_BODY_BYTES, 4 MiB
 * of random bytes, sent back base64), for `npm run bench`: functionUrlHandler over the service's own app on the memory
 * store, in this process, `--runs` GETs after one to warm up, each timed with process.cpuUsage. Beside it, in the same
 * run, hono's utils/encode.ts encodeBase64 of the same bytes (median of at most 3): what Hono's adapter spent on the
 * answer alone before the handler encoded it with Buffer (src/adapterBodies.ts). Prints one JSON line.
 *   node --import tsx bench/lambdaAnswer.ts [--runs 5]
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { encodeBase64 } from "hono/utils/encode";
import { LAMBDA_API_MAX_BODY_BYTES } from "../src/bodyLimits";
import { bootstrap } from "../src/bootstrap";
import { functionUrlHandler } from "../src/functionUrlHandler";
import { MemoryStore } from "../src/storage";
import { functionUrlEvent } from "../tests/events";

const { values } = parseArgs({ options: { runs: { type: "string", default: "5" } } });
const RUNS = Number(values.runs);
/** Hono's encoder takes 0.2 to 1.5 s a run: the baseline is the median of fewer. */
const BASELINE_RUNS = Math.min(RUNS, 3);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const round = (ms: number) => Math.round(ms * 10) / 10;

/** The CPU (user and system) `work` took in this process, in ms. */
async function cpuMs(work: () => unknown): Promise<number> {
    const start = process.cpuUsage();
    await work();
    const spent = process.cpuUsage(start);
    return (spent.user + spent.system) / 1000;
}

async function main() {
    const object = randomBytes(LAMBDA_API_MAX_BODY_BYTES);
    const handler = functionUrlHandler(bootstrap("lambda-api", { LOG_LEVEL: "error" }, new MemoryStore()).app);
    const put = await handler(functionUrlEvent("PUT", "/objects/big.bin", object, { "content-type": "application/octet-stream" }));
    if (put.statusCode !== 201) throw new Error(`storing the object answered ${put.statusCode}: ${put.body}`);
    const get = () => handler(functionUrlEvent("GET", "/objects/big.bin"));
    const first = await get();
    if (first.statusCode !== 200 || first.body !== object.toString("base64")) throw new Error(`the GET answered ${first.statusCode} without the object's bytes`);
    const handlerMs: number[] = [];
    const honoEncodeMs: number[] = [];
    for (let i = 0; i < RUNS; i++) handlerMs.push(await cpuMs(get));
    const asTheAdapterReadIt = new Uint8Array(object).buffer; // its createResult encodes `await res.arrayBuffer()`
    for (let i = 0; i < BASELINE_RUNS; i++) honoEncodeMs.push(await cpuMs(() => encodeBase64(asTheAdapterReadIt)));
    console.log(JSON.stringify({ objectBytes: object.byteLength, runs: RUNS, handlerCpuMs: round(median(handlerMs)), baselineRuns: BASELINE_RUNS, honoEncodeCpuMs: round(median(honoEncodeMs)) }));
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
