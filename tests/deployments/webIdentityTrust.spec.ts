import * as assert from "assert";
import { mayAssume } from "./webIdentityTrust";

/** The stand-in for STS's web identity trust decision, against IAM's documented semantics, on hand-written trust policies. */
const GITHUB = "token.actions.githubusercontent.com";
const trust = (operator: string, conditions: Record<string, string>) => ({
    Statement: [{ Effect: "Allow", Principal: { Federated: `arn:aws:iam::123456789012:oidc-provider/${GITHUB}` }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { [operator]: conditions } }],
});

describe("tests/deployments/webIdentityTrust: mayAssume as IAM decides a web identity trust", () => {
    it("a token without an aud fails a condition on aud: the request lacks the key (IAM User Guide, condition keys absent from the request)", () => {
        const policy = trust("StringEquals", { [`${GITHUB}:aud`]: "sts.amazonaws.com", [`${GITHUB}:sub`]: "repo:o/r:environment:prod" });
        assert.strictEqual(mayAssume(policy, { sub: "repo:o/r:environment:prod" }), "Allowed", "no aud given: GitHub's default for configure-aws-credentials");
        assert.strictEqual(mayAssume(policy, { sub: "repo:o/r:environment:prod", aud: null }), "ImplicitlyDenied");
    });

    it("StringLike: `*` is any run of characters, a line break too; `?` exactly one; case counts", () => {
        const policy = trust("StringLike", { [`${GITHUB}:sub`]: "repo:o/r:ref:refs/heads/release-?:*" });
        assert.strictEqual(mayAssume(policy, { sub: "repo:o/r:ref:refs/heads/release-1:a\nb" }), "Allowed");
        assert.strictEqual(mayAssume(policy, { sub: "repo:o/r:ref:refs/heads/release-:a" }), "ImplicitlyDenied");
        assert.strictEqual(mayAssume(policy, { sub: "repo:o/r:ref:refs/heads/release-12:a" }), "ImplicitlyDenied", "`?` takes one character, not two");
        assert.strictEqual(mayAssume(policy, { sub: "repo:o/r:ref:refs/heads/release-1::a/b" }), "Allowed", "`*` takes any character, the : and / too");
        assert.strictEqual(mayAssume(policy, { sub: "repo:O/r:ref:refs/heads/release-1:a" }), "ImplicitlyDenied");
    });

    // IAM User Guide, "Creating a condition with multiple keys or values": a key's values are ORed, its keys ANDed.
    it("a key's list of values: any one may match; `*` takes an empty run too", () => {
        const policy = trust("StringLike", { [`${GITHUB}:sub`]: ["repo:o/r:environment:prod", "repo:o/r:ref:refs/heads/main*"] as any });
        assert.strictEqual(mayAssume(policy, { sub: "repo:o/r:ref:refs/heads/main" }), "Allowed");
        assert.strictEqual(mayAssume(policy, { sub: "repo:o/r:environment:prod" }), "Allowed");
    });

    it("only an Allow of sts:AssumeRoleWithWebIdentity lets a token in; a condition key the token has no claim for fails", () => {
        const allow = trust("StringEquals", { [`${GITHUB}:sub`]: "repo:o/r:environment:prod" });
        const otherAction = { Statement: [{ ...allow.Statement[0], Action: "sts:AssumeRole" }] };
        assert.strictEqual(mayAssume(otherAction, { sub: "repo:o/r:environment:prod" }), "ImplicitlyDenied");
        // No claim is named toString: the key is absent from the request, whatever a JavaScript object inherits.
        assert.strictEqual(mayAssume(trust("StringLike", { toString: "*" }), { sub: "repo:o/r:environment:prod" }), "ImplicitlyDenied");
    });
});
