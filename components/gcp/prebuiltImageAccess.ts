import * as artifactregistry from "@pulumi/gcp/artifactregistry";
import * as organizations from "@pulumi/gcp/organizations";
import * as pulumi from "@pulumi/pulumi";
import { CloudRunGcsServiceArgs } from "./args";

/** An Artifact Registry image reference: `<location>-docker.pkg.dev/<project>/<repository>/<image>@sha256:...`. */
const ARTIFACT_REGISTRY_REF = /^([a-z0-9-]+)-docker\.pkg\.dev\/([a-z][a-z0-9-]{4,28}[a-z0-9])\/([a-z0-9._-]+)\//;

export function artifactRegistryOf(imageRef: string): { location: string; project: string; repository: string } | undefined {
    const match = ARTIFACT_REGISTRY_REF.exec(imageRef);
    return match ? { location: match[1], project: match[2], repository: match[3] } : undefined;
}

/**
 * Cloud Run pulls images as its service agent (`service-<project number>@serverless-robot-prod.iam.gserviceaccount.com`),
 * which may read Artifact Registry in its own project only. A prebuilt image in another project's repository gets
 * that agent `roles/artifactregistry.reader` on that repository alone (the deploying identity needs to set IAM there).
 */
export function grantPrebuiltImageReader(name: string, args: Pick<CloudRunGcsServiceArgs, "image" | "project">, opts: pulumi.CustomResourceOptions): pulumi.Resource[] {
    const registry = args.image.prebuilt ? artifactRegistryOf(args.image.prebuilt) : undefined;
    if (!registry || registry.project === args.project) return [];
    const { number } = organizations.getProjectOutput({ projectId: args.project }, { parent: opts.parent });
    return [
        new artifactregistry.RepositoryIamMember(
            name,
            {
                project: registry.project,
                location: registry.location,
                repository: registry.repository,
                role: "roles/artifactregistry.reader",
                member: pulumi.interpolate`serviceAccount:service-${number}@serverless-robot-prod.iam.gserviceaccount.com`,
            },
            opts,
        ),
    ];
}
