import * as assert from "assert";
import * as iam from "@pulumi/aws/iam";
import { runUnderMocks } from "../../scripts/offline/mockCloud";
import { createAwsOidc } from "../../deployments/awsOidc";
import { createGcpOidc } from "../../deployments/gcpOidc";
import { settingsSchema } from "../../deployments/settings";
import { StackTarget } from "../../deployments/stackTargets";
import { DEPLOYMENTS_PROJECT, parsedCommittedSettings } from "./deploymentsPlan";

/**
 * The names deployments/ derives from its settings (stack names, the project) reach APIs with limits of their own
 * that the providers' schemas do not check. Any name settings the schema accepts can make must fit, or the settings
 * are refused before anything is registered. The identities are made here for stacks without stack files: their
 * targets are given.
 */
describe("deployments/: names the clouds take, for any settings the schema accepts (under mocks)", function () {
    this.timeout(60_000);
    const target: StackTarget = { awsRegion: "eu-west-1", gcpProject: "multicloud-service-eu", gcpRegion: "europe-west1" };

    /** The committed settings changed by `change`, parsed as deployments/ parses them; throws what the schema refuses. */
    function settingsWith(change: (raw: any) => void) {
        const raw = JSON.parse(JSON.stringify(parsedCommittedSettings()));
        change(raw);
        const parsed = settingsSchema.safeParse(raw);
        if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `settings.${i.path.join(".")}: ${i.message}`).join("\n"));
        return parsed.data;
    }

    async function identities(change: (raw: any) => void) {
        const settings = settingsWith(change);
        const targets = Object.fromEntries(Object.keys(settings.stacks).map((stack) => [stack, target]));
        const run = await runUnderMocks({ stack: "main", project: DEPLOYMENTS_PROJECT, config: { "aws:region": "eu-west-1" } }, async () => {
            createAwsOidc(settings, targets, {});
            createGcpOidc(settings, targets);
        });
        return run.cloud.resources;
    }

    it("GCP: service account display names stay within IAM's 100 bytes with long stack names, each still its own", async () => {
        // Before: promote-production-europe-west-1's display name had 105 bytes, which IAM refuses at create
        // ("The display_name length (105) is longer than the maximum allowed length 100."), half-way through the up.
        const resources = await identities((s) => {
            s.stacks["integration-europe-west1"] = { deployOnPush: true };
            s.stacks["production-europe-west-1"] = { deployOnPush: false, promoteFrom: "integration-europe-west1" };
        });
        const accounts = resources.filter((r) => r.type === "gcp:serviceaccount/account:Account");
        const names = accounts.map((a) => String(a.inputs.displayName));
        assert.ok(names.length >= 10, `accounts: ${names.length}`);
        for (const name of names) assert.ok(Buffer.byteLength(name) <= 100, `${name}: ${Buffer.byteLength(name)} bytes`);
        assert.strictEqual(new Set(names).size, names.length, "no two accounts share a display name");
        const promote = accounts.find((a) => a.name === "promote-production-europe-west-1")!;
        assert.match(String(promote.inputs.displayName), /^deploy-prod\.yml promoting multicloud-service\/integration-europe-west1's image to production-e.*-[0-9a-f]{6}$/);
    });

    it("AWS: a stack name whose role names would pass IAM's 64 characters is refused, naming the role and the longest name that fits", async () => {
        // With a short organization and project, ESC's subject allows stack names long enough for
        // deploy-<stack>-<7 hex> to pass 64 characters, which the provider refuses at preview.
        const short = (stack: string) => (s: any) => {
            s.organization = "a";
            s.project = "svc";
            s.stacks[stack] = { deployOnPush: true };
        };
        const fits = "s".repeat(49);
        const roles = (await identities(short(fits))).filter((r) => r.type === "aws:iam/role:Role");
        assert.strictEqual(String(roles.find((r) => r.name === `deploy-${fits}`)!.outputs.name).length, 64);
        const tooLong = "s".repeat(50);
        // What a real preview would answer for that role (the mock answers as the bridge's auto-name does).
        await assert.rejects(
            runUnderMocks({ stack: "main", project: DEPLOYMENTS_PROJECT }, async () => {
                new iam.Role(`deploy-${tooLong}`, { assumeRolePolicy: "{}" });
            }),
            new RegExp(`aws:iam/role:Role::deploy-${tooLong}: could not make instance of 'aws:iam/role:Role': name 'deploy-${tooLong}-' plus 7 random chars is longer than maximum length 64`),
        );
        assert.throws(
            () => settingsWith(short(tooLong)),
            new RegExp(`settings\\.stacks\\.${tooLong}: the AWS role deploy-${tooLong} would be named deploy-${tooLong}-xxxxxxx \\(Pulumi's auto-name\\), 65 characters; IAM allows 64: shorten the stack name to at most 49$`),
        );
    });

    it("a stack with several roles gets one message, with the limit that fits its longest (promote-<stack>)", () => {
        const stack = "s".repeat(50);
        assert.throws(
            () =>
                settingsWith((s) => {
                    s.organization = "a";
                    s.project = "svc";
                    s.stacks[stack] = { deployOnPush: false, promoteFrom: "dev" };
                }),
            (err: Error) => {
                assert.deepStrictEqual(err.message.split("\n"), [
                    `settings.stacks.${stack}: the AWS role promote-${stack} would be named promote-${stack}-xxxxxxx (Pulumi's auto-name), 66 characters; IAM allows 64: shorten the stack name to at most 48`,
                ]);
                return true;
            },
        );
    });

    it("AWS: the branch, which the image roles' trust names (refs/heads/<branch>), only of characters IAM takes in a policy document", async () => {
        // CreateRole's AssumeRolePolicyDocument is a policyDocumentType: pattern "[\u0009\u000A\u000D\u0020-\u00FF]+"
        // (botocore botocore/data/iam/2010-05-08/service-2.json). The provider checks only that it is JSON
        // (terraform-provider-aws iam/role.go assume_role_policy, verify.ValidIAMPolicyJSON), so a branch GitHub takes
        // (any Unicode name) but IAM does not would fail the image role's create, after the OIDC providers were made.
        const POLICY_DOCUMENT = /^[\u0009\u000A\u000D\u0020-\u00FF]+$/;
        // Latin-1 is IAM's: such a branch is written into the trust as it is.
        const latin1 = (await identities((s) => (s.branch = "release/été"))).filter((r) => r.type === "aws:iam/role:Role");
        const image = latin1.find((r) => r.name === "image-dev")!;
        assert.match(String(image.inputs.assumeRolePolicy), /:ref:refs\/heads\/release\/été"/);
        for (const role of latin1) assert.match(String(role.inputs.assumeRolePolicy), POLICY_DOCUMENT, `${role.name}'s trust`);
        // Past U+00FF the settings are refused before anything is registered.
        await assert.rejects(identities((s) => (s.branch = "リリース")), /settings\.branch: must be a branch name of characters IAM takes in a policy document \(tab, line feed, carriage return, U\+0020 to U\+00FF\): the image roles' trust names refs\/heads\/<branch> \(got "リリース"\)/);
        // One such character anywhere makes the whole trust one IAM refuses, beside Latin-1 ones too.
        assert.throws(() => settingsWith((s) => (s.branch = "release/リリース")), /settings\.branch: must be a branch name of characters IAM takes in a policy document .*\(got "release\/リリース"\)/);
    });

    it("GCP: image.yml's account is impersonated by a push to the settings' branch, the subject the AWS image role trusts", async () => {
        // image.yml runs on pushes to settings.branch; its GitHub token's sub is <prefix>:ref:refs/heads/<branch> (GitHub
        // docs, "About security hardening with OpenID Connect"), and the same job logs in to both clouds.
        const resources = await identities((s) => (s.branch = "release"));
        const awsTrust = JSON.parse(String(resources.find((r) => r.type === "aws:iam/role:Role" && r.name === "image-dev")!.inputs.assumeRolePolicy));
        const sub = awsTrust.Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"];
        assert.match(sub, /:ref:refs\/heads\/release$/);
        const impersonation = resources.find((r) => r.type === "gcp:serviceaccount/iAMMember:IAMMember" && r.name === "image-dev-impersonation")!;
        assert.strictEqual(impersonation.inputs.role, "roles/iam.workloadIdentityUser");
        assert.match(String(impersonation.inputs.member), /^principal:\/\/iam\.googleapis\.com\/.+\/subject\/(.+)$/);
        assert.strictEqual(String(impersonation.inputs.member).replace(/^.*\/subject\//, ""), sub, "the GCP image account: a push to the branch, not to main");
    });

    it("the project: letters, digits, '-' and '_' only, since it names the signing key's KMS alias, which takes no '.'", () => {
        assert.throws(
            () => settingsWith((s) => (s.project = "multicloud.service")),
            /settings\.project: must be the service's Pulumi project name \(Pulumi\.yaml name\) of letters, digits, '-' and '_': it also names the KMS alias alias\/<project>-image-signing, which takes no '\.'/,
        );
    });
});
