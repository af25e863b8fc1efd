import * as assert from "assert";
import { cloudWatchAlarmActions } from "../../release/alerts/alarmHistory";
import { snsTopicSubscriptions } from "../../release/alerts/snsSubscriptions";
import { cloudWatchClient, cloudWatchSource } from "../../release/metrics/cloudWatchSource";
import { googleIdTokenHeaders, httpTransport } from "../../release/probe/cloudRunTransport";
import { lambdaTransport, probeLambdaClient } from "../../release/probe/lambdaTransport";
import { ProbeRefused } from "../../release/probe/transport";
import { BakeWindow, DeployedTarget } from "../../release/types";
import { useProxyFromEnvironment } from "../../loader/proxyFromEnvironment";
import { changeProcessEnvironment, withProcessEnvironment } from "../../scripts/offline/environment";
import { ConnectProxy, startConnectProxy } from "../harness/connectProxy";
import { asRunJsStartsIt } from "../harness/freshNode";
import { skipWithoutGlobalProxy } from "../harness/nodeProxySupport";
import { UNTRUSTED_ISSUER_REMEDY } from "../../components/noAnswer";
import { INTERCEPTING_CA_FILE, SELF_SIGNED_LEAF_FILE, UNTRUSTED_CHAINS, interceptingChain, notNamingUntrustedIssuer } from "../harness/interceptingCa";
import { NO_PROXY_VARIABLES } from "../harness/noProxyVariables";
import { regExpText } from "../harness/regExpText";
import { SilentServer, startSilentServer } from "../harness/silentServer";
import { scratchDir } from "../harness/tempDirs";
import { workloadIdentityFile } from "../harness/workloadIdentityFile";
import { ALARM_TOPIC } from "./fakes";
import { GoogleAuth } from "google-auth-library";

const CREDENTIALS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" };
const window: BakeWindow = { step: 10, start: new Date("2025-01-01T00:00:00Z"), end: new Date("2025-01-01T00:09:30Z") };
/** The release's Google identity under `pulumi env run` (cloudRunTransport.ts): IAM Credentials' generateIdToken, asked with ESC's access token. */
const ID_TOKEN_ENV = { RELEASE_GCP_SERVICE_ACCOUNT: "release@offline-project.iam.gserviceaccount.com", GOOGLE_OAUTH_ACCESS_TOKEN: "ya29.release-access-token" };
/**
 * The release job's own way to that access token (deploy-prod.yml exports no GOOGLE_OAUTH_ACCESS_TOKEN): application
 * default credentials from google-github-actions/auth's workload identity file (GOOGLE_APPLICATION_CREDENTIALS), whose
 * STS exchange goes through gaxios. A GoogleAuth of its own, as scripts/google/accessToken.ts makes one (that module
 * keeps its own for the process), reading the file as ADC does: the `credentials` option would print google-auth-library
 * 11's deprecation warnings (googleauth.js constructor; externalclient.js fromJSON), which its ADC file path suppresses.
 */
function workloadIdentityAccessToken(stsUrl: string): () => Promise<string> {
    const file = workloadIdentityFile(scratchDir("workload-identity"), stsUrl, ID_TOKEN_ENV.RELEASE_GCP_SERVICE_ACCOUNT);
    // google-github-actions/auth exports the project too, taken from the service account's address (its
    // computeProjectID): without it GoogleAuth looks the project up first (googleauth.js, findAndCacheProjectId),
    // asking the metadata server through the proxy.
    const adc = { GOOGLE_APPLICATION_CREDENTIALS: file, GOOGLE_CLOUD_PROJECT: "offline-project" };
    return () => withProcessEnvironment(adc, async () => (await new GoogleAuth({ scopes: ["https://www.googleapis.com/auth/cloud-platform"] }).getAccessToken())!);
}
const MINT_TIMING = { retryDelayMs: 0, timeoutMs: 10_000, adcTimeoutMs: 10_000 };
const lambda: DeployedTarget = { cloud: "aws", version: "8", service: "pipeline-api-1234567", alarms: ["pipeline-api-error-rate-abc"] };

/**
 * The release's AWS reads (CloudWatch's metrics, alarms and alarm history, SNS's subscriptions) and its probes (Lambda's
 * Invoke; the tagged Cloud Run URL and the ID token IAM Credentials mints for it) from a laptop behind a
 * proxy that inspects TLS with the company's own CA, which this process was not told of (NODE_EXTRA_CA_CERTS is read
 * at start; the CA is a test one). The handshake fails at the proxy, so what stands behind it never hears a request.
 * As the program's reads (tests/program/behindInterceptingProxy.spec.ts), each names the code and what to set.
 */
describe("release: the AWS reads and the probes behind a proxy that intercepts TLS with a CA Node does not trust", function () {
    this.timeout(30_000);
    let upstream: SilentServer;
    let proxy: ConnectProxy | undefined;
    let restoreEnvironment = () => {};
    before(async function () {
        skipWithoutGlobalProxy(this);
        upstream = await startSilentServer();
    });
    after(async () => await upstream?.stop());
    afterEach(async () => (restoreEnvironment(), await proxy?.stop()));

    for (const untrusted of UNTRUSTED_CHAINS) {
        it(`the proxy sending ${untrusted.chain}: each read and probe names ${untrusted.code} and what to set`, async () => {
            proxy = await startConnectProxy({ intercept: interceptingChain(untrusted.sent) });
            const restoreVariables = changeProcessEnvironment({ ...NO_PROXY_VARIABLES, HTTPS_PROXY: proxy.url });
            // As the release's entry starts (scripts/build/run.js): fetch through the proxy too.
            const restoreProxy = useProxyFromEnvironment();
            restoreEnvironment = () => (restoreProxy(), restoreVariables());
            // A name the proxy alone resolves, at the upstream's port; the leaf signs for *.behind-proxy.invalid.
            const endpoint = upstream.url.replace("http://127.0.0.1", "https://aws.behind-proxy.invalid");
            const said = async (read: () => Promise<unknown>) => read().then(() => "answered", (err: Error) => err.message);
            // A probe that cannot trust the connection says nothing of the version: a refusal of the probe, not a failed check.
            const probed = (send: () => Promise<unknown>) => said(() => send().catch((err: Error) => Promise.reject(err instanceof ProbeRefused ? err : new Error(`not a ProbeRefused: ${err.message}`))));
            const config = { region: "ap-northeast-1", endpoint, credentials: CREDENTIALS };
            const reads = {
                metrics: await said(async () => (await cloudWatchSource("ap-northeast-1", 150, undefined, await cloudWatchClient("ap-northeast-1", { endpoint, credentials: CREDENTIALS }))).read(lambda, window)),
                alarmHistory: await said(async () => (await cloudWatchAlarmActions(config))(lambda.alarms, ALARM_TOPIC)),
                subscriptions: await said(async () => (await snsTopicSubscriptions(config))(ALARM_TOPIC)),
                lambdaProbe: await probed(async () => (await lambdaTransport(await probeLambdaClient(config), "ap-northeast-1", lambda.service, lambda.version))({ method: "GET", path: "/health" })),
                cloudRunProbe: await probed(() => httpTransport(endpoint.replace("aws.", "candidate---run."))({ method: "GET", path: "/health" })),
                idToken: await said(() => googleIdTokenHeaders(ID_TOKEN_ENV, endpoint.replace("aws.", "iamcredentials."), fetch, undefined, MINT_TIMING)("https://pipeline-api-1234567.a.run.app")),
                idTokenByApplicationDefault: await said(() =>
                    googleIdTokenHeaders({ RELEASE_GCP_SERVICE_ACCOUNT: ID_TOKEN_ENV.RELEASE_GCP_SERVICE_ACCOUNT }, endpoint.replace("aws.", "iamcredentials."), fetch, workloadIdentityAccessToken(endpoint.replace("aws.", "sts.")), MINT_TIMING)(
                        "https://pipeline-api-1234567.a.run.app",
                    ),
                ),
            };
            assert.deepStrictEqual(notNamingUntrustedIssuer(reads, untrusted), []);
            // Each read went to the proxy, the only way out (a read that goes direct finds no such host: ENOTFOUND).
            const hosts = new Set(proxy.passed.map((line) => line.replace(/:\d+$/, "")));
            assert.deepStrictEqual(hosts, new Set(["aws", "candidate---run", "iamcredentials", "sts"].map((name) => `CONNECT ${name}.behind-proxy.invalid`)));
            // No second try mends a certificate Node does not trust: the ID token is asked once, not MINT_ATTEMPTS times.
            assert.strictEqual(proxy.passed.filter((line) => line.startsWith("CONNECT iamcredentials.")).length, 1, proxy.passed.join("\n"));
            assert.deepStrictEqual(upstream.asked, [], "nothing got past the handshake");
        });
    }
});

/**
 * The release's Cloud Monitoring reads (the metrics, the alert e-mail's notification channel) are gRPC, whose TLS error
 * keeps OpenSSL's words and loses its code, behind the same proxy. @grpc/grpc-js trusts Node's store (NODE_EXTRA_CA_CERTS
 * included) unless GRPC_DEFAULT_SSL_ROOTS_FILE_PATH names a file, which it then trusts alone (build/src/tls-helpers.js
 * getDefaultRootsData): both are read when the process starts, so each read runs in a process of its own, started as
 * scripts/build/run.js starts the release (HTTPS_PROXY also made gRPC's grpc_proxy). A read's own total (30 s a page,
 * its retries included: release/monitoringReadRetry.ts) is cut to one second as the release sets it, its retry codes
 * kept, since the handshake fails at once.
 */
describe("release: the Cloud Monitoring reads (gRPC) behind a proxy that intercepts TLS with a CA gRPC does not trust", function () {
    this.timeout(60_000);
    let upstream: SilentServer;
    let proxy: ConnectProxy | undefined;
    before(async () => (upstream = await startSilentServer()));
    after(async () => await upstream.stop());
    afterEach(async () => await proxy?.stop());

    /** What the metric read and the channel read said, each in one line of JSON, from a process started with `env`. */
    async function monitoringReadsSaid(env: Record<string, string | undefined>): Promise<{ metrics: string; channel: string }> {
        const port = Number(new URL(upstream.url).port);
        const script = `(async () => {
            const { MetricServiceClient, NotificationChannelServiceClient } = require("@google-cloud/monitoring");
            const endpoint = { apiEndpoint: "monitoring.behind-proxy.invalid", port: ${port}, ...(await require("./release/googleClientCredentials").googleCredentials({ GOOGLE_OAUTH_ACCESS_TOKEN: "ya29.release-access-token" }, "offline-project")) };
            const metricClient = new MetricServiceClient(endpoint);
            const channelClient = new NotificationChannelServiceClient(endpoint);
            const { monitoringReadBackoff } = require("./release/monitoringReadRetry");
            const shortly = (options) => ({ ...options, retry: { ...options.retry, backoffSettings: monitoringReadBackoff(1000) } });
            const said = (read) => read().then(() => "answered", (err) => err.message);
            const window = ${JSON.stringify(window)};
            const metrics = await said(async () => (await require("./release/metrics/cloudMonitoringSource").cloudMonitoringSource("offline-project", {}, { listTimeSeries: (request, options) => metricClient.listTimeSeries(request, shortly(options)) }))
                .read(${JSON.stringify(cloudRun)}, { ...window, start: new Date(window.start), end: new Date(window.end) }));
            const channel = await said(async () => (await require("./release/alerts/channelStatus").monitoringChannelStatus("offline-project", {}, { getNotificationChannel: (request, options) => channelClient.getNotificationChannel(request, shortly(options)) }))("projects/offline-project/notificationChannels/123"));
            console.log(JSON.stringify({ metrics, channel }));
            process.exit(0);
        })();`;
        const out = await asRunJsStartsIt(script, { HTTPS_PROXY: proxy!.url, ...env });
        return JSON.parse(out.split("\n").pop()!);
    }

    const cloudRun: DeployedTarget = { cloud: "gcp", version: "service-00008-def", service: "service-0a1b2c3", alarms: [] };
    const untrusted = [
        ...UNTRUSTED_CHAINS,
        // Node's words here go on: "; if the root CA is installed locally, try running Node.js with --use-system-ca".
        { chain: "its leaf alone", sent: { leafOnly: true }, code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE", words: "unable to verify the first certificate", remedy: UNTRUSTED_ISSUER_REMEDY },
    ];
    // This machine's own GRPC_DEFAULT_SSL_ROOTS_FILE_PATH (a system bundle) is unset for the first, set for the second.
    const underNodesStore = { trust: "Node's store, as NODE_EXTRA_CA_CERTS is unset", env: { GRPC_DEFAULT_SSL_ROOTS_FILE_PATH: undefined, NODE_EXTRA_CA_CERTS: undefined } };
    const underGrpcRootsFile = {
        trust: "GRPC_DEFAULT_SSL_ROOTS_FILE_PATH alone, NODE_EXTRA_CA_CERTS naming the CA unread",
        env: { GRPC_DEFAULT_SSL_ROOTS_FILE_PATH: "/etc/ssl/certs/ca-certificates.crt", NODE_EXTRA_CA_CERTS: INTERCEPTING_CA_FILE },
        remedy: "add that CA's PEM to /etc/ssl/certs/ca-certificates.crt (or unset GRPC_DEFAULT_SSL_ROOTS_FILE_PATH and name the CA's PEM file in NODE_EXTRA_CA_CERTS), then run again",
    };
    const selfSignedLeaf = untrusted.find(({ code }) => code === "DEPTH_ZERO_SELF_SIGNED_CERT")!;
    const selfSignedUnderGrpcRootsFile = {
        ...underGrpcRootsFile,
        remedy:
            "the server's certificate is self-signed, signed by no CA, as from a proxy that inspects TLS with a certificate of its own: " +
            "GRPC_DEFAULT_SSL_ROOTS_FILE_PATH is set, so gRPC trusts the certificates in /etc/ssl/certs/ca-certificates.crt alone, not NODE_EXTRA_CA_CERTS nor the system's, and this one only as that exact certificate: " +
            "add its PEM to /etc/ssl/certs/ca-certificates.crt (or unset GRPC_DEFAULT_SSL_ROOTS_FILE_PATH and add its PEM to the file NODE_EXTRA_CA_CERTS names), then run again",
    };
    // Each chain under Node's store; gRPC's own roots file with the first chain, and with the self-signed leaf, no CA's.
    const cases = [...untrusted.map((u) => ({ ...u, ...underNodesStore })), { ...untrusted[0], ...underGrpcRootsFile }, { ...selfSignedLeaf, ...selfSignedUnderGrpcRootsFile }];
    for (const { chain, sent, code, words, trust, env, remedy } of cases) {
        it(`the proxy sending ${chain}, gRPC trusting ${trust}: each read names ${code} and what to set`, async () => {
            proxy = await startConnectProxy({ intercept: interceptingChain(sent) });
            const reads = await monitoringReadsSaid(env);
            const namesCode = new RegExp(`${words}\\b.*\\(${code}\\); `);
            const endsWithRemedy = new RegExp(`${regExpText(remedy)}$`);
            const unhelpful = Object.entries(reads).filter(([, message]) => !(namesCode.test(message) && endsWithRemedy.test(message)));
            assert.deepStrictEqual(unhelpful, []);
            assert.deepStrictEqual(new Set(proxy.passed), new Set([`CONNECT monitoring.behind-proxy.invalid:${new URL(upstream.url).port}`]));
            assert.deepStrictEqual(upstream.asked, [], "nothing got past the handshake");
        });
    }

    it("GRPC_DEFAULT_SSL_ROOTS_FILE_PATH naming the self-signed leaf itself, as its remedy says: the handshake passes, and nothing is said of trust", async () => {
        proxy = await startConnectProxy({ intercept: interceptingChain({ selfSigned: true }) });
        const reads = await monitoringReadsSaid({ GRPC_DEFAULT_SSL_ROOTS_FILE_PATH: SELF_SIGNED_LEAF_FILE, NODE_EXTRA_CA_CERTS: undefined });
        // The stand-in behind the proxy speaks HTTP/1.1, not gRPC: what fails now is past the handshake.
        const saidOfTrust = Object.entries(reads).filter(([, message]) => !/14 UNAVAILABLE/.test(message) || /certificate|NODE_EXTRA_CA_CERTS/.test(message));
        assert.deepStrictEqual(saidOfTrust, []);
    });

    it("NODE_EXTRA_CA_CERTS naming the CA, GRPC_DEFAULT_SSL_ROOTS_FILE_PATH unset: the handshake passes, and nothing is said of trust", async () => {
        proxy = await startConnectProxy({ intercept: interceptingChain() });
        const reads = await monitoringReadsSaid({ GRPC_DEFAULT_SSL_ROOTS_FILE_PATH: undefined, NODE_EXTRA_CA_CERTS: INTERCEPTING_CA_FILE });
        // The stand-in behind the proxy speaks HTTP/1.1, not gRPC: what fails now is past the handshake.
        const saidOfTrust = Object.entries(reads).filter(([, message]) => !/14 UNAVAILABLE/.test(message) || /certificate|NODE_EXTRA_CA_CERTS/.test(message));
        assert.deepStrictEqual(saidOfTrust, []);
    });
});
