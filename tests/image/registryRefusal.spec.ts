import * as assert from "assert";
import { generateKeyPairSync } from "crypto";
import { signatureProblem } from "../../components/image/cosignSignature";
import { supplyChainProblems } from "../../components/image/imageVerification";
import { OciRepository, REGISTRY_RETRY, RegistryRefusal, manifestByTag } from "../../components/image/ociRegistry";
import { checkingCloudRunImage } from "../../components/gcp/cloudRunImagePlatform";
import { prebuiltRepositoryWith } from "../../components/gcp/imageRegistry";
import { perRun } from "../../components/perRun";
import { FAKE_ECR_PASSWORD, FakeOciRegistryApi, errors } from "../../scripts/offline/fakeOciRegistryApi";
import { FakeRegistry, imageArtifact } from "../../scripts/offline/fakeRegistry";
import { ECR_SERVER_ERROR, iamNotAuthorized } from "../../scripts/offline/fakeIds";
import { fakeSigningKey } from "../../scripts/offline/fakeKms";
import { withFakeFetch } from "../harness/fakeFetch";

const HOST = "europe-west1-docker.pkg.dev";

/**
 * Artifact Registry's Docker endpoint as a pull meets it: the manifest asks for a Bearer login (the registry stand-in's
 * challenge, fakeOciRegistryApi.ts), and the token endpoint answers `token` (distribution-spec "Error Codes";
 * distribution/distribution registry/api/errcode register.go: TOOMANYREQUESTS "too many requests" 429, UNAVAILABLE
 * "service unavailable" 503). `token` may also throw (the host not reached).
 */
function registry(token: (url: URL, authorization: string | null) => Response) {
    const asked: string[] = [];
    const standIn = new FakeOciRegistryApi(() => new FakeRegistry());
    const fetch = async (input: string | URL, init?: RequestInit) => {
        const url = new URL(String(input));
        const authorization = new Headers(init?.headers).get("authorization");
        asked.push(url.pathname);
        return url.pathname === "/v2/token" ? token(url, authorization) : standIn.answer(url, authorization);
    };
    return { asked, fetch };
}

/**
 * Artifact Registry's token endpoint for a repository the deployer may not read: the registry stand-in's, which holds
 * none, refusing it with 403 DENIED in Artifact Registry's words (fakeOciRegistryApi.ts, its token endpoint).
 */
const refusedByArtifactRegistry = (url: URL, authorization: string | null) => new FakeOciRegistryApi(() => new FakeRegistry()).answer(url, authorization);

/**
 * ECR as a read with its Basic login meets it: the registry stand-in's ECR (fakeOciRegistryApi.ts: a login other than
 * FAKE_ECR_PASSWORD gets ECR's plain-text 401 "Not Authorized" with its Basic challenge). `denied`: a repository the login
 * may not read, answered 403 DENIED in ECR's words (fakeOciRegistryApi.ts, deniedEcrRepositories). `logins`: each
 * request's Authorization, in order.
 */
function ecr(denied?: string) {
    const registry = new FakeRegistry();
    const api = new FakeOciRegistryApi(() => registry);
    if (denied) api.deniedEcrRepositories.add(denied);
    const logins: (string | null)[] = [];
    const fetch = async (input: string | URL, init?: RequestInit) => {
        logins.push(new Headers(init?.headers).get("authorization"));
        return api.fetch(input, init);
    };
    return { registry, logins, fetch, basicRequests: () => logins.filter((l) => l?.startsWith("Basic ")).length };
}
const ECR_HOST = "210987654321.dkr.ecr.eu-west-1.amazonaws.com";
const ECR_LOGIN = (password: string) => `Basic ${Buffer.from(`AWS:${password}`).toString("base64")}`;
/** The RegistryRefusal a manifest read fails with. */
async function refusalOf(repo: OciRepository): Promise<RegistryRefusal> {
    const err = await manifestByTag(repo, "c-1").then(() => assert.fail(`${repo.name} was read`), (e: unknown) => e);
    assert.ok(err instanceof RegistryRefusal, String(err));
    return err;
}
// As ecrOciRepository gives it (ecrLogin.ts): one object per read, logged in as `AWS` with the registry's password.
const ecrRepository = (name: string, password: string): OciRepository => ({ host: ECR_HOST, name, credentials: async () => ({ user: "AWS", password }) });

// One run's askers of a prebuilt image: the program's check, then the component's (prebuiltImageChecks.ts, cloudRunGcsService.ts).
async function askTwice(name: string, digestChar: string): Promise<string[]> {
    const warnings: string[] = [];
    const image = `${HOST}/${name}@sha256:${digestChar.repeat(64)}`;
    const repositoryAt = prebuiltRepositoryWith(Promise.resolve("ya29.deployer-access-token"));
    await checkingCloudRunImage(image, repositoryAt, (m) => warnings.push(m));
    await checkingCloudRunImage(image, repositoryAt, (m) => warnings.push(m));
    return warnings;
}

describe("a refusal lasts the run; a failure to reach, or a busy answer, is asked again", () => {
    const realSleep = REGISTRY_RETRY.sleep;
    /** registryFetch's waits, in order (none taken). */
    let waits: number[] = [];
    beforeEach(() => {
        waits = [];
        REGISTRY_RETRY.sleep = async (ms) => void waits.push(ms);
    });
    afterEach(() => {
        REGISTRY_RETRY.sleep = realSleep;
    });

    it("a registry's 403 DENIED is asked once, and each asker still hears it", async () => {
        const name = "ci-images-project/private/service";
        const denied = registry(refusedByArtifactRegistry);
        await withFakeFetch(denied.fetch, async () => {
            const warnings = await askTwice(name, "1");
            assert.deepStrictEqual(denied.asked, [`/v2/${name}/manifests/sha256:${"1".repeat(64)}`, "/v2/token"]);
            assert.strictEqual(warnings.length, 2);
            for (const w of warnings) assert.match(w, /refused a pull token for ci-images-project\/private\/service: HTTP 403 DENIED/);
        });
    });

    // Docker's token authentication specification ("How to authenticate", distribution/distribution docs/spec/auth/token.md):
    // the challenge names the service and scope, and the client asks the realm for those, `GET
    // https://auth.docker.io/token?service=registry.docker.io&scope=repository:samalba/my-app:pull,push`; the answer's
    // `token` is required there, `access_token` optional. The registry answers in distribution's errcode words
    // (registry/api/errcode register.go: UNAUTHORIZED "authentication required", MANIFEST_UNKNOWN "manifest unknown").
    it("the pull token is asked for the service and scope the challenge names, and its `token` is sent", async () => {
        const challenge = 'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:samalba/my-app:pull,push"';
        const tokenAsks: Record<string, string>[] = [];
        await withFakeFetch(
            async (input: string | URL, init?: RequestInit) => {
                const url = new URL(String(input));
                if (url.hostname === "auth.docker.io") {
                    tokenAsks.push(Object.fromEntries(url.searchParams));
                    return Response.json({ token: "spec-token" });
                }
                if (new Headers(init?.headers).get("authorization") !== "Bearer spec-token") return errors(401, "UNAUTHORIZED", "authentication required", { "www-authenticate": challenge });
                return errors(404, "MANIFEST_UNKNOWN", "manifest unknown");
            },
            async () => {
                assert.strictEqual(await manifestByTag({ host: "registry-1.docker.io", name: "samalba/my-app" }, "c-1"), undefined);
                assert.deepStrictEqual(tokenAsks, [{ service: "registry.docker.io", scope: "repository:samalba/my-app:pull,push" }]);
            },
        );
    });

    // A scheme other than Basic and Bearer, here RFC 7616's own Digest example (section 3.9.1), whose realm is no URL.
    it("a challenge of a scheme the client does not know is named, not taken for a token realm", async () => {
        const challenge = 'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"';
        await withFakeFetch(async () => errors(401, "UNAUTHORIZED", "authentication required", { "www-authenticate": challenge }), async () => {
            await assert.rejects(manifestByTag({ host: "registry.test", name: "digest/service" }, "c-1"), {
                message: `registry.test asked for a login this client does not know: ${JSON.stringify(challenge)}`,
            });
        });
    });

    it("ECR's Basic challenge with no login configured for the host is a refusal naming the host, not a crash", async () => {
        await withFakeFetch(ecr().fetch, async () => {
            const err = await refusalOf({ host: ECR_HOST, name: "no-login/service" });
            assert.strictEqual(err.message, `${ECR_HOST} asks for a login to read no-login/service, and none is configured for that host`);
        });
    });

    // With image.verify the signature's and attestations' reads follow the manifest's, each with its own login flow.
    // Before, each asked the token endpoint again what it had refused (2 here).
    it("a refused pull token is asked once per repository and login (a run's; here, outside one, the process's); another login asks for its own", async () => {
        const name = "ci-images-project/refused-once/service";
        const digest = `sha256:${"3".repeat(64)}`;
        const denied = registry(refusedByArtifactRegistry);
        await withFakeFetch(denied.fetch, async () => {
            const tokenAsks = () => denied.asked.filter((p) => p === "/v2/token").length;
            const key = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey;
            const refusal = { name: "RegistryRefusal", message: /refused a pull token for ci-images-project\/refused-once\/service: HTTP 403 DENIED/ };
            const repositoryAt = prebuiltRepositoryWith(Promise.resolve("ya29.deployer-access-token"));
            const warnings: string[] = [];
            await checkingCloudRunImage(`${HOST}/${name}@${digest}`, repositoryAt, (m) => warnings.push(m));
            assert.match(warnings.join("\n"), refusal.message);
            await assert.rejects(signatureProblem(await repositoryAt(HOST, name), digest, key), (err) => err instanceof RegistryRefusal && refusal.message.test(err.message));
            assert.strictEqual(tokenAsks(), 1, denied.asked.join("\n"));
            const anotherLogin = prebuiltRepositoryWith(Promise.resolve("ya29.another-identity"));
            await assert.rejects(signatureProblem(await anotherLogin(HOST, name), digest, key), refusal);
            assert.strictEqual(tokenAsks(), 2, denied.asked.join("\n"));
        });
    });

    // Before, each repository object sent the refused login again, and heard the same 401 (ECR's GetAuthorizationToken
    // password is the registry's, for every repository on it). A login ECR does not know: an expired one is a 403.
    it("ECR's 401 to a Basic login is heard once per registry and login; another login is tried", async () => {
        const registry = ecr();
        await withFakeFetch(registry.fetch, async () => {
            const api = await refusalOf(ecrRepository("unknown-login/api", "unknown-ecr-token"));
            const worker = await refusalOf(ecrRepository("unknown-login/worker", "unknown-ecr-token"));
            assert.strictEqual(registry.basicRequests(), 1, registry.logins.join("\n"));
            const refused = `${ECR_HOST} refused the login of AWS: HTTP 401 Not Authorized`;
            assert.deepStrictEqual([api.message, worker.message], [refused, refused]);
            assert.ok(registry.logins.every((l) => l === null || l === ECR_LOGIN("unknown-ecr-token")), registry.logins.join("\n"));
            assert.strictEqual((await refusalOf(ecrRepository("unknown-login/worker", "another-ecr-token"))).message, refused);
            assert.strictEqual(registry.basicRequests(), 2, registry.logins.join("\n"));
        });
    });

    it("ECR's 403 DENIED refuses that repository to the login, and another repository is still read with it", async () => {
        const registry = ecr("denied-login/private");
        registry.registry.pushArtifact("denied-login/public", "c-1", imageArtifact({ os: "linux", architecture: "arm64" }));
        await withFakeFetch(registry.fetch, async () => {
            const first = await refusalOf(ecrRepository("denied-login/private", FAKE_ECR_PASSWORD));
            const second = await refusalOf(ecrRepository("denied-login/private", FAKE_ECR_PASSWORD));
            assert.strictEqual(registry.basicRequests(), 1, registry.logins.join("\n"));
            const denied = /^210987654321\.dkr\.ecr\.eu-west-1\.amazonaws\.com refused denied-login\/private to the login of AWS: HTTP 403 DENIED: User: .* is not authorized to perform: ecr:BatchGetImage on resource: arn:aws:ecr:eu-west-1:210987654321:repository\/denied-login\/private /;
            for (const err of [first, second]) assert.match(err.message, denied);
            assert.ok((await manifestByTag(ecrRepository("denied-login/public", FAKE_ECR_PASSWORD), "c-1"))?.layers, "the readable repository's manifest");
            assert.strictEqual(registry.basicRequests(), 2, registry.logins.join("\n"));
        });
    });

    // A refused blob read is the registry's refusal, not evidence of tampering: only other bytes under the digest are
    // (BlobMismatchError). In a run the attestations' read hears the same refusal and stops it, so the signature's own
    // answer is asked here: read as "tampered", it would call a permission missing in IAM a forged signature.
    it("ECR's 403 DENIED to the signature's payload blob (ecr:GetDownloadUrlForLayer) is the refusal, not 'tampered'", async () => {
        const registry = new FakeRegistry();
        const name = "blob-denied/service";
        // image.yml's build: the image, its .sig and .att, signed with the fake KMS key (fakeRegistry.ts push).
        const digest = registry.push(name, "c-1");
        const api = new FakeOciRegistryApi(() => registry);
        api.blobDeniedEcrRepositories.add(name);
        await withFakeFetch(api.fetch, async () => {
            const err = await signatureProblem(ecrRepository(name, FAKE_ECR_PASSWORD), digest, fakeSigningKey().publicKey).then((problem) => assert.fail(`read as: ${problem}`), (e: unknown) => e);
            assert.ok(err instanceof RegistryRefusal, String(err));
            assert.match(err.message, /^210987654321\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/blob-denied\/service@sha256:[0-9a-f]{64}: HTTP 403 DENIED: User: .* is not authorized to perform: ecr:GetDownloadUrlForLayer on resource: arn:aws:ecr:eu-west-1:210987654321:repository\/blob-denied\/service /);
            assert.doesNotMatch(err.message, /tampered/);
        });
    });

    // NAME_UNKNOWN is the distribution spec's "repository name not known to registry" (opencontainers/distribution-spec
    // spec.md, "Error Codes"), what ECR answers for a repository that is not there (the registry stand-in's, in
    // DescribeImages' words): no repository holds no signature, an answer, not a failure to read.
    // The refusal names the code the registry answered, NAME_UNKNOWN here, not MANIFEST_UNKNOWN, which it did not say.
    it("ECR's 404 NAME_UNKNOWN (no such repository) to the .sig's and .att's manifests is 'unsigned', naming NAME_UNKNOWN, not an error", async () => {
        await withFakeFetch(ecr().fetch, async () => {
            const digest = `sha256:${"5".repeat(64)}`;
            const problem = await signatureProblem(ecrRepository("not-there/service", FAKE_ECR_PASSWORD), digest, fakeSigningKey().publicKey);
            assert.strictEqual(problem, `unsigned: there is no signature (${digest.replace(":", "-")}.sig: NAME_UNKNOWN)`);
            const policy = { signingKey: "awskms:///alias/image-signing", keyRegion: "eu-west-1", workflow: "o/r/.github/workflows/image.yml@refs/heads/main" };
            assert.deepStrictEqual(await supplyChainProblems(ecrRepository("not-there/service", FAKE_ECR_PASSWORD), digest, policy, fakeSigningKey().publicKey), [
                `signature: unsigned: there is no signature (${digest.replace(":", "-")}.sig: NAME_UNKNOWN)`,
                `provenance: there are no attestations (${digest.replace(":", "-")}.att: NAME_UNKNOWN)`,
            ]);
        });
    });

    // The prebuilt image's platform check names the code too (its warning said MANIFEST_UNKNOWN for either): a registry
    // that does not know the repository answers NAME_UNKNOWN, "repository name not known to registry" (distribution
    // registry/api/errcode register.go).
    it("a prebuilt image whose registry answers NAME_UNKNOWN is left to Cloud Run with a warning naming NAME_UNKNOWN", async () => {
        await withFakeFetch(async () => errors(404, "NAME_UNKNOWN", "repository name not known to registry"), async () => {
            const warnings: string[] = [];
            const image = `registry.example.com/gone/service@sha256:${"6".repeat(64)}`;
            await checkingCloudRunImage(image, async (host, name) => ({ host, name }), (m) => warnings.push(m));
            assert.deepStrictEqual(warnings, [`prebuilt image ${image}: its registry does not hold it (NAME_UNKNOWN), so whether it is built for linux/amd64 is left to Cloud Run`]);
        });
    });

    // ECR's NAME_UNKNOWN names the registry the request reached by its account id, the host's, not the deployer's
    // (aws-samples/amazon-eks-cdk-blue-green-cicd#24: "The repository with name 'myartifacts' does not exist in the
    // registry with id 'p8v8e7e5'" for public.ecr.aws/p8v8e7e5/myartifacts).
    it("the ECR stand-in's NAME_UNKNOWN names the registry of the host asked", async () => {
        const api = new FakeOciRegistryApi(() => new FakeRegistry());
        const res = api.answer(new URL(`https://${ECR_HOST}/v2/not-there/service/manifests/c-1`), ECR_LOGIN(FAKE_ECR_PASSWORD));
        assert.strictEqual(res.status, 404);
        assert.deepStrictEqual(await res.json(), { errors: [{ code: "NAME_UNKNOWN", message: "The repository with name 'not-there/service' does not exist in the registry with id '210987654321'" }] });
    });

    // Only the registry's MANIFEST_UNKNOWN (or NAME_UNKNOWN) says a signature is not there (distribution-spec "Error
    // Codes"); a 404 without either is something else answering (a proxy, a wrong host), and reading it as "unsigned"
    // would send the operator looking for a signature that may well be there.
    for (const [what, body] of [
        // Go's net/http NotFound (src/net/http/server.go: Error(w, "404 page not found", StatusNotFound)), plain text.
        ["Go's net/http 404 page (a Go proxy in front)", "404 page not found\n"],
        ["a 404 with no body", ""],
    ] as [string, string][]) {
        it(`${what} to the .sig's manifest is an error in its words, not 'unsigned'`, async () => {
            const digest = `sha256:${"4".repeat(64)}`;
            await withFakeFetch(async () => new Response(body, { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } }), async () => {
                const repo: OciRepository = { host: HOST, name: "ci-images-project/proxied/service" };
                const key = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey;
                const err = await signatureProblem(repo, digest, key).then((problem) => assert.fail(`read as: ${problem}`), (e: unknown) => e as Error);
                const words = body.trim() || "without an error code";
                assert.strictEqual(err.message, `${HOST}/ci-images-project/proxied/service:${digest.replace(":", "-")}.sig: HTTP 404 ${words}`);
            });
        });
    }

    for (const [what, token] of [
        ["429 TOOMANYREQUESTS", () => errors(429, "TOOMANYREQUESTS", "too many requests")],
        ["503 UNAVAILABLE", () => errors(503, "UNAVAILABLE", "service unavailable")],
        // Node's fetch for a refused connection: TypeError "fetch failed", the system's error its cause (unansweredCalls.spec.ts).
        ["a host not reached", () => { throw new TypeError("fetch failed", { cause: Object.assign(new Error(`connect ECONNREFUSED 127.0.0.1:443`), { code: "ECONNREFUSED", syscall: "connect" }) }); }],
    ] as [string, () => Response][]) {
        it(`${what} is asked again by the next asker`, async () => {
            const name = `ci-images-project/busy-${what.split(" ")[0]}/service`;
            const busy = registry(token);
            await withFakeFetch(busy.fetch, async () => {
                await askTwice(name, "2");
                // Each asker's read tries REGISTRY_RETRY.attempts times (a host not reached: once), and the next asker asks again.
                const tries = what === "a host not reached" ? 1 : REGISTRY_RETRY.attempts;
                assert.strictEqual(busy.asked.filter((p) => p === "/v2/token").length, 2 * tries, busy.asked.join("\n"));
            });
        });
    }

    // ECR's registry answers a throttled pull 429 ("HTTP 429: Too Many Requests or ThrottleException ... To handle
    // throttling errors, implement a retry function with incremental backoff into your code": Amazon ECR User Guide,
    // "Troubleshooting Amazon ECR error messages"), in the distribution API's words (distribution/distribution
    // registry/api/errcode register.go: TOOMANYREQUESTS "too many requests" 429, UNAVAILABLE "service unavailable" 503).
    // Before, one such answer failed the read, and with it the check before registration: the preview stopped.
    for (const [what, busy] of [
        ["429 TOOMANYREQUESTS", () => errors(429, "TOOMANYREQUESTS", "too many requests")],
        ["503 UNAVAILABLE", () => errors(503, "UNAVAILABLE", "service unavailable")],
    ] as [string, () => Response][]) {
        it(`ECR's ${what} to a manifest read, once, is waited out and the read goes through`, async () => {
            const registry = ecr();
            registry.registry.pushArtifact("busy-once/service", "c-1", imageArtifact({ os: "linux", architecture: "arm64" }));
            let busyAnswers = 0;
            await withFakeFetch(
                async (input: string | URL, init?: RequestInit) => {
                    const authorized = new Headers(init?.headers).get("authorization") !== null;
                    if (authorized && busyAnswers === 0) {
                        busyAnswers++;
                        return busy();
                    }
                    return registry.fetch(input, init);
                },
                async () => {
                    const manifest = await manifestByTag(ecrRepository("busy-once/service", FAKE_ECR_PASSWORD), "c-1");
                    assert.ok(manifest?.layers, "the manifest, read after the busy answer");
                    assert.strictEqual(busyAnswers, 1);
                    assert.strictEqual(waits.length, 1, String(waits));
                    assert.ok(waits[0] >= REGISTRY_RETRY.firstDelayMs && waits[0] <= 2 * REGISTRY_RETRY.firstDelayMs, String(waits));
                },
            );
        });
    }

    it("a registry busy on every try is asked REGISTRY_RETRY.attempts times, with growing waits, and the read fails in its words", async () => {
        let asked = 0;
        await withFakeFetch(
            async () => {
                asked++;
                return errors(503, "UNAVAILABLE", "service unavailable");
            },
            async () => {
                await assert.rejects(manifestByTag({ host: ECR_HOST, name: "busy-always/service" }, "c-1"), /busy-always\/service:c-1: HTTP 503 UNAVAILABLE: service unavailable/);
                assert.strictEqual(asked, REGISTRY_RETRY.attempts);
                assert.strictEqual(waits.length, REGISTRY_RETRY.attempts - 1);
                // 1, 2, 4 s and up to as much again (jitter): the n-th wait within [first * 2^n, first * 2^(n+1)), each at most longestMs.
                waits.forEach((ms, n) => {
                    const backoff = REGISTRY_RETRY.firstDelayMs * 2 ** n;
                    assert.ok(ms >= backoff && ms < 2 * backoff && ms <= REGISTRY_RETRY.longestMs, `wait ${n + 1} of ${waits}`);
                });
            },
        );
    });

    it("a busy answer's Retry-After is the wait, held to REGISTRY_RETRY.longestMs", async () => {
        // Retry-After in seconds (RFC 9110, 10.2.3): 3 s is waited as given; 120 s, past longestMs, is cut to it.
        const answers = [errors(429, "TOOMANYREQUESTS", "too many requests", { "retry-after": "3" }), errors(429, "TOOMANYREQUESTS", "too many requests", { "retry-after": "120" })];
        await withFakeFetch(async () => answers.shift() ?? errors(503, "UNAVAILABLE", "service unavailable"), async () => {
            await assert.rejects(manifestByTag({ host: ECR_HOST, name: "busy-after/service" }, "c-1"), /busy-after\/service:c-1: HTTP 503 UNAVAILABLE: service unavailable/);
            assert.deepStrictEqual(waits.slice(0, 2), [3000, REGISTRY_RETRY.longestMs]);
        });
    });

    // Retry-After is `HTTP-date / delay-seconds` (RFC 9110, 10.2.3), and skopeo's own registry client takes both: a date is
    // waited until, one already past and a value of neither form fall back to the backoff, and 0 s is no wait
    // (containers/image docker/docker_client.go parseRetryAfter: strconv.ParseInt, then http.ParseTime and time.Until).
    it("a busy answer's Retry-After as an HTTP-date is waited until; a date past is the backoff; 0 s is no wait", async () => {
        const inTwentySeconds = new Date(Math.ceil(Date.now() / 1000) * 1000 + 20_000).toUTCString();
        const answers = [
            errors(429, "TOOMANYREQUESTS", "too many requests", { "retry-after": inTwentySeconds }),
            errors(429, "TOOMANYREQUESTS", "too many requests", { "retry-after": "Wed, 21 Oct 2015 07:28:00 GMT" }),
            errors(429, "TOOMANYREQUESTS", "too many requests", { "retry-after": "0" }),
        ];
        await withFakeFetch(async () => answers.shift() ?? errors(503, "UNAVAILABLE", "service unavailable"), async () => {
            await assert.rejects(manifestByTag({ host: ECR_HOST, name: "busy-until/service" }, "c-1"), /busy-until\/service:c-1: HTTP 503 UNAVAILABLE/);
            assert.ok(waits[0] > 18_000 && waits[0] <= 21_000, `the wait until ${inTwentySeconds}: ${waits}`);
            assert.ok(waits[1] >= 2 * REGISTRY_RETRY.firstDelayMs && waits[1] < 4 * REGISTRY_RETRY.firstDelayMs, `the second backoff: ${waits}`);
            assert.strictEqual(waits[2], 0, String(waits));
        });
    });

    it("AWS's AccessDeniedException is kept; its ServerException and ThrottlingException are not", async () => {
        const cache = perRun<string>();
        // Each in AWS's words: IAM's denial (fakeIds.ts iamNotAuthorized), ECR's ServerException (fakeIds.ts
        // ECR_SERVER_ERROR), and AWS's throttling, "ThrottlingException: Rate exceeded" (as quoted in
        // segmentio/chamber#34 and turbot/steampipe-mod-aws-thrifty#130).
        const words = {
            AccessDeniedException: iamNotAuthorized("ecr:DescribeImages", "arn:aws:ecr:ap-northeast-1:123456789012:repository/refusal-spec"),
            ServerException: ECR_SERVER_ERROR,
            ThrottlingException: "Rate exceeded",
        };
        for (const [name, times] of [["AccessDeniedException", 1], ["ServerException", 2], ["ThrottlingException", 2]] as const) {
            let reads = 0;
            const read = async () => {
                reads++;
                throw Object.assign(new Error(words[name]), { name });
            };
            await assert.rejects(cache(`refusal-spec/${name}`, read), { name });
            await assert.rejects(cache(`refusal-spec/${name}`, read), { name });
            assert.strictEqual(reads, times, name);
        }
    });
});
