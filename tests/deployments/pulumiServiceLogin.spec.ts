import * as assert from "assert";
import { withProcessEnvironment } from "../../scripts/offline/environment";
import { MockCloud, runUnderMocks } from "../../scripts/offline/mockCloud";
import { pulumiLoginFolder, tornPulumiLoginFolder } from "../harness/pulumiLogin";
import { DEPLOYMENTS_PROJECT, committedConfig } from "./deploymentsPlan";

const LOGIN_VARIABLES = ["PULUMI_CREDENTIALS_PATH", "PULUMI_BACKEND_URL", "PULUMI_API", "PULUMI_ACCESS_TOKEN"] as const;

/** The CLI logged in to `current` alone, with `token`. */
const loggedIn = (current: string, token: string) => pulumiLoginFolder(current, { [current]: token });

/** deployments/ under mocks with Pulumi.main.yaml's config (and `extra`), in the CLI's environment `login` (the other login variables unset). */
async function runLoggedIn(login: Partial<Record<(typeof LOGIN_VARIABLES)[number], string>>, extra: Record<string, string> = {}) {
    const loginOnly = Object.fromEntries(LOGIN_VARIABLES.map((name) => [name, login[name]]));
    return withProcessEnvironment(loginOnly, async () => {
        let cloud: MockCloud | undefined;
        const program = require("../../deployments/index");
        const run = runUnderMocks({ stack: "main", project: DEPLOYMENTS_PROJECT, config: { ...committedConfig(), ...extra }, setup: (c) => (cloud = c) }, () => program());
        const outcome = await run.then(
            () => undefined,
            (err: Error) => err,
        );
        return { error: outcome, resources: cloud!.resources };
    });
}

const HEADLINE = /^the pulumiservice provider would not reach the Pulumi Cloud deployments\/ manages; nothing was deployed:\n/;

// The default pulumiservice provider calls pulumiservice:apiUrl, else PULUMI_BACKEND_URL, else PULUMI_API, else
// api.pulumi.com, with PULUMI_ACCESS_TOKEN or the current login's token (pulumi-pulumiservice v1.3.0 config.go,
// Configure); the CLI hands it a cloud login's address and token as PULUMI_API and PULUMI_ACCESS_TOKEN, a DIY login's
// nothing (pulumi/pulumi pkg/resource/plugin/cloud_credentials.go). Before, a DIY login's `up` made the AWS and GCP
// trust and then failed on the first Pulumi Cloud resource ("pulumi access token not found").
describe("deployments/: the pulumiservice provider reaches the Pulumi Cloud the CLI is logged in to", function () {
    this.timeout(120_000);

    it("a DIY login without a Pulumi Cloud token is refused before anything is registered", async () => {
        const { error, resources } = await runLoggedIn({ PULUMI_CREDENTIALS_PATH: loggedIn("file:///home/me/state", "") });
        assert.match(error?.message ?? "no error", HEADLINE);
        assert.match(error!.message, /the CLI's backend is file:\/\/\/home\/me\/state, a DIY one, whose login holds no Pulumi Cloud token, so the pulumiservice provider would have none for https:\/\/api\.pulumi\.com: `PULUMI_ACCESS_TOKEN=<a token of it> pulumi up`/);
        assert.deepStrictEqual(resources, []);
    });

    it("a DIY backend in PULUMI_BACKEND_URL is the address the provider would call: refused unless pulumiservice:apiUrl names Pulumi Cloud", async () => {
        const login = { PULUMI_BACKEND_URL: "s3://state-bucket", PULUMI_ACCESS_TOKEN: "pul-cloud" };
        const refused = await runLoggedIn(login);
        assert.match(refused.error?.message ?? "no error", /the CLI's backend is s3:\/\/state-bucket, which is no Pulumi Cloud, and the pulumiservice provider would call it .*`pulumi config set pulumiservice:apiUrl https:\/\/api\.pulumi\.com`/);
        assert.deepStrictEqual(refused.resources, []);
        const configured = await runLoggedIn(login, { "pulumiservice:apiUrl": "https://api.pulumi.com" });
        assert.strictEqual(configured.error, undefined);
        assert.ok(configured.resources.some((r) => r.type === "pulumiservice:index:Environment"));
    });

    it("a self-hosted login runs as it is (the CLI hands the provider its address), but not with pulumiservice:apiUrl naming another", async () => {
        const selfHosted = { PULUMI_CREDENTIALS_PATH: loggedIn("https://api.pulumi.example.com", "pul-self") };
        const refused = await runLoggedIn(selfHosted, { "pulumiservice:apiUrl": "https://api.pulumi.com" });
        assert.match(refused.error?.message ?? "no error", /pulumiservice:apiUrl is https:\/\/api\.pulumi\.com, but the CLI is logged in to https:\/\/api\.pulumi\.example\.com, whose token the provider would send there \(401\)/);
        assert.deepStrictEqual(refused.resources, []);
        const { error, resources } = await runLoggedIn(selfHosted);
        assert.strictEqual(error, undefined);
        assert.ok(resources.some((r) => r.type === "pulumiservice:index:Environment"));
    });

    // Before, the error began "release state:", though no release was running (release/stack/escReleaseState.ts
    // storedCredentials, which both read), and told to set PULUMI_ACCESS_TOKEN too, which deployments/ does not need to skip the file.
    it("a credentials.json that is not JSON: the error names deployments/ as its reader, and the variable that goes without the file", async () => {
        const { error, resources } = await runLoggedIn({ PULUMI_CREDENTIALS_PATH: tornPulumiLoginFolder() });
        assert.match(error?.message ?? "no error", /^deployments\/, finding the Pulumi Cloud the CLI is logged in to: \S+\/credentials\.json is not the JSON `pulumi login` writes \(.*\); log in again, or set PULUMI_BACKEND_URL$/);
        assert.deepStrictEqual(resources, []);
    });
});
