import { isPlainObject } from "../../config/plainObject";
import type { OciManifest } from "./ociRegistry";

/**
 * A registry answered 200 with bytes that are not what was asked for: a manifest that is not the OCI image spec's
 * shape, an image config or a token answer that is not JSON (a proxy's HTML page, a registry or a man in the middle
 * serving other bytes). The message names the image (or host) and what was wrong.
 */
export class MalformedRegistryAnswer extends Error {
    name = "MalformedRegistryAnswer";
}

/** `text` as JSON, or a MalformedRegistryAnswer naming `what` (the image and what was read) where it is not JSON. */
export function registryJson(text: string, what: string): unknown {
    try {
        return JSON.parse(text);
    } catch (err) {
        throw new MalformedRegistryAnswer(`${what} is not JSON (${(err as Error).message})`);
    }
}

/**
 * Why `value` is not a descriptor (OCI image spec, descriptor.md: `mediaType` and `digest` strings, `size` a number,
 * `annotations` a string-string map; an index entry's `platform` has string `os` and `architecture`), or undefined.
 */
function descriptorProblem(value: unknown): string | undefined {
    if (!isPlainObject(value)) return `${JSON.stringify(value)} is not a descriptor`;
    if (typeof value.mediaType !== "string" || typeof value.digest !== "string") return `a descriptor has no mediaType or digest string (${JSON.stringify(value).slice(0, 200)})`;
    if (value.size !== undefined && typeof value.size !== "number") return `the descriptor of ${value.digest} has a size that is not a number`;
    const { annotations, platform } = value;
    if (annotations !== undefined && !(isPlainObject(annotations) && Object.values(annotations).every((a) => typeof a === "string"))) {
        return `the annotations of ${value.digest} are not a string-to-string map`;
    }
    if (platform !== undefined && !(isPlainObject(platform) && typeof platform.os === "string" && typeof platform.architecture === "string")) {
        return `the platform of ${value.digest} has no os and architecture strings`;
    }
    return undefined;
}

/**
 * A manifest or index as the OCI image spec shapes it (manifest.md, image-index.md: `config` a descriptor, `layers` and
 * `manifests` lists of descriptors), read from `text`; a MalformedRegistryAnswer naming `where` (the image and
 * reference) and what was wrong where it is not one.
 */
export function ociManifest(text: string, where: string): OciManifest {
    const manifest = registryJson(text, `the manifest of ${where}`);
    const refuse = (why: string) => new MalformedRegistryAnswer(`the manifest of ${where} is not an OCI manifest: ${why}`);
    if (!isPlainObject(manifest)) throw refuse(`it is ${JSON.stringify(manifest).slice(0, 100)}, not a JSON object`);
    if (manifest.mediaType !== undefined && typeof manifest.mediaType !== "string") throw refuse("its mediaType is not a string");
    if (manifest.config !== undefined) {
        const problem = descriptorProblem(manifest.config);
        if (problem) throw refuse(`its config: ${problem}`);
    }
    for (const list of ["layers", "manifests"] as const) {
        const entries = manifest[list];
        if (entries === undefined) continue;
        if (!Array.isArray(entries)) throw refuse(`its ${list} is not a list`);
        const problem = entries.map(descriptorProblem).find((p) => p !== undefined);
        if (problem) throw refuse(`its ${list}: ${problem}`);
    }
    return manifest as OciManifest;
}
