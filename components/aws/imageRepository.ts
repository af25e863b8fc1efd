import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ServiceImage } from "../image";
import { LambdaArchitecture, LambdaEcrPipelineArgs, Tags } from "./args";

const PLATFORMS: Record<LambdaArchitecture, "linux/amd64" | "linux/arm64"> = { x86_64: "linux/amd64", arm64: "linux/arm64" };

/** ECR's lifecycle rules: drop untagged images after a day, keep the newest `imagesToKeep` of the rest. */
export function lifecyclePolicy(imagesToKeep: number) {
    return {
        rules: [
            {
                rulePriority: 1,
                description: "Expire untagged images after a day",
                selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 1 },
                action: { type: "expire" },
            },
            {
                rulePriority: 2,
                description: `Keep the last ${imagesToKeep} images`,
                selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: imagesToKeep },
                action: { type: "expire" },
            },
        ],
    };
}

/**
 * The ECR repository and the service image in it, built for the functions' architecture and pushed with a
 * token from ECR itself (no `docker login` step), or a prebuilt image used as it is.
 */
export function createImageRepository(
    name: string,
    args: Pick<LambdaEcrPipelineArgs, "image" | "architecture" | "imagesToKeep" | "isProduction"> & { tags: Tags },
    parent: pulumi.Resource,
) {
    const repository = new aws.ecr.Repository(
        name,
        {
            imageTagMutability: "IMMUTABLE",
            imageScanningConfiguration: { scanOnPush: true },
            encryptionConfigurations: [{ encryptionType: "KMS" }],
            forceDelete: !args.isProduction,
            tags: args.tags,
        },
        { parent },
    );
    new aws.ecr.LifecyclePolicy(name, { repository: repository.name, policy: JSON.stringify(lifecyclePolicy(args.imagesToKeep)) }, { parent });

    const token = aws.ecr.getAuthorizationTokenOutput({ registryId: repository.registryId }, { parent });
    const source = "prebuilt" in args.image ? args.image : { build: { ...args.image.build, platform: PLATFORMS[args.architecture] } };
    const image = new ServiceImage(
        `${name}-image`,
        {
            source,
            repositoryUrl: repository.repositoryUrl,
            registry: { server: repository.repositoryUrl.apply((url) => url.split("/")[0]), username: token.userName, password: pulumi.secret(token.password) },
        },
        { parent },
    );
    return { repository, image };
}
