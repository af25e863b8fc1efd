import * as assert from "assert";
import { FAKE_ACCOUNT_ID } from "../../scripts/offline/fakeIds";
import { cloudApiEnvironment, serveCloudApis } from "../../scripts/offline/cloudApiServer";
import { FAKE_ECR_PASSWORD } from "../../scripts/offline/fakeOciRegistryApi";
import { mockCloudFor } from "../../scripts/offline/mockCloud";
import { ConnectProxy, startConnectProxy } from "../harness/connectProxy";
import { asRunJsStartsIt } from "../harness/freshNode";
import { skipWithoutGlobalProxy } from "../harness/nodeProxySupport";
import { INTERCEPTING_CA_FILE, SELF_SIGNED_LEAF_FILE, UNTRUSTED_CHAINS, interceptingChain, notNamingUntrustedIssuer } from "../harness/interceptingCa";

/**
 * A laptop behind a proxy that inspects TLS (Zscaler, Netskope): each tunnel's TLS is answered by the proxy with a leaf
 * signed by the company's own CA. The program's own reads before anything is registered (the AWS SDK's, Google's APIs
 * and the registries through fetch) trust it only if Node is told at start: NODE_EXTRA_CA_CERTS, which Node reads once,
 * when the process starts (so each case is a process of its own, started as the language host starts the program).
 */
describe("behind a proxy that intercepts TLS with the company's own CA", function () {
    this.timeout(60_000);
    let proxy: ConnectProxy | undefined;
    let behindProxy: string;

    before(async function () {
        skipWithoutGlobalProxy(this);
        const cloud = mockCloudFor({});
        cloud.artifactRegistry.enabledApis.add("offline-project/cloudquotas.googleapis.com");
        // The proxy reaches the stand-in at the tunnel's port in plain HTTP: what it sends on is its own leg, never the client's.
        behindProxy = (await serveCloudApis(cloud)).replace("http://127.0.0.1", "https://cloud-apis.behind-proxy.invalid");
    });
    afterEach(async () => await proxy?.stop());

    /** The kinds of read (STS's and ECR's through the AWS SDK), each answered or its error's words, in a fresh process with `env`, as program.js starts. */
    async function readsBehindProxy(env: NodeJS.ProcessEnv, chain = interceptingChain()): Promise<Record<"sts" | "ecr" | "google" | "registry", unknown>> {
        proxy = await startConnectProxy({ intercept: chain });
        const script = `const settle = (read) => read().then((value) => value, (e) => \`\${e.name}: \${e.message}\`);
            (async () => {
                const sts = await settle(async () => (await require("./components/aws/sdkIdentity").sdkIdentity("ap-northeast-1")).account);
                const ecr = await settle(async () => (await require("./components/aws/ecrLogin").ecrLogin("ap-northeast-1")).host);
                const google = await settle(() => require("./components/gcp/cloudRunQuota").checkMaxInstances(
                    { project: "offline-project", region: "asia-northeast1", maxInstances: 1, cpu: "1", memory: "512Mi" }, "ya29.deployer-access-token", { once: true }));
                const repo = { host: "${FAKE_ACCOUNT_ID}.dkr.ecr.ap-northeast-1.amazonaws.com", name: "not-there", credentials: async () => ({ user: "AWS", password: "${FAKE_ECR_PASSWORD}" }) };
                const registry = await settle(() => require("./components/image/ociRegistry").manifestOrAbsence(repo, "v1"));
                console.log(JSON.stringify({ sts, ecr, google, registry }));
            })();`;
        const out = await asRunJsStartsIt(script, {
            ...cloudApiEnvironment(behindProxy, { preload: true }),
            HTTPS_PROXY: proxy.url,
            AWS_EC2_METADATA_DISABLED: "true",
            // The AWS SDK's three attempts each fail alike; one is enough to show the words.
            AWS_MAX_ATTEMPTS: "1",
            NODE_EXTRA_CA_CERTS: undefined,
            NODE_USE_SYSTEM_CA: undefined,
            ...env,
        });
        return JSON.parse(out.split("\n").pop()!);
    }

    it("with NODE_EXTRA_CA_CERTS naming the CA: the AWS SDK's, Google's APIs' and the registries' reads are answered through it", async () => {
        const reads = await readsBehindProxy({ NODE_EXTRA_CA_CERTS: INTERCEPTING_CA_FILE });
        assert.deepStrictEqual(reads, { sts: FAKE_ACCOUNT_ID, ecr: `${FAKE_ACCOUNT_ID}.dkr.ecr.ap-northeast-1.amazonaws.com`, google: 1, registry: { absent: "NAME_UNKNOWN" } });
        assert.deepStrictEqual(new Set(proxy!.passed.map((line) => line.replace(/:\d+$/, ""))), new Set(["CONNECT cloud-apis.behind-proxy.invalid"]));
    });

    // What SELF_SIGNED_LEAF_REMEDY tells the user to do: a self-signed leaf is its own trust anchor once named.
    it("with NODE_EXTRA_CA_CERTS naming the proxy's self-signed leaf itself: each read is answered through it", async () => {
        const reads = await readsBehindProxy({ NODE_EXTRA_CA_CERTS: SELF_SIGNED_LEAF_FILE }, interceptingChain({ selfSigned: true }));
        assert.deepStrictEqual(reads, { sts: FAKE_ACCOUNT_ID, ecr: `${FAKE_ACCOUNT_ID}.dkr.ecr.ap-northeast-1.amazonaws.com`, google: 1, registry: { absent: "NAME_UNKNOWN" } });
    });

    // Node's own words (v24.22, as run here) name the code, but the --use-system-ca hint it adds to some codes
    // (nodejs/node#57362) is on neither of these, and NODE_EXTRA_CA_CERTS on none; the program said "run again".
    for (const untrusted of UNTRUSTED_CHAINS) {
        it(`without it, the proxy sending ${untrusted.chain}: each read is refused with ${untrusted.code} and what to set`, async () => {
            const reads = await readsBehindProxy({}, interceptingChain(untrusted.sent));
            assert.deepStrictEqual(notNamingUntrustedIssuer(reads, untrusted), []);
        });
    }
});
