import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/stackFile";
import { regExpText } from "../harness/regExpText";
import { scratchDir } from "../harness/tempDirs";
import { googleAccessToken } from "../../scripts/google/accessToken";
import { registryCredentials } from "../../scripts/image/registries";

/**
 * The README gives any other tool the stack's credentials with `pulumi env run <org>/multicloud-service/dev --`.
 * ESC's gcp-login exports the stack's token as GOOGLE_OAUTH_ACCESS_TOKEN (deployments/escEnvironments.ts), which
 * application default credentials never read. Before: `npm run image` asked application default credentials only, so under `pulumi env run` it used
 * the laptop's own gcloud identity, or failed.
 */
describe("the image tool's credentials", () => {
    const notAsked = async (): Promise<string> => assert.fail("application default credentials were asked");

    it("GOOGLE_OAUTH_ACCESS_TOKEN when set, without asking application default credentials", async () => {
        assert.strictEqual(await googleAccessToken({ GOOGLE_OAUTH_ACCESS_TOKEN: "ya29.stack" }, notAsked), "ya29.stack");
        assert.strictEqual(await googleAccessToken({}, async () => "ya29.adc"), "ya29.adc");
    });

    it("Artifact Registry's login under `pulumi env run` is the stack's token", async () => {
        const saved = process.env.GOOGLE_OAUTH_ACCESS_TOKEN;
        process.env.GOOGLE_OAUTH_ACCESS_TOKEN = "ya29.stack";
        try {
            const target = { cloud: "gcp" as const, repository: "asia-northeast1-docker.pkg.dev/p/r/service", tag: "c-1", platform: "linux/amd64" };
            assert.deepStrictEqual(await registryCredentials(target), { user: "oauth2accesstoken", password: "ya29.stack" });
        } finally {
            if (saved === undefined) delete process.env.GOOGLE_OAUTH_ACCESS_TOKEN;
            else process.env.GOOGLE_OAUTH_ACCESS_TOKEN = saved;
        }
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
        assert.match(build.stderr, /^image: no AWS credentials: run this under `pulumi env run <org>\/multicloud-service\/<stack> --` \(the stack's aws-login\), or with a profile of the stack's account \(AWS_PROFILE; `aws sso login`\); in a workflow, aws-actions\/configure-aws-credentials \(Could not load credentials from any providers\)$/m);
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
});
