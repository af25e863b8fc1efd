import * as assert from "assert";
import * as path from "path";
import { PROJECT_ROOT, readStackFile } from "../../config/stackFile";
import { CALL_ATTEMPT } from "../../components/httpAttempt";
import { MockCloud, bridgedError, runUnderMocks } from "../../scripts/offline/mockCloud";
import { messagesOf } from "../../scripts/offline/programMessages";
import { apiAlreadyOn } from "../harness/enabledApis";
import { registeredTypes } from "../harness/registeredTypes";
import { closedPortUrl } from "../harness/closedPort";
import { withFakeFetch } from "../harness/fakeFetch";
import { redirectHost } from "../harness/redirectHost";
import { SilentServer, startSilentServer } from "../harness/silentServer";
import { withSettings } from "../harness/stackConfig";

const CLIENT_CONFIG = "gcp:organizations/getClientConfig:getClientConfig";
/**
 * getClientConfig's failure where the provider's credentials can no longer get a token (a revoked refresh token): the
 * google_client_config data source returns the token source's error as it is (terraform-provider-google's SDKv2 read:
 * `token, err := config.tokenSource.Token(); if err != nil { return err }`; its plugin-framework version puts "Error
 * setting access_token" before it), golang/oauth2's RetrieveError (token.go at 050cf24: "oauth2: cannot fetch token:
 * %v\nResponse: %s") with Google's token endpoint's answer.
 */
const EXPIRED_GRANT = 'oauth2: cannot fetch token: 400 Bad Request\nResponse: {\n  "error": "invalid_grant",\n  "error_description": "Token has been expired or revoked."\n}';

/**
 * prod from source (so a CALL_ATTEMPT a test shortens is its own) with `host`'s requests sent to `baseUrl` throughout (a
 * silent server, a closed port): the run's error and cloud.
 */
async function runWithHostAt(host: string, baseUrl: string, run: { config: Record<string, string>; secretKeys?: string[]; setup: (cloud: MockCloud) => void }): Promise<{ message: string; cloud: MockCloud }> {
    let cloud: MockCloud | undefined;
    const program = require(path.join(PROJECT_ROOT, "index.ts")) as () => unknown;
    // Inside the program: the offline redirect to the stand-ins is in place by then, and the redirected host goes around it.
    const redirectedProgram = () => (redirectHost(host, baseUrl), program());
    const setup = (c: MockCloud) => ((cloud = c), run.setup(c));
    // The fetch before the run is put back after it (redirectHost.ts: its fetch holds the run's redirect).
    const message = await withFakeFetch(globalThis.fetch, () => runUnderMocks({ stack: "prod", config: run.config, secretKeys: run.secretKeys, setup }, redirectedProgram))
        .then(
            () => assert.fail("the run went through"),
            (err: Error) => err.message,
        );
    return { message, cloud: cloud! };
}

// Before: the checks before registration left every failed read to the component, one nobody answered too, though the
// component's read gets no answer either (getGoogleApi does not retry an attempt nobody answers). The run failed only
// once the component had registered its first resources (56 cloud resources under the mocks for the quota, 64 for the
// stable revision), its message behind the SDK's "error serializing property" chain.
describe("a Google read the checks before registration get no answer to fails the run before anything is registered", function () {
    this.timeout(60_000);
    let server: SilentServer;
    const saved = CALL_ATTEMPT.timeoutMs;
    before(async () => {
        server = await startSilentServer();
        // The bound holds every read of the run, the stand-ins' answered ones too: 300 ms is too short for an answer on a
        // busy machine (releaseState.spec.ts, gcp/unansweredCalls.spec.ts).
        CALL_ATTEMPT.timeoutMs = 2000;
    });
    after(async () => {
        CALL_ATTEMPT.timeoutMs = saved;
        await server.stop();
    });

    // The bound a real run has (read before this spec shortens it): its reason is that undici gives up on a silent server
    // only after 300 s (components/httpAttempt.ts, its source), so a preview held by a proxy that never answers stops in
    // seconds, not five minutes. Before: every spec shortened it, and 300_000 in its place passed them all.
    it("a real run's bound on one attempt is a small part of undici's own 300 s", () => {
        assert.ok(saved > 0 && saved <= 30_000, `CALL_ATTEMPT.timeoutMs ${saved} ms`);
    });

    it("Cloud Quotas (max instances against the region's quota): no resource registered; the error names the quota, the URL, the bound and what to do", async () => {
        const { message, cloud } = await runWithHostAt("cloudquotas.googleapis.com", server.url, { ...readStackFile("prod"), setup: apiAlreadyOn("cloudquotas.googleapis.com") });
        assert.match(
            message,
            /^could not read Cloud Run's \w+ quota of project multicloud-service-prod: GET https:\/\/cloudquotas\.googleapis\.com\/v1\/projects\/multicloud-service-prod\/\S+ did not answer within 2 s .*; run again once it answers$/,
        );
        assert.deepStrictEqual(registeredTypes(cloud), []);
    });

    it("Cloud Run Admin (the canary's stable revision): no resource registered; the error names the revision, the URL, the bound and what to do", async () => {
        const canary = withSettings("prod", "gcp", { canary: { stableRevision: "multicloud-service-00007-abc", percent: 10 } });
        const { message, cloud } = await runWithHostAt("asia-northeast1-run.googleapis.com", server.url, { config: canary, setup: apiAlreadyOn("run.googleapis.com") });
        assert.match(
            message,
            /^could not read Cloud Run revision multicloud-service-00007-abc \(multicloud-service-prod, asia-northeast1\): GET https:\/\/asia-northeast1-run\.googleapis\.com\/\S+\/revisions\/multicloud-service-00007-abc did not answer within 2 s .*; run again once it answers$/,
        );
        assert.deepStrictEqual(registeredTypes(cloud), []);
    });
});

// Before: the checks before registration rethrew only a read nobody answered; one whose host could not be reached at all
// (Node's fetch rejects with TypeError "fetch failed", the system's ECONNREFUSED as its cause) was left to the component,
// whose own read failed the same way once its first resources were registered, saying "fetch failed" and no URL.
describe("a Google read the checks before registration cannot reach fails the run before anything is registered", function () {
    this.timeout(60_000);

    it("Cloud Quotas (max instances against the region's quota): no resource registered; the error names the quota, the URL, ECONNREFUSED and what to do", async () => {
        const { message, cloud } = await runWithHostAt("cloudquotas.googleapis.com", await closedPortUrl(), { ...readStackFile("prod"), setup: apiAlreadyOn("cloudquotas.googleapis.com") });
        assert.match(
            message,
            /^could not read Cloud Run's \w+ quota of project multicloud-service-prod: GET https:\/\/cloudquotas\.googleapis\.com\/v1\/projects\/multicloud-service-prod\/\S+ could not be reached \(connect ECONNREFUSED 127\.0\.0\.1:\d+\); run again once it is reachable$/,
        );
        assert.deepStrictEqual(registeredTypes(cloud), []);
    });

    it("Cloud Run Admin (the canary's stable revision): no resource registered; the error names the revision, the URL, ECONNREFUSED and what to do", async () => {
        const canary = withSettings("prod", "gcp", { canary: { stableRevision: "multicloud-service-00007-abc", percent: 10 } });
        const { message, cloud } = await runWithHostAt("asia-northeast1-run.googleapis.com", await closedPortUrl(), { config: canary, setup: apiAlreadyOn("run.googleapis.com") });
        assert.match(
            message,
            /^could not read Cloud Run revision multicloud-service-00007-abc \(multicloud-service-prod, asia-northeast1\): GET https:\/\/asia-northeast1-run\.googleapis\.com\/\S+\/revisions\/multicloud-service-00007-abc could not be reached \(connect ECONNREFUSED 127\.0\.0\.1:\d+\); run again once it is reachable$/,
        );
        assert.deepStrictEqual(registeredTypes(cloud), []);
    });

    it("Cloud Run's locations (gcp:region against them): no resource registered; the error names the list, the URL, ECONNREFUSED and what to do", async () => {
        const { message, cloud } = await runWithHostAt("run.googleapis.com", await closedPortUrl(), { ...readStackFile("prod"), setup: apiAlreadyOn("run.googleapis.com") });
        assert.match(
            message,
            /^could not list Cloud Run's locations for project multicloud-service-prod: GET https:\/\/run\.googleapis\.com\/v1\/projects\/multicloud-service-prod\/locations\S* could not be reached \(connect ECONNREFUSED 127\.0\.0\.1:\d+\); run again once it is reachable$/,
        );
        assert.deepStrictEqual(registeredTypes(cloud), []);
    });
});

// The checks before registration throw the first read that could not run when nothing else is wrong; each other one
// is said beside it, or its cause shows only a run later.
describe("every check before registration that could not run is said", function () {
    this.timeout(60_000);

    it("Cloud Quotas and Cloud Run Admin both unreachable: the quota's error fails the run, the revision's is said beside it", async () => {
        const closed = await closedPortUrl();
        const canary = withSettings("prod", "gcp", { canary: { stableRevision: "multicloud-service-00007-abc", percent: 10 } });
        let cloud: MockCloud | undefined;
        const program = require(path.join(PROJECT_ROOT, "index.ts")) as () => unknown;
        const redirected = () => (redirectHost("cloudquotas.googleapis.com", closed), redirectHost("asia-northeast1-run.googleapis.com", closed), program());
        const setup = (c: MockCloud) => ((cloud = c), apiAlreadyOn("cloudquotas.googleapis.com")(c), apiAlreadyOn("run.googleapis.com")(c));
        const message = await withFakeFetch(globalThis.fetch, () => runUnderMocks({ stack: "prod", config: canary, setup }, redirected))
            .then(
                () => assert.fail("the run went through"),
                (err: Error) => err.message,
            );
        assert.match(message, /^could not read Cloud Run's \w+ quota of project multicloud-service-prod: GET https:\/\/cloudquotas\.googleapis\.com\/\S+ could not be reached/);
        const errors = messagesOf(cloud!, "error");
        assert.ok(
            errors.some((m) => /^a check of the settings against the clouds could not run: could not read Cloud Run revision multicloud-service-00007-abc .* could not be reached/.test(m)),
            errors.join("\n"),
        );
        assert.deepStrictEqual(registeredTypes(cloud), []);
    });

    // A read every GCP check waits for (the provider's token, asked once for all of them: preflight.ts) fails each of
    // them with one error: it is the run's error, and not said again beside it as a further check that could not run
    // (cloudChecks.ts: dropping its Set, or logging the thrown one too, passed every spec).
    it("the GCP provider's token, which every GCP check waits for, not given: the run's error, said once", async () => {
        let cloud: MockCloud | undefined;
        const program = require(path.join(PROJECT_ROOT, "index.ts")) as () => unknown;
        const setup = (c: MockCloud) => {
            cloud = c;
            const call = c.call.bind(c);
            c.call = (args) => {
                if (args.token === CLIENT_CONFIG) throw bridgedError(CLIENT_CONFIG, EXPIRED_GRANT);
                return call(args);
            };
        };
        const message = await runUnderMocks({ stack: "prod", ...readStackFile("prod"), setup }, program).then(
            () => assert.fail("the run went through"),
            (err: Error) => err.message,
        );
        assert.match(message, /getClientConfig returned an error: .*oauth2: cannot fetch token: 400 Bad Request/s);
        const errors = messagesOf(cloud!, "error");
        assert.deepStrictEqual(errors.filter((m) => /oauth2: cannot fetch token/.test(m)), []);
        assert.deepStrictEqual(registeredTypes(cloud), []);
    });
});
