import { Context, Hono, MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { timing } from "hono/timing";
import * as z from "zod";
import { tokensMatch } from "./adminToken";
import { DependencyFailure } from "./dependencyFailure";
import { bodyAdmission } from "./bodyAdmission";
import { BodyBudget } from "./bodyBudget";
import { attachment } from "./contentDisposition";
import { LOST_BYTES, holdsReplacementCharacter } from "./functionUrlText";
import { bulkCheckBodyBound, runBodyBound } from "./jsonBodyBounds";
import { BodyBudgetExceeded, jsonBody, routeBodyLimit } from "./requestBody";
import { log } from "./log";
import { ObjectService } from "./objectService";
import { MAX_RUN_KEYS, runInputProblem, tooManyRunKeys } from "./pipelineRun";
import { nameChecks, nameInPath, rawPath } from "./requestNames";
import { StartPipeline } from "./pipelineStarter";
import { rateLimit } from "./rateLimit";
import { ReadRefused } from "./readAdmission";
import { readBudget } from "./readBudget";
import { cachedReadiness } from "./readiness";
import { securityHeaders } from "./securityHeaders";
import { Settings } from "./settings";
import { traceFields } from "./traceFields";

export interface AppDeps {
    settings: Settings;
    objects: ObjectService;
    /** Bytes of bodies held at once, uploads' and reads' (MAX_BODY_BYTES_IN_FLIGHT). */
    bodies: BodyBudget;
    /** The largest object one answer may carry, where the platform limits an answer (answerLimitFor). */
    answerLimitBytes?: number;
    /** Objects larger than this go out chunked, without a Content-Length (chunkedAnswerOverFor). */
    chunkedAnswerOverBytes?: number;
    /** Set on SIGTERM: /ready answers 503 and new work is refused with 503 from then on. */
    lifecycle: { draining: boolean };
    adminToken: () => Promise<string>;
    startPipeline?: StartPipeline;
}

const LIST_LIMIT = 1000;
/** Names one bulk check accepts: each one not in the cache is one storage call (HEAD). */
export const MAX_BULK_NAMES = 1000;
/** How long /ready reuses its last probe: at most one storage call a second per instance, however often it is probed. */
export const READY_CACHE_MS = 1000;
/** What a 503 asks the client to wait, in seconds: a transient storage failure is usually over by then. */
export const RETRY_AFTER_SECONDS = 1;
const startedAt = Date.now();

const badRequest = (message: string) => new HTTPException(400, { message });
/** A refused read's size as known: the declared length, or what had arrived when it stopped ("at least"). */
const sizeOf = (refused: ReadRefused) => `${refused.atLeast ? "at least " : ""}${refused.bytes} bytes`;

// The counts are the schemas' own `.max()`, checked before any entry (see jsonBody): a body of a million names was
// checked name by name before its count was (a run of 1-byte keys: zod and the name checks, 0.7 s at the Lambda API's 4 MiB,
// 3.2 s at 32 MiB; what is left is JSON.parse itself).
const BulkCheck = z.object({ names: z.array(z.string()).max(MAX_BULK_NAMES, `at most ${MAX_BULK_NAMES} names at once`) });
const RunRequest = z.object({ keys: z.array(z.string()).min(1).max(MAX_RUN_KEYS, { error: (issue) => tooManyRunKeys((issue.input as unknown[]).length) }) });

/** The service's routes, the same on Lambda (Function URL) and Cloud Run. */
export function createApp(deps: AppDeps): Hono {
    const { settings, objects, lifecycle } = deps;
    const app = new Hono({ getPath: rawPath });
    const { storedName, uploadName } = nameChecks(settings.OBJECT_PREFIX);
    /** Each request's storage work, all calls and retries together, ends by this deadline (STORAGE_DEADLINE_MS). */
    const deadline = () => AbortSignal.timeout(settings.STORAGE_DEADLINE_MS);
    const retryLater = { "retry-after": String(RETRY_AFTER_SECONDS) };

    // Each answer says how long the service itself took (Server-Timing `total;dur=`): the release, probing from a
    // runner far from the region, finds with it the network to take off its round trips (release/probe/load.ts).
    app.use("*", timing({ totalDescription: "service" }));
    app.use("*", securityHeaders);
    const limits = { requests: settings.RATE_LIMIT_REQUESTS, windowSeconds: settings.RATE_LIMIT_WINDOW_SECONDS, proxyHops: settings.TRUSTED_PROXY_HOPS };
    const tooMany = (c: Context, seconds: number) => c.json({ error: `too many requests, retry after ${seconds} s` }, 429, { "retry-after": String(seconds) });
    app.use("*", rateLimit(limits, tooMany));

    /** What a request's log line says about it: its path and, on Cloud Run, its trace. */
    const aboutRequest = (c: Context) => ({ path: c.req.path, ...traceFields(c, settings.GOOGLE_CLOUD_PROJECT) });

    const busy = (c: Context) => c.json({ error: "too many bodies in flight, retry later" }, 503, retryLater);

    app.onError((err, c) => {
        // An object larger than one answer carries, or than all the bytes this instance may hold, would be refused on
        // every retry: not "later".
        if (err instanceof ReadRefused && deps.answerLimitBytes !== undefined && err.bytes > deps.answerLimitBytes) {
            log.warn("object larger than a Function URL answer carries", { ...aboutRequest(c), bytes: err.bytes, atLeast: err.atLeast, limit: deps.answerLimitBytes });
            return c.json({ error: `the object is ${sizeOf(err)}, more than a Function URL answer carries (${deps.answerLimitBytes} bytes): read it from the bucket` }, 500);
        }
        if (err instanceof ReadRefused && err.bytes > deps.bodies.limitBytes) {
            log.warn("object larger than MAX_BODY_BYTES_IN_FLIGHT", { ...aboutRequest(c), bytes: err.bytes, atLeast: err.atLeast, limit: deps.bodies.limitBytes });
            return c.json({ error: `the object is ${sizeOf(err)}, more than this service holds at once (${deps.bodies.limitBytes}, MAX_BODY_BYTES_IN_FLIGHT)` }, 500);
        }
        if (err instanceof BodyBudgetExceeded || err instanceof ReadRefused) return busy(c);
        if (err instanceof HTTPException) return c.json({ error: err.message }, err.status);
        if (err instanceof DependencyFailure) {
            log.warn(err.answers.logged, { ...aboutRequest(c), transient: err.transient, error: err.message });
            if (err.transient) return c.json({ error: err.answers.unavailable }, 503, retryLater);
            return c.json({ error: err.answers.refused }, 500);
        }
        log.error("request failed", { ...aboutRequest(c), error: (err as Error).message });
        return c.json({ error: "internal error" }, 500);
    });
    app.notFound((c) => c.json({ error: `no route for ${c.req.method} ${c.req.path}` }, 404));

    app.get("/health", (c) => c.json({ status: "ok", version: settings.APP_VERSION, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) }));

    // A failing bucket makes /ready 503 within one storage deadline, and a recovered one makes it 200 again at the
    // next probe (no restart).
    const ready = cachedReadiness(
        () =>
            objects.store.ping(deadline()).then(
                () => true,
                (err) => (log.warn("storage unreachable", { error: (err as Error).message }), false),
            ),
        READY_CACHE_MS,
    );
    app.get("/ready", async (c) => {
        if (lifecycle.draining) return c.json({ ready: false, reason: "draining" }, 503);
        return (await ready()) ? c.json({ ready: true }) : c.json({ ready: false, reason: "storage unreachable" }, 503);
    });

    // Draining (SIGTERM): work already running finishes; new work is refused, on a closing connection, so the drain ends.
    const refuseWhileDraining: MiddlewareHandler = async (c, next) => {
        if (!lifecycle.draining) return next();
        return c.json({ error: "shutting down, retry later" }, 503, { ...retryLater, connection: "close" });
    };
    for (const path of ["/objects", "/objects/*", "/pipeline/*", "/admin/*"]) app.use(path, refuseWhileDraining);

    const upload = bodyAdmission({ maxBytes: settings.MAX_BODY_BYTES }, deps.bodies, busy);
    // A JSON route reads no more than its largest valid body (jsonBodyBounds.ts): past it, 413 before it is parsed.
    const bulkCheck = bodyAdmission(routeBodyLimit(settings.MAX_BODY_BYTES, bulkCheckBodyBound(settings.OBJECT_PREFIX, MAX_BULK_NAMES)), deps.bodies, busy);
    const runRequest = bodyAdmission(routeBodyLimit(settings.MAX_BODY_BYTES, runBodyBound(settings.OBJECT_PREFIX)), deps.bodies, busy);
    const reads = readBudget(deps.bodies, deps.answerLimitBytes);

    app.get("/objects", async (c) => c.json({ objects: await objects.list(LIST_LIMIT, deadline()) }));

    app.post("/objects/exists", bulkCheck.admit, async (c) => {
        const { names } = jsonBody(await bulkCheck.read(c), BulkCheck, 'expected {"names": ["..."]}');
        return c.json({ exists: await objects.existsMany(names.map(storedName), deadline()) });
    });

    app.put("/objects/:name{.*}", upload.admit, async (c) => {
        const name = uploadName(nameInPath(c.req.path));
        const bytes = await upload.read(c);
        const contentType = c.req.header("content-type");
        // On Lambda, Hono's adapter hands over the Function URL's event: a body it passed as text may have lost bytes.
        const event = (c.env as { event?: { isBase64Encoded?: boolean } } | undefined)?.event;
        if (event?.isBase64Encoded === false && holdsReplacementCharacter(bytes)) {
            log.warn("upload refused: its text body holds U+FFFD", { ...aboutRequest(c), contentType });
            throw badRequest(LOST_BYTES);
        }
        const stored = await objects.upload(name, bytes, contentType || "application/octet-stream", deadline());
        return c.json({ name: stored, renamed: stored !== name, bytes: bytes.byteLength }, 201);
    });

    app.on(["GET", "HEAD"], "/objects/:name{.*}", reads.hold, async (c) => {
        const name = storedName(nameInPath(c.req.path));
        const missing = () => c.json({ error: `no object named ${name}` }, 404);
        const headers = (contentType: string) => ({ "content-type": contentType, "content-disposition": attachment(name) });
        // Hono answers a HEAD with this handler's answer without its body: the object's metadata is all it needs.
        if (c.req.method === "HEAD") {
            const contentType = await objects.contentTypeOf(name, deadline());
            return contentType === undefined ? missing() : c.body(null, 200, headers(contentType));
        }
        const object = await objects.get(name, deadline(), reads.admission(c));
        if (!object) return missing();
        const body = object.body as Uint8Array<ArrayBuffer>;
        const chunked = deps.chunkedAnswerOverBytes !== undefined && body.byteLength > deps.chunkedAnswerOverBytes;
        return c.body(chunked ? inChunks(body) : body, 200, headers(object.contentType));
    });

    app.post("/pipeline/runs", runRequest.admit, async (c) => {
        if (!deps.startPipeline) return c.json({ error: "no pipeline here" }, 404);
        const run = jsonBody(await runRequest.read(c), RunRequest, 'expected {"keys": ["name", ...]}');
        const keys = run.keys.map(storedName).map((n) => objects.key(n));
        const problem = runInputProblem(settings.BUCKET_NAME, keys);
        if (problem) throw badRequest(problem);
        const executionArn = await deps.startPipeline(keys, deadline());
        return c.json({ executionArn }, 202);
    });

    if (settings.ADMIN_FEATURES_ENABLED) {
        app.use("/admin/*", async (c, next) => {
            const presented = presentedAdminToken(c);
            if (!presented || !tokensMatch(presented, await deps.adminToken())) {
                return c.json({ error: "admin endpoints need the admin token in X-Admin-Token (or Authorization: Bearer <token> where no IAM auth uses that header)" }, 401, { "www-authenticate": "Bearer" });
            }
            await next();
        });
        app.get("/admin/cache", (c) => c.json(objects.cache.stats()));
        app.delete("/admin/cache", (c) => c.json({ cleared: objects.cache.clear() }));
        app.get("/admin/storage", async (c) => {
            const reachable = await objects.store.ping(deadline()).then(() => true, () => false);
            return c.json({ backend: objects.store.backend, bucket: settings.BUCKET_NAME ?? null, prefix: objects.prefix, reachable });
        });
    }
    return app;
}

/**
 * The admin token the request presents: X-Admin-Token, else `Authorization: Bearer`. Behind either platform's IAM auth
 * (every stack's: the Function URL's AWS_IAM, whose SigV4 signature is the Authorization header; Cloud Run without a
 * public invoker, whose caller sends its Google ID token there) Authorization is the platform's, so the token needs a
 * header of its own.
 */
function presentedAdminToken(c: Context): string {
    const own = c.req.header("x-admin-token");
    if (own !== undefined) return own;
    // The scheme's name is case-insensitive (RFC 9110 11.1): "bearer" is Bearer.
    const bearer = /^bearer +(.*)$/i.exec(c.req.header("authorization") ?? "");
    return bearer ? bearer[1] : "";
}

/** A body as a stream of 1 MiB pieces: sent without a Content-Length, so HTTP/1.1 sends it chunked. */
function inChunks(body: Uint8Array<ArrayBuffer>): ReadableStream<Uint8Array<ArrayBuffer>> {
    const piece = 1024 * 1024;
    let offset = 0;
    return new ReadableStream({
        pull(controller) {
            controller.enqueue(body.subarray(offset, offset + piece));
            offset += piece;
            if (offset >= body.byteLength) controller.close();
        },
    });
}
