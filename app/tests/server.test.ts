import assert from "node:assert/strict";
import { once } from "node:events";
import { Agent, IncomingHttpHeaders, request } from "node:http";
import { AddressInfo, createConnection, createServer } from "node:net";
import { after, before, describe, it } from "node:test";
import { RunningServer, freePort, readyWhen, runUntilExit, startServer, uploadInFlight } from "./helpers";
import { withTimingBounds } from "./timingBounds";

const TOKEN = "test-admin-token-0123456789abcdef";

/** The server on its defaults, with a token but admin features off: shared by the describes that need no more. */
let defaults: Promise<RunningServer> | undefined;
const serverOnDefaults = () => (defaults ??= startServer({ ADMIN_TOKEN: TOKEN }));
after(async () => {
    await (await defaults)?.stop();
});

describe("the server (real process, real sockets)", () => {
    let server: RunningServer;
    before(async () => {
        server = await startServer({ MAX_BODY_BYTES: "1024", APP_VERSION: "1.2.3", ADMIN_FEATURES_ENABLED: "true", ADMIN_TOKEN: TOKEN, LOG_LEVEL: "info" });
    });
    after(async () => server.stop());
    const get = (p: string, init?: RequestInit) => fetch(`${server.url}${p}`, init);

    it("GET /health answers with version and uptime", async () => {
        const res = await get("/health");
        assert.equal(res.status, 200);
        const body = await res.json();
        assert.equal(body.status, "ok");
        assert.equal(body.version, "1.2.3");
        assert.equal(typeof body.uptimeSeconds, "number");
    });

    it("GET /ready answers 200 while storage is reachable", async () => {
        assert.equal((await get("/ready")).status, 200);
    });

    it("uploads, renames on a collision, lists, gets and heads objects", async () => {
        const first = await get("/objects/report.csv", { method: "PUT", body: "a,b\n1,2\n", headers: { "content-type": "text/csv" } });
        assert.equal(first.status, 201);
        assert.deepEqual(await first.json(), { name: "report.csv", renamed: false, bytes: 8 });
        const second = await get("/objects/report.csv", { method: "PUT", body: "other" });
        assert.deepEqual(await second.json(), { name: "report-1.csv", renamed: true, bytes: 5 });
        const third = await get("/objects/report.csv", { method: "PUT", body: "third" });
        assert.equal((await third.json()).name, "report-2.csv");
        const list = await (await get("/objects")).json();
        for (const n of ["report.csv", "report-1.csv", "report-2.csv"]) assert.ok(list.objects.includes(n));
        const original = await get("/objects/report.csv");
        assert.equal(original.headers.get("content-type"), "text/csv");
        assert.equal(await original.text(), "a,b\n1,2\n");
        assert.equal((await get("/objects/report-1.csv", { method: "HEAD" })).status, 200);
        assert.equal((await get("/objects/missing.csv")).status, 404);
    });

    // A leading dot starts a hidden file's name, not an extension (Node's path.extname(".env") is ""): the rename is
    // `stem-N.ext` with `.env` the stem, never "-1.env", which is no longer a dotfile and has another extension.
    it("a taken dotfile name is renamed after the whole name: .env, then .env-1 (nested too)", async () => {
        for (const [name, renamed] of [[".env", ".env-1"], ["cfg/.env", "cfg/.env-1"]]) {
            assert.equal((await get(`/objects/${name}`, { method: "PUT", body: "a" })).status, 201);
            const second = await get(`/objects/${name}`, { method: "PUT", body: "b" });
            assert.equal((await second.json()).name, renamed);
        }
    });

    it("nested names work; concurrent uploads of one name never overwrite each other", async () => {
        const results = await Promise.all(Array.from({ length: 10 }, (_, i) => get("/objects/dir/same.txt", { method: "PUT", body: `body ${i}` }).then((r) => r.json())));
        const names = results.map((r) => r.name);
        assert.equal(new Set(names).size, 10, `names: ${names.join(", ")}`);
        assert.ok(names.includes("dir/same.txt"));
    });

    it("bulk existence checks", async () => {
        await get("/objects/bulk-a", { method: "PUT", body: "x" });
        const res = await get("/objects/exists", { method: "POST", body: JSON.stringify({ names: ["bulk-a", "bulk-b"] }) });
        assert.deepEqual(await res.json(), { exists: { "bulk-a": true, "bulk-b": false } });
    });

    it("an oversized body is refused with 413", async () => {
        const res = await get("/objects/big.bin", { method: "PUT", body: "x".repeat(2048) });
        assert.equal(res.status, 413);
        assert.equal((await get("/objects/big.bin")).status, 404, "nothing was stored");
    });

    // A body sent chunked declares no length: only the bytes counted as they arrive (readAdmittedBody's maxBytes) keep it
    // to MAX_BODY_BYTES. Without that count a chunked upload over the limit failed as a 500 "internal error" (a
    // RangeError copying past the buffer), not the 413 its Content-Length twin gets.
    it("an oversized body sent chunked (no Content-Length) is refused with 413 too", async () => {
        const chunks = [new Uint8Array(700).fill(120), new Uint8Array(700).fill(120)];
        const body = new ReadableStream<Uint8Array>({ pull: (c) => (chunks.length ? c.enqueue(chunks.shift()!) : c.close()) });
        const res = await get("/objects/big-chunked.bin", { method: "PUT", body, duplex: "half" } as RequestInit);
        assert.equal(res.status, 413, await res.clone().text());
        assert.deepEqual(await res.json(), { error: "body larger than 1024 bytes" });
        assert.equal((await get("/objects/big-chunked.bin")).status, 404, "nothing was stored");
    });

    // Before: Node answered every `Expect: 100-continue` with 100 at once (its default without a checkContinue
    // listener), so a client sent a body the service then refused from its headers alone (RFC 9110 10.1.1: the
    // client waits for 100 or a final status before sending it).
    it("Expect: 100-continue: a body refused from its headers is never asked for; an admitted one is", async () => {
        const put = (name: string, length: number) =>
            new Promise<{ status: number; continued: boolean }>((resolve, reject) => {
                let continued = false;
                const req = request(`${server.url}/objects/${name}`, { method: "PUT", headers: { expect: "100-continue", "content-length": length, "content-type": "text/plain" } }, (res) => {
                    res.resume();
                    res.on("end", () => resolve({ status: res.statusCode!, continued }));
                });
                req.on("continue", () => {
                    continued = true;
                    req.end("x".repeat(length));
                });
                req.on("error", reject);
                req.flushHeaders();
            });
        assert.deepEqual(await put("expect-big.bin", 2048), { status: 413, continued: false });
        assert.deepEqual(await put("expect-small.txt", 10), { status: 201, continued: true });
        assert.equal(await (await get("/objects/expect-small.txt")).text(), "x".repeat(10));
    });

    // Node closes a connection whose request expected 100 and got a final answer without it: a request without a body
    // gets its 100 at once, so its keep-alive connection serves the next request.
    it("Expect: 100-continue on a request without a body keeps the connection for the next request", async () => {
        const socket = createConnection(Number(new URL(server.url).port), "127.0.0.1");
        let answers = "";
        socket.on("data", (chunk) => (answers += chunk));
        socket.write("GET /health HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\n\r\n");
        const deadline = Date.now() + 5000;
        while ((answers.match(/HTTP\/1\.1 200 /g) ?? []).length < 2 && Date.now() < deadline && !socket.destroyed) await new Promise((r) => setTimeout(r, 20));
        socket.destroy();
        assert.equal((answers.match(/HTTP\/1\.1 200 /g) ?? []).length, 2, answers);
        assert.doesNotMatch(answers, /connection: close/i);
    });

    for (const [label, raw] of [
        ["a .. segment", "a%2F..%2Fb"],
        ["a leading .. segment", "..%2Fetc%2Fpasswd"],
        ["a control character", "bad%01name"],
        ["a name over 1,024 bytes", "n".repeat(1025)],
        ["an empty segment", "a//b"],
        // Slashes encoded: fetch resolves a "." segment (and %2E, a dot segment to WHATWG URL) away before sending.
        ["a . segment", "a%2F.%2Fb"],
    ] as const) {
        it(`a name with ${label} is refused with 400`, async () => {
            const res = await get(`/objects/${raw}`, { method: "PUT", body: "x" });
            assert.equal(res.status, 400);
            assert.match((await res.json()).error, /^object name /);
        });
    }

    it("an empty name is refused with 400 by the bulk check and in a path, never a 404", async () => {
        const res = await get("/objects/exists", { method: "POST", body: JSON.stringify({ names: [""] }) });
        assert.equal(res.status, 400);
        assert.deepEqual(await res.json(), { error: "object name is empty" });
        // Before: 404 "no route for PUT /objects/".
        for (const [method, path] of [["PUT", "/objects/"], ["GET", "/objects/"], ["GET", "/objects/."], ["HEAD", "/objects/"]]) {
            const inPath = await get(path, { method, body: method === "PUT" ? "x" : undefined });
            assert.equal(inPath.status, 400, `${method} ${path}`);
            if (method !== "HEAD") assert.deepEqual(await inPath.json(), { error: "object name is empty" });
        }
    });

    it("malformed JSON is 400, an unknown route 404, and no response carries a stack trace", async () => {
        const bad = await get("/objects/exists", { method: "POST", body: "{names: [" });
        assert.equal(bad.status, 400);
        assert.deepEqual(await bad.json(), { error: "body is not valid JSON" });
        // JSON is UTF-8 (RFC 8259). Before, bytes that are not were read as U+FFFD, so "\xff" and "\xfe" were one name.
        const notUtf8 = await get("/objects/exists", { method: "POST", body: Buffer.concat([Buffer.from('{"names": ["'), Buffer.from([0xff]), Buffer.from('"]}')]) });
        assert.equal(notUtf8.status, 400);
        assert.deepEqual(await notUtf8.json(), { error: "body is not valid JSON" });
        const missing = await get("/no/such/route");
        assert.equal(missing.status, 404);
        const text = await missing.text();
        assert.ok(!/at .*\.js:\d+/.test(text), text);
    });

    it("POST /pipeline/runs is 404 where there is no state machine", async () => {
        assert.equal((await get("/pipeline/runs", { method: "POST", body: JSON.stringify({ keys: ["a"] }) })).status, 404);
    });

    it("admin endpoints need the bearer token: 401 without or with a wrong one, 200 with it", async () => {
        const refused = await get("/admin/cache");
        assert.equal(refused.status, 401);
        // RFC 9110, 15.5.2 "401 Unauthorized": the server "MUST send a WWW-Authenticate header field (Section 11.6.1)
        // containing at least one challenge applicable to the target resource".
        assert.equal(refused.headers.get("www-authenticate"), "Bearer");
        assert.equal((await get("/admin/cache", { headers: { authorization: "Bearer wrong-token" } })).status, 401);
        const ok = await get("/admin/cache", { headers: { authorization: `Bearer ${TOKEN}` } });
        assert.equal(ok.status, 200);
        // The scheme is case-insensitive (RFC 9110 11.1); before, "bearer" was refused with 401.
        assert.equal((await get("/admin/cache", { headers: { authorization: `bearer ${TOKEN}` } })).status, 200);
        assert.equal((await get("/admin/cache", { headers: { authorization: `Bearer${TOKEN}` } })).status, 401, "no space: not the Bearer scheme");
        const stats = await ok.json();
        assert.equal(stats.maxEntries, 10000);
        assert.ok(stats.entries > 0);
        const storage = await (await get("/admin/storage", { headers: { authorization: `Bearer ${TOKEN}` } })).json();
        assert.deepEqual(storage, { backend: "memory", bucket: null, prefix: "objects/", reachable: true });
        const cleared = await (await get("/admin/cache", { method: "DELETE", headers: { authorization: `Bearer ${TOKEN}` } })).json();
        assert.ok(cleared.cleared > 0);
        // Behind Cloud Run's IAM (no public invoker): the caller's Google ID token is in Authorization (Cloud Run,
        // "Authenticating service-to-service"), so the admin token rides in X-Admin-Token.
        const idToken = "Bearer eyJhbGciOiJSUzI1NiIsImtpZCI6ImZha2UifQ.eyJhdWQiOiJodHRwczovL3NlcnZpY2UifQ.c2lnbmF0dXJl";
        assert.equal((await get("/admin/cache", { headers: { authorization: idToken, "x-admin-token": TOKEN } })).status, 200);
        assert.equal((await get("/admin/cache", { headers: { authorization: idToken, "x-admin-token": "wrong-token" } })).status, 401);
        assert.equal((await get("/admin/cache", { headers: { authorization: idToken } })).status, 401);
    });

    it("logs are JSON lines", () => {
        const lines = server.output().trim().split("\n").filter(Boolean);
        assert.ok(lines.length > 0, "the requests above were logged (LOG_LEVEL info)");
        for (const line of lines) assert.doesNotThrow(() => JSON.parse(line), line);
    });
});

describe("admin features off", () => {
    it("admin endpoints answer 404, even with a token", async () => {
        const server = await serverOnDefaults();
        assert.equal((await fetch(`${server.url}/admin/cache`)).status, 404);
        assert.equal((await fetch(`${server.url}/admin/storage`, { headers: { authorization: `Bearer ${TOKEN}` } })).status, 404);
    });
});

describe("the server's body limit (Cloud Run)", () => {
    it("keeps its own 10 MiB default: a 5 MiB body, over the Lambda API's 4 MiB, is stored", async () => {
        const server = await serverOnDefaults();
        const res = await fetch(`${server.url}/objects/five-mib.bin`, { method: "PUT", body: new Uint8Array(5 * 1024 * 1024) });
        assert.equal(res.status, 201);
        assert.equal((await res.json()).bytes, 5 * 1024 * 1024);
    });
});

// Each row starts its own process and waits on nothing else: they run side by side.
describe("settings are validated at start", { concurrency: true }, () => {
    for (const [env, pattern] of [
        [{ CACHE_MAX_ENTRIES: "lots" }, /CACHE_MAX_ENTRIES: .*\(got \\"lots\\"\)/],
        [{ BATCH_SIZE: "0" }, /BATCH_SIZE: /],
        [{ LOG_LEVEL: "loud" }, /LOG_LEVEL: /],
        [{ STORAGE_BACKEND: "s3" }, /BUCKET_NAME: is required when STORAGE_BACKEND is s3/],
        [{ ADMIN_FEATURES_ENABLED: "true" }, /ADMIN_TOKEN: is required \(or ADMIN_TOKEN_SECRET_ARN\)/],
        [{ ADMIN_FEATURES_ENABLED: "yes" }, /ADMIN_FEATURES_ENABLED: /],
    ] as const) {
        it(`${JSON.stringify(env)} exits non-zero naming the variable`, async () => {
            const { code, output } = await runUntilExit(env as Record<string, string>);
            assert.equal(code, 2);
            assert.match(output, pattern);
        });
    }

    // Before: Node's "Unhandled 'error' event" and a stack trace, naming neither the port nor PORT.
    it("a PORT another process holds exits 1 with one log line naming the port", async () => {
        const holder = createServer().listen(0);
        await once(holder, "listening");
        const port = (holder.address() as AddressInfo).port;
        try {
            const { code, output } = await runUntilExit({ PORT: String(port) });
            assert.equal(code, 1);
            const lines = output.trim().split("\n");
            assert.equal(lines.length, 1, output);
            assert.deepEqual(
                (({ severity, message, port: logged, code: errno }) => ({ severity, message, port: logged, code: errno }))(JSON.parse(lines[0])),
                { severity: "ERROR", message: "cannot listen on PORT", port, code: "EADDRINUSE" },
            );
        } finally {
            holder.close();
        }
    });

    // The tests' own start: freePort's port can be bound by another process before the server listens on it (CI's
    // run failed so, "cannot listen on PORT", EADDRINUSE, beside npm test's other checks); startServer takes another.
    it("startServer gives up a port another process took before the server listened on it, and starts on another", async () => {
        const holder = createServer().listen(0);
        await once(holder, "listening");
        const taken = (holder.address() as AddressInfo).port;
        const offered: number[] = [];
        const choosePort = async () => {
            const port = offered.length === 0 ? taken : await freePort();
            offered.push(port);
            return port;
        };
        try {
            const started = await startServer({}, undefined, undefined, choosePort);
            try {
                assert.equal(offered.length, 2);
                assert.equal(started.url, `http://127.0.0.1:${offered[1]}`);
                assert.equal((await fetch(`${started.url}/health`)).status, 200);
            } finally {
                await started.stop();
            }
        } finally {
            holder.close();
        }
    });

    // Before: the settings' problems went to stderr as plain text, one line each, which Cloud Run files as entries of
    // their own with no severity: why a revision never started did not show among its errors.
    it("invalid settings exit 2 with one ERROR log line naming every problem", async () => {
        const { code, output } = await runUntilExit({ CACHE_MAX_ENTRIES: "lots", LOG_LEVEL: "loud" });
        assert.equal(code, 2);
        const lines = output.trim().split("\n");
        assert.equal(lines.length, 1, output);
        const entry = JSON.parse(lines[0]);
        assert.equal(entry.severity, "ERROR");
        assert.equal(entry.level, "error");
        assert.match(entry.message, /^invalid settings:\n/);
        assert.match(entry.message, /CACHE_MAX_ENTRIES: .*\(got "lots"\)/);
        assert.match(entry.message, /LOG_LEVEL: /);
    });

    it("a bad token value is never echoed", async () => {
        const { code, output } = await runUntilExit({ ADMIN_FEATURES_ENABLED: "true", ADMIN_TOKEN: "short-secret" });
        assert.equal(code, 2);
        assert.match(output, /ADMIN_TOKEN: must be at least 16 characters/);
        assert.ok(!output.includes("short-secret"));
    });
});

/** A GET on a connection of its own (fetch would reuse one opened earlier). */
function statusOnNewConnection(url: string): Promise<number> {
    return new Promise((resolve, reject) => {
        request(url, { agent: false }, (res) => {
            res.resume();
            resolve(res.statusCode!);
        })
            .on("error", reject)
            .end();
    });
}

/** A GET on a keep-alive connection of its own (agent: false would ask for close itself), with the answer's headers. */
function answerOnNewConnection(url: string): Promise<{ status: number; headers: IncomingHttpHeaders }> {
    return new Promise((resolve, reject) => {
        const agent = new Agent({ keepAlive: true, maxSockets: 1 });
        request(url, { agent }, (res) => {
            res.resume();
            agent.destroy();
            resolve({ status: res.statusCode!, headers: res.headers });
        })
            .on("error", reject)
            .end();
    });
}

describe("graceful shutdown on SIGTERM", () => {
    it("20 requests in flight all complete with 2xx, /ready is 503 during the drain and so are the admin routes, new connections are refused after it, exit 0", async () => {
        const server = await startServer({ DRAIN_TIMEOUT_MS: "10000", ADMIN_FEATURES_ENABLED: "true", ADMIN_TOKEN: TOKEN });
        const uploads = Array.from({ length: 20 }, (_, i) => uploadInFlight(server.url, `slow-${i}.txt`));
        await Promise.all(uploads.map((u) => u.started));
        // Their connections came first and their bytes are in: once a request on a connection opened after theirs is
        // answered, the server has read the uploads' headers, so the drain below begins with all 20 in flight (a
        // fixed 300 ms did not always do on a loaded machine).
        assert.equal(await statusOnNewConnection(`${server.url}/health`), 200);
        server.child.kill("SIGTERM");
        const ready = await readyWhen(server.url, (status) => status !== 200, 2000, 10);
        assert.equal(ready.status, 503);
        assert.deepEqual(ready.body, { ready: false, reason: "draining" });
        // New work, like an upload: before, the admin routes were served during the drain and not waited for, so one
        // that waits on storage (/admin/storage) could be cut off by the exit.
        for (const [method, path] of [["GET", "/admin/storage"], ["DELETE", "/admin/cache"]]) {
            const admin = await fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${TOKEN}` } });
            assert.equal(admin.status, 503, `${method} ${path}`);
            assert.deepEqual(await admin.json(), { error: "shutting down, retry later" });
        }
        // New work is refused on a closing connection, so a keep-alive client cannot hold the drain open with it.
        const late = await answerOnNewConnection(`${server.url}/objects`);
        assert.equal(late.status, 503);
        assert.equal(late.headers.connection, "close");
        assert.equal(late.headers["retry-after"], "1");
        for (const upload of uploads) upload.end();
        const statuses = await Promise.all(uploads.map((u) => u.status));
        assert.deepEqual(statuses, Array(20).fill(201));
        assert.equal(await server.exited, 0);
        await assert.rejects(fetch(`${server.url}/health`), /fetch failed/);
    });

    it("exits at once when nothing is in flight", withTimingBounds(async (bound) => {
        const server = await startServer();
        const started = Date.now();
        assert.equal(await server.stop(), 0);
        const ms = Date.now() - started;
        console.log(`# idle server: exited ${ms} ms after SIGTERM`);
        bound(ms < 2000, `exited ${ms} ms after SIGTERM`);
    }));

    // The drain cuts a body still arriving once only STORAGE_DEADLINE_MS of DRAIN_TIMEOUT_MS is left (server.ts, drain),
    // so a client trickling its upload cannot hold the drain to its timeout, and an upload that completes late still has
    // the storage deadline to be stored before the exit (Cloud Run SIGKILLs 10 s after SIGTERM).
    it("a body still arriving when only STORAGE_DEADLINE_MS of the drain is left is cut: the drain ends with exit 0, not its timeout", async () => {
        const server = await startServer({ DRAIN_TIMEOUT_MS: "3000", STORAGE_DEADLINE_MS: "1000", STORAGE_ATTEMPT_TIMEOUT_MS: "500" });
        const trickled = uploadInFlight(server.url, "never-ends.txt");
        await trickled.started;
        server.child.kill("SIGTERM");
        await assert.rejects(trickled.status, "its connection was cut, nothing acknowledged");
        assert.equal(await server.exited, 0, "nothing left in flight: not the drain timeout's exit 1");
    });
});

describe("collision handling at scale", () => {
    it("the 200th upload of one name still succeeds at once, with a random suffix after the numbered names", async () => {
        const server = await serverOnDefaults();
        const names: string[] = [];
        for (let i = 0; i < 200; i++) {
            const res = await fetch(`${server.url}/objects/same.txt`, { method: "PUT", body: String(i) });
            assert.equal(res.status, 201);
            names.push((await res.json()).name);
        }
        assert.equal(new Set(names).size, 200);
        assert.deepEqual(names.slice(0, 3), ["same.txt", "same-1.txt", "same-2.txt"]);
        assert.equal(names[20], "same-20.txt");
        assert.match(names[21], /^same-[0-9a-f]{8}\.txt$/);
    });
});
