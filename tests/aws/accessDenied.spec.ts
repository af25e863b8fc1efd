import * as assert from "assert";
import { accessDeniedHint, refusalOf } from "../../components/aws/accessDenied";

/**
 * IAM's access denied messages, as the IAM User Guide's "Troubleshoot access denied error messages" gives them (its
 * examples, their line breaks joined), and what refused each.
 */
const GUIDE_EXAMPLES: [string, ReturnType<typeof refusalOf>][] = [
    ["User: arn:aws:iam::777788889999:user/JohnDoe is not authorized to perform: codecommit:ListRepositories with an explicit deny in a service control policy", { type: "service control policy", explicit: true }],
    ["User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform: codecommit:ListRepositories because no VPC endpoint policy allows the codecommit:ListRepositories action", { type: "VPC endpoint policy", explicit: false }],
    ["User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform: codedeploy:ListDeployments on resource: arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:* with an explicit deny in a VPC endpoint policy", { type: "VPC endpoint policy", explicit: true }],
    ["User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform: codedeploy:ListDeployments on resource: arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:* because no permissions boundary allows the codedeploy:ListDeployments action", { type: "permissions boundary", explicit: false }],
    ["User: arn:aws:iam::777788889999:user/JohnDoe is not authorized to perform: sagemaker:ListModels with an explicit deny in a permissions boundary", { type: "permissions boundary", explicit: true }],
    ["User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform: codecommit:ListRepositories because no session policy allows the codecommit:ListRepositories action", { type: "session policy", explicit: false }],
    ["User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform: codedeploy:ListDeployments on resource: arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:* with an explicit deny in a sessions policy", { type: "sessions policy", explicit: true }],
    ["User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform: secretsmanager:GetSecretValue because no resource-based policy allows the secretsmanager:GetSecretValue action", { type: "resource-based policy", explicit: false }],
    ["User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:us-east-1:123456789012:secret:* with an explicit deny in a resource-based policy", { type: "resource-based policy", explicit: true }],
    ["User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform: codecommit:ListRepositories because no identity-based policy allows the codecommit:ListRepositories action", { type: "identity-based policy", explicit: false }],
    ["User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform: codedeploy:ListDeployments on resource: arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:* with an explicit deny in an identity-based policy", { type: "identity-based policy", explicit: true }],
    [
        "User: arn:aws:sts::111122223333:assumed-role/role-name/role-session-name is not authorized to perform: SNS:Publish on resource: arn:aws:sns:us-east-1:444455556666:role-name-2 with an explicit deny in a VPC endpoint policy transitively through a service control policy",
        { type: "service control policy", explicit: true },
    ],
];

/**
 * A resource control policy's refusal, which the guide's version quoted above predates: S3's words for an RCP's Deny, as
 * quoted in sqlxpert/aws-rcp-s3-require-encryption-kms README.md ("Sample Error Messages", its line breaks joined).
 */
const RCP_DENIAL =
    'User: arn:aws:sts::112233445566:assumed-role/AWSReservedSSO_PermSetName_0123456789abcdef/abcde is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::test-kms-encryption-required/non-encrypted.txt" with an explicit deny in a resource control policy';

// Before: every AccessDeniedException of the program's AWS reads (KMS's signing key, Lambda's account limits) said
// "the deploying identity needs <permission>", also when IAM's words named an SCP, a permissions boundary, a session
// policy or the resource's own policy, which no grant to the identity lifts.
describe("an AWS refusal's hint follows the policy type IAM's words name", () => {
    it("reads the policy type and whether a Deny refused from each of the IAM User Guide's examples", () => {
        for (const [message, refusal] of GUIDE_EXAMPLES) assert.deepStrictEqual(refusalOf(message), refusal, message);
    });

    it("names the permission only where no identity-based policy allows it, or where the words name no policy", () => {
        const needs = "kms:GetPublicKey on it";
        for (const [message, refusal] of GUIDE_EXAMPLES) {
            const grantHelps = refusal?.type === "identity-based policy" && !refusal.explicit;
            assert.strictEqual(accessDeniedHint(message, needs) === `the deploying identity needs ${needs}`, grantHelps, message);
        }
        assert.strictEqual(accessDeniedHint("Access Denied", needs), `the deploying identity needs ${needs}`);
    });

    it("a resource control policy's Deny names the organization's RCP, not a missing grant", () => {
        assert.deepStrictEqual(refusalOf(RCP_DENIAL), { type: "resource control policy", explicit: true });
        assert.match(accessDeniedHint(RCP_DENIAL, "s3:PutObject"), /^a resource control policy of the account's AWS Organization refuses it, not a permission the deploying identity lacks/);
    });

    it("says whether the named policy has a Deny to remove or lacks an Allow, for each type that words both", () => {
        const needs = "kms:GetPublicKey on it";
        const verbs = GUIDE_EXAMPLES.filter(([, refusal]) => refusal?.type !== "service control policy" && refusal?.type !== "identity-based policy").map(([message, refusal]) => [
            refusal!.type,
            refusal!.explicit,
            / (denies|deny|does not allow|do not allow) it, /.exec(accessDeniedHint(message, needs))?.[1],
        ]);
        assert.deepStrictEqual(verbs, [
            ["VPC endpoint policy", false, "does not allow"],
            ["VPC endpoint policy", true, "denies"],
            ["permissions boundary", false, "does not allow"],
            ["permissions boundary", true, "denies"],
            ["session policy", false, "do not allow"],
            ["sessions policy", true, "deny"],
            ["resource-based policy", false, "does not allow"],
            ["resource-based policy", true, "denies"],
        ]);
    });

    it("a Deny in words naming no policy (an older message) is no missing grant either", () => {
        // Lambda's words in cloud-custodian/cloud-custodian#4736 (2019): "... is not authorized to perform: lambda:GetFunction on resource: arn:aws:lambda:... with an explicit deny".
        const older = "User: arn:aws:iam::1111111111:user/USERNAME is not authorized to perform: lambda:GetFunction on resource: arn:aws:lambda:us-east-1:11111111111:function:f with an explicit deny";
        assert.deepStrictEqual(refusalOf(older), { type: undefined, explicit: true });
        assert.match(accessDeniedHint(older, "lambda:GetFunction"), /^a Deny statement refuses it .*not a permission the deploying identity lacks/);
    });

    // Before: every boundary's hint said "(aws iam get-role: PermissionsBoundary)": no --role-name, which the CLI requires,
    // and get-role for a user's denial, whose boundary get-user answers.
    it("a permissions boundary's hint gives the command that shows the boundary of the role or user the words name", () => {
        const boundaryDenial = (arn: string) => `User: ${arn} is not authorized to perform: kms:GetPublicKey on resource: arn:aws:kms:eu-west-1:123456789012:key/k because no permissions boundary allows the kms:GetPublicKey action`;
        const shown = (arn: string) => /the boundary \((.*)\) must allow/.exec(accessDeniedHint(boundaryDenial(arn), "kms:GetPublicKey on it"))?.[1];
        assert.strictEqual(shown("arn:aws:sts::123456789012:assumed-role/deployer/session"), "aws iam get-role --role-name deployer --query Role.PermissionsBoundary");
        assert.strictEqual(shown("arn:aws:iam::123456789012:role/service-role/deploy@ci"), "aws iam get-role --role-name deploy@ci --query Role.PermissionsBoundary");
        assert.strictEqual(shown("arn:aws-cn:iam::123456789012:user/ops/JohnDoe"), "aws iam get-user --user-name JohnDoe --query User.PermissionsBoundary");
        // A path of several levels (IAM User Guide, "IAM identifiers": arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/JaneDoe).
        assert.strictEqual(shown("arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/JaneDoe"), "aws iam get-user --user-name JaneDoe --query User.PermissionsBoundary");
        // IAM names may begin with `=` (roleNameType [\w+=,.@-]+), which zsh expands as a command's path unless quoted (zshoptions, EQUALS).
        assert.strictEqual(shown("arn:aws:iam::123456789012:role/=deployer"), "aws iam get-role --role-name '=deployer' --query Role.PermissionsBoundary");
        assert.strictEqual(shown("arn:aws:iam::123456789012:user/a=b"), "aws iam get-user --user-name 'a=b' --query User.PermissionsBoundary");
        assert.match(shown("arn:aws:sts::123456789012:federated-user/Bob") ?? "", /^the PermissionsBoundary that aws iam get-role --role-name <role> or aws iam get-user --user-name <user> answers/);
    });
});
