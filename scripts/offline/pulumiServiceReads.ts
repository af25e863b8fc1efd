import { createHash } from "crypto";

/**
 * What the Pulumi Cloud provider's Read answers as a resource's inputs on `pulumi refresh`, where that is not the
 * inputs the program sent, keyed by type token. The engine stores them as the resource's old inputs, and the next
 * `up` diffs the program's inputs against them.
 */
export const pulumiServiceRefreshedInputs: Record<string, (inputs: Record<string, any>) => Record<string, any>> = {
    // Pulumi Cloud keeps the thumbprint of the certificate that served the issuer's OpenID configuration when none was
    // given, and Read returns the stored thumbprints as inputs (pulumi-pulumiservice v1.3.0 oidc_issuer.go:
    // thumbprintsDescription, oidcIssuerStateFromAPI). A SHA-1 fingerprint: 40 hex digits.
    "pulumiservice:index:OidcIssuer": (inputs) => ({ ...inputs, thumbprints: issuerThumbprints(inputs) }),
    // Pulumi Cloud answers the GitHub settings twice, as `gitHub` and mirrored as `vcs` (pulumi/pulumi-pulumiservice#754),
    // and Read makes both inputs (v1.3.0 deployment_settings.go: Read, ToPropertyMap's vcs map).
    "pulumiservice:index:DeploymentSettings": (inputs) => {
        const github = inputs.github ?? {};
        const vcs = { provider: "github", deployCommits: github.deployCommits ?? false, previewPullRequests: github.previewPullRequests ?? false, pullRequestTemplate: github.pullRequestTemplate ?? false, repository: github.repository, ...(github.paths?.length ? { paths: github.paths } : {}) };
        return { ...inputs, vcs };
    },
};

/** The thumbprints Pulumi Cloud keeps for an issuer: the ones given, else the SHA-1 fingerprint (40 hex digits) of the certificate it was served. */
export function issuerThumbprints(inputs: Record<string, any>): string[] {
    return inputs.thumbprints ?? [createHash("sha1").update(`certificate of ${inputs.url}`).digest("hex")];
}
