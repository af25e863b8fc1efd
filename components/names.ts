/** The components' names in this program: the prefix of every child's name, and of the registries' names. */
export const COMPONENT_NAMES = { aws: "pipeline", gcp: "service" } as const;

/**
 * What ECR takes as a repository name: 2-256 characters, `/`-separated parts of lowercase letters and digits with
 * one `.`, `_` or `-` between them (the pattern of RepositoryName in CloudFormation's AWS::ECR::Repository schema,
 * which is this one); CreateRepository refuses any other with InvalidParameterException.
 */
export const ECR_REPOSITORY_NAME = /^(?=.{2,256}$)(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

/** The ECR repository of a stack: `<project>-<stack>`, known without asking AWS (the image workflow pushes to it). */
export function ecrRepositoryName(project: string, environment: string): string {
    return `${project}-${environment}`.toLowerCase();
}
