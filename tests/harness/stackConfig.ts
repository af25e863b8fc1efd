import { readStackFile, stackNames } from "../../config/stackFile";

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
