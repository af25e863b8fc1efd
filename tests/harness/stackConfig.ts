import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT, readStackFile, stackNames } from "../../config/stackFile";
import { scratchDir } from "./tempDirs";

/** A stack file's config with keys of its `multicloud-service:<section>` object set, as an edit or an ESC environment would. */
export function withSettings(stack: string, section: "aws" | "gcp" | "image" | "release" | "service", settings: Record<string, unknown>): Record<string, string> {
    const { config } = readStackFile(stack);
    const key = `multicloud-service:${section}`;
    return { ...config, [key]: JSON.stringify({ ...JSON.parse(config[key]), ...settings }) };
}

export const withAwsSettings = (stack: string, settings: Record<string, unknown>) => withSettings(stack, "aws", settings);

/**
 * A stack name no stack file of this checkout has, for a spec that adds a stack of its own: README's "Adding an
 * environment" suggests `staging`, so a spec that took `staging` to be absent would fail wherever someone followed it.
 */
export function uncommittedStackName(preferred = "staging"): string {
    const taken = new Set(stackNames());
    let name = preferred;
    for (let i = 2; taken.has(name); i++) name = `${preferred}${i}`;
    return name;
}

/**
 * dev's committed stack file kept where no Pulumi.yaml is, under a name that is not Pulumi.<stack>.yaml, its keys
 * written without the project's namespace (`service:`, as `pulumi config set service ...` writes none) and its AWS
 * memory at `memoryMb`: only this project's Pulumi.yaml keys it as `multicloud-service:service`, as `pulumi up` does.
 */
export function devFileKeptElsewhere(memoryMb: number): string {
    const committed = fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.dev.yaml"), "utf8");
    const text = committed.replace(/^( {2})multicloud-service:/gm, "$1").replace(/^( {4}memoryMb:) \d+$/m, `$1 ${memoryMb}`);
    if (/^ {2}multicloud-service:/m.test(text) || !text.includes(`memoryMb: ${memoryMb}\n`)) throw new Error("Pulumi.dev.yaml no longer holds the keys devFileKeptElsewhere rewrites: update it");
    const file = path.join(scratchDir("stack-file-elsewhere"), "dev-candidate.yaml");
    fs.writeFileSync(file, text);
    return file;
}
