/**
 * Where a stack's image goes: for each enabled cloud of Pulumi.<stack>.yaml that builds from app/, the registry
 * repository, the platform and the content tag that `pulumi up` looks for, from the functions the program uses.
 */
import * as path from "path";
import { ecrRepositoryName } from "../../components/aws/imageRepository";
import { IMAGE_NAME, registryRepositoryId } from "../../components/gcp/imageRegistry";
import { contentTag } from "../../components/image";
import { COMPONENT_NAMES } from "../../components/names";
import { parseStackSettings } from "../../config/parse";
import { PROJECT } from "../offline/mockCloud";
import { PROJECT_ROOT, readStackFile } from "../offline/stackFile";

export interface ImageTargets {
    stack: string;
    aws?: { region: string; repositoryName: string; platform: string; tag: string };
    gcp?: { repository: string; platform: string; tag: string };
}

export function imageTargets(stack: string): ImageTargets {
    const { config, secretKeys } = readStackFile(stack);
    const settings = parseStackSettings({ values: config, secretKeys: new Set(secretKeys) }, stack);
    const context = path.join(PROJECT_ROOT, "app");
    const targets: ImageTargets = { stack };
    if (settings.aws.enabled && !settings.aws.image) {
        const platform = settings.aws.architecture === "arm64" ? "linux/arm64" : "linux/amd64";
        targets.aws = {
            region: settings.providers["aws:region"],
            repositoryName: ecrRepositoryName(PROJECT, stack),
            platform,
            tag: contentTag({ context, platform }),
        };
    }
    if (settings.gcp.enabled && !settings.gcp.image) {
        const region = settings.providers["gcp:region"];
        const repositoryId = registryRepositoryId(`${COMPONENT_NAMES.gcp}-registry`, stack);
        targets.gcp = {
            repository: `${region}-docker.pkg.dev/${settings.providers["gcp:project"]}/${repositoryId}/${IMAGE_NAME}`,
            platform: "linux/amd64",
            tag: contentTag({ context, platform: "linux/amd64" }),
        };
    }
    return targets;
}

/** `aws_repository_name=...` lines: an empty value means "nothing to push for this cloud". */
export function githubOutputLines(t: ImageTargets): string[] {
    return [
        `aws_region=${t.aws?.region ?? ""}`,
        `aws_repository_name=${t.aws?.repositoryName ?? ""}`,
        `aws_platform=${t.aws?.platform ?? ""}`,
        `aws_tag=${t.aws?.tag ?? ""}`,
        `gcp_repository=${t.gcp?.repository ?? ""}`,
        `gcp_platform=${t.gcp?.platform ?? ""}`,
        `gcp_tag=${t.gcp?.tag ?? ""}`,
    ];
}
