import { readStackFile } from "../../config/stackFile";

/** A stack file's config with keys of its `multicloud-service:aws` object set, as an edit or an ESC environment would. */
export function withAwsSettings(stack: string, settings: Record<string, unknown>): Record<string, string> {
    const { config } = readStackFile(stack);
    const aws = JSON.parse(config["multicloud-service:aws"]);
    return { ...config, "multicloud-service:aws": JSON.stringify({ ...aws, ...settings }) };
}
