import assert from "node:assert/strict";
import type { ServerResponse } from "node:http";
import { after, before, describe, it, mock } from "node:test";
import { ADMIN_TOKEN_REFRESH_MS, adminTokenSource, tokensMatch } from "../src/adminToken";
import { functionUrlEvent } from "./events";
import { LambdaApi, assertAnsweredByDeadline, resultJson, startLambdaApi } from "./lambdaApi";
import { RecordingServer, recordingServer } from "./recordingServer";
import { withTimingBounds } from "./timingBounds";

// On AWS the admin token is read from Secrets Manager (ADMIN_TOKEN_SECRET_ARN) at the first admin request. What
// the stand-in answers is GetSecretValue's: the secret's JSON on success; errors in the JSON protocol's shape with
// the API Reference's names and statuses (GetSecretValue "Errors": InternalServiceError 500, ResourceNotFoundException
// 400). The error's text is the member `Message`, capitalised as the model spells it (boto/botocore
// botocore/data/secretsmanager/2017-10-17/service-2.json: ResourceNotFoundException and InternalServiceError have
// members {"Message"}; Step Functions' lower-case `message` is another service's). ResourceNotFoundException's words
// on the wire are "Secrets Manager can't find the specified secret." (the CLI's "An error occurred
// (ResourceNotFoundException) when calling the GetSecretValue operation: ..."); the API Reference's "can't find the
// resource that you asked for" describes the error, it is not what is sent. InternalServiceError's words as AWS
// sent them to GetSecretValue: "Dependency exception." ("Error: InternalServiceError: Dependency exception.",
// aws-actions/aws-secretsmanager-get-secrets#278); the API Reference's "An error occurred on the server side." describes it.
const NOT_FOUND = { status: 400, type: "ResourceNotFoundException", message: "Secrets Manager can't find the specified secret." };
const INTERNAL_SERVICE_ERROR = { status: 500, type: "InternalServiceError", message: "Dependency exception." };

const SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:pipeline-admin-token-AbCdEf";
const TOKEN = "s3cret-admin-token";
type SecretsManagerError = { status: number; type: string; message: string };
type Answer = "value" | "binary" | "stall" | SecretsManagerError;

/** The stand-in's answers to GetSecretValue, in the JSON protocol: the secret's value, or an error named by `__type`. */
const getSecretValue = {
    json: (res: ServerResponse, status: number, body: object) => res.writeHead(status, { "content-type": "application/x-amz-json-1.1" }).end(JSON.stringify(body)),
    value: (res: ServerResponse, value: { SecretString: string } | { SecretBinary: string }, versionId = "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111") =>
        getSecretValue.json(res, 200, { ARN: SECRET_ARN, Name: "pipeline-admin-token-AbCdEf", ...value, VersionId: versionId, VersionStages: ["AWSCURRENT"], CreatedDate: 1795358200 }),
    error: (res: ServerResponse, error: SecretsManagerError) => getSecretValue.json(res, error.status, { __type: error.type, Message: error.message }),
};

describe("the admin token from Secrets Manager (dist/api.js)", () => {
    let answer: Answer;
    let secrets: RecordingServer;
    let lambda: LambdaApi;
    let env: Record<string, string>;
    before(async () => {
        secrets = await recordingServer((_req, res) => {
            if (answer === "stall") return;
            if (answer === "value") return getSecretValue.value(res, { SecretString: TOKEN });
            // A secret stored as bytes (create-secret --secret-binary) has SecretBinary and no SecretString (AWS Secrets
            // Manager API Reference, GetSecretValue, "Response Syntax" and "SecretBinary").
            if (answer === "binary") return getSecretValue.value(res, { SecretBinary: Buffer.from(TOKEN).toString("base64") });
            getSecretValue.error(res, answer);
        });
        env = {
            STORAGE_BACKEND: "memory",
            ADMIN_FEATURES_ENABLED: "true",
            ADMIN_TOKEN_SECRET_ARN: SECRET_ARN,
            AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
            AWS_REGION: "us-east-1",
            AWS_ACCESS_KEY_ID: "test",
            AWS_SECRET_ACCESS_KEY: "test",
            STORAGE_MAX_ATTEMPTS: "2",
            STORAGE_ATTEMPT_TIMEOUT_MS: "300",
            STORAGE_DEADLINE_MS: "1500",
        };
        lambda = startLambdaApi(env);
    });
    after(async () => {
        await lambda?.stop();
        await secrets.close();
    });
    const adminOn = (api: LambdaApi, token = TOKEN) => api.call({ ...functionUrlEvent("GET", "/admin/cache"), headers: { authorization: `Bearer ${token}` } });
    const admin = (token = TOKEN) => adminOn(lambda, token);
    /** `use` on a Lambda API of its own, started and stopped around it: a first admin request that reads the secret. */
    const onFreshApi = async <T>(use: (api: LambdaApi) => Promise<T>): Promise<T> => {
        const fresh = startLambdaApi(env);
        try {
            return await use(fresh);
        } finally {
            await fresh.stop();
        }
    };

    it("500 InternalServiceError: 503 with Retry-After, and a later request reads the secret again", async () => {
        answer = INTERNAL_SERVICE_ERROR;
        const refused = await admin();
        assert.equal(refused.statusCode, 503);
        assert.equal(refused.headers["retry-after"], "1");
        assert.deepEqual(resultJson(refused), { error: "admin token unavailable, retry later" });
        answer = "value";
        assert.equal((await admin()).statusCode, 200);
    });

    it("a Secrets Manager that never answers: 503 by STORAGE_DEADLINE_MS, not a hang", { timeout: 10_000 }, withTimingBounds(async (bound) => {
        // A fresh environment: the token read above is kept, and a fresh one has none. Its first call is refused at once
        // (a refusal is not kept either), so the time measured is the stalled read's.
        await assertAnsweredByDeadline(env, {
            warmUp: async (api) => {
                answer = NOT_FOUND;
                assert.equal((await adminOn(api)).statusCode, 500);
                answer = "stall";
            },
            stalled: (api) => adminOn(api),
        }, bound);
    }));

    it("400 ResourceNotFoundException (a misconfiguration retrying cannot fix): 500 without the SDK's message", async () => {
        answer = NOT_FOUND;
        const result = await onFreshApi((api) => adminOn(api));
        assert.equal(result.statusCode, 500);
        assert.deepEqual(resultJson(result), { error: "the admin token could not be read" });
    });

    it("a secret with no string value (stored as binary): 500 'the admin token could not be read', not an internal error", async () => {
        answer = "binary";
        const result = await onFreshApi((api) => adminOn(api));
        assert.equal(result.statusCode, 500);
        assert.deepEqual(resultJson(result), { error: "the admin token could not be read" });
    });

    it("the secret's value opens the admin routes, another token does not, and the secret is read once", async () => {
        answer = "value";
        secrets.requests.length = 0;
        await onFreshApi(async (api) => {
            assert.equal((await adminOn(api)).statusCode, 200);
            assert.equal((await adminOn(api, "wrong")).statusCode, 401);
            assert.equal((await adminOn(api)).statusCode, 200);
        });
        assert.equal(secrets.requests.length, 1, "read at the first admin request, then kept");
    });
    // Every stack's Function URL uses AWS_IAM auth: the caller signs with SigV4, whose signature is the Authorization
    // header (AWS General Reference, "Add the signature to the HTTP request"), and the Function URL passes the
    // request on with its IAM caller in requestContext.authorizer.iam. The admin token needs a header of its own.
    it("behind IAM auth (Authorization holds the SigV4 signature): the token in X-Admin-Token opens the admin routes", async () => {
        answer = "value";
        const signed = (adminToken: string) => {
            const event = functionUrlEvent("GET", "/admin/cache", undefined, {
                authorization: "AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20261203/ap-northeast-1/lambda/aws4_request, SignedHeaders=host;x-admin-token;x-amz-date;x-amz-security-token, Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                "x-amz-date": "20261203T220000Z",
                "x-admin-token": adminToken,
            });
            Object.assign(event.requestContext, { authorizer: { iam: { accessKey: "ASIAEXAMPLE", accountId: "123456789012", callerId: "AROAEXAMPLE:alice", cognitoIdentity: null, principalOrgId: null, userArn: "arn:aws:sts::123456789012:assumed-role/admin/alice", userId: "AROAEXAMPLE:alice" } } });
            return event;
        };
        assert.equal((await lambda.call(signed(TOKEN))).statusCode, 200);
        assert.equal((await lambda.call(signed("wrong-token"))).statusCode, 401);
    });
});

// Before: read once per execution environment. The function's configuration holds only the secret's ARN, which a new
// value leaves as it is, so a warm environment accepted the replaced (perhaps leaked) token and refused the new one
// for as long as it lived.
describe("the admin token after the secret's value is replaced (in process, both clocks stood in for)", () => {
    let value: string;
    let reads = 0;
    let secrets: RecordingServer;
    const ENV = { AWS_ENDPOINT_URL_SECRETS_MANAGER: "", AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" };
    const saved: Record<string, string | undefined> = {};
    before(async () => {
        secrets = await recordingServer((_req, res) => {
            reads++;
            if (value === "fail") return getSecretValue.error(res, INTERNAL_SERVICE_ERROR);
            getSecretValue.value(res, { SecretString: value }, `v-${value}`);
        });
        for (const [key, v] of Object.entries({ ...ENV, AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url })) {
            saved[key] = process.env[key];
            process.env[key] = v;
        }
    });
    after(async () => {
        for (const [key, v] of Object.entries(saved)) {
            if (v === undefined) delete process.env[key];
            else process.env[key] = v;
        }
        await secrets.close();
    });

    // Before: kept by Date.now(), so the wall clock stepped back (an NTP correction) kept the replaced token on.
    it("is read again once ADMIN_TOKEN_REFRESH_MS has passed on the monotonic clock, whatever the wall clock does, and a failed re-read does not fall back to the old value", async () => {
        let monotonic = 1_000;
        const clock = mock.method(performance, "now", () => monotonic);
        mock.timers.enable({ apis: ["Date"], now: Date.now() });
        try {
            const source = adminTokenSource({ ADMIN_TOKEN_SECRET_ARN: SECRET_ARN, STORAGE_ATTEMPT_TIMEOUT_MS: 1000, STORAGE_MAX_ATTEMPTS: 1, STORAGE_DEADLINE_MS: 2000 });
            value = "first-admin-token-0000";
            assert.equal(await source(), "first-admin-token-0000");
            value = "second-admin-token-1111";
            monotonic += ADMIN_TOKEN_REFRESH_MS - 1000;
            assert.equal(await source(), "first-admin-token-0000", "within the interval the value read is used");
            assert.equal(reads, 1);
            mock.timers.setTime(Date.now() - 24 * 60 * 60 * 1000);
            monotonic += 1000;
            assert.equal(await source(), "second-admin-token-1111", "the wall clock stepped back a day does not keep the old value");
            assert.equal(reads, 2);
            value = "fail";
            monotonic += ADMIN_TOKEN_REFRESH_MS;
            await assert.rejects(source(), { name: "AdminTokenUnavailable" });
            value = "third-admin-token-2222";
            assert.equal(await source(), "third-admin-token-2222", "the next request reads again");
        } finally {
            mock.timers.reset();
            clock.mock.restore();
        }
    });
});

// A careless `presented === expected` answers every request alike and so passes every route test, but returns at the
// first differing character: the time it takes tells a caller how much of a guess is right.
describe("the admin token comparison", () => {
    it("compares in constant time: crypto.timingSafeEqual on two equal-length digests, for tokens of any length", () => {
        // The module object itself (src/adminToken.ts calls its timingSafeEqual through it), not an import's copy of it.
        const crypto = require("node:crypto") as typeof import("node:crypto");
        const compared = mock.method(crypto, "timingSafeEqual");
        try {
            assert.equal(tokensMatch("test-admin-token-0123456789abcdef", "test-admin-token-0123456789abcdef"), true);
            assert.equal(tokensMatch("short", "test-admin-token-0123456789abcdef"), false);
            assert.equal(compared.mock.callCount(), 2);
            for (const call of compared.mock.calls) {
                const [a, b] = call.arguments as unknown as [Uint8Array, Uint8Array];
                assert.equal(a.byteLength, b.byteLength);
            }
        } finally {
            compared.mock.restore();
        }
    });
});
