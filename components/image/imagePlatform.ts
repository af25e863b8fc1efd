import { OciManifest, OciRepository, blob } from "./ociRegistry";

/**
 * An image's `os/architecture`, from the config blob its manifest names (OCI image spec, config.md), or undefined
 * when the manifest names no config or the config no platform.
 */
export async function configPlatform(repo: OciRepository, manifest: OciManifest): Promise<string | undefined> {
    if (!manifest.config) return undefined;
    const config = JSON.parse((await blob(repo, manifest.config)).toString("utf8")) as { os?: string; architecture?: string };
    return config.os && config.architecture ? `${config.os}/${config.architecture}` : undefined;
}
