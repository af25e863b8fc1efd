/** The numbers of Pulumi.yaml's `config:` as the Pulumi CLI reads them (gopkg.in/yaml.v3, cliNumbers.ts). */
import { YAMLMap, isScalar } from "yaml";
import { cliNumber, cliReadsAsFloat, plainScalarText } from "./cliNumbers";
import { visitValueScalars } from "./yamlValueScalars";

/**
 * Sets each number of `config:` to the value yaml.v3 gives it (cliNumber), so that the declarations are checked on
 * what the CLI checks: `default: 1_000` is the integer 1000 there, not the text this reader makes of it.
 */
export function readNumbersAsTheCli(config: YAMLMap, text: string): void {
    visitValueScalars(config, (node) => {
        const written = plainScalarText(node, text);
        const cli = written === undefined ? undefined : cliNumber(written);
        if (typeof cli === "number") node.value = cli;
        else if (cli !== undefined && "text" in cli) node.value = cli.text;
    });
}

const FLOAT_TAG = "tag:yaml.org,2002:float";

/** The entries of `config:` written as a number that yaml.v3 reads as a Go float64 (`1e3`, `2.0`, `!!float 5`), by key. */
export function floatShorthands(config: YAMLMap, text: string): Record<string, string> {
    const floats: Record<string, string> = {};
    for (const { key, value } of config.items) {
        if (!isScalar(key) || !isScalar(value)) continue;
        const written = plainScalarText(value, text);
        if (written === undefined) continue;
        if (cliReadsAsFloat(written)) floats[String(key.value)] = written;
        // yaml.v3 makes a number under !!float a float64 whatever its digits (resolve.go: an int under floatTag is float64(v)).
        else if (value.tag === FLOAT_TAG && typeof cliNumber(written) === "number") floats[String(key.value)] = `!!float ${written}`;
    }
    return floats;
}
