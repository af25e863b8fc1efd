/** The components' names in this program: the prefix of every child's name, and of the registries' names. */
export const COMPONENT_NAMES = { aws: "pipeline", gcp: "service" } as const;

/**
 * What ECR takes as a repository name: 2-256 characters, `/`-separated parts of lowercase letters and digits joined
 * by `.`, `_`, `__` or any run of `-` (the OCI distribution spec's name grammar, the pattern of repositoryName in the
 * ECR API Reference, e.g. GetRepositoryPolicy and InitiateLayerUpload); any other is refused.
 */
export const ECR_REPOSITORY_NAME = /^(?=.{2,256}$)[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

/** The ECR repository of a stack: `<project>-<stack>`, known without asking AWS (the image workflow pushes to it). */
export function ecrRepositoryName(project: string, environment: string): string {
    return `${project}-${environment}`.toLowerCase();
}
