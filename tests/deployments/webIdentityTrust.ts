import { Decision } from "../harness/iamSimulator";

/**
 * Whether a web-identity token (its issuer, `sub` and `aud`) may assume a role, by the role's trust policy. The IAM
 * simulator drops context keys of OIDC providers it has no data for (token.actions.githubusercontent.com:sub,
 * api.pulumi.com/oidc:sub), so this applies IAM's documented semantics of the two operators trust policies here use:
 * StringEquals is exact, StringLike matches `*` (any run) and `?` (one character); every key of every operator must
 * match, and a key the request lacks fails its condition: `aud: null` is a token without one (none given: GitHub's
 * sts.amazonaws.com). `*` matches any run of characters, line breaks too (IAM User Guide, "String condition
 * operators": multi-character match wildcards). The issuer is the provider's URL without `https://`. `others` are the
 * token's other claims STS offers as keys (for GitHub's issuer, job_workflow_ref among them: AWS What's New, January
 * 2026, "AWS STS supports validation of identity provider specific claims"); one the token lacks fails its condition.
 */
export function mayAssume(trustPolicy: { Statement: any[] }, claims: { sub: string; aud?: string | null; issuer?: string; others?: Record<string, string> }): Decision {
    const issuer = (claims.issuer ?? "token.actions.githubusercontent.com").replace(/^https:\/\//, "");
    const aud = claims.aud === undefined ? "sts.amazonaws.com" : claims.aud;
    const others = Object.fromEntries(Object.entries(claims.others ?? {}).map(([claim, value]) => [`${issuer}:${claim}`, value]));
    const context: Record<string, string> = { ...others, [`${issuer}:sub`]: claims.sub, ...(aud === null ? {} : { [`${issuer}:aud`]: aud }) };
    const like = (pattern: string, value: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "s").test(value);
    const operators: Record<string, (expected: string, actual: string) => boolean> = { StringEquals: (e, a) => e === a, StringLike: like };
    const allows = (st: any) =>
        st.Effect === "Allow" &&
        st.Action === "sts:AssumeRoleWithWebIdentity" &&
        st.Principal.Federated.endsWith(`oidc-provider/${issuer}`) &&
        Object.entries<Record<string, string | string[]>>(st.Condition).every(([op, keys]) => {
            if (!operators[op]) throw new Error(`trust policy uses ${op}, which this evaluator does not implement`);
            return Object.entries(keys).every(([key, values]) => Object.hasOwn(context, key) && [values].flat().some((v) => operators[op](v, context[key])));
        });
    return trustPolicy.Statement.some(allows) ? "Allowed" : "ImplicitlyDenied";
}
