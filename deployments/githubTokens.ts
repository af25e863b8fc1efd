import type { DeploymentsSettings } from "./settings";

/** GitHub Actions' OIDC tokens, as the clouds and Pulumi Cloud trust them. */
export const GITHUB_ISSUER = "token.actions.githubusercontent.com";

/**
 * GitHub's `sub` claim: the repository's subject prefix (settings.githubSubjectPrefix), then a job in an environment,
 * a push of a ref, or a pull request (GitHub docs, "About security hardening with OpenID Connect").
 */
export const githubSubject = {
    environment: (prefix: string, environment: string) => `${prefix}:environment:${environment}`,
    ref: (prefix: string, ref: string) => `${prefix}:ref:${ref}`,
    pullRequest: (prefix: string) => `${prefix}:pull_request`,
};

/** The subject of a push to the settings' branch: image.yml's, which the image roles and accounts trust. */
export const branchPushSubject = (s: Pick<DeploymentsSettings, "githubSubjectPrefix" | "branch">) => githubSubject.ref(s.githubSubjectPrefix, `refs/heads/${s.branch}`);
