import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/stackFile";
import { noGoogleProjectBehindProxy } from "../harness/noGoogleProjectBehindProxy";
import { regExpText } from "../harness/regExpText";
import { startSilentServer } from "../harness/silentServer";
import { ssoProfileHome } from "../harness/ssoProfile";
import { scratchDir } from "../harness/tempDirs";
import { workloadIdentityFile } from "../harness/workloadIdentityFile";
import { googleAccessToken } from "../../scripts/google/accessToken";
import { cloudRegistries, registryCredentials } from "../../scripts/image/registries";
import { ecrRepositoryOf } from "../../components/aws/ecrImages";
import { useCloudApisInProcess } from "../../scripts/offline/cloudApiServer";
import { changeProcessEnvironment, mergedEnvironment, withProcessEnvironment } from "../../scripts/offline/environment";
import { FAKE_ACCOUNT_ID } from "../../scripts/offline/fakeIds";
import { FAKE_ECR_PASSWORD } from "../../scripts/offline/fakeOciRegistryApi";
import { MockCloud } from "../../scripts/offline/mockCloud";

/**
 * The README gives any other tool the stack's credentials with `pulumi env run <org>/multicloud-service/dev --`.
 * ESC's gcp-login exports the stack's token as GOOGLE_OAUTH_ACCESS_TOKEN (deployments/escEnvironments.ts), which
 * application default credentials never read. Before: `npm run image` asked application default credentials only, so under `pulumi env run` it used
 * the laptop's own gcloud identity, or failed.
 */
describe("the image tool's credentials", () => {
    const notAsked = async (): Promise<string> => assert.fail("application default credentials were asked");
    // The module keeps its GoogleAuth for the process: a case's own instance, and the spec's own back in the cache after.
    const freshAccessTokenModule = () => {
        const moduleFile = require.resolve("../../scripts/google/accessToken");
        const loaded = require.cache[moduleFile];
        return {
            module: (): typeof import("../../scripts/google/accessToken") => (delete require.cache[moduleFile], require(moduleFile)),
            restore: () => {
                if (loaded) require.cache[moduleFile] = loaded;
                else delete require.cache[moduleFile];
            },
        };
    };

    it("GOOGLE_OAUTH_ACCESS_TOKEN when set, without asking application default credentials", async () => {
        assert.strictEqual(await googleAccessToken({ GOOGLE_OAUTH_ACCESS_TOKEN: "ya29.stack" }, notAsked), "ya29.stack");
        assert.strictEqual(await googleAccessToken({}, async () => "ya29.adc"), "ya29.adc");
    });

    it("a token application default credentials take their time over (a real exchange's round trips) is taken within the default bound", async () => {
        const exchange = () => new Promise<string>((resolve) => setTimeout(() => resolve("ya29.adc"), 100));
        assert.strictEqual(await googleAccessToken({}, exchange), "ya29.adc");
    });

    it("Artifact Registry's login under `pulumi env run` is the stack's token", async () => {
        const saved = process.env.GOOGLE_OAUTH_ACCESS_TOKEN;
        process.env.GOOGLE_OAUTH_ACCESS_TOKEN = "ya29.stack";
        try {
            const target = { cloud: "gcp" as const, repository: "asia-northeast1-docker.pkg.dev/my-project/r/service", tag: "c-1", platform: "linux/amd64" };
            assert.deepStrictEqual(await registryCredentials(target), { user: "oauth2accesstoken", password: "ya29.stack" });
        } finally {
            if (saved === undefined) delete process.env.GOOGLE_OAUTH_ACCESS_TOKEN;
            else process.env.GOOGLE_OAUTH_ACCESS_TOKEN = saved;
        }
    });

    // `npm run image -- build` logs docker in to ECR and `promote` gives skopeo that login (registryCredentials). Before (a
    // mutant of it): the login was asked with the repository host's account id in the region's place, and the loopback
    // ECR answered any region; a regional endpoint refuses a signature scoped to another (scripts/offline/signedRegion.ts).
    it("ECR's login is asked of the target's own region", async () => {
        const region = "ca-central-1"; // a region of its own: logins are kept for the process (ecrLogin)
        const restore = await useCloudApisInProcess(new MockCloud({ aws: region, gcp: "northamerica-northeast1" }, "multicloud-service-dev"));
        try {
            const target = { cloud: "aws" as const, repository: `${FAKE_ACCOUNT_ID}.dkr.ecr.${region}.amazonaws.com/multicloud-service-dev`, tag: "c-1", platform: "linux/arm64" };
            assert.deepStrictEqual(await registryCredentials(target), { user: "AWS", password: FAKE_ECR_PASSWORD });
        } finally {
            restore();
        }
    });

    // Before: registryCredentials threw TypeError "Cannot read properties of null (reading '2')" for a host its own
    // pattern missed (the dual-stack form, ECR User Guide "Making requests to Amazon ECR registries", among them), and
    // oci() handed such a target on with that login to fail later. Refused before any cloud is asked (none runs here).
    it("an AWS target whose host is not ECR's is refused naming the repository, for its login, its tag and its signature", async () => {
        for (const repository of [`${FAKE_ACCOUNT_ID}.dkr-ecr.ca-central-1.on.aws/multicloud-service-dev`, "registry.example.com:5000/multicloud-service-dev"]) {
            const target = { cloud: "aws" as const, repository, tag: "c-1", platform: "linux/arm64" };
            const refused = { message: new RegExp(`^aws: ${regExpText(repository)} is not an ECR repository \\(<account>\\.dkr\\.ecr\\.<region>\\.amazonaws\\.com/<name>\\).*AWS_ENDPOINT_URL_ECR`) };
            await assert.rejects(registryCredentials(target), refused);
            await assert.rejects(cloudRegistries().digestOf(target), refused);
            await assert.rejects(cloudRegistries().oci(target), refused);
        }
    });

    // Before: digestOf threw a bare Error "not an Artifact Registry repository: <repository>" (no cloud, no form, no
    // remedy), and the login and oci() gave such a host the stack's Google token. Refused before any cloud is asked.
    it("a GCP target that is not an Artifact Registry image is refused naming the repository, for its login, its tag and its signature", async () => {
        // The last: a registry that mirrors Artifact Registry under its own host, which the stack's Google token must not reach.
        const notArtifactRegistry = [
            "gcr.io/my-project/service",
            "europe-west1-docker.pkg.dev/my-project/registry",
            "registry.example.com:5000/my-project/registry/service",
            "mirror.example.com/europe-west1-docker.pkg.dev/my-project/registry/service",
        ];
        for (const repository of notArtifactRegistry) {
            const target = { cloud: "gcp" as const, repository, tag: "c-1", platform: "linux/amd64" };
            const refused = { message: new RegExp(`^gcp: ${regExpText(repository)} is not an Artifact Registry image \\(<region>-docker\\.pkg\\.dev/<project>/<repository>/<image>\\).*check those in Pulumi\\.<stack>\\.yaml`) };
            await withProcessEnvironment({ GOOGLE_OAUTH_ACCESS_TOKEN: "ya29.stack" }, async () => {
                await assert.rejects(registryCredentials(target), refused);
                await assert.rejects(cloudRegistries().digestOf(target), refused);
                await assert.rejects(cloudRegistries().oci(target), refused);
            });
        }
    });

    // ECR's hosts in the China regions end in .amazonaws.com.cn (boto/botocore botocore/data/endpoints.json: partition
    // aws-cn, dnsSuffix amazonaws.com.cn); a repository name may hold slashes ("team/service", ECR's repositoryName
    // pattern (?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*, CreateRepository API reference).
    it("an ECR repository's account, region and name: China's .com.cn, a name with slashes; a registry host alone is no repository", () => {
        assert.deepStrictEqual(ecrRepositoryOf(`${FAKE_ACCOUNT_ID}.dkr.ecr.cn-north-1.amazonaws.com.cn/team/multicloud-service-dev`), {
            account: FAKE_ACCOUNT_ID,
            region: "cn-north-1",
            name: "team/multicloud-service-dev",
        });
        assert.strictEqual(ecrRepositoryOf(`${FAKE_ACCOUNT_ID}.dkr.ecr.ca-central-1.amazonaws.com`), undefined);
    });

    it("no credentials either way: the error says both ways to give them, and google-auth-library's own words", async () => {
        // google-auth-library's GoogleAuth, NO_ADC_FOUND (build/src/auth/googleauth.js).
        const noAdc = async (): Promise<string> => {
            throw new Error("Could not load the default credentials. Browse to https://cloud.google.com/docs/authentication/getting-started for more information.");
        };
        await assert.rejects(googleAccessToken({}, noAdc), {
            message:
                "gcp: no credentials for Google's APIs: run this under `pulumi env run <org>/multicloud-service/<stack> --` (the stack's GOOGLE_OAUTH_ACCESS_TOKEN), or with application default credentials (`gcloud auth application-default login`; in a workflow, google-github-actions/auth) (Could not load the default credentials. Browse to https://cloud.google.com/docs/authentication/getting-started for more information.)",
        });
        // Credentials there, but their refresh failed: gaxios 8 (google-auth-library's) wraps native fetch's TypeError
        // "fetch failed" in a GaxiosError with the same message (build/cjs/src/gaxios.js, request's catch). That error
        // as it is, not called missing.
        const { GaxiosError } = require(require.resolve("gaxios", { paths: [require.resolve("google-auth-library")] })) as typeof import("gaxios");
        const refreshFailed = new GaxiosError("fetch failed", { url: new URL("https://sts.googleapis.com/v1/token") } as any, undefined, new TypeError("fetch failed", { cause: new Error("getaddrinfo EAI_AGAIN sts.googleapis.com") }));
        await assert.rejects(
            googleAccessToken({}, async () => {
                throw refreshFailed;
            }),
            (err) => err === refreshFailed,
        );
    });

    it("application default credentials: the real google-auth-library's exchange, for the cloud-platform scope; an answer without a token refused", async () => {
        // With workloadIdentityFile's credentials, google-auth-library's external account client
        // (build/src/auth/baseexternalclient.js, identitypoolclient.js) reads the subject token (there, GitHub's OIDC
        // token), exchanges it at the file's token_url (STS), then has IAM Credentials mint the service account's token
        // for the scopes asked. (A service account key can't be pointed at a local server: its JWT client posts to the
        // fixed https://oauth2.googleapis.com/token, build/src/gtoken/getToken.js.)
        const asked: { url: string; body: string }[] = [];
        let minted: object = {};
        const google = await startSilentServer((req, res) => {
            let body = "";
            req.on("data", (chunk) => (body += chunk));
            req.on("end", () => {
                asked.push({ url: req.url ?? "", body });
                res.writeHead(200, { "content-type": "application/json" });
                // Security Token Service v1's token answer (GoogleIdentityStsV1ExchangeTokenResponse: access_token,
                // issued_token_type, token_type, expires_in); IAM Credentials' generateAccessToken answer
                // (google/iam/credentials/v1/common.proto, GenerateAccessTokenResponse: accessToken, expireTime).
                res.end(JSON.stringify(req.url === "/v1/token" ? { access_token: "ya29.d.federated", issued_token_type: "urn:ietf:params:oauth:token-type:access_token", token_type: "Bearer", expires_in: 3599 } : minted));
            });
        });
        const account = "image-dev@multicloud-dev.iam.gserviceaccount.com";
        const credentials = workloadIdentityFile(scratchDir("adc"), google.url, account);
        const { module: fresh, restore: restoreModule } = freshAccessTokenModule();
        // As google-github-actions/auth exports the project (GOOGLE_CLOUD_PROJECT, export_environment_variables); the
        // promote step's file without it: the case below.
        const restoreEnvironment = changeProcessEnvironment({ GOOGLE_APPLICATION_CREDENTIALS: credentials, GOOGLE_CLOUD_PROJECT: "multicloud-dev" });
        try {
            const expireTime = new Date(Date.now() + 3600_000).toISOString();
            minted = { accessToken: "ya29.c.image-dev", expireTime };
            assert.strictEqual(await fresh().applicationDefaultAccessToken(), "ya29.c.image-dev");
            assert.deepStrictEqual(
                asked.map((a) => a.url),
                ["/v1/token", `/v1/projects/-/serviceAccounts/${account}:generateAccessToken`],
            );
            assert.strictEqual(new URLSearchParams(asked[0].body).get("subject_token"), "eyJhbGciOiJSUzI1NiJ9.github.oidc");
            // The scope the module asks for is the one the service account's token is minted for.
            assert.deepStrictEqual(JSON.parse(asked[1].body).scope, ["https://www.googleapis.com/auth/cloud-platform"]);
            // Not an answer IAM Credentials documents: the guard's case. The external account client returns whatever
            // accessToken a 200 carried, undefined too (baseexternalclient.js, getImpersonatedAccessToken and
            // getAccessToken), where the JWT and user clients throw "Could not refresh access token." themselves
            // (oauth2client.js, getAccessTokenAsync).
            minted = { expireTime };
            await assert.rejects(fresh().applicationDefaultAccessToken(), { message: "gcp: application default credentials gave no access token" });
            assert.strictEqual(asked.length, 4);
        } finally {
            restoreEnvironment();
            restoreModule();
            await google.stop();
        }
    });

    it("application default credentials whose token endpoint takes the request and never answers: an error at the deadline, naming it", async () => {
        // The workflows' workload identity federation file (google-github-actions/auth), its STS token_url silent.
        // Before: google-auth-library waited on it with no timeout of its own (undici's 300 s, asked 3 times).
        const silent = await startSilentServer();
        const credentials = workloadIdentityFile(scratchDir("adc-silent"), silent.url, "image-dev@multicloud-dev.iam.gserviceaccount.com");
        const environment = { GOOGLE_APPLICATION_CREDENTIALS: credentials, GOOGLE_CLOUD_PROJECT: "multicloud-dev" };
        const restoreEnvironment = changeProcessEnvironment({ ...environment, GOOGLE_OAUTH_ACCESS_TOKEN: undefined });
        const { module: freshModule, restore: restoreModule } = freshAccessTokenModule();
        try {
            const fresh = freshModule();
            await assert.rejects(fresh.googleAccessToken(environment, fresh.applicationDefaultAccessToken, 300), {
                message: `gcp: an access token from application default credentials (asked of the token_url and service_account_impersonation_url of ${credentials}): no answer within 300 ms`,
            });
            assert.deepStrictEqual(silent.asked, ["/v1/token"]);
        } finally {
            restoreEnvironment();
            restoreModule();
            await silent.stop();
        }
    });

    it("deploy-prod's promote step, a workload identity file without the project: the token asks STS and IAM Credentials alone, not gcloud, the metadata server or Cloud Resource Manager", async () => {
        // The promote step's google-github-actions/auth has export_environment_variables: false, so no
        // GOOGLE_CLOUD_PROJECT, and the file it writes names no project_id (its workload_identity_federation.ts,
        // createCredentialsFile). Before: GoogleAuth looked its project up before its first client (googleauth.js
        // #prepareAndCacheClient, findAndCacheProjectId): `gcloud config config-helper`, the metadata server (through
        // HTTPS_PROXY: 4 tries of 3 s where the proxy holds the CONNECT), then Cloud Resource Manager's
        // projects/<the pool's project number>, whose refusal (no resourcemanager.projects.get) failed the token.
        const google = await startSilentServer((req, res) => {
            req.resume().on("end", () => {
                res.writeHead(200, { "content-type": "application/json" });
                // STS v1's token answer and IAM Credentials' generateAccessToken answer, as in the exchange case above.
                res.end(JSON.stringify(req.url === "/v1/token" ? { access_token: "ya29.d.federated", issued_token_type: "urn:ietf:params:oauth:token-type:access_token", token_type: "Bearer", expires_in: 3599 } : { accessToken: "ya29.c.promote-prod", expireTime: new Date(Date.now() + 3600_000).toISOString() }));
            });
        });
        const { environment: promoteStep, gcloud, proxy } = await noGoogleProjectBehindProxy();
        const credentials = workloadIdentityFile(scratchDir("adc-no-project"), google.url, "promote-prod@multicloud-service-deployer.iam.gserviceaccount.com");
        const restoreEnvironment = changeProcessEnvironment({ ...promoteStep, GOOGLE_APPLICATION_CREDENTIALS: credentials, GOOGLE_OAUTH_ACCESS_TOKEN: undefined });
        const fresh = freshAccessTokenModule();
        try {
            const token = await fresh.module().applicationDefaultAccessToken().catch((err: Error) => `rejected: ${err.message}`);
            const gcloudRuns = gcloud.runs();
            const beyondGoogleStandIn = proxy.passed.filter((p) => !p.includes(new URL(google.url).host));
            assert.deepStrictEqual({ token, gcloudRuns, beyondGoogleStandIn }, { token: "ya29.c.promote-prod", gcloudRuns: [], beyondGoogleStandIn: [] });
        } finally {
            fresh.restore();
            restoreEnvironment();
            await proxy.stop();
            await google.stop();
        }
    });

    // AWS_DEFAULT_PROFILE alone names the profile too: the provider's SDK and the tool's reads take it (environmentProfile.ts).
    for (const variable of ["AWS_PROFILE", "AWS_DEFAULT_PROFILE"]) {
        it(`an expired IAM Identity Center session is not "no AWS credentials": the SDK's own remedy comes first, for the profile ${variable} names`, () => {
            // The profile is there and its token expired an hour ago (`aws sso login` not run today): the SDK stops its chain
            // at the profile (credential-provider-sso, tryNextLink false) and says how to refresh it.
            const expired = ssoProfileHome(scratchDir("sso-expired"), { profile: "dev-deployer", ssoRegion: "ap-northeast-1", expiresInMs: -3_600_000 });
            const named = { AWS_PROFILE: undefined, AWS_DEFAULT_PROFILE: undefined, [variable]: expired.AWS_PROFILE };
            const env = mergedEnvironment(process.env, { ...expired, ...named, AWS_EC2_METADATA_DISABLED: "true" });
            const build = spawnSync(process.execPath, ["scripts/build/run.js", "scripts/image/main.ts", "build", "dev"], { cwd: PROJECT_ROOT, encoding: "utf8", env });
            assert.strictEqual(build.status, 1, build.stderr);
            assert.doesNotMatch(build.stderr, /no AWS credentials/);
            assert.match(build.stderr, /^image: the AWS credentials of profile dev-deployer could not be used: .*aws sso login.*$/m);
        });
    }

    it("no AWS credentials: `npm run image -- build dev` and `promote dev prod` say where they come from, with the SDK's own words", () => {
        // No credentials anywhere the SDK's chain looks: no environment, no profile files, no instance metadata.
        const none = scratchDir("no-aws");
        const env: Record<string, string | undefined> = { ...process.env, AWS_EC2_METADATA_DISABLED: "true", AWS_CONFIG_FILE: path.join(none, "config"), AWS_SHARED_CREDENTIALS_FILE: path.join(none, "credentials") };
        for (const name of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"]) delete env[name];
        const image = (...args: string[]) => spawnSync(process.execPath, ["scripts/build/run.js", "scripts/image/main.ts", ...args], { cwd: PROJECT_ROOT, encoding: "utf8", env });
        const build = image("build", "dev");
        assert.strictEqual(build.status, 1, build.stderr);
        assert.strictEqual(build.stdout, "");
        // @smithy/property-provider's CredentialsProviderError, as the default chain ends (@aws-sdk/credential-provider-node).
        assert.match(build.stderr, /^image: no AWS credentials: run this under `pulumi env run <org>\/multicloud-service\/<stack> --` \(the stack's aws-login\), or with a profile of the stack's account \(AWS_PROFILE or AWS_DEFAULT_PROFILE; `aws sso login`\); in a workflow, aws-actions\/configure-aws-credentials \(Could not load credentials from any providers\)$/m);
        // A promotion needs dev's and prod's registries at once, which no one stack's environment holds.
        const promote = image("promote", "dev", "prod");
        assert.strictEqual(promote.status, 1, promote.stderr);
        assert.match(promote.stderr, /^image: no AWS credentials: the promotion runs in deploy-prod\.yml's promote step, as the promote-prod identity \(docs\/setup\.md\); elsewhere it needs credentials that may pull dev's repositories and push prod's \(Could not load credentials from any providers\)$/m);
        // Before: a --running file was read only after the registries, so one that is not there (or not JSON) was never
        // named: the credentials' error (or, with credentials, the network's) came first.
        const missing = path.join(none, "dev-outputs.json");
        const notThere = image("promote", "dev", "prod", "--running", missing);
        assert.deepStrictEqual([notThere.status, notThere.stdout, notThere.stderr], [1, "", `image: --running ${missing}: no such file\n`]);
        const notJson = path.join(none, "outputs.json");
        fs.writeFileSync(notJson, "{");
        const broken = image("promote", "dev", "prod", "--running", notJson);
        assert.strictEqual(broken.status, 1);
        assert.match(broken.stderr, new RegExp(`^image: --running ${regExpText(notJson)}: not JSON \\(`));
    });

    it("a request a library left waiting does not keep the tool running past its error: it exits as the other tools do", async () => {
        // As the Google token's 15 s bound leaves google-auth-library's own request waiting on a silent endpoint (its
        // STS exchange, asked again for up to 3 x 300 s). Before: the error printed, then the process stayed until that
        // request gave up; here spawnSync's limit killed it (status null).
        const silent = await startSilentServer();
        try {
            const waiting = path.join(scratchDir("left-waiting"), "request.js");
            fs.writeFileSync(waiting, `require("http").get(${JSON.stringify(`${silent.url}/v1/token`)}).on("error", () => undefined);\n`);
            const missing = path.join(scratchDir("left-waiting-outputs"), "dev-outputs.json");
            const run = spawnSync(process.execPath, ["--require", waiting, "scripts/build/run.js", "scripts/image/main.ts", "promote", "dev", "prod", "--running", missing], {
                cwd: PROJECT_ROOT,
                encoding: "utf8",
                timeout: 30_000,
            });
            assert.deepStrictEqual([run.status, run.stderr], [1, `image: --running ${missing}: no such file\n`]);
            // Its work done, as when it ends with an error.
            const done = spawnSync(process.execPath, ["--require", waiting, "scripts/build/run.js", "scripts/image/main.ts", "dev", "--json"], { cwd: PROJECT_ROOT, encoding: "utf8", timeout: 30_000 });
            assert.deepStrictEqual([done.status, done.stderr], [0, ""]);
        } finally {
            await silent.stop();
        }
    });
});
