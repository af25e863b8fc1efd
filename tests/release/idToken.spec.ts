import * as assert from "assert";
import * as crypto from "crypto";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as path from "path";
import { applicationDefaultIdToken, googleIdTokenHeaders } from "../../release/probe/cloudRunTransport";
import { googleLibraryErrorWords } from "../../release/probe/googleLibraryErrorWords";
import { withProcessEnvironment } from "../../scripts/offline/environment";
import { permissionDenied, quotaExceeded, tokenEndpointInternalFailure, unavailable } from "../../scripts/offline/googleApiAnswers";
import { noGoogleProjectBehindProxy } from "../harness/noGoogleProjectBehindProxy";
import { scratchDir } from "../harness/tempDirs";
import { userTokenEndpoint, withUserAdc, writeUserAdcFile } from "../harness/userAdc";

const ACCOUNT = "deployer-prod@multicloud-prod.iam.gserviceaccount.com";
/** The service's own URL (stack output gcp.serviceUrl), the audience the probe asks for (candidateProbes.ts). */
const AUDIENCE = "https://service-0a1b2c3-an.a.run.app";

/**
 * IAM Credentials' generateIdToken on loopback, in its words (REST reference, projects.serviceAccounts.generateIdToken):
 * 200 `{"token": "<JWT>"}`; a caller without iam.serviceAccounts.getOpenIdToken gets 403 PERMISSION_DENIED with an
 * ErrorInfo of reason IAM_PERMISSION_DENIED naming the permission, as IAM Credentials answers a denied
 * generateAccessToken (the body quoted in google-github-actions/auth issue 340 and DataDog/stratus-red-team issue 299).
 */
async function fakeIamCredentials(...allowed: string[]) {
    const calls: { path: string; authorization?: string; body: any }[] = [];
    const server = http.createServer((req, res) => {
        let body = "";
        req.on("data", (c) => (body += c));
        req.on("end", () => {
            calls.push({ path: req.url ?? "", authorization: req.headers.authorization, body: JSON.parse(body) });
            if (!allowed.some((token) => req.headers.authorization === `Bearer ${token}`)) {
                const denied = permissionDenied("iam.googleapis.com", "iam.serviceAccounts.getOpenIdToken");
                res.writeHead(denied.status, { "content-type": "application/json; charset=UTF-8" });
                void denied.text().then((text) => res.end(text));
                return;
            }
            res.writeHead(200, { "content-type": "application/json; charset=UTF-8" });
            res.end(JSON.stringify({ token: "eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJhdWQiOiJ4In0.c2ln" }));
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe("the ID token the probe presents to Cloud Run", () => {
    it("IAM Credentials answering 503 or 429 now and then is asked again; a token that still cannot be had says the last answer", async () => {
        const iam = await fakeIamCredentials("ya29.access");
        // Google's answers to a passing outage and a used-up quota, as the offline stand-ins give them (their sources are there).
        const exhausted = () => quotaExceeded("iamcredentials.googleapis.com");
        try {
            const answers = [unavailable, exhausted];
            let asked = 0;
            const flaky = (async (url: string, init: RequestInit) => (asked++, answers.shift()?.() ?? fetch(url, init))) as typeof fetch;
            const headers = googleIdTokenHeaders({ GOOGLE_OAUTH_ACCESS_TOKEN: "ya29.access", RELEASE_GCP_SERVICE_ACCOUNT: ACCOUNT }, iam.url, flaky, undefined, { retryDelayMs: 1, timeoutMs: 1000, adcTimeoutMs: 1000 });
            assert.deepStrictEqual(await headers(AUDIENCE), { Authorization: "Bearer eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJhdWQiOiJ4In0.c2ln" });
            assert.strictEqual(asked, 3);
            const down = googleIdTokenHeaders({ GOOGLE_OAUTH_ACCESS_TOKEN: "ya29.access", RELEASE_GCP_SERVICE_ACCOUNT: ACCOUNT }, iam.url, (async () => unavailable()) as typeof fetch, undefined, { retryDelayMs: 1, timeoutMs: 1000, adcTimeoutMs: 1000 });
            await assert.rejects(down("https://other-audience.example"), /: 503 The service is currently unavailable\.$/);
            // A call that never answers has an end: each attempt's timeout, then the token is not to be had.
            let calls = 0;
            const hanging = (async (_url: string, init: RequestInit) => (calls++, new Promise((_, reject) => init.signal?.addEventListener("abort", () => reject(init.signal?.reason))))) as typeof fetch;
            const stuck = googleIdTokenHeaders({ GOOGLE_OAUTH_ACCESS_TOKEN: "ya29.access", RELEASE_GCP_SERVICE_ACCOUNT: ACCOUNT }, iam.url, hanging, undefined, { retryDelayMs: 1, timeoutMs: 50, adcTimeoutMs: 1000 });
            await assert.rejects(stuck("https://third-audience.example"), /no answer from IAM Credentials \(TimeoutError: /);
            assert.strictEqual(calls, 3);
            // A 200 without a token is not cached as one.
            const empty = googleIdTokenHeaders({ GOOGLE_OAUTH_ACCESS_TOKEN: "ya29.access", RELEASE_GCP_SERVICE_ACCOUNT: ACCOUNT }, iam.url, (async () => Response.json({})) as typeof fetch, undefined, { retryDelayMs: 1, timeoutMs: 1000, adcTimeoutMs: 1000 });
            await assert.rejects(empty("https://fourth-audience.example"), /: 200 without a token: an empty JSON object$/);
            // An answer in another shape names its keys, never its values: one could be a credential, and this reaches the job's log.
            const accessToken = "ya29.c.AccessTokenValue";
            const otherShape = googleIdTokenHeaders({ GOOGLE_OAUTH_ACCESS_TOKEN: "ya29.access", RELEASE_GCP_SERVICE_ACCOUNT: ACCOUNT }, iam.url, (async () => Response.json({ accessToken, expireTime: "2026-12-04T17:00:00Z" })) as typeof fetch, undefined, { retryDelayMs: 1, timeoutMs: 1000, adcTimeoutMs: 1000 });
            await assert.rejects(otherShape("https://fifth-audience.example"), (e: Error) => {
                assert.match(e.message, /: 200 without a token: a JSON object with "accessToken", "expireTime" \(values not shown\)$/);
                assert.ok(!e.message.includes(accessToken), "the access token is not in the message");
                return true;
            });
        } finally {
            await iam.close();
        }
    });

    it("from the job's access token: generateIdToken for RELEASE_GCP_SERVICE_ACCOUNT with the service's URL as audience, reused", async () => {
        const iam = await fakeIamCredentials("ya29.access");
        try {
            const headers = googleIdTokenHeaders({ GOOGLE_OAUTH_ACCESS_TOKEN: "ya29.access", RELEASE_GCP_SERVICE_ACCOUNT: ACCOUNT }, iam.url);
            assert.deepStrictEqual(await headers(AUDIENCE), { Authorization: "Bearer eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJhdWQiOiJ4In0.c2ln" });
            await headers(AUDIENCE);
            assert.strictEqual(iam.calls.length, 1, "one token for many requests");
            assert.deepStrictEqual(iam.calls[0], {
                path: `/v1/projects/-/serviceAccounts/${encodeURIComponent(ACCOUNT)}:generateIdToken`,
                authorization: "Bearer ya29.access",
                body: { audience: AUDIENCE, includeEmail: true },
            });
        } finally {
            await iam.close();
        }
    });

    it("an ID token is not presented in its last minutes: Google's ID tokens expire an hour after minting, and Cloud Run answers an expired one 401", async () => {
        const iam = await fakeIamCredentials("ya29.access");
        const realNow = Date.now;
        const minted = realNow();
        try {
            const headers = googleIdTokenHeaders({ GOOGLE_OAUTH_ACCESS_TOKEN: "ya29.access", RELEASE_GCP_SERVICE_ACCOUNT: ACCOUNT }, iam.url);
            await headers(AUDIENCE);
            // 59 minutes on, a request sent now (answered within RELEASE_PROBE_TIMEOUT_MS) may reach Cloud Run after the hour.
            Date.now = () => minted + 59 * 60_000;
            await headers(AUDIENCE);
            assert.strictEqual(iam.calls.length, 2, "a new token before the hour is out");
        } finally {
            Date.now = realNow;
            await iam.close();
        }
    });

    it("the release job's way (no ESC access token; application default credentials, which refresh): each new ID token is minted with the access token they hand out then", async () => {
        const iam = await fakeIamCredentials("ya29.adc-1", "ya29.adc-2");
        try {
            let handedOut = 0;
            const headers = googleIdTokenHeaders({ RELEASE_GCP_SERVICE_ACCOUNT: ACCOUNT }, iam.url, fetch, async () => `ya29.adc-${++handedOut}`);
            await headers(AUDIENCE);
            await headers("https://service-0a1b2c3-an.a.run.app/second-audience");
            assert.deepStrictEqual(
                iam.calls.map((c) => c.authorization),
                ["Bearer ya29.adc-1", "Bearer ya29.adc-2"],
                "an ID token after the first hour is minted with a fresh access token, not one from the job's start",
            );
        } finally {
            await iam.close();
        }
    });

    it("application default credentials that never hand out an access token (a token exchange that hangs) have an end too, and IAM is not asked", async () => {
        const iam = await fakeIamCredentials("ya29.adc");
        try {
            // google-auth-library's requests have no timeout of their own (gaxios' default timeout is 0, none).
            const neverAnswers = () => new Promise<string>(() => {});
            const headers = googleIdTokenHeaders({ RELEASE_GCP_SERVICE_ACCOUNT: ACCOUNT }, iam.url, fetch, neverAnswers, { retryDelayMs: 1, timeoutMs: 1000, adcTimeoutMs: 100 });
            await assert.rejects(headers(AUDIENCE), { message: "gcp: an access token from application default credentials (asked of Google's OAuth endpoint, or the metadata server): no answer within 100 ms" });
            assert.strictEqual(iam.calls.length, 0);
        } finally {
            await iam.close();
        }
    });

    it("refused: the error names the account, the audience and IAM's own message", async () => {
        const iam = await fakeIamCredentials("someone-else");
        try {
            const headers = googleIdTokenHeaders({ GOOGLE_OAUTH_ACCESS_TOKEN: "ya29.access", RELEASE_GCP_SERVICE_ACCOUNT: ACCOUNT }, iam.url);
            await assert.rejects(headers(AUDIENCE), new RegExp(`an ID token for ${ACCOUNT.replace(/\./g, "\\.")} \\(audience ${AUDIENCE.replace(/\./g, "\\.")}\\): 403 Permission 'iam\\.serviceAccounts\\.getOpenIdToken' denied`));
            // A refusal is no passing trouble (Google's API design guide, "Errors": PERMISSION_DENIED is not retried as
            // UNAVAILABLE or a quota's RESOURCE_EXHAUSTED are): IAM is asked once, not MINT_ATTEMPTS times.
            assert.strictEqual(iam.calls.length, 1);
        } finally {
            await iam.close();
        }
    });

    // The release run by hand with a release role rather than the stack's environment has no RELEASE_GCP_SERVICE_ACCOUNT,
    // and asks google-auth-library's own ID token client, which a federation file has none of: its error
    // (googleauth.js getIdTokenClient) says to use a service account key, which the organization baseline forbids.
    // Before: that advice alone, as the probe's refusal.
    it("application default credentials from a federation file, without the account: the error says to name the account, not to make a key", async () => {
        const dir = scratchDir("adc-federation");
        fs.writeFileSync(path.join(dir, "subject-token"), "eyJhbGciOiJSUzI1NiJ9.idp");
        // The files' shapes as google-auth-library reads them (identitypoolclient.js, externalAccountAuthorizedUserClient.js);
        // the second is what `gcloud auth application-default login` writes for a workforce pool's user. Their endpoints are
        // never asked: the library refuses before any exchange.
        const files = {
            external_account: {
                type: "external_account",
                audience: "//iam.googleapis.com/projects/123456789/locations/global/workloadIdentityPools/laptops/providers/aws",
                subject_token_type: "urn:ietf:params:oauth:token-type:jwt",
                token_url: "http://127.0.0.1:9/v1/token",
                credential_source: { file: path.join(dir, "subject-token") },
            },
            external_account_authorized_user: {
                type: "external_account_authorized_user",
                audience: "//iam.googleapis.com/locations/global/workforcePools/staff/providers/okta",
                client_id: "workforce-client",
                client_secret: "workforce-secret",
                refresh_token: "workforce-refresh-token",
                token_url: "http://127.0.0.1:9/v1/oauthtoken",
                token_info_url: "http://127.0.0.1:9/v1/introspect",
            },
        };
        const said: Record<string, string> = {};
        for (const [type, contents] of Object.entries(files)) {
            const file = path.join(dir, `${type}.json`);
            fs.writeFileSync(file, JSON.stringify(contents));
            said[type] = await withProcessEnvironment({ GOOGLE_APPLICATION_CREDENTIALS: file, GOOGLE_CLOUD_PROJECT: "multicloud-prod", GOOGLE_OAUTH_ACCESS_TOKEN: undefined, RELEASE_GCP_SERVICE_ACCOUNT: undefined }, () =>
                googleIdTokenHeaders({})(AUDIENCE).then(() => "an ID token", (err: Error) => err.message),
            );
        }
        const remedy =
            "gcp: application default credentials cannot mint an ID token themselves (a workload or workforce identity federation file): " +
            "set RELEASE_GCP_SERVICE_ACCOUNT to the service account whose ID token the probe shows the new revision (the stack's environment sets it: " +
            "`pulumi env run <org>/<environment> -- env -u GOOGLE_OAUTH_ACCESS_TOKEN npm run release -- <stack>`, docs/releases.md), " +
            "which these credentials need iam.serviceAccounts.getOpenIdToken on (roles/iam.serviceAccountOpenIdTokenCreator) " +
            "(google-auth-library: Cannot fetch ID token in this environment, use GCE or set the GOOGLE_APPLICATION_CREDENTIALS environment variable to a service account credentials JSON file.)";
        assert.deepStrictEqual(said, { external_account: remedy, external_account_authorized_user: remedy });
    });

    // A user's refresh answer holds an id_token only where the sign-in granted openid (Google's OAuth 2.0 docs,
    // "Refreshing an access token", show one without: access_token, expires_in, scope, token_type); gcloud's
    // `application-default login --scopes=<others>` gives such a refresh token. Before: the probe sent "Bearer undefined".
    it("a user's application default credentials whose refresh answers without an id_token: says to sign in with openid, never sends Bearer undefined", async () => {
        const file = writeUserAdcFile(scratchDir("adc-user"));
        const env = { GOOGLE_APPLICATION_CREDENTIALS: file, GOOGLE_CLOUD_PROJECT: "multicloud-prod", GOOGLE_OAUTH_ACCESS_TOKEN: undefined };
        const withoutOpenid = userTokenEndpoint({});
        const without = await withProcessEnvironment(env, () => applicationDefaultIdToken(AUDIENCE, withoutOpenid.authOptions).then(String, (err: Error) => err.message));
        assert.match(without, /^gcp: application default credentials answered without an ID token \(audience https:\/\/[^)]+\): a user's give one only when signed in with the openid scope/);
        const withOpenid = userTokenEndpoint({ id_token: "eyJ.user.id" });
        const granted = await withProcessEnvironment(env, () => applicationDefaultIdToken(AUDIENCE, withOpenid.authOptions));
        assert.strictEqual(granted, "eyJ.user.id");
        const asked = [...withoutOpenid.asked, ...withOpenid.asked];
        assert.deepStrictEqual(asked, ["POST https://oauth2.googleapis.com/token refresh_token", "POST https://oauth2.googleapis.com/token refresh_token"]);
    });

    // A service account key's ID token comes from gtoken (google-auth-library build/src/gtoken/getToken.js), which words a
    // refusal as `${error}: ${error_description}`: "[object Object]: undefined" for an answer in Google's JSON error model,
    // and "internal_failure: undefined" for the token endpoint's own 503 (tokenEndpointInternalFailure), which has no
    // description. Before: the probe's error said "[object Object]: undefined" and "internal_failure: undefined (...)".
    it("a service account key whose token endpoint is unavailable: the error quotes the answer, not [object Object] or undefined", async () => {
        const { privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
        const key = { type: "service_account", project_id: "multicloud-prod", private_key_id: "1", private_key: privateKey, client_email: ACCOUNT, client_id: "1", token_uri: "https://oauth2.googleapis.com/token" };
        const file = path.join(scratchDir("adc-key"), "key.json");
        fs.writeFileSync(file, JSON.stringify(key));
        const asked: string[] = [];
        // retry 0: gaxios would ask a 503 three more times (retry.js), seconds apart; the words are the same.
        const said = (answer: () => Response) => {
            const authOptions = { clientOptions: { transporterOptions: { retryConfig: { retry: 0 }, fetchImplementation: (async (url: string) => (asked.push(String(url)), answer())) as typeof fetch } } };
            return withProcessEnvironment({ GOOGLE_APPLICATION_CREDENTIALS: file, GOOGLE_CLOUD_PROJECT: "multicloud-prod" }, () => applicationDefaultIdToken(AUDIENCE, authOptions).then(String, (err: Error) => err.message));
        };
        const prefix = `gcp: an ID token from application default credentials (audience ${AUDIENCE}): `;
        assert.strictEqual(await said(unavailable), prefix + 'Google answered HTTP 503: {"error":{"code":503,"message":"The service is currently unavailable.","status":"UNAVAILABLE"}}');
        assert.strictEqual(await said(tokenEndpointInternalFailure), prefix + 'internal_failure (Google answered HTTP 503: {"error":"internal_failure"})');
        assert.deepStrictEqual(asked, ["https://oauth2.googleapis.com/token", "https://oauth2.googleapis.com/token"]);
    });

    // A user's refresh token revoked or expired is answered 400 {"error":"invalid_grant","error_description":"Token has been
    // expired or revoked."} by Google's token endpoint (as quoted in porjo/youtubeuploader#181 and GeneralTask/task-manager#2169);
    // gaxios (GaxiosError.extractAPIErrorFromResponse) keeps "invalid_grant" alone, so the answer is quoted beside it.
    // A 401 with no body at all is no answer of Google's token endpoint (it words each refusal in JSON) but of a proxy or
    // load balancer in front of it; gaxios makes the empty body the message, which said nothing after the colon.
    // A connection refused: gaxios keeps fetch's "fetch failed" and wraps fetch's TypeError as the cause
    // (gaxios.js _request), whose own cause is the system's error; before, only "fetch failed" was said.
    it("a user's refresh refused as invalid_grant quotes Google's 400 beside gaxios's code; an empty 401 and a refused connection say what happened", async () => {
        const file = writeUserAdcFile(scratchDir("adc-user"));
        const env = { GOOGLE_APPLICATION_CREDENTIALS: file, GOOGLE_CLOUD_PROJECT: "multicloud-prod", GOOGLE_OAUTH_ACCESS_TOKEN: undefined };
        const refused = async () => Response.json({ error: "invalid_grant", error_description: "Token has been expired or revoked." }, { status: 400 });
        const emptyRefusal = async () => new Response(null, { status: 401 });
        // Node's own fetch to a loopback port nobody listens on any more: undici's real TypeError and system error.
        const closed = http.createServer();
        await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
        const closedPort = (closed.address() as AddressInfo).port;
        await new Promise<void>((resolve) => closed.close(() => resolve()));
        const unanswered = (_url: string, init: RequestInit) => fetch(`http://127.0.0.1:${closedPort}/token`, init);
        const said = (fetchImplementation: (url: string, init: RequestInit) => Promise<Response>) =>
            withProcessEnvironment(env, () =>
                applicationDefaultIdToken(AUDIENCE, { clientOptions: { transporterOptions: { retryConfig: { retry: 0 }, fetchImplementation: fetchImplementation as unknown as typeof fetch } } }).then(
                    String,
                    (err: Error) => err.message,
                ),
            );
        assert.strictEqual(
            await said(refused),
            `gcp: an ID token from application default credentials (audience ${AUDIENCE}): invalid_grant (Google answered HTTP 400: {"error":"invalid_grant","error_description":"Token has been expired or revoked."})`,
        );
        assert.strictEqual(await said(emptyRefusal), `gcp: an ID token from application default credentials (audience ${AUDIENCE}): Google answered HTTP 401 with an empty body`);
        assert.strictEqual(await said(unanswered), `gcp: an ID token from application default credentials (audience ${AUDIENCE}): fetch failed (connect ECONNREFUSED 127.0.0.1:${closedPort})`);
    });

    it("IAM Credentials' error whose message is not a string, and a thrown value that is no Error: quoted as they came, not [object Object]", async () => {
        const odd = () => Response.json({ error: { code: 500, message: { reason: "internal" } } }, { status: 500 });
        const headers = googleIdTokenHeaders({ GOOGLE_OAUTH_ACCESS_TOKEN: "ya29.access", RELEASE_GCP_SERVICE_ACCOUNT: ACCOUNT }, "http://127.0.0.1:9", (async () => odd()) as typeof fetch, undefined, {
            retryDelayMs: 1,
            timeoutMs: 1000,
            adcTimeoutMs: 1000,
        });
        await assert.rejects(headers(AUDIENCE), { message: `gcp: an ID token for ${ACCOUNT} (audience ${AUDIENCE}): 500 {"error":{"code":500,"message":{"reason":"internal"}}}` });
        // gaxios makes any rejection an Error (gaxios.js: "Unexpected Gaxios Error"); a value thrown as it is by other code is quoted.
        assert.strictEqual(googleLibraryErrorWords({ code: "EUNKNOWN" }), '{"code":"EUNKNOWN"} (thrown as it is, not an Error)');
    });

    // On a laptop without GOOGLE_CLOUD_PROJECT, GoogleAuth looked its project up before its first client (googleauth.js
    // #prepareAndCacheClient, findAndCacheProjectId): `gcloud config config-helper`, then the metadata server (4 tries,
    // through HTTPS_PROXY too), all within the ID token's APPLICATION_DEFAULT_TOKEN_TIMEOUT_MS; the token needs no project.
    it("a user's application default credentials on a laptop without GOOGLE_CLOUD_PROJECT: the ID token asks Google's token endpoint alone, not gcloud or the metadata server", async () => {
        const { environment: laptop, gcloud, proxy } = await noGoogleProjectBehindProxy();
        const endpoint = userTokenEndpoint({ id_token: "eyJ.user.id" });
        try {
            const token = await withProcessEnvironment(laptop, () => withUserAdc({}, () => applicationDefaultIdToken(AUDIENCE, endpoint.authOptions))).catch((err: Error) => `rejected: ${err.message}`);
            assert.deepStrictEqual(
                { token, asked: endpoint.asked, gcloudRuns: gcloud.runs(), throughProxy: proxy.passed },
                { token: "eyJ.user.id", asked: ["POST https://oauth2.googleapis.com/token refresh_token"], gcloudRuns: [], throughProxy: [] },
            );
        } finally {
            await proxy.stop();
        }
    });

    it("an access token without the account to mint for is a clear error, before any call", async () => {
        await assert.rejects(googleIdTokenHeaders({ GOOGLE_OAUTH_ACCESS_TOKEN: "ya29.access" }, "http://127.0.0.1:9")(AUDIENCE), /RELEASE_GCP_SERVICE_ACCOUNT is not/);
    });
});
