import { TooManyRequestsException$ } from "@aws-sdk/client-lambda";
import { NormalizedSchema } from "@smithy/core/schema";
import * as assert from "assert";
import { checkReservedConcurrency } from "../../components/aws/accountConcurrency";
import { CALL_ATTEMPT } from "../../components/httpAttempt";
import { describeEcrImage } from "../../components/aws/ecrImages";
import { ecrLogin } from "../../components/aws/ecrLogin";
import { ecrScanner } from "../../components/aws/ecrScanFindings";
import { publishedVersionOf } from "../../components/aws/lambdaVersions";
import { signingPublicKey } from "../../components/image/signingKey";
import { cloudCheckProblems } from "../../components/cloudChecks";
import { isLastingRefusal } from "../../components/lastingRefusal";
import { NoAnswer } from "../../components/noAnswer";
import { Refusal } from "../../components/refusal";
import { answerAwsJsonError, answerRestJsonError } from "../../scripts/offline/awsErrorAnswer";
import { cloudApiEnvironment } from "../../scripts/offline/cloudApiServer";
import { changeProcessEnvironment } from "../../scripts/offline/environment";
import { SilentServer, startSilentServer } from "../harness/silentServer";

/**
 * For the describe block it is called in: the AWS SDK's endpoints (ECR, Lambda, KMS) and credentials set to a
 * SilentServer that answers as `answer` does, as the offline runs set them to the stand-ins (cloudApiEnvironment), and
 * CALL_ATTEMPT shortened to `attemptMs` (300 ms: an answer that never comes is given up on quickly).
 */
function awsAtSilentServer(answer?: Parameters<typeof startSilentServer>[0], attemptMs = 300): () => string {
    let server: SilentServer;
    let restore: () => void;
    const saved = CALL_ATTEMPT.timeoutMs;
    before(async () => {
        server = await startSilentServer(answer);
        restore = changeProcessEnvironment(cloudApiEnvironment(server.url, { preload: false }));
        CALL_ATTEMPT.timeoutMs = attemptMs;
    });
    after(async () => {
        CALL_ATTEMPT.timeoutMs = saved;
        restore();
        await server.stop();
    });
    return () => server.url;
}

/**
 * The members an error's body carries in its SDK's model, under the names restJson1 writes them by: a member's name or
 * its jsonName, its body "serialized identically to standard responses" (smithy aws-restjson1-protocol.rst, "Operation
 * error serialization"); a member bound to a header is not in the body. Read as the SDK reads an error answer
 * (@aws-sdk/core AwsRestJsonProtocol.handleError walks the same structIterator).
 */
function bodyMembers(error: Parameters<typeof NormalizedSchema.of>[0]): string[] {
    return [...NormalizedSchema.of(error).structIterator()].filter(([, member]) => member.getMergedTraits().httpHeader === undefined).map(([name, member]) => member.getMergedTraits().jsonName ?? name);
}

/**
 * The program's own AWS reads run in every preview, before anything is registered. A call nobody answers (a proxy or
 * firewall that takes the connection and stays silent) held the preview: the clients had no request timeout, only
 * each client's default socket inactivity timeout (300 s for ECR and KMS, none for Lambda), retried (3 attempts). Each attempt is now bounded by
 * CALL_ATTEMPT; here it is shortened so that the SDK's 3 attempts end well inside the spec's 8 s.
 */
describe("the program's AWS reads give up on a call nobody answers", function () {
    this.timeout(8000);
    const digest = `sha256:${"a".repeat(64)}`;
    awsAtSilentServer();

    /** Given up at the bound, and said as a NoAnswer that names the service to wait for (awsReadFailure). */
    const timedOut = (service: string) => (err: Error) => (
        assert.ok(err instanceof NoAnswer, `${err.constructor.name}: ${err.message}`),
        assert.match(err.message, /TimeoutError|timed out|exceeded the configured 300 ms/),
        assert.match(err.message, new RegExp(`; run again once ${service} answers$`)),
        true
    );

    it("ECR DescribeImages", async () => {
        await assert.rejects(describeEcrImage("ap-northeast-1", "multicloud-service-dev", { imageDigest: digest }), timedOut("ECR"));
    });
    it("ECR GetAuthorizationToken", async () => {
        await assert.rejects(ecrLogin("sa-east-1"), timedOut("ECR"));
    });
    it("ECR DescribeImageScanFindings", async () => {
        await assert.rejects(ecrScanner("ap-northeast-1", "multicloud-service-dev").scan(digest), timedOut("ECR"));
    });
    it("Lambda GetFunction", async () => {
        await assert.rejects(publishedVersionOf("ap-northeast-1", "api", "7"), timedOut("Lambda"));
    });
    it("Lambda GetAccountSettings", async () => {
        await assert.rejects(checkReservedConcurrency("ca-central-1", 5), timedOut("Lambda"));
    });
    it("KMS GetPublicKey", async () => {
        await assert.rejects(signingPublicKey("awskms:///alias/unanswered", "eu-west-3"), timedOut("KMS"));
    });
});

/**
 * An answer whose headers arrive and whose body then stops: the request timeout ends at the headers
 * (@smithy/node-http-handler clears it on the response), so the body is bounded by the socket's inactivity timeout,
 * which CALL_ATTEMPT must set too, as the service's own clients do (app/src/awsClientConfig.ts).
 */
describe("the program's AWS reads give up on an answer whose body stops", function () {
    this.timeout(8000);
    // ECR's JSON protocol's headers and the start of a body, then nothing.
    awsAtSilentServer((_req, res) => {
        res.writeHead(200, { "content-type": "application/x-amz-json-1.1", "content-length": "1000" });
        res.write('{"imageDetails": [');
    });

    it("ECR DescribeImages", async () => {
        // Given up by the socket's inactivity timeout at CALL_ATTEMPT (300 ms here), not by any other error.
        await assert.rejects(describeEcrImage("ap-northeast-1", "multicloud-service-dev", { imageDigest: `sha256:${"b".repeat(64)}` }), (err: Error) => (
            assert.match(err.message, /: TimeoutError: .*socket timed out after 300 ms of inactivity/), true
        ));
    });
});

/**
 * A read AWS throttles still after the SDK's retries: a Refusal that says so and to run again, as STS's, KMS's and
 * GetAccountSettings' do, not the SDK's error alone. Lambda's TooManyRequestsException, 429, "Rate exceeded" (the Lambda
 * API reference's errors of GetFunction; "Rate exceeded" is what its control plane's throttles say, as
 * aws-samples/serverless-snippets#258 names them: "'Rate exceeded' throttling errors on Lambda management API calls"), on the wire as Lambda's rest-json
 * answers an error (fakeAwsApis.ts, answerAccountSettings) with the body of its model's TooManyRequestsException, whose
 * message is lower-case `message` (unlike ResourceNotFoundException's `Message`), as a raw 429 of Lambda's read:
 * `{"Reason":"CallerRateLimitExceeded","Type":"User","message":"Rate exceeded"}` (fyoorer/ShadowClone#46); ECR's ThrottleException (ECR User Guide, "Troubleshooting
 * Amazon ECR error messages": "HTTP 429: Too Many Requests or ThrottleException"; its message is not documented, so
 * Lambda's is used), as awsJson1_1 answers one (fakeAwsApis.ts, failDescribeImages). One attempt: the SDK's retries
 * would only wait out their backoff here.
 */
describe("the program's AWS reads that AWS throttles", function () {
    this.timeout(8000);
    // Answered at once: the attempt keeps its own bound, which a first call slowed by a loaded machine cannot outrun.
    const url = awsAtSilentServer((req, res) => {
        if (String(req.headers["x-amz-target"]).startsWith("AmazonEC2ContainerRegistry_V20150921.")) {
            answerAwsJsonError(res, 429, "ThrottleException", "Rate exceeded");
        } else {
            answerRestJsonError(res, 429, "TooManyRequestsException", { Type: "User", message: "Rate exceeded" });
        }
    }, CALL_ATTEMPT.timeoutMs);
    let restore: () => void;
    before(() => (restore = changeProcessEnvironment({ AWS_MAX_ATTEMPTS: "1" })));
    after(() => restore());

    const throttled = (service: string) => (err: Error) => (
        assert.ok(err instanceof Refusal && !(err instanceof NoAnswer), `${err.constructor.name}: ${err.message}`),
        assert.match(err.message, new RegExp(`: (ThrottleException|TooManyRequestsException): Rate exceeded; ${service} throttled the read, after the AWS SDK's retries .*: run again$`)),
        true
    );

    it("ECR GetAuthorizationToken", async () => {
        await assert.rejects(ecrLogin("eu-north-1"), throttled("ECR"));
    });
    it("ECR DescribeImages", async () => {
        await assert.rejects(describeEcrImage("ap-northeast-1", "multicloud-service-dev", { imageTag: "c-1" }), throttled("ECR"));
    });
    it("Lambda GetFunction", async () => {
        await assert.rejects(publishedVersionOf("ap-northeast-1", "api", "8"), throttled("Lambda"));
    });
    it("Lambda's throttle answer is its model's TooManyRequestsException, member for member", async () => {
        const body = (await (await fetch(`${url()}/2016-08-19/account-settings`)).json()) as object;
        const modeled = bodyMembers(TooManyRequestsException$);
        assert.deepStrictEqual(Object.keys(body).filter((key) => !modeled.includes(key)), [], `not members of ${modeled.join(", ")}`);
    });
});

/**
 * A deployer with no AWS credentials at all: the SDK throws CredentialsProviderError before any request leaves
 * (no $metadata), so KMS was never asked. It is not a NoAnswer: "run again once KMS answers" would send the operator
 * to wait for a KMS that is fine. (Tried here with @aws-sdk/client-kms 3.1164: CredentialsProviderError "Could not
 * load credentials from any providers", $metadata undefined.)
 */
describe("the signing key's read without AWS credentials", function () {
    this.timeout(8000);
    let restore: () => void;
    before(() => {
        restore = changeProcessEnvironment({
            AWS_ENDPOINT_URL_KMS: "http://127.0.0.1:1",
            AWS_ACCESS_KEY_ID: undefined,
            AWS_SECRET_ACCESS_KEY: undefined,
            AWS_SESSION_TOKEN: undefined,
            AWS_PROFILE: undefined,
            AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
            AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
            AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
            AWS_CONFIG_FILE: "/nonexistent/aws-config",
            AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws-credentials",
            AWS_EC2_METADATA_DISABLED: "true",
        });
    });
    after(() => restore());

    it("is not a NoAnswer, and does not say to wait for KMS", async () => {
        await assert.rejects(signingPublicKey("awskms:///alias/no-credentials", "eu-west-3"), (err: Error) => {
            assert.ok(!(err instanceof NoAnswer), `${err.constructor.name}: ${err.message}`);
            assert.match(err.message, /CredentialsProviderError/);
            assert.doesNotMatch(err.message, /run again once KMS answers/);
            return true;
        });
    });

    // Before: with aws.enabled false no AWS read comes first (STS's, awsProviderChecks.ts, stops an AWS stack without
    // credentials), and this check left the failure to the components: a GCP-only production stack run without AWS
    // credentials passed it, and its `up` made the project's APIs, service account, bucket and registry before the
    // image's verification failed on the same missing credentials.
    it("stops the run before anything is registered, on a stack with AWS off too, naming what needs the credentials", async () => {
        const verify = { policy: { signingKey: "awskms:///alias/no-credentials", keyRegion: "eu-west-3", workflow: "o/r/.github/workflows/image.yml@refs/heads/main" }, signingKeyAt: "multicloud-service:image.verify.signingKey" };
        await assert.rejects(cloudCheckProblems({ verify }), (err: Error) => {
            assert.ok(isLastingRefusal(err), `${err.constructor.name}: ${err.message}`);
            assert.match(err.message, /CredentialsProviderError/);
            assert.match(err.message, /multicloud-service:image\.verify\.signingKey needs AWS credentials .*aws\.enabled false/);
            return true;
        });
    });
});
