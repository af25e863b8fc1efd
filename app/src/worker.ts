/**
 * The pipeline worker (image command `worker.handler`): Step Functions invokes it with `{bucket, keys}`. For
 * each key it writes `results/<key>.json` with the size, sha256 and detected content type. A bad key is
 * reported and does not stop the others; the result depends only on the object, so a retry writes the same.
 */
import { createHash } from "crypto";
import { bootstrap } from "./bootstrap";
import { detectContentType } from "./contentType";
import { log } from "./log";
import { invalidNameReason } from "./objectNames";
import { ObjectStore } from "./storage";

export const RESULTS_PREFIX = "results/";

export interface WorkerInput {
    bucket: string;
    keys: string[];
}
export interface KeyResult {
    key: string;
    resultKey: string;
    bytes: number;
    sha256: string;
    contentType: string;
}
export interface WorkerOutput {
    bucket: string;
    results: KeyResult[];
    failed: { key: string; error: string }[];
}

export function parseWorkerInput(event: unknown): WorkerInput {
    const e = event as Partial<WorkerInput> | null;
    if (!e || typeof e.bucket !== "string" || !Array.isArray(e.keys) || !e.keys.every((k) => typeof k === "string")) {
        throw new Error('invalid worker input: expected {"bucket": "...", "keys": ["..."]}');
    }
    return { bucket: e.bucket, keys: e.keys };
}

export async function processBatch(store: ObjectStore, input: WorkerInput, inputPrefix: string): Promise<WorkerOutput> {
    const output: WorkerOutput = { bucket: input.bucket, results: [], failed: [] };
    for (const key of input.keys) {
        try {
            const reason = invalidNameReason(key);
            if (reason) throw new Error(`key ${reason}`);
            if (!key.startsWith(inputPrefix)) throw new Error(`key is outside ${inputPrefix}`);
            const object = await store.get(key);
            if (!object) throw new Error("no such object");
            const result: KeyResult = {
                key,
                resultKey: `${RESULTS_PREFIX}${key}.json`,
                bytes: object.body.byteLength,
                sha256: createHash("sha256").update(object.body).digest("hex"),
                contentType: await detectContentType(object.body),
            };
            await store.put(result.resultKey, new TextEncoder().encode(JSON.stringify(result)), "application/json");
            output.results.push(result);
        } catch (err) {
            log.warn("key failed", { key, error: (err as Error).message });
            output.failed.push({ key, error: (err as Error).message });
        }
    }
    return output;
}

let boot: ReturnType<typeof bootstrap> | undefined;

export const handler = async (event: unknown): Promise<WorkerOutput> => {
    boot ??= bootstrap();
    const input = parseWorkerInput(event);
    const expected = boot.settings.BUCKET_NAME;
    if (expected && input.bucket !== expected) throw new Error(`invalid worker input: bucket ${input.bucket} is not this pipeline's bucket`);
    return processBatch(boot.objects.store, input, boot.settings.OBJECT_PREFIX);
};

/** For tests: use this store instead of the configured one. */
export function useStoreForTests(store: ObjectStore, env: NodeJS.ProcessEnv): void {
    boot = bootstrap(env, store);
}
