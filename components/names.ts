import { createHash } from "crypto";

/** The components' names in this program: the prefix of every child's name, and of the registries' names. */
export const COMPONENT_NAMES = { aws: "pipeline", gcp: "service" } as const;

/**
 * What ECR takes as a repository name: 2-256 characters, `/`-separated parts of lowercase letters and digits joined
 * by `.`, `_`, `__` or any run of `-` (the OCI distribution spec's name grammar, the pattern of repositoryName in the
 * ECR API Reference, e.g. GetRepositoryPolicy and InitiateLayerUpload); any other is refused.
 */
export const ECR_REPOSITORY_NAME = /^(?=.{2,256}$)[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

/** 6 hex digits of `text`'s sha256. */
export function nameDigest(text: string): string {
    return createHash("sha256").update(text).digest("hex").slice(0, 6);
}

/**
 * `made`, a name a cloud's rules made of `original`, as it is when it is `original` unchanged, else with
 * `-<nameDigest(original)>`: two stacks whose names those rules make alike (`Dev` and `dev`, `eu.west` and `eu-west`)
 * keep names of their own, where one name would make the second stack's create fail with "already exists".
 */
export function keptApart(made: string, original: string): string {
    return made === original ? made : `${made}-${nameDigest(original)}`;
}

/**
 * The ECR repository of a stack: `<project>-<stack>` lowercased (kept apart from another stack's when that lowercased
 * it), known without asking AWS (the image workflow pushes to it).
 */
export function ecrRepositoryName(project: string, environment: string): string {
    const name = `${project}-${environment}`;
    return keptApart(name.toLowerCase(), name);
}

/** ecrRepositoryName(project, environment) when ECR refuses it (ECR_REPOSITORY_NAME), else undefined. */
export function refusedEcrRepositoryName(project: string, environment: string): string | undefined {
    const repository = ecrRepositoryName(project, environment);
    return ECR_REPOSITORY_NAME.test(repository) ? undefined : repository;
}
