import { createHash } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { once } from "node:events";
import { IncomingMessage, ServerResponse, createServer } from "node:http";
import { AddressInfo, Socket } from "node:net";
import { crc32cBase64 } from "./crc32c";
import { badRequest, conditionNotMet, gcsError, noSuchBucket, noSuchObject, noSuchObjectMedia, notImplemented } from "./gcsErrors";
import { parseMultipartRelated, relatedBoundary } from "./multipartRelated";

/** GCS lists objects "lexicographically by name" (Cloud Storage docs, "List objects"): by their UTF-8 bytes. */
const byUtf8 = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/**
 * A loopback stand-in for the part of the Cloud Storage JSON API that @google-cloud/storage sends for the
 * service's store (src/storage/gcsStore.ts): objects.insert as a media or multipart upload, with the
 * ifGenerationMatch precondition; objects.get (metadata, or the data with alt=media); objects.list with prefix,
 * maxResults and pageToken; objects.delete. Anything else it is asked is answered 501, never guessed at.
 *
 * Paths: the JSON API under `/storage/v1` (what the SDK sends with `apiEndpoint`) and under `/` (what it sends
 * with STORAGE_EMULATOR_HOST, which it uses as the JSON API's base URL as is); uploads under `/upload/storage/v1`
 * either way (nodejs-common/service.js, file.js startSimpleUpload_ in @google-cloud/storage 7).
 */
export interface StoredGcsObject {
    name: string;
    bytes: Buffer;
    contentType: string;
    /** The object's user-provided metadata ("metadata: User-provided metadata, in key/value pairs", objects resource). */
    metadata?: Record<string, string>;
    /**
     * Set for a composite object (objects.compose, which the stand-in does not implement: a test puts one in the
     * bucket itself): "componentCount: Returned for composite objects only", and such an object has no MD5 (objects
     * resource; "Hashes and ETags": "MD5 hashes are not supported for composite objects").
     */
    componentCount?: number;
    /**
     * "contentEncoding: Content-Encoding of the object data" (objects resource): "gzip" for an object stored
     * gzip-compressed (uploaded with that metadata), whose `bytes` are then the compressed bytes as stored. How its
     * download is answered: see onObject.
     */
    contentEncoding?: string;
    generation: string;
    metageneration: string;
    created: string;
}

export interface FakeGcs {
    /** For `apiEndpoint` (the JSON API is under /storage/v1) and for STORAGE_EMULATOR_HOST alike. */
    url: string;
    /** The live objects of a bucket, by name (the test's view; it changes as the stand-in is used). */
    bucket(name: string): Map<string, StoredGcsObject>;
    /** Every request, method and URL as sent, in arrival order. */
    requests: { method: string; url: string }[];
    close(): Promise<void>;
}

export interface FakeGcsOptions {
    /**
     * The most items one listing page holds: GCS uses maxResults "or 1,000 items, whichever is smaller"
     * (https://cloud.google.com/storage/docs/json_api/v1/objects/list). Lower it to see the SDK follow pages.
     */
    pageSize?: number;
}

const GCS_PAGE_LIMIT = 1000;
/** Query parameters the stand-in may ignore: they change nothing in what it answers. */
const HARMLESS = new Set(["alt", "prettyPrint", "projection", "userProject", "uploadType", "name"]);
const PRECONDITIONS = new Set(["ifGenerationMatch"]);
const LISTING = new Set(["prefix", "maxResults", "pageToken"]);

/**
 * An object name as GCS accepts it: 1-1,024 bytes of UTF-8, no CR or LF (https://cloud.google.com/storage/docs/objects#naming).
 * A longer name is refused in GCS's words: "400 The maximum object length is 1024 characters, but got a name with 1028
 * characters: '2022-12-06T20:18:13Z/xxxxx-xxxxx-data-backup/logical/d33a3e49-a588-210e-c4cb-...'" (hashicorp/vault#18248,
 * the JSON API through google-cloud-java; also firebase/firebase-tools#10198). The stand-in says as much up to the
 * count, which it gives in bytes, the unit of the documented limit; the capture does not show the reason, nor where GCS
 * cuts the name it quotes after that (its name is redacted), so the stand-in quotes none. GCS's words for an empty
 * name or one with CR or LF are not known: those two are the stand-in's own (never sent by the service's store,
 * whose names are checked first, src/objectNames.ts).
 */
function nameProblem(name: string): string | undefined {
    const length = Buffer.byteLength(name, "utf8");
    if (length > 1024) return `The maximum object length is 1024 characters, but got a name with ${length} characters`;
    if (length === 0) return "the stand-in's own words: an object name is at least 1 byte";
    if (/[\r\n]/.test(name)) return "the stand-in's own words: an object name may not contain carriage return or line feed characters";
    return undefined;
}

/** Stored bytes' hashes, computed once: stored bytes never change (a write stores new ones), and a download sends them. */
const hashesOfBytes = new WeakMap<Buffer, { md5: string; crc32c: string }>();
function hashesOf(bytes: Buffer): { md5: string; crc32c: string } {
    let hashes = hashesOfBytes.get(bytes);
    if (!hashes) hashesOfBytes.set(bytes, (hashes = { md5: createHash("md5").update(bytes).digest("base64"), crc32c: crc32cBase64(bytes) }));
    return hashes;
}

/** `n` as a protocol-buffers varint: seven bits a byte, least significant first, the high bit set on all but the last. */
function varint(n: bigint): number[] {
    const out: number[] = [];
    for (; n >= 0x80n; n >>= 7n) out.push(Number(n & 0x7fn) | 0x80);
    out.push(Number(n));
    return out;
}

/**
 * An object's etag as GCS gives it: base64 of generation (field 1) and metageneration (field 2) as protocol-buffers
 * varints. storage.googleapis.com answered an object of generation 1680594142725727 and metageneration 1 with
 * `"etag": "CN+Mjofdj/4CEAE="` (bytes 08 df8c8e87dd8ffe02 10 01), the
 * objects.get and objects.insert answer an Elastic Go test of its chart publisher (package helm, bucket
 * elastic-helm-charts-dev) keeps as "valid response data ... from google storage JSON API"; a bucket's etag is the
 * same form (metageneration 2: `"etag": "CAI="`, an OPA test's buckets.get answer for opa-test-bucket). Nothing in
 * the service reads it; a stand-in should not answer an etag in a form GCS never sends.
 */
export function objectEtag(generation: string, metageneration: string): string {
    return Buffer.from([0x08, ...varint(BigInt(generation)), 0x10, ...varint(BigInt(metageneration))]).toString("base64");
}

/** The objects resource (https://cloud.google.com/storage/docs/json_api/v1/objects#resource); int64 fields are strings. */
function resource(bucket: string, o: StoredGcsObject, base: string) {
    const encoded = encodeURIComponent(o.name);
    return {
        kind: "storage#object",
        id: `${bucket}/${o.name}/${o.generation}`,
        selfLink: `${base}/storage/v1/b/${bucket}/o/${encoded}`,
        mediaLink: `${base}/download/storage/v1/b/${bucket}/o/${encoded}?generation=${o.generation}&alt=media`,
        name: o.name,
        bucket,
        generation: o.generation,
        metageneration: o.metageneration,
        contentType: o.contentType,
        ...(o.contentEncoding ? { contentEncoding: o.contentEncoding } : {}),
        ...(o.metadata ? { metadata: o.metadata } : {}),
        storageClass: "STANDARD",
        size: String(o.bytes.length),
        md5Hash: o.componentCount === undefined ? hashesOf(o.bytes).md5 : undefined,
        componentCount: o.componentCount,
        crc32c: hashesOf(o.bytes).crc32c,
        etag: objectEtag(o.generation, o.metageneration),
        timeCreated: o.created,
        updated: o.created,
        timeStorageClassUpdated: o.created,
    };
}

const json = (res: ServerResponse, status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json; charset=UTF-8" }).end(JSON.stringify(body));

export async function startFakeGcs(bucketNames: string[], options: FakeGcsOptions = {}): Promise<FakeGcs> {
    const buckets = new Map(bucketNames.map((b) => [b, new Map<string, StoredGcsObject>()]));
    const requests: FakeGcs["requests"] = [];
    const pageSize = Math.min(options.pageSize ?? GCS_PAGE_LIMIT, GCS_PAGE_LIMIT);
    let lastGeneration = Date.now() * 1000; // GCS generations are microsecond timestamps
    let base = "";

    /** Unknown query parameters are refused (501): the stand-in would otherwise answer as if it had honoured them. */
    const unsupported = (query: URLSearchParams, allowed: Set<string>) => [...query.keys()].find((k) => !HARMLESS.has(k) && !allowed.has(k));

    /**
     * ifGenerationMatch: "the object's current generation matches the given value. Setting to 0 makes the
     * operation succeed only if there are no live versions of the object" (objects.insert/get/delete); 412
     * conditionNotMet otherwise. Returns false when it answered.
     */
    const preconditionHolds = (res: ServerResponse, query: URLSearchParams, existing: StoredGcsObject | undefined): boolean => {
        const wanted = query.get("ifGenerationMatch");
        if (wanted === null) return true;
        if (!/^\d+$/.test(wanted)) {
            badRequest(res, "invalid", `Invalid value for ifGenerationMatch: ${wanted}`);
            return false;
        }
        const holds = wanted === "0" ? existing === undefined : existing?.generation === wanted;
        if (!holds) conditionNotMet(res);
        return holds;
    };

    /** objects.insert (https://cloud.google.com/storage/docs/json_api/v1/objects/insert): media or multipart. */
    const insert = (req: IncomingMessage, res: ServerResponse, bucketName: string, query: URLSearchParams, body: Buffer) => {
        const objects = buckets.get(bucketName);
        if (!objects) return noSuchBucket(res);
        const uploadType = query.get("uploadType");
        let name = query.get("name") ?? undefined;
        let contentType = req.headers["content-type"] ?? "application/octet-stream";
        let data = body;
        let userMetadata: Record<string, string> | undefined;
        let contentEncoding: string | undefined;
        if (uploadType === "multipart") {
            const boundary = relatedBoundary(req.headers["content-type"]);
            if (!boundary) return badRequest(res, "badRequest", "multipart uploads need a multipart/related body");
            let parts;
            try {
                parts = parseMultipartRelated(body, boundary);
            } catch (err) {
                return badRequest(res, "badRequest", `malformed multipart body: ${(err as Error).message}`);
            }
            if (parts.length !== 2) return badRequest(res, "badRequest", `a multipart upload has two parts (metadata, then data), not ${parts.length}`);
            let metadata: { name?: string; contentType?: string; contentEncoding?: string; metadata?: Record<string, string>; [key: string]: unknown };
            try {
                metadata = JSON.parse(parts[0].body.toString("utf8"));
            } catch {
                return badRequest(res, "badRequest", "the metadata part is not JSON");
            }
            const other = Object.keys(metadata).find((k) => !["name", "contentType", "contentEncoding", "metadata"].includes(k));
            if (other) return notImplemented(res, `object metadata field ${other}`);
            name = metadata.name ?? name;
            contentType = metadata.contentType ?? parts[1].headers["content-type"] ?? "application/octet-stream";
            userMetadata = metadata.metadata;
            contentEncoding = metadata.contentEncoding;
            data = parts[1].body;
        } else if (uploadType === "resumable") {
            return notImplemented(res, "resumable uploads (the service's store uploads with resumable: false)");
        } else if (uploadType !== "media") {
            return badRequest(res, "invalid", `Invalid upload type: ${uploadType}`);
        }
        if (name === undefined) return badRequest(res, "required", "Required");
        const problem = nameProblem(name);
        if (problem) return badRequest(res, "invalid", problem);
        if (!preconditionHolds(res, query, objects.get(name))) return;
        const stored: StoredGcsObject = { name, bytes: Buffer.from(data), contentType, ...(userMetadata ? { metadata: userMetadata } : {}), ...(contentEncoding ? { contentEncoding } : {}), generation: String(++lastGeneration), metageneration: "1", created: new Date().toISOString() };
        objects.set(name, stored);
        json(res, 200, resource(bucketName, stored, base));
    };

    /** objects.list (https://cloud.google.com/storage/docs/json_api/v1/objects/list): lexicographic by name. */
    const list = (res: ServerResponse, bucketName: string, query: URLSearchParams) => {
        const objects = buckets.get(bucketName);
        if (!objects) return noSuchBucket(res);
        const prefix = query.get("prefix") ?? "";
        const maxResults = query.has("maxResults") ? Number(query.get("maxResults")) : GCS_PAGE_LIMIT;
        if (!Number.isInteger(maxResults) || maxResults < 1) return badRequest(res, "invalid", `Invalid value for maxResults: ${query.get("maxResults")}`);
        const token = query.get("pageToken");
        // The token is opaque to clients; here it is the last name of the page before.
        const after = token === null ? undefined : Buffer.from(token, "base64url").toString("utf8");
        const names = [...objects.keys()].filter((n) => n.startsWith(prefix) && (after === undefined || byUtf8(n, after) > 0)).sort(byUtf8);
        const page = names.slice(0, Math.min(maxResults, pageSize));
        const body: Record<string, unknown> = { kind: "storage#objects" };
        // GCS leaves `items` out of an empty page.
        if (page.length) body.items = page.map((n) => resource(bucketName, objects.get(n)!, base));
        if (names.length > page.length) body.nextPageToken = Buffer.from(page.at(-1)!, "utf8").toString("base64url");
        json(res, 200, body);
    };

    /** objects.get (https://cloud.google.com/storage/docs/json_api/v1/objects/get) and objects.delete. */
    const onObject = (req: IncomingMessage, res: ServerResponse, bucketName: string, name: string, query: URLSearchParams) => {
        // An object of a bucket that does not exist is a "No such object" too (gcsErrors.ts, noSuchObject).
        const existing = buckets.get(bucketName)?.get(name);
        if (!existing) return req.method === "GET" && query.get("alt") === "media" ? noSuchObjectMedia(res, bucketName, name) : noSuchObject(res, bucketName, name);
        if (!preconditionHolds(res, query, existing)) return;
        if (req.method === "DELETE") {
            buckets.get(bucketName)!.delete(name);
            return res.writeHead(204).end();
        }
        if (query.get("alt") !== "media") return json(res, 200, resource(bucketName, existing, base));
        if (req.headers.range) return notImplemented(res, "ranged downloads");
        const r = resource(bucketName, existing, base);
        // Download headers (https://cloud.google.com/storage/docs/xml-api/reference-headers). x-goog-hash: the
        // object's CRC32C and, unless it is composite, its MD5, base64 ("Hashes and ETags",
        // https://cloud.google.com/storage/docs/hashes-etags), in one header as a JSON API download sends it
        // (python-storage blob.py _extract_headers_from_download: 'crc32c=4gcgLQ==,md5=CS9tHYTtyFntzj7B9nkkJQ==').
        // The service's download (src/storage/gcsDownload.ts) checks the bytes against it when the stored encoding
        // is identity, as the SDK's own download does (file.js createReadStream).
        const gzip = existing.contentEncoding === "gzip";
        const headers = {
            "content-type": existing.contentType,
            etag: r.etag,
            "x-goog-generation": existing.generation,
            "x-goog-metageneration": existing.metageneration,
            "x-goog-stored-content-encoding": gzip ? "gzip" : "identity",
            "x-goog-stored-content-length": existing.bytes.length,
            "x-goog-hash": r.md5Hash === undefined ? `crc32c=${r.crc32c}` : `crc32c=${r.crc32c},md5=${r.md5Hash}`,
        };
        if (gzip) {
            // An object stored gzip-compressed, as Cloud Storage's "Transcoding of gzip-compressed files" says: "If the
            // request for the object includes an Accept-Encoding: gzip header, the object is served as-is in that
            // specific request, along with a Content-Encoding: gzip response header" (Node's fetch sends one);
            // otherwise it "undergoes decompressive transcoding when served, and the response containing the object
            // does not contain a Content-Encoding or Content-Length header". Either way the x-goog-stored-* headers
            // (https://cloud.google.com/storage/docs/xml-api/reference-headers) and x-goog-hash describe the bytes as stored, the compressed
            // ones (the objects resource's crc32c and md5Hash are of the stored data). The page's other way to be
            // served as-is (Cache-Control: no-transform metadata) and the stand-in's ignorance of q-values are not modelled.
            const accepts = String(req.headers["accept-encoding"] ?? "").split(",").some((c) => c.split(";")[0].trim().toLowerCase() === "gzip");
            if (!accepts) return res.writeHead(200, headers).end(gunzipSync(existing.bytes));
        }
        res.writeHead(200, { ...headers, ...(gzip && { "content-encoding": "gzip" }), "content-length": existing.bytes.length }).end(existing.bytes);
    };

    const route = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
        const url = new URL(req.url!, "http://gcs.local");
        const query = url.searchParams;
        // Object names are one percent-encoded path segment (https://cloud.google.com/storage/docs/request-endpoints#encoding).
        const upload = /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/.exec(url.pathname);
        if (upload && req.method === "POST") {
            const extra = unsupported(query, PRECONDITIONS);
            return extra ? notImplemented(res, `query parameter ${extra}`) : insert(req, res, decodeURIComponent(upload[1]), query, body);
        }
        const api = /^(?:\/storage\/v1)?\/b\/([^/]+)\/o(?:\/([^/]+))?$/.exec(url.pathname);
        if (api && api[2] === undefined && req.method === "GET") {
            const extra = unsupported(query, LISTING);
            return extra ? notImplemented(res, `query parameter ${extra}`) : list(res, decodeURIComponent(api[1]), query);
        }
        if (api && api[2] !== undefined && (req.method === "GET" || req.method === "DELETE")) {
            const extra = unsupported(query, PRECONDITIONS);
            return extra ? notImplemented(res, `query parameter ${extra}`) : onObject(req, res, decodeURIComponent(api[1]), decodeURIComponent(api[2]), query);
        }
        notImplemented(res, `${req.method} ${url.pathname}`);
    };

    const sockets = new Set<Socket>();
    const server = createServer(async (req, res) => {
        requests.push({ method: req.method!, url: req.url! });
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        try {
            route(req, res, Buffer.concat(chunks));
        } catch (err) {
            if (!res.headersSent) gcsError(res, 500, "backendError", `the stand-in failed: ${(err as Error).message}`);
        }
    });
    server.on("connection", (s) => {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return {
        url: base,
        bucket: (name) => {
            const objects = buckets.get(name);
            if (!objects) throw new Error(`the stand-in has no bucket ${name}`);
            return objects;
        },
        requests,
        close: async () => {
            for (const s of sockets) s.destroy();
            await new Promise((r) => server.close(r));
        },
    };
}

/** The service's environment for a bucket on the stand-in at `url` (or a proxy in front of it), objects under events/. */
export const fakeGcsServiceEnv = (url: string, bucket: string) => ({
    STORAGE_BACKEND: "gcs",
    BUCKET_NAME: bucket,
    OBJECT_PREFIX: "events/",
    // The SDK's documented way to an emulator: it sends the JSON API there unauthenticated (storage.js).
    STORAGE_EMULATOR_HOST: url,
});
