import * as assert from "assert";
import { waitUntilServing } from "../../components/gcp/apiActivation";
import { checkMaxInstances } from "../../components/gcp/cloudRunQuota";
import { stableRevisionImage } from "../../components/gcp/rollbackTarget";
import { CALL_ATTEMPT, boundedFetch } from "../../components/httpAttempt";
import { ConnectionFailure, NoAnswer, UnansweredCall } from "../../components/noAnswer";
import { manifestByTag } from "../../components/image/ociRegistry";
import { send } from "../../scripts/offline/cloudApiServer";
import { FakeOciRegistryApi } from "../../scripts/offline/fakeOciRegistryApi";
import { FakeRegistry } from "../../scripts/offline/fakeRegistry";
import { closedPortUrl } from "../harness/closedPort";
import { regExpText } from "../harness/regExpText";
import { FakeFetch, withFakeFetch } from "../harness/fakeFetch";
import { SilentServer, startSilentServer } from "../harness/silentServer";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const googleApisRedirect = require("../../scripts/offline/googleApisRedirect.js") as typeof import("../../scripts/offline/googleApisRedirect");

/**
 * The program's own fetch reads (Google's REST APIs, the registries' OCI distribution API) run in every preview, before
 * anything is registered. A server that takes the request and never answers (a proxy that holds the connection) held
 * the preview for undici's 300 s headersTimeout per request. Each attempt is now bounded by CALL_ATTEMPT; here it
 * is shortened, and the reads go where the offline runs send them (scripts/offline/googleApisRedirect.js): to a local
 * server that stays silent, except that the registry's manifest read is first challenged for a pull token.
 */
describe("the program's Google API and registry reads give up on a server that never answers", function () {
    this.timeout(10_000);
    let server: SilentServer;
    /** The URLs the program's fetch was called with: its attempts, whether or not each reached the server in time. */
    const sent: string[] = [];
    /** The program's fetch in each test: sent where the offline runs send it, to the silent server, each URL recorded. */
    let recording: FakeFetch;
    const saved = CALL_ATTEMPT.timeoutMs;
    const digest = `sha256:${"a".repeat(64)}`;
    const token = "ya29.deployer-access-token";

    before(async () => {
        // The registry stand-in, for Artifact Registry's challenge in its words (fakeOciRegistryApi.ts).
        const registry = new FakeOciRegistryApi(() => new FakeRegistry());
        server = await startSilentServer((req, res) => {
            // Artifact Registry's challenge (Docker's token authentication); the realm is on a registry host, so it is
            // redirected here too, where it is never answered.
            const challenged = /^\/registry\/([^/]+)(\/v2\/p\/r\/token-service\/manifests\/.*)$/.exec(req.url ?? "");
            if (challenged && req.headers.authorization === undefined) void send(registry.answer(new URL(`https://${challenged[1]}${challenged[2]}`), null), res);
            // Anything else: the request is taken and never answered.
        });
        // install() puts its redirect in as this process's fetch: it is taken from there, and the fetch before it put
        // back, so that only each test's own run (viaSilentServer) reads through it.
        const redirected = await withFakeFetch(globalThis.fetch, async () => (googleApisRedirect.install(server.url), globalThis.fetch));
        recording = (input, init) => (sent.push(String(input)), redirected(input, init));
        CALL_ATTEMPT.timeoutMs = 300;
    });
    after(async () => {
        CALL_ATTEMPT.timeoutMs = saved;
        await server.stop();
    });
    const viaSilentServer = (use: () => Promise<void>) => () => withFakeFetch(recording, use);
    beforeEach(() => void sent.splice(0));
    afterEach(() => void (CALL_ATTEMPT.timeoutMs = 300));

    const unanswered = (url: RegExp) => (err: Error) => {
        assert.match(err.message, url);
        assert.match(err.message, new RegExp(`did not answer within ${CALL_ATTEMPT.timeoutMs / 1000} s`));
        return true;
    };

    it("Cloud Quotas (the max-instances check before registration, and the component's, which retries 429/5xx): one attempt each, then an error naming the quota and URL", viaSilentServer(async () => {
        const request = { project: "multicloud-service-prod", region: "asia-northeast1", maxInstances: 10, cpu: "2", memory: "2Gi" };
        await assert.rejects(
            checkMaxInstances(request, token, { once: true }),
            unanswered(/could not read Cloud Run's (CpuAllocPerProjectRegion|MemAllocPerProjectRegion) quota of project multicloud-service-prod: GET https:\/\/cloudquotas\.googleapis\.com\/v1\/projects\/multicloud-service-prod\//),
        );
        await assert.rejects(checkMaxInstances(request, token), unanswered(/cloudquotas\.googleapis\.com/));
        // Counted as sent, not as received: on a busy machine an attempt may be given up before its request reaches the server.
        assert.deepStrictEqual(sent.map((url) => new URL(url).hostname), Array(4).fill("cloudquotas.googleapis.com"), "both quotas asked once per check: a silent server is not an answer to retry");
    }));

    it("Cloud Run Admin (the stable revision's image, asked before registration)", viaSilentServer(async () => {
        const ref = { project: "multicloud-service-prod", region: "asia-northeast1", revision: "multicloud-service-00007-abc" };
        await assert.rejects(stableRevisionImage(ref, token, { once: true }), unanswered(/could not read Cloud Run revision multicloud-service-00007-abc .*: GET https:\/\/asia-northeast1-run\.googleapis\.com\/.*\/revisions\/multicloud-service-00007-abc did not answer/));
    }));

    it("an API's activation probe (the wait after enabling it, in an up)", viaSilentServer(async () => {
        await assert.rejects(
            waitUntilServing(["run"], { id: "multicloud-service-prod", number: "1" }, "asia-northeast1", token),
            unanswered(/could not ask run\.googleapis\.com whether it serves project multicloud-service-prod: GET https:\/\/run\.googleapis\.com\//),
        );
    }));

    it("a registry's manifest read (a prebuilt image's platform and signature checks)", viaSilentServer(async () => {
        await assert.rejects(
            manifestByTag({ host: "asia-northeast1-docker.pkg.dev", name: "p/r/silent-service" }, digest),
            unanswered(/GET https:\/\/asia-northeast1-docker\.pkg\.dev\/v2\/p\/r\/silent-service\/manifests\/sha256:a{64} did not answer/),
        );
    }));

    it("a registry's pull-token exchange after its challenge", viaSilentServer(async () => {
        // The challenge is answered, and must arrive within the bound: 300 ms is too short for that on a busy machine.
        CALL_ATTEMPT.timeoutMs = 2000;
        await assert.rejects(
            manifestByTag({ host: "asia-northeast1-docker.pkg.dev", name: "p/r/token-service" }, digest),
            unanswered(/GET https:\/\/asia-northeast1-docker\.pkg\.dev\/v2\/token\?service=.*did not answer/),
        );
    }));
});

/**
 * A server that cannot be reached at all: Node's fetch (undici, as bundled in the node binary the tests run on) rejects
 * with TypeError "fetch failed" whose cause is the system's error (tried here: a closed loopback port gives ECONNREFUSED,
 * syscall connect; a .invalid host ENOTFOUND, syscall getaddrinfo; a server that resets the connection on the request
 * ECONNRESET, syscall read). Before, boundedFetch passed that TypeError on: "fetch failed", no URL, and not a NoAnswer,
 * so the checks before registration left it to the component.
 */
describe("boundedFetch: a server that cannot be reached, or drops the connection, is a NoAnswer naming the request and the cause", function () {
    this.timeout(15_000);

    it("a refused connection: a ConnectionFailure naming the method, the URL, ECONNREFUSED and what to do, fetch's TypeError as its cause", async () => {
        const url = `${await closedPortUrl()}/v1/projects/p/quotaInfos/q`;
        await assert.rejects(boundedFetch(url, { method: "GET" }, { what: "could not read the quota" }), (err: Error) => {
            assert.ok(err instanceof ConnectionFailure && err instanceof NoAnswer && !(err instanceof UnansweredCall), String(err));
            assert.strictEqual(err.name, "Error", "printed as Error: <message>, as UnansweredCall is");
            assert.match(err.message, new RegExp(`^could not read the quota: GET ${regExpText(url)} could not be reached \\(connect ECONNREFUSED 127\\.0\\.0\\.1:\\d+\\); run again once it is reachable$`));
            const cause = err.cause as TypeError & { cause?: { code?: string } };
            assert.ok(cause instanceof TypeError && cause.message === "fetch failed" && cause.cause?.code === "ECONNREFUSED", String(cause));
            return true;
        });
    });

    it("a write that was never sent says to run again, not that it may have been applied", async () => {
        const url = `${await closedPortUrl()}/api/esc/environments/o/e`;
        await assert.rejects(
            boundedFetch(url, { method: "PATCH", body: "{}" }, { what: "writing", then: "the write may have been applied all the same" }),
            /^Error: writing: PATCH http:\/\/127\.0\.0\.1:\d+\/api\/esc\/environments\/o\/e could not be reached \(connect ECONNREFUSED [^)]*\); run again once it is reachable$/,
        );
    });

    it("an unknown host: ENOTFOUND from getaddrinfo, a request that never left", async () => {
        // Node's fetch rejects so for a name no resolver knows (Node 24.22.3 here, for a .invalid host: TypeError "fetch
        // failed", its cause an Error "getaddrinfo ENOTFOUND <host>" with code ENOTFOUND and syscall getaddrinfo). Given
        // as that rejection, not asked of this machine's resolver, whose answer (or silence) is not the test's to decide.
        const host = "cloudquotas.unreachable.invalid";
        const notFound = Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND", syscall: "getaddrinfo", hostname: host });
        const failing = async () => Promise.reject(new TypeError("fetch failed", { cause: notFound }));
        await assert.rejects(boundedFetch(`https://${host}/v1/x`, {}, { fetch: failing }), (err: Error) => {
            assert.ok(err instanceof ConnectionFailure, String(err));
            assert.strictEqual(err.message, `GET https://${host}/v1/x could not be reached (getaddrinfo ENOTFOUND ${host}); run again once it is reachable`);
            return true;
        });
    });

    it("a connection reset after the request was sent: the write may have been applied, so `then` is what it says to do", async () => {
        const server = await startSilentServer((req) => req.socket.resetAndDestroy());
        const url = `${server.url}/api/esc/environments/o/e`;
        try {
            await assert.rejects(
                boundedFetch(url, { method: "PATCH", body: "{}" }, { what: "writing", then: "the write may have been applied all the same" }),
                (err: Error) => {
                    assert.ok(err instanceof ConnectionFailure, String(err));
                    assert.match(err.message, /^writing: PATCH http:\/\/127\.0\.0\.1:\d+\/api\/esc\/environments\/o\/e closed the connection before answering \(read ECONNRESET\); the write may have been applied all the same$/);
                    return true;
                },
            );
        } finally {
            await server.stop();
        }
    });

    it("an answer cut off in its body (undici's TypeError \"terminated\"): the connection closed before the answer was whole", async () => {
        // 100 bytes promised, 3 sent, then the connection reset.
        const server = await startSilentServer((req, res) => (res.writeHead(200, { "content-length": "100" }).write("abc"), setTimeout(() => req.socket.resetAndDestroy(), 50)));
        const url = `${server.url}/v2/p/r/s/manifests/t`;
        try {
            await assert.rejects(boundedFetch(url), (err: Error) => {
                assert.ok(err instanceof ConnectionFailure, String(err));
                assert.match(err.message, /^GET http:\/\/127\.0\.0\.1:\d+\/v2\/p\/r\/s\/manifests\/t closed the connection before its answer was whole \(read ECONNRESET\); run again once it answers$/);
                assert.strictEqual((err.cause as Error).message, "terminated");
                return true;
            });
        } finally {
            await server.stop();
        }
    });

    it("an abort by the caller's own signal is rethrown as fetch threw it", async () => {
        const caller = new AbortController();
        caller.abort();
        await assert.rejects(boundedFetch(`${await closedPortUrl()}/x`, { signal: caller.signal }), (err: Error) => {
            assert.ok(!(err instanceof NoAnswer), String(err));
            assert.strictEqual(err.name, "AbortError");
            return true;
        });
    });

    // The answer is rebuilt from the bytes read, and the Fetch Standard's Response constructor throws a TypeError for a
    // body given with a null body status (101, 103, 204, 205, 304), an empty one included: 204 No Content must come
    // back as an answer without a body, not as that TypeError.
    it("an answer without a body (204 No Content) is handed back with its status and headers", async () => {
        const noContent = async () => new Response(null, { status: 204, headers: { "pulumi-esc-revision": "8" } });
        const res = await boundedFetch("https://api.example.invalid/x", { method: "PATCH", body: "{}" }, { fetch: noContent });
        assert.deepStrictEqual([res.status, res.headers.get("pulumi-esc-revision"), await res.text()], [204, "8", ""]);
    });

    it("fetch's other TypeErrors (a URL it cannot parse) are not a NoAnswer", async () => {
        // Node's fetch says "Failed to parse URL from ..."; the offline googleapis redirect, which another spec file in
        // the same mocha worker may have installed, parses the URL first and says "Invalid URL" (new URL's words).
        await assert.rejects(boundedFetch("http://exa mple/"), (err: Error) => err instanceof TypeError && !(err instanceof NoAnswer) && /^(Failed to parse URL|Invalid URL)/.test(err.message));
    });
});
