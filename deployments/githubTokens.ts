/** GitHub Actions' OIDC tokens, as the clouds and Pulumi Cloud trust them. */
export const GITHUB_ISSUER = "token.actions.githubusercontent.com";

/** GitHub's `sub` claim: a job in an environment, or a push of a ref, of this repository (GitHub docs, "About security hardening with OpenID Connect"). */
export const githubSubject = {
    environment: (repository: string, environment: string) => `repo:${repository}:environment:${environment}`,
    ref: (repository: string, ref: string) => `repo:${repository}:ref:${ref}`,
};
