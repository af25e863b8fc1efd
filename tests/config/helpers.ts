import { RawStackConfig, StackSettings, parseStackSettings } from "../../config";
import { configText } from "../../config/configText";
import { SettingsError } from "../../config/errors";
import { readStackFile } from "../../config/stackFile";

type Json = unknown;

/** The dev (or prod) stack file with some values replaced; `undefined` deletes a key. */
export function stackWith(stack: "dev" | "prod", changes: Record<string, (doc: Record<string, Json>) => void> | ((doc: Record<string, any>) => void) = () => {}): RawStackConfig {
    const { config, secretKeys } = readStackFile(stack);
    const doc: Record<string, any> = {};
    for (const [key, text] of Object.entries(config)) {
        try {
            doc[key] = JSON.parse(text);
        } catch {
            doc[key] = text;
        }
    }
    if (typeof changes === "function") changes(doc);
    const values: Record<string, string> = {};
    for (const [key, value] of Object.entries(doc)) {
        if (value !== undefined) values[key] = configText(value);
    }
    return { values, secretKeys: new Set(secretKeys) };
}

export function parse(raw: RawStackConfig, stack = "dev"): StackSettings {
    return parseStackSettings(raw, stack);
}

/** The problems a bad config produces, as `key: message` lines. */
export function problemsOf(raw: RawStackConfig, stack = "dev"): string[] {
    try {
        parseStackSettings(raw, stack);
    } catch (err) {
        if (err instanceof SettingsError) return err.problems.map((p) => `${p.key}: ${p.message}`);
        throw err;
    }
    throw new Error("expected the settings to be rejected, but they were accepted");
}
