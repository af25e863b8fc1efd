import assert from "node:assert/strict";
import http from "node:http";
import { after, before, describe, it } from "node:test";
import { functionUrlEvent } from "./events";
import { invokeBundle } from "./invokeBundle";
import { RunningServer, runUntilExit, startServer } from "./helpers";
import { LambdaApi, startLambdaApi } from "./lambdaApi";

// A short window, so recovery is seen within a test: 3 requests per client per second. Each test is a client (a
// key) no other test uses, and a key's window begins with its first counted request, so no test waits for a
// window of its own (startServer's readiness polling is not counted: probes are never limited).
const LIMITS = { RATE_LIMIT_REQUESTS: "3", RATE_LIMIT_WINDOW_SECONDS: "1" };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("per-client rate limits: dist/server.js (Cloud Run)", () => {
    let server: RunningServer;
    // K_SERVICE is what Cloud Run sets: the client address is then the last X-Forwarded-For element, added by its front end.
    before(async () => {
        server = await startServer({ ...LIMITS, K_SERVICE: "pipeline-api" });
    });
    after(async () => server.stop());
    const get = (path: string, forwardedFor: string) => fetch(`${server.url}${path}`, { headers: { "x-forwarded-for": forwardedFor } });

    it("a client over its limit gets 429 with Retry-After and the JSON error; another client is still served; the limit recovers after the window", async () => {
        for (let i = 0; i < 3; i++) assert.equal((await get("/objects", "203.0.113.1")).status, 200);
        const refused = await get("/objects", "203.0.113.1");
        assert.equal(refused.status, 429);
        assert.equal(refused.headers.get("retry-after"), "1");
        assert.match(refused.headers.get("content-type") ?? "", /application\/json/);
        assert.match((await refused.json()).error, /too many requests/);
        assert.equal(refused.headers.get("x-content-type-options"), "nosniff");
        assert.equal((await get("/objects", "203.0.113.2")).status, 200);
        await sleep(1050);
        assert.equal((await get("/objects", "203.0.113.1")).status, 200);
    });

    it("an address the client wrote into X-Forwarded-For does not make it another client", async () => {
        for (let i = 0; i < 3; i++) assert.equal((await get("/objects", `10.0.0.${i}, 203.0.113.9`)).status, 200);
        assert.equal((await get("/objects", "10.0.0.99, 203.0.113.9")).status, 429);
    });

    it("X-Forwarded-For sent as several header lines counts as one list: the last line's last element is the client", async () => {
        const status = (first: string) =>
            new Promise<number>((resolve, reject) => {
                const req = http.request(`${server.url}/objects`, { headers: { "x-forwarded-for": [first, "203.0.113.10"] } }, (res) => {
                    res.resume();
                    resolve(res.statusCode ?? 0);
                });
                req.on("error", reject);
                req.end();
            });
        for (let i = 0; i < 3; i++) assert.equal(await status(`10.0.1.${i}`), 200);
        assert.equal(await status("10.0.1.99"), 429);
        assert.equal((await get("/objects", "203.0.113.11")).status, 200);
    });

    // Google's front end reaches run.app over IPv6 too; an IPv6 client is given a whole /64 (RFC 6177) and may
    // take a new address from it for every request, so the /64 is the client, as a v4 address is.
    it("an IPv6 client is its /64: another address in it shares the count, another /64 does not", async () => {
        for (let i = 1; i <= 3; i++) assert.equal((await get("/objects", `2001:db8:5:6::${i}`)).status, 200);
        assert.equal((await get("/objects", "2001:db8:5:6:ffff:1:2:3")).status, 429);
        assert.equal((await get("/objects", "2001:db8:5:7::1")).status, 200);
    });

    it("/health and /ready are never limited", async () => {
        for (let i = 0; i < 20; i++) {
            assert.equal((await get("/health", "203.0.113.3")).status, 200);
            assert.equal((await get("/ready", "203.0.113.3")).status, 200);
        }
        for (let i = 0; i < 3; i++) assert.equal((await get("/objects", "203.0.113.3")).status, 200);
    });

    it("every route but the probes counts, unknown ones too", async () => {
        for (let i = 0; i < 3; i++) assert.equal((await get("/nowhere", "203.0.113.4")).status, 404);
        assert.equal((await get("/objects/a.txt", "203.0.113.4")).status, 429);
        // Only the probes' exact paths are exempt: a path that merely begins like one is another route, and counts.
        for (const path of ["/health/x", "/readyz"]) {
            for (let i = 0; i < 3; i++) assert.equal((await get(path, "203.0.113.5")).status, 404, path);
            assert.equal((await get(path, "203.0.113.5")).status, 429, path);
            await sleep(1050);
        }
    });
});

describe("per-client rate limits without a front end: the socket address", () => {
    let server: RunningServer;
    before(async () => {
        server = await startServer(LIMITS);
    });
    after(async () => server.stop());

    it("outside Cloud Run X-Forwarded-For is not trusted: every loopback client is one client", async () => {
        for (let i = 0; i < 3; i++) assert.equal((await fetch(`${server.url}/objects`, { headers: { "x-forwarded-for": `198.51.100.${i}` } })).status, 200);
        assert.equal((await fetch(`${server.url}/objects`, { headers: { "x-forwarded-for": "198.51.100.200" } })).status, 429);
    });

    // With no trusted proxy the client is the socket's address (app/README.md's TRUSTED_PROXY_HOPS at 0): two
    // addresses are two clients.
    it("two socket addresses are two clients", async () => {
        const status = (localAddress: string) =>
            new Promise<number>((resolve, reject) => {
                const req = http.request(`${server.url}/objects`, { localAddress }, (res) => {
                    res.resume();
                    resolve(res.statusCode ?? 0);
                });
                req.on("error", reject);
                req.end();
            });
        for (let i = 0; i < 3; i++) assert.equal(await status("127.0.0.2"), 200);
        assert.equal(await status("127.0.0.2"), 429);
        assert.equal(await status("127.0.0.3"), 200);
    });
});

// Behind an external Application Load Balancer, X-Forwarded-For reaches the service as `<what the client sent>,
// <client>, <load balancer>` (app/README.md's TRUSTED_PROXY_HOPS): with 2 hops the client is the second element from the
// right, never the load balancer's address, which every client shares.
describe("per-client rate limits behind a load balancer: TRUSTED_PROXY_HOPS=2", () => {
    let server: RunningServer;
    before(async () => {
        server = await startServer({ ...LIMITS, TRUSTED_PROXY_HOPS: "2" });
    });
    after(async () => server.stop());
    const get = (forwardedFor: string) => fetch(`${server.url}/objects`, { headers: { "x-forwarded-for": forwardedFor } });

    it("the client is the element 2 from the right: another client through the same load balancer is still served", async () => {
        for (let i = 0; i < 3; i++) assert.equal((await get(`10.0.2.${i}, 203.0.113.20, 198.51.100.254`)).status, 200);
        assert.equal((await get("10.0.2.99, 203.0.113.20, 198.51.100.254")).status, 429);
        assert.equal((await get("203.0.113.21, 198.51.100.254")).status, 200);
    });
});

describe("per-client rate limits: dist/api.js (Function URL)", () => {
    let lambda: LambdaApi;
    before(() => {
        lambda = startLambdaApi({ STORAGE_BACKEND: "memory", ...LIMITS });
    });
    after(async () => lambda?.stop());

    const from = (sourceIp: string, userArn?: string, path = "/objects") => {
        const event = functionUrlEvent("GET", path);
        event.requestContext.http.sourceIp = sourceIp;
        if (userArn) Object.assign(event.requestContext, { authorizer: { iam: { accessKey: "ASIAEXAMPLE", accountId: userArn.split(":")[4], callerId: "AROAEXAMPLE:s", cognitoIdentity: null, principalOrgId: null, userArn, userId: "AROAEXAMPLE:s" } } });
        return event;
    };

    it("a client over its limit gets 429 with Retry-After; another address is still served; recovery after the window", async () => {
        for (let i = 0; i < 3; i++) assert.equal((await lambda.call(from("203.0.113.7"))).statusCode, 200);
        const refused = await lambda.call(from("203.0.113.7"));
        assert.equal(refused.statusCode, 429);
        assert.equal(refused.headers["retry-after"], "1");
        assert.match(JSON.parse(refused.body).error, /too many requests/);
        assert.equal(refused.headers["x-content-type-options"], "nosniff");
        assert.equal((await lambda.call(from("203.0.113.8"))).statusCode, 200);
        await sleep(1050);
        assert.equal((await lambda.call(from("203.0.113.7"))).statusCode, 200);
    });

    // Function URLs are dual stack (Lambda docs, "Invoking Lambda function URLs": "Function URLs are dual
    // stack-enabled, supporting IPv4 and IPv6"), and sourceIp is then the caller's IPv6 address.
    it("an IPv6 caller is its /64; an IPv4-mapped address is the IPv4 address it maps", async () => {
        for (let i = 1; i <= 3; i++) assert.equal((await lambda.call(from(`2001:db8:1:2::${i}`))).statusCode, 200);
        assert.equal((await lambda.call(from("2001:db8:1:2:aaaa::9"))).statusCode, 429);
        assert.equal((await lambda.call(from("2001:db8:1:3::1"))).statusCode, 200);
        for (let i = 0; i < 3; i++) assert.equal((await lambda.call(from("203.0.113.30"))).statusCode, 200);
        assert.equal((await lambda.call(from("::ffff:203.0.113.30"))).statusCode, 429);
    });

    it("IAM callers are keyed by their ARN, not by the address they share", async () => {
        const alice = "arn:aws:sts::111122223333:assumed-role/release/alice";
        const bob = "arn:aws:sts::444455556666:assumed-role/release/bob";
        for (let i = 0; i < 3; i++) assert.equal((await lambda.call(from("198.51.100.5", alice))).statusCode, 200);
        assert.equal((await lambda.call(from("198.51.100.5", alice))).statusCode, 429);
        assert.equal((await lambda.call(from("198.51.100.5", bob))).statusCode, 200);
        assert.equal((await lambda.call(from("198.51.100.6", alice))).statusCode, 429);
    });

    // Before: keyed on the whole ARN, so each new RoleSessionName, which the caller of sts:AssumeRole picks and which
    // is the ARN's last part (STS AssumeRole reference), was a client with a fresh count.
    it("an assumed role is one client whatever session name it was assumed under", async () => {
        const session = (name: string) => `arn:aws:sts::777788889999:assumed-role/nightly-job/${name}`;
        for (let i = 0; i < 3; i++) assert.equal((await lambda.call(from("198.51.100.7", session(`botocore-session-${i}`)))).statusCode, 200);
        assert.equal((await lambda.call(from("198.51.100.7", session("botocore-session-3")))).statusCode, 429);
        assert.equal((await lambda.call(from("198.51.100.7", "arn:aws:sts::777788889999:assumed-role/other-role/botocore-session-3"))).statusCode, 200);
    });

    it("/health and /ready are never limited", async () => {
        for (let i = 0; i < 10; i++) {
            assert.equal((await lambda.call(from("203.0.113.9", undefined, "/health"))).statusCode, 200);
            assert.equal((await lambda.call(from("203.0.113.9", undefined, "/ready"))).statusCode, 200);
        }
    });
});

// README: Retry-After is "seconds to the window's end, rounded up". With a 1 s window that is always 1; a refusal
// within the first second of a 60 s window is 60, never 59 (a client waiting 59 s would be refused again).
describe("Retry-After is the seconds to the window's end, rounded up: dist/api.js", () => {
    let lambda: LambdaApi;
    before(() => {
        lambda = startLambdaApi({ STORAGE_BACKEND: "memory", RATE_LIMIT_REQUESTS: "1", RATE_LIMIT_WINDOW_SECONDS: "60" });
    });
    after(async () => lambda?.stop());

    it("refused just after the window began: Retry-After 60", async () => {
        const started = performance.now();
        assert.equal((await lambda.call(functionUrlEvent("GET", "/objects"))).statusCode, 200);
        const refused = await lambda.call(functionUrlEvent("GET", "/objects"));
        const elapsedMs = performance.now() - started;
        assert.equal(refused.statusCode, 429);
        // The window began within `elapsedMs` before the refusal, so at least 60 s less that is left, rounded up: 60
        // whenever the two calls took under a second (always, but on a machine stalled for a second or more).
        const retryAfter = Number(refused.headers["retry-after"]);
        assert.ok(retryAfter >= Math.ceil((60_000 - elapsedMs) / 1000) && retryAfter <= 60, `Retry-After ${retryAfter} after ${elapsedMs.toFixed(0)} ms`);
        assert.match(JSON.parse(refused.body).error, new RegExp(`retry after ${retryAfter} s`));
    });
});

// Each row starts its own processes and waits on nothing else: they run side by side.
describe("bad rate-limit settings are refused at start, naming the variable", { concurrency: true }, () => {
    const bad: Record<string, string>[] = [
        { RATE_LIMIT_REQUESTS: "0" },
        { RATE_LIMIT_REQUESTS: "many" },
        { RATE_LIMIT_REQUESTS: "2.5" },
        { RATE_LIMIT_WINDOW_SECONDS: "0" },
        { RATE_LIMIT_WINDOW_SECONDS: "86401" },
        { TRUSTED_PROXY_HOPS: "-1" },
        { TRUSTED_PROXY_HOPS: "11" },
    ];
    for (const env of bad) {
        const [name, value] = Object.entries(env)[0];
        it(`${name}=${value}: the server exits 2, the Lambda API fails its init`, async () => {
            const { code, output } = await runUntilExit(env);
            assert.equal(code, 2, output);
            assert.match(output, new RegExp(`${name}: .*\\(got \\\\"${value.replace(".", "\\.")}\\\\"\\)`));
            const { error } = await invokeBundle("api", functionUrlEvent("GET", "/health"), { STORAGE_BACKEND: "memory", ...env });
            assert.equal(error?.name, "SettingsError", JSON.stringify(error));
            assert.match(error!.message, new RegExp(`${name}: `));
        });
    }
});
