import { OciManifest, OciRepository, blob } from "./ociRegistry";
import { registryJson } from "./ociShapes";

/**
 * An image's `os/architecture`, from the config blob its manifest names (OCI image spec, config.md: both strings), or
 * undefined when the manifest names no config or the config no platform; a config that is not JSON is a
 * MalformedRegistryAnswer naming the image.
 */
export async function configPlatform(repo: OciRepository, manifest: OciManifest): Promise<string | undefined> {
    if (!manifest.config) return undefined;
    const config = registryJson((await blob(repo, manifest.config)).toString("utf8"), `the image config ${repo.host}/${repo.name}@${manifest.config.digest}`) as {
        os?: unknown;
        architecture?: unknown;
    } | null;
    const { os, architecture } = config ?? {};
    return typeof os === "string" && os && typeof architecture === "string" && architecture ? `${os}/${architecture}` : undefined;
}
