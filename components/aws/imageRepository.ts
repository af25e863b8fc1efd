import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ImageLookup, ServiceImage, digestOf, imageChoice, unlessNotFound } from "../image";
import { LambdaArchitecture, LambdaEcrPipelineArgs, Tags } from "./args";

const PLATFORMS: Record<LambdaArchitecture, "linux/amd64" | "linux/arm64"> = { x86_64: "linux/amd64", arm64: "linux/arm64" };

/**
 * ECR's lifecycle rules. ECR evaluates rules by priority, and an image that matches the tag selection of a
 * rule can never be expired by a rule of lower priority, even when it has other tags. So the rollback target
 * (the image the stable Lambda version runs) gets the first rule, one that matches its tag and never expires
 * anything (one image, kept while more than one matches); then untagged images go after a day, and of the rest
 * the newest `imagesToKeep` stay. `tagStatus: any` must be the last rule.
 */
export function lifecyclePolicy(imagesToKeep: number, protectedTag?: string) {
    const rules: object[] = [];
    if (protectedTag) {
        rules.push({
            rulePriority: 1,
            description: `Keep the rollback target: the image of the stable version (${protectedTag})`,
            selection: { tagStatus: "tagged", tagPatternList: [protectedTag], countType: "imageCountMoreThan", countNumber: 1 },
            action: { type: "expire" },
        });
    }
    rules.push(
        {
            rulePriority: rules.length + 1,
            description: "Expire untagged images after a day",
            selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 1 },
            action: { type: "expire" },
        },
        {
            rulePriority: rules.length + 2,
            description: `Keep the last ${imagesToKeep} images`,
            selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: imagesToKeep },
            action: { type: "expire" },
        },
    );
    return { rules };
}

/** Asks ECR for a tag of the repository; a missing tag or repository is "not there", anything else fails. */
export function ecrLookup(repositoryName: string, region: string, parent: pulumi.Resource): ImageLookup {
    return {
        description: `ECR repository ${repositoryName} (${region})`,
        findDigest: (tag) => unlessNotFound(async () => (await aws.ecr.getImage({ repositoryName, imageTag: tag }, { parent })).imageDigest),
    };
}

/**
 * The ECR repository and the service image in it: the image of the source's content tag (looked up, built only
 * when missing), for the functions' architecture, pushed with a token from ECR itself; or a prebuilt image.
 * The repository's name is fixed (`<project>-<stack>`) so that the image workflow can push to it by name.
 */
export function createImageRepository(
    name: string,
    args: Pick<LambdaEcrPipelineArgs, "environment" | "image" | "architecture" | "imagesToKeep" | "isProduction" | "imageWaitMinutes"> & {
        tags: Tags;
        region: string;
    },
    parent: pulumi.Resource,
) {
    const repositoryName = ecrRepositoryName(pulumi.getProject(), args.environment);
    const repository = new aws.ecr.Repository(
        name,
        {
            name: repositoryName,
            imageTagMutability: "IMMUTABLE",
            imageScanningConfiguration: { scanOnPush: true },
            encryptionConfigurations: [{ encryptionType: "KMS" }],
            forceDelete: !args.isProduction,
            tags: args.tags,
        },
        { parent, protect: args.isProduction },
    );

    const token = aws.ecr.getAuthorizationTokenOutput({ registryId: repository.registryId }, { parent });
    const source = imageChoice(args.image, PLATFORMS[args.architecture as LambdaArchitecture]);
    const image = new ServiceImage(
        `${name}-image`,
        {
            source,
            repositoryUrl: repository.repositoryUrl,
            registry: { server: repository.repositoryUrl.apply((url) => url.split("/")[0]), username: token.userName, password: pulumi.secret(token.password) },
            lookup: ecrLookup(repositoryName, args.region, parent),
            repository,
            waitMinutes: args.imageWaitMinutes ?? 20,
        },
        { parent },
    );
    return { repository, repositoryName, image };
}

/** The ECR repository of a stack: `<project>-<stack>`, known without asking AWS (the image workflow pushes to it). */
export function ecrRepositoryName(project: string, environment: string): string {
    return `${project}-${environment}`.toLowerCase();
}

/**
 * The tag of the image a published Lambda version runs, so the lifecycle policy can keep it while that version
 * is the rollback target. Versions run images by digest; ECR gives the digest's tags.
 */
export function imageTagOfVersion(functionName: pulumi.Output<string>, version: string, repositoryName: string, parent: pulumi.Resource): pulumi.Output<string | undefined> {
    return functionName.apply(async (fn) => {
        const found = await unlessNotFound(async () => {
            const { imageUri } = await aws.lambda.getFunction({ functionName: fn, qualifier: version }, { parent });
            const digest = digestOf(imageUri);
            if (!digest) return { tag: /:([^:/@]+)$/.exec(imageUri)?.[1] };
            const image = await aws.ecr.getImage({ repositoryName, imageDigest: digest }, { parent });
            return { tag: image.imageTags[0] };
        });
        if (!found) pulumi.log.warn(`stable version ${version} of ${fn} or its image was not found: no image is held back for a rollback to it`, parent);
        return found?.tag;
    });
}
