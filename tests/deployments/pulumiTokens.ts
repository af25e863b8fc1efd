/**
 * The OIDC tokens Pulumi Cloud sends to AWS and Google Cloud, in its documented formats. Tests present these to the
 * trust policies and the workload identity providers; nothing here is what the code under test hopes to hear.
 */

/** Both Deployments and ESC's aws-login / gcp-login sign with this issuer (not ESC's fn::open::oidc, which uses /oidc/v2). */
export const PULUMI_ISSUER_URL = "https://api.pulumi.com/oidc";

export interface OidcToken {
    iss: string;
    aud: string;
    sub: string;
    /** The token's other claims an attribute condition may read (GitHub's `repository`, ...). */
    claims?: Record<string, string>;
    /** What sent it, for assertion messages. */
    describe: string;
}

/** The operation kinds a Deployments token names (docs: deployments/deployments/oidc, "Custom claims": operation). */
export const DEPLOYMENT_OPERATIONS = ["preview", "update", "refresh", "destroy"] as const;
export type DeploymentOperation = (typeof DEPLOYMENT_OPERATIONS)[number];

/**
 * A Pulumi Deployments token (docs: pulumi.com/docs/deployments/deployments/oidc/, "Token Claims"): `aud` is the
 * organization name; `sub` is `pulumi:deploy:org:<org>:project:<project>:stack:<stack>:operation:<kind>:scope:write`.
 */
export function deploymentsToken(org: string, project: string, stack: string, operation: DeploymentOperation): OidcToken {
    return {
        iss: PULUMI_ISSUER_URL,
        aud: org,
        sub: `pulumi:deploy:org:${org}:project:${project}:stack:${stack}:operation:${operation}:scope:write`,
        describe: `a Deployments ${operation} of ${project}/${stack}`,
    };
}

export type EscPlatform = "aws" | "gcp";

/**
 * A token ESC's aws-login / gcp-login sends when an environment is opened (docs: pulumi.com/docs/esc/guides/configuring-oidc/,
 * "Default token claim" and "Custom token claim"): `aud` is `<platform>:<org>`. Without `subjectAttributes` the subject is
 * `pulumi:environments:org:<org>:env:<project>/<env>`, where the environment is the one opened first: a stack that
 * imports environments opens an anonymous one, so there it is the literal `<yaml>` (the AWS guide's note). With
 * `subjectAttributes` it is `pulumi:environments:pulumi.organization.login:<org>` followed by `:<attribute>:<value>` per
 * attribute, and `currentEnvironment.name` is the environment that defines the login, however it was opened. So is
 * `rootEnvironment.name` when a stack's imports open it: "each environment is resolved separately ... each
 * `rootEnvironment.name` will resolve to the environment name where it is defined" (ESC docs, configuring OIDC for AWS,
 * "Subject claim example"); opened as an environment of its own (esc open, the esc action) it names that one.
 */
export function escToken(
    platform: EscPlatform,
    org: string,
    opened: { definedIn: string; root?: string; user?: string },
    subjectAttributes: string[] = [],
): OidcToken {
    const root = opened.root ?? opened.definedIn;
    const values: Record<string, string> = {
        "currentEnvironment.name": opened.definedIn,
        "rootEnvironment.name": root === STACK_IMPORT_ROOT ? opened.definedIn : root,
        "pulumi.user.login": opened.user ?? "someone",
        "pulumi.organization.login": org,
    };
    const sub =
        subjectAttributes.length === 0
            ? `pulumi:environments:org:${org}:env:${root}`
            : `pulumi:environments:pulumi.organization.login:${org}${subjectAttributes.map((a) => `:${a}:${values[a]}`).join("")}`;
    return { iss: PULUMI_ISSUER_URL, aud: `${platform}:${org}`, sub, describe: `ESC ${platform}-login in ${opened.definedIn} (opened as ${root})` };
}

/** How a stack that imports environments opens them (docs: the `<yaml>` root named above). */
export const STACK_IMPORT_ROOT = "<yaml>";
