import type { ImageDetail } from "@aws-sdk/client-ecr";
import * as pulumi from "@pulumi/pulumi";
import { configPlatform } from "../image/imagePlatform";
import { UnrunnableImage } from "../image/unrunnableImage";
import { perRun } from "../perRun";
import { isIndexMediaType, manifestByTag } from "../image/ociRegistry";
import type { ImagePlatform } from "../image/types";
import type { LambdaArchitecture } from "./args";
import { awsReadFailure, withClient } from "./awsClient";
import { ecrOciRepository } from "./ecrLogin";
import { answerExcerpt } from "../answerExcerpt";
import { refusal } from "../refusal";
import { isLastingRefusal } from "../lastingRefusal";
import { endpointVariablesNameIt } from "./endpointVariables";

/** The errors ECR's DescribeImages answers for "not there" (ECR API reference, DescribeImages: Errors). */
const NOT_THERE = new Set(["ImageNotFoundException", "RepositoryNotFoundException"]);


export type EcrImageId = { imageTag: string } | { imageDigest: string };

/**
 * One image of a repository as ECR's DescribeImages answers it, or undefined when ECR answers that the image or the
 * repository is not there, decided by the error's name (the SDK's parse of `__type`), never by its message. An
 * answer without an image is neither: ECR throws ImageNotFoundException for an image id it does not hold.
 * Credentials and endpoint come from the SDK's standard chain, as the AWS provider's do.
 */
export async function describeEcrImage(region: string, repositoryName: string, id: EcrImageId, registryId?: string): Promise<ImageDetail | undefined> {
    const { ECRClient, DescribeImagesCommand } = await import("@aws-sdk/client-ecr");
    const image = "imageTag" in id ? `${repositoryName}:${id.imageTag}` : `${repositoryName}@${id.imageDigest}`;
    const answer = await withClient(ECRClient, region, async (client) => {
        try {
            return await client.send(new DescribeImagesCommand({ repositoryName, imageIds: [id], registryId }));
        } catch (err) {
            if (NOT_THERE.has((err as Error).name)) return undefined;
            throw awsReadFailure(`could not describe ${image} in ECR (${region}, DescribeImages)`, err as Error, { service: "ECR", needs: `ecr:DescribeImages on the repository ${repositoryName}`, region });
        }
    });
    if (!answer) return undefined;
    const detail = answer.imageDetails?.[0];
    if (typeof detail !== "object" || detail === null) throw unreadableEcrAnswer(`ECR's DescribeImages answered ${image} (${region}) with no image`, answer.imageDetails);
    // ECR answers the image the id names, under that tag or digest: another's digest or tags would be taken for this one's.
    const isAsked = "imageTag" in id ? Array.isArray(detail.imageTags) && detail.imageTags.includes(id.imageTag) : detail.imageDigest === id.imageDigest;
    if (!isAsked) throw unreadableEcrAnswer(`ECR's DescribeImages answered ${image} (${region}) with an image not under that ${"imageTag" in id ? "tag" : "digest"}`, answer.imageDetails);
    return detail;
}

/** ECR's DescribeImages on its own endpoint answers an image id with its detail or ImageNotFoundException: anything else came from elsewhere. */
function unreadableEcrAnswer(what: string, answered: unknown): Error {
    return refusal(
        `${what} (imageDetails: ${answerExcerpt(answered)}), neither the image asked for nor ImageNotFoundException, so whether the registry holds it is unknown: ` +
            `check that ${endpointVariablesNameIt("ECR")}, then run this again`,
    );
}

/**
 * Whether ECR describes an image index. Lambda runs a single image manifest only: an index (a multi-platform build, or
 * BuildKit's default provenance attestation) fails at CreateFunction/UpdateFunctionCode.
 */
const isIndex = (image: ImageDetail) => isIndexMediaType(image.imageManifestMediaType);

/**
 * An ECR registry's host: `<account>.dkr.ecr.<region>.amazonaws.com` (`.com.cn` in China), the form GetAuthorizationToken
 * answers as its proxyEndpoint (ECR API reference, AuthorizationData). Not the dual-stack `<account>.dkr-ecr.<region>.on.aws`
 * (ECR User Guide, "Making requests to Amazon ECR registries"): no ECR answer names it, and Lambda's image functions are
 * documented on the IPv4 form only.
 */
const ECR_HOST = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

export const isEcrHost = (host: string) => ECR_HOST.test(host);

/** An ECR repository `<host>/<name>`'s registry account and region and its name, or undefined where the host is not ECR's. */
export function ecrRepositoryOf(repository: string): { account: string; region: string; name: string } | undefined {
    const [host, ...path] = repository.split("/");
    const ecr = ECR_HOST.exec(host);
    return ecr && path.length > 0 ? { account: ecr[1], region: ecr[2], name: path.join("/") } : undefined;
}

/** The OCI platform of the images Lambda runs for each architecture setting (an image config's os/architecture). */
export const LAMBDA_PLATFORMS: Record<LambdaArchitecture, ImagePlatform> = { arm64: "linux/arm64", x86_64: "linux/amd64" };

/**
 * Refuses a prebuilt image (`<host>/<repository>@<digest>`) Lambda cannot run, before anything runs it: one ECR
 * describes as an index, which CreateFunction would refuse ("The image manifest, config or layer media type for the
 * source image ... is not supported") after other resources had changed; and one built for another platform than
 * the functions' architecture, which Lambda takes and then fails at every start (Runtime.InvalidEntrypoint, exec
 * format error), read from the image's config through the registry API. ECR is asked in the image's own registry
 * and region. An image it does not hold is left to Lambda with a warning, and so is one it refuses to describe
 * (AccessDenied; any other answer to DescribeImages stops the deployment) or whose config it does not serve.
 */
export async function refuseUnrunnableEcrImage(
    repository: string,
    digest: string,
    architecture: LambdaArchitecture,
    warn: (message: string) => void = (m) => pulumi.log.warn(m),
): Promise<void> {
    const [host, ...path] = repository.split("/");
    const ecr = ECR_HOST.exec(host);
    if (!ecr) return;
    let refused = false;
    const image = await describeEcrImageOnce(ecr[2], path.join("/"), digest, ecr[1]).catch((err: Error) => {
        if (!isLastingRefusal(err)) throw err;
        refused = true;
        warn(`prebuilt image ${repository}@${digest}: ${err.message}, so whether it is one manifest, as Lambda requires, is left to CreateFunction`);
        return undefined;
    });
    // CreateFunction refuses an image its repository does not hold ("Source image ... does not exist. Provide a valid source
    // image.", as aws/aws-cdk#24648 quotes it), after what comes before the functions.
    if (!image && !refused) warn(`prebuilt image ${repository}@${digest}: ECR does not hold it (DescribeImages: ImageNotFoundException or RepositoryNotFoundException), so Lambda's CreateFunction will refuse it: push it there, or name one ECR holds`);
    if (image && isIndex(image)) {
        throw new UnrunnableImage(
            `prebuilt image ${repository}@${digest} is an image index (${image.imageManifestMediaType}), which Lambda does not run: ` +
                "name the digest of the manifest for the functions' platform instead (docker buildx imagetools inspect <image> lists them)",
        );
    }
    if (!image) return;
    // A second check, after the one Lambda's CreateFunction makes too: a config that cannot be read (a refusal, a
    // throttle, the network) or names no platform leaves it to Lambda, with a warning.
    const platform = await prebuiltPlatforms(`${repository}@${digest}`, () => imagePlatform(ecr[2], host, path.join("/"), digest)).catch((err: Error) => {
        warn(`prebuilt image ${repository}@${digest}: its config could not be read from ECR (${err.message}), so whether it is built for ${LAMBDA_PLATFORMS[architecture]} is left to Lambda`);
        return undefined;
    });
    if (platform && platform !== LAMBDA_PLATFORMS[architecture]) {
        throw new UnrunnableImage(
            `prebuilt image ${repository}@${digest} is built for ${platform}, and the functions run on ${LAMBDA_PLATFORMS[architecture]} (architecture ${architecture}): ` +
                `Lambda would take it and fail every start (Runtime.InvalidEntrypoint, exec format error). Name an image built for ${LAMBDA_PLATFORMS[architecture]}, or change the functions' architecture`,
        );
    }
}

/**
 * Images described by digest in this run (describeEcrImageOnce): the program's check and the component's share one
 * reading of a prebuilt image, and the API's and the worker's stable versions (which run one image) one of theirs.
 */
const describedByDigest = perRun<ImageDetail | undefined>();

/** describeEcrImage of one digest, read once a run (a failed read is not kept: perRun). */
export function describeEcrImageOnce(region: string, repositoryName: string, digest: string, registryId?: string): Promise<ImageDetail | undefined> {
    return describedByDigest(`${registryId ?? ""}/${region}/${repositoryName}@${digest}`, () => describeEcrImage(region, repositoryName, { imageDigest: digest }, registryId));
}

/** Prebuilt images' platforms read in this run: the program's check and the component's share one reading. */
const prebuiltPlatforms = perRun<string | undefined>();

/** An image's `os/architecture`, from its config blob, through the registry API with ECR's login in its region. */
async function imagePlatform(region: string, host: string, name: string, digest: string): Promise<string | undefined> {
    const repo = { ...(await ecrOciRepository(region, name)), host };
    const manifest = await manifestByTag(repo, digest);
    return manifest && configPlatform(repo, manifest);
}

/** The digest under a tag, refusing an image Lambda cannot run (an index rather than one manifest). */
export async function ecrDigestOfTag(region: string, repositoryName: string, tag: string): Promise<string | undefined> {
    const image = await describeEcrImage(region, repositoryName, { imageTag: tag });
    if (!image) return undefined;
    if (isIndex(image)) {
        // The program looks up this content tag and no other, and the repository's tags are immutable: the tag has to go
        // before one manifest can be pushed under it.
        throw refusal(
            `${repositoryName}:${tag} is an image index (${image.imageManifestMediaType}), which Lambda does not run: ` +
                `delete it (aws ecr batch-delete-image --region ${region} --repository-name ${repositoryName} --image-ids imageTag=${tag}), ` +
                "then build it again as one manifest (docker buildx build --provenance=false --sbom=false, as `npm run image -- build` and image.yml do)",
        );
    }
    if (!/^sha256:[0-9a-f]{64}$/.test(String(image.imageDigest))) throw unreadableEcrAnswer(`ECR's DescribeImages answered ${repositoryName}:${tag} (${region}) with no sha256 imageDigest`, [image]);
    return image.imageDigest;
}
