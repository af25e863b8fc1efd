import * as assert from "assert";
import { cloudWatchAlarmActions } from "../../release/alerts/alarmHistory";
import { snsTopicSubscriptions } from "../../release/alerts/snsSubscriptions";
import { cloudWatchClient, cloudWatchSource } from "../../release/metrics/cloudWatchSource";
import { BakeWindow, DeployedTarget } from "../../release/types";
import { UNTRUSTED_ISSUER_REMEDY } from "../../components/noAnswer";
import { changeProcessEnvironment } from "../../scripts/offline/environment";
import { ConnectProxy, startConnectProxy } from "../harness/connectProxy";
import { interceptingChain } from "../harness/interceptingCa";
import { regExpText } from "../harness/regExpText";
import { SilentServer, startSilentServer } from "../harness/silentServer";
import { ALARM_TOPIC } from "./fakes";

const CREDENTIALS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" };
const window: BakeWindow = { step: 10, start: new Date("2025-01-01T00:00:00Z"), end: new Date("2025-01-01T00:09:30Z") };
const lambda: DeployedTarget = { cloud: "aws", version: "8", service: "pipeline-api-1234567", alarms: ["pipeline-api-error-rate-abc"] };

/**
 * The release's AWS reads (CloudWatch's metrics, alarms and alarm history, SNS's subscriptions) from a laptop behind a
 * proxy that inspects TLS with the company's own CA, which this process was not told of (NODE_EXTRA_CA_CERTS is read
 * at start; the CA is a test one). The handshake fails at the proxy, so what stands behind it never hears a request.
 * As the program's reads (tests/program/behindInterceptingProxy.spec.ts), each names the code and what to set.
 */
describe("release: the AWS reads behind a proxy that intercepts TLS with a CA Node does not trust", function () {
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
        it(`the proxy sending ${chain}: each read names ${code} and what to set`, async () => {
            proxy = await startConnectProxy({ intercept: interceptingChain({ withRoot }) });
            const none = Object.fromEntries(["https_proxy", "http_proxy", "HTTP_PROXY", "no_proxy", "NO_PROXY"].map((name) => [name, undefined]));
            restoreEnvironment = changeProcessEnvironment({ ...none, HTTPS_PROXY: proxy.url });
            // A name the proxy alone resolves, at the upstream's port; the leaf signs for *.behind-proxy.invalid.
            const endpoint = upstream.url.replace("http://127.0.0.1", "https://aws.behind-proxy.invalid");
            const said = async (read: () => Promise<unknown>) => read().then(() => "answered", (err: Error) => err.message);
            const config = { region: "ap-northeast-1", endpoint, credentials: CREDENTIALS };
            const reads = {
                metrics: await said(async () => (await cloudWatchSource("ap-northeast-1", 150, undefined, await cloudWatchClient("ap-northeast-1", { endpoint, credentials: CREDENTIALS }))).read(lambda, window)),
                alarmHistory: await said(async () => (await cloudWatchAlarmActions(config))(lambda.alarms, ALARM_TOPIC)),
                subscriptions: await said(async () => (await snsTopicSubscriptions(config))(ALARM_TOPIC)),
            };
            const namesCode = new RegExp(`${code}\\b.*${words}|${words}.*\\b${code}\\b`);
            const endsWithRemedy = new RegExp(`${regExpText(UNTRUSTED_ISSUER_REMEDY)}$`);
            const unhelpful = Object.entries(reads).filter(([, message]) => !(namesCode.test(message) && endsWithRemedy.test(message)));
            assert.deepStrictEqual(unhelpful, []);
            assert.ok(proxy.passed.length > 0 && proxy.passed.every((line) => line.startsWith("CONNECT aws.behind-proxy.invalid:")), proxy.passed.join("\n"));
            assert.deepStrictEqual(upstream.asked, [], "nothing got past the handshake");
        });
    }
});
