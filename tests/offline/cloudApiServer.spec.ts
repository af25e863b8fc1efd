import * as assert from "assert";
import { MockCloud, runUnderMocks } from "../../scripts/offline/mockCloud";
import { serveCloudApis, stopServingEngine, useCloudApisInProcess } from "../../scripts/offline/cloudApiServer";
import { FAKE_ACCOUNT_ID } from "../../scripts/offline/fakeIds";
import { SIGNING_KEY_ALIAS } from "../../scripts/offline/fakeKms";
import { getGoogleApi } from "../../components/gcp/googleApiError";
import { FakeFetch, withFakeFetch } from "../harness/fakeFetch";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const googleApisRedirect = require("../../scripts/offline/googleApisRedirect.js") as typeof import("../../scripts/offline/googleApisRedirect");

const PROJECT = "multicloud-service-prod";
const TAG_URL = `/google/artifactregistry.googleapis.com/v1/projects/${PROJECT}/locations/asia-northeast1/repositories/service-registry-prod/packages/service/tags/c-000000000000000000000000`;

/** A cloud for the prod stack whose Artifact Registry API is enabled, as every fake engine of a prod run has one. */
function prodCloud(): MockCloud {
    const cloud = new MockCloud({ aws: "ap-northeast-1", gcp: "asia-northeast1" }, PROJECT);
    cloud.artifactRegistry.enabledApis.add(`${PROJECT}/artifactregistry.googleapis.com`);
    return cloud;
}

/**
 * A mock run sends this process's fetch calls to Google's APIs and the registries to its cloud's stand-ins
 * (googleApisRedirect.js). Left in after the run, the redirect sent the next spec's calls in the same mocha worker to
 * the stand-ins of the last run's cloud.
 */
describe("the Google API and registry redirect of a mock run", () => {
    const realFetch = globalThis.fetch;
    /** This spec's own fetch, recognisable after the run. */
    const own: FakeFetch = (input, init) => realFetch(input, init);

    it("is taken out when the run ends: the process's fetch is the one before the run", async () => {
        const after = await withFakeFetch(own, async () => (await runUnderMocks({ stack: "dev" }, () => undefined), globalThis.fetch));
        assert.strictEqual(after, own, "the fetch after the run is the run's redirect, not the one before it");
    });

    it("leaves in place what replaced it meanwhile, and a redirect to the same stand-ins that was in before it", async () => {
        await withFakeFetch(own, async () => {
            const uninstall = googleApisRedirect.install("http://127.0.0.1:9");
            const later: FakeFetch = (input, init) => realFetch(input, init);
            globalThis.fetch = later as typeof fetch;
            uninstall();
            assert.strictEqual(globalThis.fetch, later, "a fetch put in after the redirect stays");
            globalThis.fetch = own as typeof fetch;
            const outer = googleApisRedirect.install("http://127.0.0.1:9");
            const redirect = globalThis.fetch;
            googleApisRedirect.install("http://127.0.0.1:9")();
            assert.strictEqual(globalThis.fetch, redirect, "the redirect already in stays, for whoever put it in");
            outer();
            assert.strictEqual(globalThis.fetch, own);
        });
    });

    // Two runs to the same stand-ins that overlap (one ends before the other it started under): once both have
    // ended, no redirect is left in, whichever ended first.
    it("two overlapping redirects to the same stand-ins leave the fetch from before them, ended in either order", async () => {
        await withFakeFetch(own, async () => {
            const first = googleApisRedirect.install("http://127.0.0.1:9");
            const second = googleApisRedirect.install("http://127.0.0.1:9");
            first();
            second();
            assert.strictEqual(globalThis.fetch, own, "a redirect was left in after both runs ended");
        });
    });
});

/**
 * The loopback server that stands in for the clouds' APIs serves every fake engine of a mocha worker. Engines of the
 * same stack, one after another in a worker (the plugin's construct, then Pulumi's runner), own the same registries:
 * the later engine's processes must reach the later engine's cloud. Answered from the first, the runner's prod run
 * waited for an image that cloud had never been told of, and mocha timed it out.
 */
describe("the clouds' APIs on loopback, for several fake engines in one process", () => {
    it("answers an engine's process from that engine's cloud, even when an earlier engine's cloud owns the same project", async () => {
        const earlier = prodCloud();
        const earlierUrl = await serveCloudApis(earlier, { forEngine: true });
        const later = prodCloud();
        const laterUrl = await serveCloudApis(later, { forEngine: true });
        try {
            await fetch(`${laterUrl}${TAG_URL}`);
            assert.strictEqual(later.artifactRegistry.requests.length, 1, "asked of the later engine's cloud");
            assert.strictEqual(earlier.artifactRegistry.requests.length, 0, "not of the earlier one's");
        } finally {
            stopServingEngine(earlierUrl);
            stopServingEngine(laterUrl);
        }
    });

    it("stops answering for an engine once it has stopped (503), and gives the next engine a path of its own", async () => {
        const stopped = prodCloud();
        const stoppedUrl = await serveCloudApis(stopped, { forEngine: true });
        stopServingEngine(stoppedUrl);
        const running = prodCloud();
        const runningUrl = await serveCloudApis(running, { forEngine: true });
        try {
            assert.notStrictEqual(runningUrl, stoppedUrl);
            // A process still holding the stopped engine's path is answered by no cloud, not a running engine's.
            const answer = await fetch(`${stoppedUrl}${TAG_URL}`);
            assert.strictEqual(answer.status, 503);
            assert.deepStrictEqual([stopped.artifactRegistry.requests.length, running.artifactRegistry.requests.length], [0, 0]);
        } finally {
            stopServingEngine(runningUrl);
        }
    });
});

/**
 * A URL none of the stand-ins serves (a mistyped collection, an API version the program never asks) is answered as
 * Google's front end answers a path no API maps: 404 with its HTML page (run.googleapis.com's, as
 * hashicorp/terraform-provider-google#10872 printed it: "<title>Error 404 (Not Found)!!1</title>" ... "The requested
 * URL <code>/apis/serving.knative.dev/v1/namespaces/...</code> was not found on this server."), no JSON error model.
 * Answered with the API's NOT_FOUND instead, getGoogleApi read a wrong URL as "no such tag / revision".
 */
describe("the clouds' APIs on loopback: a Google URL no stand-in serves", () => {
    it("is a 404 HTML page, which getGoogleApi does not take for an API's NOT_FOUND", async () => {
        const cloud = prodCloud();
        const base = await serveCloudApis(cloud, { forEngine: true });
        const viaStandIns = ((input: string | URL, init?: RequestInit) => fetch(String(input).replace(/^https:\/\//, `${base}/google/`), init)) as typeof fetch;
        try {
            // tags.get with its collection mistyped ("tag"): Artifact Registry maps no such path.
            const url = `https://artifactregistry.googleapis.com/v1/projects/${PROJECT}/locations/asia-northeast1/repositories/service-registry-prod/packages/service/tag/c-1`;
            // No hint: a page no API answers is no refusal, so the permission `whenRefused` names is not the matter.
            const failure = { what: "could not read tag c-1", whenDisabled: "disabled", whenRefused: "refused" };
            await assert.rejects(getGoogleApi(url, "token", failure, { fetch: viaStandIns, once: true }), (err: Error) => /^could not read tag c-1: HTTP 404\. <!DOCTYPE html>/.test(err.message));
            const answer = await viaStandIns(url);
            assert.strictEqual(answer.status, 404);
            assert.match(answer.headers.get("content-type") ?? "", /^text\/html/);
            assert.match(await answer.text(), /The requested URL <code>\/v1\/projects\/multicloud-service-prod\/[^<]*\/tag\/c-1<\/code> was not found on this server\./);
        } finally {
            stopServingEngine(base);
        }
    });
});

/**
 * The loopback AWS is the stack region's endpoint of each service; a regional endpoint refuses a signature scoped to
 * another region (scripts/offline/signedRegion.ts, its sources). Before: it answered any region, so a call asked in the
 * wrong region (the account id in the region's place) passed offline.
 */
describe("the loopback AWS refuses a request signed for another region, as the regional endpoint does", () => {
    const REGION = "ap-southeast-2";
    let cloud: MockCloud;
    let restore: () => void;
    beforeEach(async () => {
        cloud = new MockCloud({ aws: REGION, gcp: "australia-southeast1" }, PROJECT);
        restore = await useCloudApisInProcess(cloud);
    });
    afterEach(() => restore());

    const refused = (name: string, status: number) => (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
        assert.deepStrictEqual([err.name, err.message, err.$metadata?.httpStatusCode], [name, "Credential should be scoped to a valid region. ", status]);
        return true;
    };

    it("ECR (JSON 1.1): 400 InvalidSignatureException; the stack's region is answered; KMS answers as the signed region's", async () => {
        const { ECRClient, GetAuthorizationTokenCommand } = await import("@aws-sdk/client-ecr");
        const { KMSClient, GetPublicKeyCommand } = await import("@aws-sdk/client-kms");
        await assert.rejects(new ECRClient({ region: "eu-west-1" }).send(new GetAuthorizationTokenCommand({})), refused("InvalidSignatureException", 400));
        assert.deepStrictEqual(cloud.awsApis.requests, [], "refused before the operation");
        // KMS stands for every region's endpoint: another region's has no key of this one's (a key ARN names its region).
        await assert.rejects(new KMSClient({ region: "eu-west-1" }).send(new GetPublicKeyCommand({ KeyId: SIGNING_KEY_ALIAS })), {
            name: "NotFoundException",
            message: `Alias arn:aws:kms:eu-west-1:${FAKE_ACCOUNT_ID}:${SIGNING_KEY_ALIAS} is not found.`,
        });
        assert.strictEqual((await new KMSClient({ region: REGION }).send(new GetPublicKeyCommand({ KeyId: SIGNING_KEY_ALIAS }))).KeySpec, "ECC_NIST_P256");
        assert.match(String((await new ECRClient({ region: REGION }).send(new GetAuthorizationTokenCommand({}))).authorizationData?.[0]?.proxyEndpoint), /\.dkr\.ecr\.ap-southeast-2\.amazonaws\.com$/);
    });

    it("Lambda (REST-JSON): 403 InvalidSignatureException; STS answers any region's GetCallerIdentity, its caller the same", async () => {
        const { LambdaClient, GetAccountSettingsCommand, GetFunctionCommand } = await import("@aws-sdk/client-lambda");
        const { STSClient, GetCallerIdentityCommand } = await import("@aws-sdk/client-sts");
        await assert.rejects(new LambdaClient({ region: "us-east-1" }).send(new GetAccountSettingsCommand({})), refused("InvalidSignatureException", 403));
        await assert.rejects(new LambdaClient({ region: "us-east-1" }).send(new GetFunctionCommand({ FunctionName: "api", Qualifier: "1" })), refused("InvalidSignatureException", 403));
        assert.deepStrictEqual(cloud.awsApis.requests, [], "refused before the operation");
        assert.ok((await new LambdaClient({ region: REGION }).send(new GetAccountSettingsCommand({}))).AccountLimit);
        for (const region of [REGION, "us-east-1"]) assert.strictEqual((await new STSClient({ region }).send(new GetCallerIdentityCommand({}))).Account, FAKE_ACCOUNT_ID);
    });
});
