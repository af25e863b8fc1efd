import * as assert from "assert";
import { cloudWatchAlarmActions } from "../../release/alerts/alarmHistory";
import { snsTopicSubscriptions } from "../../release/alerts/snsSubscriptions";
import { cloudWatchClient, cloudWatchSource } from "../../release/metrics/cloudWatchSource";
import { googleIdTokenHeaders, httpTransport } from "../../release/probe/cloudRunTransport";
import { lambdaTransport, probeLambdaClient } from "../../release/probe/lambdaTransport";
import { ProbeRefused } from "../../release/probe/transport";
import { BakeWindow, DeployedTarget } from "../../release/types";
import { UNTRUSTED_ISSUER_REMEDY } from "../../components/noAnswer";
import { useProxyFromEnvironment } from "../../loader/proxyFromEnvironment";
import { changeProcessEnvironment } from "../../scripts/offline/environment";
import { ConnectProxy, startConnectProxy } from "../harness/connectProxy";
import { interceptingChain } from "../harness/interceptingCa";
import { regExpText } from "../harness/regExpText";
import { SilentServer, startSilentServer } from "../harness/silentServer";
import { ALARM_TOPIC } from "./fakes";

const CREDENTIALS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" };
const window: BakeWindow = { step: 10, start: new Date("2025-01-01T00:00:00Z"), end: new Date("2025-01-01T00:09:30Z") };
/** The release job's Google identity (cloudRunTransport.ts): IAM Credentials' generateIdToken, asked with ESC's access token. */
const ID_TOKEN_ENV = { RELEASE_GCP_SERVICE_ACCOUNT: "release@offline-project.iam.gserviceaccount.com", GOOGLE_OAUTH_ACCESS_TOKEN: "ya29.release-access-token" };
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
    before(async () => (upstream = await startSilentServer()));
    after(async () => await upstream.stop());
    afterEach(async () => (restoreEnvironment(), await proxy?.stop()));

    const untrusted = [
        { chain: "its leaf and intermediate", withRoot: false, code: "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", words: "unable to get local issuer certificate" },
        { chain: "its leaf, intermediate and root", withRoot: true, code: "SELF_SIGNED_CERT_IN_CHAIN", words: "self-signed certificate in certificate chain" },
    ];
    for (const { chain, withRoot, code, words } of untrusted) {
        it(`the proxy sending ${chain}: each read and probe names ${code} and what to set`, async () => {
            proxy = await startConnectProxy({ intercept: interceptingChain({ withRoot }) });
            const none = Object.fromEntries(["https_proxy", "http_proxy", "HTTP_PROXY", "no_proxy", "NO_PROXY"].map((name) => [name, undefined]));
            const restoreVariables = changeProcessEnvironment({ ...none, HTTPS_PROXY: proxy.url });
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
            };
            const namesCode = new RegExp(`${code}\\b.*${words}|${words}.*\\b${code}\\b`);
            const endsWithRemedy = new RegExp(`${regExpText(UNTRUSTED_ISSUER_REMEDY)}$`);
            const unhelpful = Object.entries(reads).filter(([, message]) => !(namesCode.test(message) && endsWithRemedy.test(message)));
            assert.deepStrictEqual(unhelpful, []);
            // Each read went to the proxy, the only way out (a read that goes direct finds no such host: ENOTFOUND).
            const hosts = new Set(proxy.passed.map((line) => line.replace(/:\d+$/, "")));
            assert.deepStrictEqual(hosts, new Set(["aws", "candidate---run", "iamcredentials"].map((name) => `CONNECT ${name}.behind-proxy.invalid`)));
            assert.deepStrictEqual(upstream.asked, [], "nothing got past the handshake");
        });
    }
});
