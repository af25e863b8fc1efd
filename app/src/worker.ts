/**
 * The pipeline worker (image command `worker.handler`): each Map iteration of the state machine invokes it with
 * `{bucket, keys: [oneKey]}`. It writes `results/<key>.json` with the size, sha256 and detected content type, and
 * returns only `{key, resultKey}`. A key it cannot process makes it throw KeyRejected or StorageRefused (permanent)
 * or StorageUnavailable (transient, retried); the result depends only on the object, so a retry writes the same.
 */
import { createHash } from "crypto";
import { bootstrap } from "./bootstrap";
import { detectContentType } from "./contentType";
import { LAMBDA_SHUTDOWN_BUDGET_MS, drainOnSigterm } from "./lambdaShutdown";
import { inInvocation, log, logNodeWarnings } from "./log";
import { KEY_LIMIT_BYTES, invalidNameReason } from "./objectNames";
import { resultKeyFor } from "./resultKeys";
import { ReadRefused } from "./readAdmission";
import { ObjectStore, StorageError } from "./storage";
import { WAKE_UP_EVENT } from "./pipelineRun";
import { KeyRejected, StorageRefused, StorageUnavailable } from "./workerErrors";
import { WorkerObjectLimit, workerObjectLimit } from "./workerObjectLimit";

/** What `results/<key>.json` holds. */
export interface KeyResult {
    key: string;
    resultKey: string;
    bytes: number;
    sha256: string;
    contentType: string;
}
/** What the handler returns: small on purpose, the state machine discards it. */
export interface WorkerOutput {
    key: string;
    resultKey: string;
}

/** The one key of a `{bucket, keys: [key]}` event for this pipeline's bucket, or KeyRejected. */
export function parseWorkerInput(event: unknown, expectedBucket: string | undefined): string {
    const e = event as { bucket?: unknown; keys?: unknown } | null;
    const keys = e?.keys;
    if (!e || typeof e.bucket !== "string" || !Array.isArray(keys) || keys.length !== 1 || typeof keys[0] !== "string") {
        throw new KeyRejected('invalid worker input: expected {"bucket": "...", "keys": ["one key"]}');
    }
    if (expectedBucket && e.bucket !== expectedBucket) throw new KeyRejected(`invalid worker input: bucket ${e.bucket} is not this pipeline's bucket`);
    return keys[0];
}

/** A storage failure as the state machine should see it: StorageRefused when no retry can help, else StorageUnavailable. */
async function fromStorage<T>(what: string, action: () => Promise<T>): Promise<T> {
    try {
        return await action();
    } catch (err) {
        if (err instanceof ReadRefused) throw err;
        const cause = err instanceof StorageError && err.cause !== undefined ? err.cause : err;
        throw err instanceof StorageError && !err.transient ? new StorageRefused(what, cause) : new StorageUnavailable(what, cause);
    }
}

/** An object over the limit, refused before its bytes are held. */
async function readWithin(store: ObjectStore, key: string, limit: WorkerObjectLimit, signal?: AbortSignal) {
    try {
        return await fromStorage(`reading ${key}`, () => store.get(key, signal, (bytes) => bytes <= limit.bytes));
    } catch (err) {
        if (!(err instanceof ReadRefused)) throw err;
        throw new KeyRejected(`key ${JSON.stringify(key)} is ${err.atLeast ? "over " : ""}${err.bytes} bytes, more than the worker holds (${limit.bytes} bytes, ${limit.reason})`);
    }
}

/** `signal`: the storage deadline for this key (STORAGE_DEADLINE_MS), well inside the function's timeout. */
export async function processKey(
    store: ObjectStore,
    key: string,
    inputPrefix: string,
    signal?: AbortSignal,
    limit: WorkerObjectLimit = workerObjectLimit({}),
): Promise<WorkerOutput> {
    const reason = invalidNameReason(key);
    if (reason) throw new KeyRejected(`key ${JSON.stringify(key)} ${reason}`);
    if (!key.startsWith(inputPrefix)) throw new KeyRejected(`key ${JSON.stringify(key)} is outside ${inputPrefix}`);
    const resultKey = resultKeyFor(key);
    if (Buffer.byteLength(resultKey) > KEY_LIMIT_BYTES) throw new KeyRejected(`key ${JSON.stringify(key)}: its results key would be longer than ${KEY_LIMIT_BYTES} bytes`);
    const object = await readWithin(store, key, limit, signal);
    if (!object) throw new KeyRejected(`key ${JSON.stringify(key)}: no such object`);
    const result: KeyResult = {
        key,
        resultKey,
        bytes: object.body.byteLength,
        sha256: createHash("sha256").update(object.body).digest("hex"),
        contentType: await detectContentType(object.body),
    };
    await fromStorage(`writing ${result.resultKey}`, () => store.put(result.resultKey, new TextEncoder().encode(JSON.stringify(result)), "application/json", signal));
    return { key, resultKey: result.resultKey };
}

let boot: ReturnType<typeof bootstrap> | undefined;

/** On SIGTERM (Lambda's Shutdown phase, see lambdaShutdown.ts) a key in flight may settle, then the process exits 0. */
export const handler = drainOnSigterm(inInvocation(async (event: unknown): Promise<WorkerOutput | { awake: true }> => {
    if (!boot) {
        logNodeWarnings();
        boot = bootstrap("lambda-worker");
    }
    if (isWakeUp(event)) return { awake: true };
    try {
        const key = parseWorkerInput(event, boot.settings.BUCKET_NAME);
        return await processKey(boot.objects.store, key, boot.settings.OBJECT_PREFIX, AbortSignal.timeout(boot.settings.STORAGE_DEADLINE_MS), workerObjectLimit(process.env));
    } catch (err) {
        log.warn("key failed", { error: (err as Error).message, errorType: (err as Error).name });
        throw err;
    }
}), { draining: false }, LAMBDA_SHUTDOWN_BUDGET_MS);

/** The state machine's wake-up call (WAKE_UP_EVENT), and nothing else: it has no keys. */
function isWakeUp(event: unknown): boolean {
    const e = event as Record<string, unknown> | null;
    return typeof e === "object" && e !== null && e.wakeUp === WAKE_UP_EVENT.wakeUp && Object.keys(e).length === 1;
}

/** For tests: use this store instead of the configured one. */
export function useStoreForTests(store: ObjectStore, env: NodeJS.ProcessEnv): void {
    boot = bootstrap("lambda-worker", env, store);
}
