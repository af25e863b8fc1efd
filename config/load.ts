import * as pulumi from "@pulumi/pulumi";
import { RawStackConfig, StackSettings, parseStackSettings } from "./parse";

/** The current stack's configuration, straight from the Pulumi runtime. */
export function readStackConfig(): RawStackConfig {
    const values = pulumi.runtime.allConfig();
    // Which keys were set with --secret is only exposed internally; the list lives beside the values.
    const { isConfigSecret } = require("@pulumi/pulumi/runtime/config") as { isConfigSecret: (key: string) => boolean };
    return { values, secretKeys: new Set(Object.keys(values).filter((key) => isConfigSecret(key))) };
}

/** Validated settings of the current stack; throws a SettingsError before anything is registered. */
export function loadStackSettings(): StackSettings {
    return parseStackSettings(readStackConfig(), pulumi.getStack());
}
