import { SettingsProblem, describeValue } from "./errors";
import { isPlainObject } from "./plainObject";

/**
 * Pulumi's autonaming configuration (Pulumi 3.139+; Pulumi docs, "Names", section "Autonaming configuration"). The CLI
 * reads it from the stack's configuration after merging in the stack's ESC environments' `pulumiConfig` and
 * Pulumi.yaml's `config:` (pulumi/pulumi pkg/workspace/config.go mergeConfig; pkg/cmd/pulumi/autonaming/config.go
 * ParseAutonamingConfig), and the program receives the same merged configuration, this key included.
 */
const AUTONAMING_KEY = "pulumi:autonaming";

/**
 * The packages whose resources the programs here leave to autonaming. The engine picks a resource's naming by its
 * package's name (pulumi/pulumi pkg/resource/autonaming/strategy.go, pluginOptionsForResourceType), so another
 * provider's entry (an organization's `azure-native`) names nothing of these programs.
 */
const NAMED_PACKAGES = ["aws", "gcp"];

/**
 * Where a `pulumi:autonaming` value leaves Pulumi's default naming, `<logical name>-` and 7 random characters, for a
 * resource of NAMED_PACKAGES: a `mode` other than `default` or any `pattern`, at the top, for such a provider or for
 * one of its resource types. A level with neither falls back to the level above, and one with either replaces it
 * (pulumi/pulumi pkg/cmd/pulumi/autonaming/config.go, resolveNamingConfig). A value that is not an object is counted
 * whole; the CLI itself refuses it ("invalid autonaming config structure").
 */
function departures(value: unknown): string[] {
    if (!isPlainObject(value)) return [describeValue(value)];
    const found = new Set<string>();
    const level = (naming: unknown, at: string) => {
        if (!isPlainObject(naming)) return;
        if (naming.mode !== undefined && naming.mode !== "default") found.add(`${at}mode ${describeValue(naming.mode)}`);
        if (naming.pattern !== undefined) found.add(`${at}pattern ${describeValue(naming.pattern)}`);
    };
    // A provider's own mode or pattern replaces the top level's for its resources; without either it takes the top's.
    const explicit = (naming: unknown) => isPlainObject(naming) && (naming.mode !== undefined || naming.pattern !== undefined);
    const providers = isPlainObject(value.providers) ? value.providers : {};
    for (const name of NAMED_PACKAGES) {
        const provider = providers[name];
        if (explicit(provider)) level(provider, `providers.${name}.`);
        else level(value, "");
        const resources = isPlainObject(provider) && isPlainObject(provider.resources) ? provider.resources : {};
        for (const [type, naming] of Object.entries(resources)) level(naming, `providers.${name}.resources.${type}.`);
    }
    return [...found];
}

/**
 * `pulumi:autonaming` refused where it changes the names of this program's resources: `reliance` says what of the
 * program was made for the default names. A name with no random part is also the same in every stack of an account or
 * project, and the engine then deletes each resource before its replacement is made (strategy.go: verbatim, disabled,
 * a pattern without randomness).
 */
export function autonamingProblems(values: Readonly<Record<string, string>>, reliance: string): SettingsProblem[] {
    const text = values[AUTONAMING_KEY];
    if (text === undefined) return [];
    let value: unknown = text;
    try {
        value = JSON.parse(text);
    } catch {
        // A plain string: counted whole below.
    }
    const found = departures(value);
    if (found.length === 0) return [];
    return [
        {
            key: AUTONAMING_KEY,
            message:
                `sets ${found.join(", ")}, but this program relies on Pulumi's default autonaming (the logical name, "-" and 7 random characters): ${reliance}. ` +
                `Remove it where it is set: the stack file (pulumi config rm ${AUTONAMING_KEY}), Pulumi.yaml's config, or the pulumiConfig of an ESC environment the stack imports`,
        },
    ];
}
