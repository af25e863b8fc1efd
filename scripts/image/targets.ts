/**
 * Where a stack's image goes: for each enabled cloud of Pulumi.<stack>.yaml that runs the service from app/, the
 * registry repository, the platform and the content tag that `pulumi up` looks for, from the functions the program
 * uses; and whether the image workflow builds it (a stack with `image.promoteFrom` gets it promoted instead). A stack
 * with `image.registriesOf` has those of that stack.
 */
import * as path from "path";
import { LAMBDA_PLATFORMS } from "../../components/aws/ecrImages";
import { ecrRepositoryName } from "../../components/names";
import { IMAGE_NAME, registryRepositoryId } from "../../components/gcp/imageRegistry";
import { artifactRegistryPath } from "../../components/gcp/imageNames";
import { ImageVerificationPolicy, contentTag } from "../../components/image";
import { COMPONENT_NAMES } from "../../components/names";
import { parseStackSettings } from "../../config/parse";
import { PROJECT } from "../offline/mockCloud";
import { PROJECT_ROOT, readStackFile } from "../../config/stackFile";

export interface ImageTargets {
    stack: string;
    /** The stack this one's images are promoted from; unset: the image workflow builds them. */
    promoteFrom?: string;
    /** What the stack requires of the images it runs (image.verify), which the promotion into it checks too. */
    verify?: ImageVerificationPolicy;
    /**
     * Where image.yml's AWS calls go besides ECR: the signing key (COSIGN_KEY, an AWS KMS alias) is looked up in the
     * stack's aws:region (deployments/signingKeyRegion.ts), also for a stack that builds only the GCP image.
     */
    signingKeyRegion: string;
    aws?: { region: string; repositoryName: string; platform: string; tag: string };
    gcp?: { project: string; region: string; repositoryId: string; repository: string; platform: string; tag: string };
}

export function imageTargets(stack: string): ImageTargets {
    const { config, secretKeys } = readStackFile(stack);
    const settings = parseStackSettings({ values: config, secretKeys: new Set(secretKeys) }, stack);
    const context = path.join(PROJECT_ROOT, "app");
    const verify = settings.image.verify && { ...settings.image.verify, keyRegion: settings.providers["aws:region"] };
    const targets: ImageTargets = { stack, promoteFrom: settings.image.promoteFrom, verify, signingKeyRegion: settings.providers["aws:region"] };
    const registriesOf = settings.image.registriesOf ?? stack;
    if (settings.aws.enabled && !settings.aws.image) {
        const platform = LAMBDA_PLATFORMS[settings.aws.architecture];
        targets.aws = {
            region: settings.providers["aws:region"],
            repositoryName: ecrRepositoryName(PROJECT, registriesOf),
            platform,
            tag: contentTag({ context, platform }),
        };
    }
    if (settings.gcp.enabled && !settings.gcp.image) {
        const region = settings.providers["gcp:region"];
        const project = settings.providers["gcp:project"]!;
        const repositoryId = registryRepositoryId(`${COMPONENT_NAMES.gcp}-registry`, registriesOf);
        targets.gcp = {
            project,
            region,
            repositoryId,
            repository: `${artifactRegistryPath({ region, project, repositoryId })}/${IMAGE_NAME}`,
            platform: "linux/amd64",
            tag: contentTag({ context, platform: "linux/amd64" }),
        };
    }
    return targets;
}

/**
 * `aws_repository_name=...` lines for the image workflow: an empty value means "nothing to build for this cloud",
 * which is every cloud of a stack whose images are promoted. `signing_key_region` is set whenever an image is built,
 * whichever cloud's: every image built is signed with the AWS KMS key.
 */
export function githubOutputLines(t: ImageTargets): string[] {
    const aws = t.promoteFrom ? undefined : t.aws;
    const gcp = t.promoteFrom ? undefined : t.gcp;
    return [
        `signing_key_region=${aws || gcp ? t.signingKeyRegion : ""}`,
        `aws_region=${aws?.region ?? ""}`,
        `aws_repository_name=${aws?.repositoryName ?? ""}`,
        `aws_platform=${aws?.platform ?? ""}`,
        `aws_tag=${aws?.tag ?? ""}`,
        `gcp_repository=${gcp?.repository ?? ""}`,
        `gcp_platform=${gcp?.platform ?? ""}`,
        `gcp_tag=${gcp?.tag ?? ""}`,
    ];
}
