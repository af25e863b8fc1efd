import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { contextFiles } from "./buildContext";
import { ImageBuildSpec } from "./types";
import { refusal } from "../refusal";

/** Every content tag starts with this; the registries' cleanup rules match on it. */
export const CONTENT_TAG_PREFIX = "c-";

/**
 * The image tag as a hash of exactly what goes into the image: the files `.dockerignore` lets through (path,
 * executable bit, content), the Dockerfile, the build args and the platform. Anything else (docs, tests,
 * infrastructure code, stack settings) leaves it unchanged, so an unchanged image is never rebuilt or pushed.
 */
export function contentTag(spec: ImageBuildSpec): string {
    const context = path.resolve(spec.context);
    const dockerfile = path.resolve(context, spec.dockerfile ?? "Dockerfile");
    if (!fs.existsSync(dockerfile)) throw refusal(`Dockerfile not found: ${dockerfile}`);

    const hash = createHash("sha256");
    const field = (name: string, value: string | Buffer) => {
        hash.update(`${name}\0${Buffer.byteLength(value)}\0`);
        hash.update(value);
    };
    for (const file of contextFiles(context)) {
        field("path", file.path);
        field("mode", file.executable ? "755" : "644");
        if (file.linkTarget !== undefined) field("link", file.linkTarget);
        else field("content", fs.readFileSync(file.absolutePath));
    }
    // Docker always sends the Dockerfile, even when .dockerignore excludes it.
    field("dockerfile", fs.readFileSync(dockerfile));
    field("platform", spec.platform);
    for (const [key, value] of Object.entries(spec.buildArgs ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
        field("arg", `${key}=${value}`);
    }
    return `${CONTENT_TAG_PREFIX}${hash.digest("hex").slice(0, 24)}`;
}
