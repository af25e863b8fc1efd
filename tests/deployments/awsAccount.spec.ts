import * as assert from "assert";
import { MockCloud, runUnderMocks } from "../../scripts/offline/mockCloud";
import { FAKE_CALLER } from "../../scripts/offline/fakeIds";
import { checkAccountNamed } from "../../deployments/awsAccount";
import { DEPLOYMENTS_PROJECT, committedConfig, committedSettings } from "./deploymentsPlan";

const KEY = "aws:allowedAccountIds";

/** deployments/ under mocks with Pulumi.main.yaml's config, its aws:allowedAccountIds as given (undefined: removed). */
async function runWithAccounts(accounts: string | undefined, settings?: object) {
    const config = { ...committedConfig() };
    if (settings) config[`${DEPLOYMENTS_PROJECT}:settings`] = JSON.stringify(settings);
    if (accounts === undefined) delete config[KEY];
    else config[KEY] = accounts;
    let cloud: MockCloud | undefined;
    const program = require("../../deployments/index");
    const run = runUnderMocks({ stack: "main", project: DEPLOYMENTS_PROJECT, config, setup: (c) => (cloud = c) }, () => program());
    return { run, cloud: () => cloud! };
}

// deployments/ uses the default aws provider, whose account is that of the machine's credentials. Before, with no
// aws:allowedAccountIds, an up under another AWS_PROFILE made the OIDC providers, deploy roles, workload boundary and
// signing key in that account; the provider checks the account only against that setting (deployments/awsAccount.ts).
describe("deployments/: the AWS account it deploys to is named", function () {
    this.timeout(60_000);

    it("without aws:allowedAccountIds it is refused before anything is registered or read, saying how to find the account", async () => {
        // An existing OIDC provider named: its read (iam.getOpenIdConnectProvider) would go to whichever account answers.
        const existing = { ...committedSettings(), existingAwsOidcProviders: { github: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" } };
        const { run, cloud } = await runWithAccounts(undefined, existing);
        await assert.rejects(run, (err: Error) => {
            assert.match(err.message, /^deployments\/ does not know which AWS account it is for; nothing was deployed:\n {2}- aws:allowedAccountIds is not set, /);
            assert.match(err.message, /aws sts get-caller-identity --query Account --output text/);
            return true;
        });
        assert.deepStrictEqual(cloud().resources, []);
        assert.deepStrictEqual(cloud().calls, []);
    });

    it("an account that is not one quoted 12-digit ID is refused: a number, a short one, two accounts, an empty list", async () => {
        for (const [accounts, expected] of [
            // What an unquoted 012345678901 becomes in YAML, and what `pulumi config set aws:allowedAccountIds 123456789012` stores.
            ["[12345678901]", /must be a list of one 12-digit AWS account ID, as a quoted string \(got \[12345678901\]\)/],
            ["123456789012", /must be a list of one 12-digit AWS account ID, as a quoted string \(got 123456789012\)/],
            ['["12345"]', /must be a list of one 12-digit AWS account ID/],
            // Unquoted in YAML: a number, even with its 12 digits intact; and one digit too many.
            ["[123456789012]", /must be a list of one 12-digit AWS account ID, as a quoted string \(got \[123456789012\]\)/],
            ['["1234567890123"]', /must be a list of one 12-digit AWS account ID/],
            ['["123456789012","210987654321"]', /names 2 accounts \(123456789012, 210987654321\): deployments\/ manages one account's/],
            ["[]", /aws:allowedAccountIds is not set/],
        ] as const) {
            const { run, cloud } = await runWithAccounts(accounts);
            await assert.rejects(run, expected, accounts);
            assert.deepStrictEqual(cloud().resources, [], accounts);
        }
    });

    it("the committed Pulumi.main.yaml names one account, the mocks' caller, so the specs run as the provider would let them", () => {
        const named = committedConfig()[KEY];
        assert.ok(named !== undefined, `deployments/Pulumi.main.yaml sets no ${KEY}`);
        const accounts = JSON.parse(named);
        assert.doesNotThrow(() => checkAccountNamed(accounts));
        assert.deepStrictEqual(accounts, [FAKE_CALLER.account]);
    });
});
