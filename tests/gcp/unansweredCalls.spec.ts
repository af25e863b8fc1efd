import * as assert from "assert";
import { waitUntilServing } from "../../components/gcp/apiActivation";
import { checkMaxInstances } from "../../components/gcp/cloudRunQuota";
import { stableRevisionImage } from "../../components/gcp/rollbackTarget";
import { CALL_ATTEMPT } from "../../components/httpAttempt";
import { manifestByTag } from "../../components/image/ociRegistry";
import { send } from "../../scripts/offline/cloudApiServer";
import { FakeOciRegistryApi } from "../../scripts/offline/fakeOciRegistryApi";
import { FakeRegistry } from "../../scripts/offline/fakeRegistry";
import { SilentServer, startSilentServer } from "../harness/silentServer";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const googleApisRedirect = require("../../scripts/offline/googleApisRedirect.js") as { install(base: string): void };

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
    const realFetch = globalThis.fetch;
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
        googleApisRedirect.install(server.url);
        const redirected = globalThis.fetch;
        globalThis.fetch = ((input: string | URL | Request, init?: RequestInit) => (sent.push(input instanceof Request ? input.url : String(input)), redirected(input, init))) as typeof fetch;
        CALL_ATTEMPT.timeoutMs = 300;
    });
    after(async () => {
        CALL_ATTEMPT.timeoutMs = saved;
        globalThis.fetch = realFetch;
        await server.stop();
    });
    beforeEach(() => void sent.splice(0));
    afterEach(() => void (CALL_ATTEMPT.timeoutMs = 300));

    const unanswered = (url: RegExp) => (err: Error) => {
        assert.match(err.message, url);
        assert.match(err.message, new RegExp(`did not answer within ${CALL_ATTEMPT.timeoutMs / 1000} s`));
        return true;
    };

    it("Cloud Quotas (the max-instances check before registration, and the component's, which retries 429/5xx): one attempt each, then an error naming the quota and URL", async () => {
        const request = { project: "multicloud-service-prod", region: "asia-northeast1", maxInstances: 10, cpu: "2", memory: "2Gi" };
        await assert.rejects(
            checkMaxInstances(request, token, { once: true }),
            unanswered(/could not read Cloud Run's (CpuAllocPerProjectRegion|MemAllocPerProjectRegion) quota of project multicloud-service-prod: GET https:\/\/cloudquotas\.googleapis\.com\/v1\/projects\/multicloud-service-prod\//),
        );
        await assert.rejects(checkMaxInstances(request, token), unanswered(/cloudquotas\.googleapis\.com/));
        // Counted as sent, not as received: on a busy machine an attempt may be given up before its request reaches the server.
        assert.deepStrictEqual(sent.map((url) => new URL(url).hostname), Array(4).fill("cloudquotas.googleapis.com"), "both quotas asked once per check: a silent server is not an answer to retry");
    });

    it("Cloud Run Admin (the stable revision's image, asked before registration)", async () => {
        const ref = { project: "multicloud-service-prod", region: "asia-northeast1", revision: "multicloud-service-00007-abc" };
        await assert.rejects(stableRevisionImage(ref, token, { once: true }), unanswered(/could not read Cloud Run revision multicloud-service-00007-abc .*: GET https:\/\/asia-northeast1-run\.googleapis\.com\/.*\/revisions\/multicloud-service-00007-abc did not answer/));
    });

    it("an API's activation probe (the wait after enabling it, in an up)", async () => {
        await assert.rejects(
            waitUntilServing(["run"], { id: "multicloud-service-prod", number: "1" }, "asia-northeast1", token),
            unanswered(/could not ask run\.googleapis\.com whether it serves project multicloud-service-prod: GET https:\/\/run\.googleapis\.com\//),
        );
    });

    it("a registry's manifest read (a prebuilt image's platform and signature checks)", async () => {
        await assert.rejects(
            manifestByTag({ host: "asia-northeast1-docker.pkg.dev", name: "p/r/silent-service" }, digest),
            unanswered(/GET https:\/\/asia-northeast1-docker\.pkg\.dev\/v2\/p\/r\/silent-service\/manifests\/sha256:a{64} did not answer/),
        );
    });

    it("a registry's pull-token exchange after its challenge", async () => {
        // The challenge is answered, and must arrive within the bound: 300 ms is too short for that on a busy machine.
        CALL_ATTEMPT.timeoutMs = 2000;
        await assert.rejects(
            manifestByTag({ host: "asia-northeast1-docker.pkg.dev", name: "p/r/token-service" }, digest),
            unanswered(/GET https:\/\/asia-northeast1-docker\.pkg\.dev\/v2\/token\?service=.*did not answer/),
        );
    });
});
