import { readStackFile } from "../../config/stackFile";

/** A stack file's config with keys of its `multicloud-service:<section>` object set, as an edit or an ESC environment would. */
export function withSettings(stack: string, section: "aws" | "gcp" | "image" | "release" | "service", settings: Record<string, unknown>): Record<string, string> {
    const { config } = readStackFile(stack);
    const key = `multicloud-service:${section}`;
    return { ...config, [key]: JSON.stringify({ ...JSON.parse(config[key]), ...settings }) };
}

export const withAwsSettings = (stack: string, settings: Record<string, unknown>) => withSettings(stack, "aws", settings);
