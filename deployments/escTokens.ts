/**
 * The tokens ESC's aws-login and gcp-login present to the clouds (ESC docs, "Configuring OIDC": "Default token claim",
 * "Custom token claim"): audience `<platform>:<org>`; with the subject attributes below, subject
 * `pulumi:environments:pulumi.organization.login:<org>:currentEnvironment.name:<project>/<environment>`.
 */

/**
 * The one attribute every login puts in its token's subject: the environment that defines the login. Without it the
 * subject names the environment opened first, which for a stack's imports is the literal `<yaml>` for every
 * environment of the org, so no trust could tell prod's login from dev's.
 */
export const SUBJECT_ATTRIBUTES = ["currentEnvironment.name"];

/** The subject of a token from a login defined in `environment` (`<project>/<name>`), with SUBJECT_ATTRIBUTES. */
export function escSubject(organization: string, environment: string): string {
    return `pulumi:environments:pulumi.organization.login:${organization}:currentEnvironment.name:${environment}`;
}

export const escAudience = (platform: "aws" | "gcp", organization: string) => `${platform}:${organization}`;

/** Google Cloud refuses a mapped google.subject longer than this (workload identity federation, attribute mappings). */
export const GOOGLE_SUBJECT_MAX_BYTES = 127;

/**
 * How long the Google access token an environment's gcp-login hands out lasts, for every stack: its definition sets
 * no `tokenLifetime`, so IAM Credentials' generateAccessToken default of 3600 s applies (more needs the org policy
 * constraints/iam.allowServiceAccountCredentialLifetimeExtension). Unlike AWS's session it is not lengthened for a
 * released stack: each `pulumi up` opens the environment again, and one `up` must finish within it.
 */
export const GOOGLE_TOKEN_MINUTES = 60;
