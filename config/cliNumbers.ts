import { Document, Pair, Scalar, isPair, visit } from "yaml";

/**
 * Plain numbers in a stack file that the Pulumi CLI reads as another value than this project's offline tools do.
 * The CLI reads YAML with Go's yaml.v3 (gopkg.in/yaml.v3 resolve.go): a plain scalar that starts with a digit or a
 * sign loses its `_`s, then is strconv.ParseInt(text, 0, 64) (a leading 0 is octal, 0b binary, 0o octal, 0x hex, any
 * of them signed or in capitals), ParseUint, and last ParseFloat when it looks like a YAML float. The `yaml` package
 * here reads YAML 1.2's core schema, where 010000 is 10000 and 1_000, 1_0.5, 0b11 and -0x1F are text. The program
 * would run with the CLI's value while the plan and the pull request's cost showed the other, so each is named.
 * Returns one line per such number: its key path, how it is written and what the CLI makes of it.
 */
export function numbersTheCliReadsOtherwise(document: Document, text: string): string[] {
    const found: string[] = [];
    visit(document, {
        Scalar(key, node, ancestors) {
            if ((key !== "value" && typeof key !== "number") || node.type !== Scalar.PLAIN || !node.range) return;
            // yaml.v3 resolves numbers only when the tag is neither !!str nor !!binary (resolve.go): `!!str 010` is text to both.
            if (node.tag === "tag:yaml.org,2002:str" || node.tag === "tag:yaml.org,2002:binary") return;
            const written = text.slice(node.range[0], node.range[1]);
            const cli = cliNumber(written);
            if (cli === undefined || (typeof node.value === "number" && node.value === cli)) return;
            found.push(
                `${keyPath(ancestors, key)} is written ${written}, which the Pulumi CLI reads as ${cli}: write the number you mean in plain decimal digits (no leading 0, 0b, 0o, signed 0x or _), or quote it if it is text`,
            );
        },
    });
    return found;
}

/** What strconv.ParseInt(text, 0, 64) takes: a sign, then a base prefix (any case) or a leading 0 for octal. */
const GO_INTEGER = /^([-+]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|0([0-7]*)|([1-9][0-9]*))$/;
/** yaml.v3's yamlStyleFloat, the shape it hands to strconv.ParseFloat. */
const YAML_STYLE_FLOAT = /^[-+]?(\.\d+|\d+(\.\d*)?)([eE][-+]?\d+)?$/;
const INT64 = { min: -(2n ** 63n), max: 2n ** 63n - 1n };
const UINT64_MAX = 2n ** 64n - 1n;

/**
 * The number yaml.v3 makes of a plain scalar, or undefined when it is not one (text, a timestamp, or a scalar that
 * does not start with a digit or a sign: those read alike in both).
 */
function cliNumber(written: string): number | undefined {
    if (!/^[-+0-9]/.test(written)) return undefined;
    const plain = written.replace(/_/g, "");
    const integer = GO_INTEGER.exec(plain);
    if (integer) {
        const [, sign, hex, octal, binary, leadingZeroOctal, decimal] = integer;
        const digits = hex !== undefined ? `0x${hex}` : octal !== undefined ? `0o${octal}` : binary !== undefined ? `0b${binary}` : leadingZeroOctal !== undefined ? `0o${leadingZeroOctal || "0"}` : decimal;
        const value = sign === "-" ? -BigInt(digits) : BigInt(digits);
        // ParseUint takes no sign: a signed number out of int64's range goes on to the float parse.
        if ((value >= INT64.min && value <= INT64.max) || (sign === "" && value <= UINT64_MAX)) return Number(value);
    }
    return YAML_STYLE_FLOAT.test(plain) ? Number(plain) : undefined;
}

/** The key path of a value in the stack file, from under `config:` (`multicloud-service:service.cache.maxEntries`). */
function keyPath(ancestors: readonly unknown[], last: number | "key" | "value" | null): string {
    const keys = ancestors.filter(isPair).map((pair) => String((pair as Pair<Scalar>).key?.value));
    const path = (keys[0] === "config" ? keys.slice(1) : keys).join(".");
    return typeof last === "number" ? `${path}[${last}]` : path;
}
