import * as ecr from "@pulumi/aws/ecr";
import * as pulumi from "@pulumi/pulumi";
import { CONTENT_TAG_PREFIX, ImageLookup, OciRepository, ServiceImage, digestOf, imageChoice, imagePusher } from "../image";
import { LambdaArchitecture, LambdaEcrPipelineArgs, Tags } from "./args";
import { LAMBDA_PLATFORMS, describeEcrImageOnce, ecrDigestOfTag, isEcrHost, refuseUnrunnableEcrImage } from "./ecrImages";
import { ecrOciRepository } from "./ecrLogin";
import { ecrScanner } from "./ecrScanFindings";
import { usableStableVersion } from "./stableVersions";
import { ecrRepositoryName } from "../names";
import { refusal } from "../refusal";

/** The tags cosign writes beside an image (sigstore/cosign specs/SIGNATURE_SPEC.md, tag-based discovery). */
export const COSIGN_TAG_FILTERS = [
    { filter: "sha256-*.sig", filterType: "WILDCARD" },
    { filter: "sha256-*.att", filterType: "WILDCARD" },
];

/**
 * ECR's lifecycle rules. An image is decided by the first rule, by priority, that selects it: a rule of lower
 * priority never expires it, even when it has other tags, but still counts it (ECR User Guide, "Lifecycle policy
 * evaluation rules": rules "can still identify them as if they haven't been expired"). So each image to keep (the
 * one this deployment runs, and the rollback target: the image of the stable Lambda version) gets a rule of its own
 * that selects its tag and never expires anything (one image matches, and the rule expires only beyond one); then
 * cosign's signature and attestation artifacts (`sha256-*.sig` / `.att`, two per image) have a rule of their own: the
 * newest two per image kept stay; then untagged images go after a day; and of the content-tagged builds the newest
 * `imagesToKeep` stay. That last rule selects content tags, not `tagStatus: any`, which would count every build's
 * two cosign artifacts too and keep a third as many builds. (One rule per tag: a rule with several tag patterns
 * selects only images that carry all of them.)
 */
export function lifecyclePolicy(imagesToKeep: number, keep: { tag: string; why: string; digest?: string }[] = []) {
    const rules: object[] = [];
    const unique = keep.filter((k, i) => keep.findIndex((o) => o.tag === k.tag) === i);
    for (const { tag, why } of unique) {
        rules.push({
            rulePriority: rules.length + 1,
            description: `Keep ${why} (${tag})`,
            selection: { tagStatus: "tagged", tagPatternList: [tag], countType: "imageCountMoreThan", countNumber: 1 },
            action: { type: "expire" },
        });
    }
    // Their signatures and attestations, which the next `pulumi up` of a stack with image.verify checks again.
    for (const { why, digest } of unique.filter((k) => k.digest)) {
        rules.push({
            rulePriority: rules.length + 1,
            description: `Keep the signature and attestations of ${why}`,
            selection: { tagStatus: "tagged", tagPatternList: [`${digest!.replace(":", "-")}.*`], countType: "imageCountMoreThan", countNumber: 2 },
            action: { type: "expire" },
        });
    }
    const kept = imagesToKeep + unique.length;
    rules.push({
        rulePriority: rules.length + 1,
        description: `Keep the signatures and attestations of ${kept} images`,
        selection: { tagStatus: "tagged", tagPatternList: ["sha256-*"], countType: "imageCountMoreThan", countNumber: 2 * kept },
        action: { type: "expire" },
    });
    rules.push(
        {
            rulePriority: rules.length + 1,
            description: "Expire untagged images after a day",
            selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 1 },
            action: { type: "expire" },
        },
        {
            rulePriority: rules.length + 2,
            description: `Keep the last ${imagesToKeep} builds`,
            selection: { tagStatus: "tagged", tagPatternList: [`${CONTENT_TAG_PREFIX}*`], countType: "imageCountMoreThan", countNumber: imagesToKeep },
            action: { type: "expire" },
        },
    );
    return { rules };
}

/**
 * A prebuilt image's ECR repository, read through the registry API. ECR's authorization token opens every registry the
 * principal may read, another account's included; it goes to ECR's hosts only, and Lambda runs images from nowhere else.
 */
export function ecrPrebuiltRepository(region: string): (host: string, name: string) => Promise<OciRepository> {
    return async (host, name) => {
        if (!isEcrHost(host)) throw refusal(`prebuilt image ${host}/${name} is not in Amazon ECR (<account>.dkr.ecr.<region>.amazonaws.com), the only registry Lambda runs images from: push it to ECR and name it there`);
        return { ...(await ecrOciRepository(region, name)), host };
    };
}

/** Asks ECR (DescribeImages) for a tag of the repository; "not there" is decided by ECR's error code. */
export function ecrLookup(repositoryName: string, region: string, architecture: LambdaArchitecture = "arm64"): ImageLookup {
    return {
        description: `ECR repository ${repositoryName} (${region})`,
        findDigest: (tag) => ecrDigestOfTag(region, repositoryName, tag),
        repository: () => ecrOciRepository(region, repositoryName),
        prebuiltRepository: ecrPrebuiltRepository(region),
        checkPrebuilt: (repository, digest) => refuseUnrunnableEcrImage(repository, digest, architecture),
        scanner: ecrScanner(region, repositoryName),
    };
}

/**
 * The ECR repository and the service image in it: the image of the source's content tag for the functions'
 * architecture, as the image workflow or a promotion pushed it (`pulumi up` never builds), or a prebuilt image.
 * The repository's name is fixed (`<project>-<stack>`) so that the image workflow can push to it by name. With
 * `imageRegistriesOf` the stack has no repository: the image is the one of the same tag in that stack's.
 */
export function createImageRepository(
    name: string,
    args: Pick<
        LambdaEcrPipelineArgs,
        "environment" | "image" | "architecture" | "imagesToKeep" | "isProduction" | "imageWaitMinutes" | "imagePromotedFrom" | "imageRegistriesOf" | "imageVerification"
    > & {
        tags: Tags;
        region: string;
        accountId: pulumi.Output<string>;
    },
    parent: pulumi.Resource,
) {
    const repositoryName = ecrRepositoryName(pulumi.getProject(), args.imageRegistriesOf ?? args.environment);
    const repository = args.imageRegistriesOf
        ? undefined
        : new ecr.Repository(
              name,
              {
                  name: repositoryName,
                  // Content tags never move; cosign's `sha256-<digest>.sig` / `.att` do by design (each `cosign attest` adds a
                  // layer to the same tag), so only those are excluded (image.yml attests provenance, then the SBOM).
                  imageTagMutability: "IMMUTABLE_WITH_EXCLUSION",
                  imageTagMutabilityExclusionFilters: COSIGN_TAG_FILTERS,
                  imageScanningConfiguration: { scanOnPush: true },
                  encryptionConfigurations: [{ encryptionType: "KMS" }],
                  forceDelete: !args.isProduction,
                  tags: args.tags,
              },
              { parent, protect: args.isProduction },
          );
    const repositoryUrl = repository?.repositoryUrl ?? args.accountId.apply((id) => `${ecrRegistryHost(id, args.region)}/${repositoryName}`);

    const source = imageChoice(args.image, LAMBDA_PLATFORMS[args.architecture as LambdaArchitecture]);
    const image = new ServiceImage(
        `${name}-image`,
        {
            source,
            repositoryUrl,
            lookup: ecrLookup(repositoryName, args.region, args.architecture as LambdaArchitecture),
            ready: repository ? [repository.repositoryUrl] : [],
            waitMinutes: args.imageWaitMinutes ?? 20,
            pushedBy: imagePusher({ promotedFrom: args.imagePromotedFrom, registriesOf: args.imageRegistriesOf }),
            verify: args.imageVerification,
        },
        { parent },
    );
    return { repository, repositoryName, repositoryUrl, image };
}

/**
 * One tag of an image's several, the same on every run: its content tag where it has one, else the first in order.
 * DescribeImages promises no order for imageTags (ECR API reference, ImageDetail), and the lifecycle policy that names
 * the tag is replaced whenever its text changes (terraform-provider-aws ecr/lifecycle_policy.go: `policy` ForceNew),
 * so a tag taken as listed could replace the policy on any run and show as a change in every preview.
 */
function steadyTag(tags: string[] = []): string | undefined {
    const sorted = [...tags].sort();
    return sorted.find((t) => t.startsWith(CONTENT_TAG_PREFIX)) ?? sorted[0];
}

/** An account's ECR registry host in a region. */
export const ecrRegistryHost = (accountId: string, region: string) => `${accountId}.dkr.ecr.${region}.amazonaws.com`;

/**
 * The tag of the image a published Lambda version runs, so the lifecycle policy can keep it while that version
 * is the rollback target. Versions run images by digest; ECR gives the digest's tags. An image that is not there, or
 * one there without a tag (an index's image), holds nothing back (a warning says which). A stable version a rollback
 * cannot take (usableStableVersion: one the function does not have, or Lambda reports Failed) stops the deployment
 * before the policy is written, with the refusal that stops its alias. Any other failure stops it too. `setting` names
 * the key the version came from: the API's aws.canary.stableVersion, or the worker's release.workerStableVersion, whose
 * alias is a rollback target of its own.
 */
export function imageTagOfVersion(
    functionName: pulumi.Output<string>,
    version: string,
    repositoryName: string,
    region: string,
    parent: pulumi.Resource,
    setting = "aws.canary.stableVersion",
): pulumi.Output<string | undefined> {
    return functionName.apply(async (fn) => {
        const imageUri = (await usableStableVersion(region, fn, version, setting, parent)).image;
        const digest = digestOf(imageUri);
        // Read once a run: the API's and the worker's stable versions run one image (aliasVersionOnceStableImagesMatch),
        // and each keeps it by its tags.
        const image = digest ? await describeEcrImageOnce(region, repositoryName, digest) : undefined;
        const tag = digest ? steadyTag(image?.imageTags) : /:([^:/@]+)$/.exec(imageUri)?.[1];
        // The lifecycle policy keeps images by tag; an index's images, or an image whose tags were removed, have none.
        if (!image && !tag) pulumi.log.warn(`the image of stable version ${version} of ${fn} is not in ${repositoryName}: no image is held back for a rollback to it`, parent);
        else if (image && !tag) {
            pulumi.log.warn(
                `the image of stable version ${version} of ${fn} (${digest}) has no tag in ${repositoryName}, and the lifecycle policy keeps images by tag: no image is held back for a rollback to it. ` +
                    `Tag it (ECR User Guide, "Retagging an image") and run \`pulumi up\` again to keep it`,
                parent,
            );
        }
        return tag;
    });
}
