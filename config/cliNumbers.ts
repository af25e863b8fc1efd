import { Document, Node, Scalar } from "yaml";
import { visitValueScalars } from "./yamlValueScalars";

/**
 * Plain numbers in a stack file that the Pulumi CLI reads as another value than this project's offline tools do.
 * The CLI reads YAML with Go's yaml.v3 (gopkg.in/yaml.v3 resolve.go): a plain scalar that starts with a digit or a
 * sign loses its `_`s, then is strconv.ParseInt(text, 0, 64) (a leading 0 is octal, 0b binary, 0o octal, 0x hex, any
 * of them signed or in capitals), ParseUint, and last ParseFloat when it looks like a YAML float. The `yaml` package
 * here reads YAML 1.2's core schema, where 010000 is 10000 and 1_000, 1_0.5, 0b11 and -0x1F are text. The program
 * would run with the CLI's value while the plan and the pull request's cost showed the other, so each is named.
 * Returns one line per such number: its key path, how it is written and what the CLI makes of it. `valuesReadAsTheCli`:
 * the caller sets each number to the CLI's (projectConfigNumbers.ts), so a tagged one written as that number is read alike.
 */
export function numbersTheCliReadsOtherwise(document: Document | Node, text: string, { valuesReadAsTheCli = false } = {}): string[] {
    const found: string[] = [];
    visitValueScalars(document, (node, keyPath) => {
        const written = plainScalarText(node, text);
        if (written === undefined) return;
        const cli = cliNumber(written);
        // `!!float 5` is the text 5 here (the tag does not resolve): a misread unless the caller takes the CLI's number.
        const sameNumber = typeof cli === "number" && (node.value === cli || (valuesReadAsTheCli && written === String(cli)));
        if (cli === undefined || sameNumber) return;
        const path = keyPath();
        if (typeof cli === "object" && "refused" in cli) {
            found.push(`${path} is written ${written}, which the Pulumi CLI refuses (json: unsupported value: ${cli.refused}): a setting cannot be infinite or not a number`);
            return;
        }
        const reads = typeof cli === "number" ? cli : `the text "${cli.text}"`;
        found.push(
            `${path} is written ${written}, which the Pulumi CLI reads as ${reads}: write the number you mean in plain decimal digits (no leading 0, 0b, 0o, signed 0x or _), or quote it if it is text`,
        );
    });
    return found;
}

/**
 * How a scalar yaml.v3 resolves is written: a plain one, or a quoted one under a tag; undefined where yaml.v3 reads
 * it as text whatever it holds (quoted without a tag, or !!str).
 */
export function plainScalarText(node: Scalar, text: string): string | undefined {
    if (!node.range) return undefined;
    // yaml.v3 resolves numbers only when the tag is neither !!str nor !!binary (resolve.go): `!!str 010` is text to both.
    if (node.tag === "tag:yaml.org,2002:str" || node.tag === "tag:yaml.org,2002:binary") return undefined;
    if (node.type === Scalar.PLAIN) return text.slice(node.range[0], node.range[1]);
    // Only an untagged quoted scalar is text (yaml.go indicatedString): `!!int "010"` resolves as 010 does, to 8.
    return node.tag ? node.source : undefined;
}

/** What strconv.ParseInt(text, 0, 64) takes: a sign, then a base prefix (any case) or a leading 0 for octal. */
const GO_INTEGER = /^([-+]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|0([0-7]*)|([1-9][0-9]*))$/;
/** yaml.v3's yamlStyleFloat, the shape it hands to strconv.ParseFloat. */
const YAML_STYLE_FLOAT = /^[-+]?(\.\d+|\d+(\.\d*)?)([eE][-+]?\d+)?$/;
const INT64 = { min: -(2n ** 63n), max: 2n ** 63n - 1n };
const UINT64_MAX = 2n ** 64n - 1n;

/** yaml.v3's resolve table (resolve.go init): the infinities and NaNs it looks up before any parse. */
const GO_SPECIAL_FLOATS: Record<string, string> = Object.fromEntries([
    ...[".nan", ".NaN", ".NAN"].map((s) => [s, "NaN"]),
    ...[".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"].map((s) => [s, "+Inf"]),
    ...["-.inf", "-.Inf", "-.INF"].map((s) => [s, "-Inf"]),
]);

/**
 * What yaml.v3 makes of a plain scalar: a number, text where its float parse overflows, refused where the CLI cannot
 * hand the value on; undefined when it is not a number (text, a timestamp, or a scalar that does not start with a
 * digit, a sign or a dot: those read alike in both).
 */
export function cliNumber(written: string): number | { text: string } | { refused: string } | undefined {
    // resolve.go looks the scalar up in its map first; the CLI then makes every value JSON (pulumi/pulumi
    // sdk/go/common/resource/config/object.go, MarshalString → json.Marshal), which refuses ±Inf and NaN.
    if (written in GO_SPECIAL_FLOATS) return { refused: GO_SPECIAL_FLOATS[written] };
    return goInteger(written) ?? goFloatOf(written);
}

/** Whether yaml.v3 reads a plain scalar as a Go float64 (not an int, not text): `1e3`, `2.0`, `.5`, `1_0.5`. */
export function cliReadsAsFloat(written: string): boolean {
    return !(written in GO_SPECIAL_FLOATS) && goInteger(written) === undefined && typeof goFloatOf(written) === "number";
}

/** yaml.v3's integer parses (resolve.go): ParseInt(plain, 0, 64), ParseUint, then a signed number after 0b or 0o. */
function goInteger(written: string): number | undefined {
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
    // resolve.go's last tries, after the float parse (which takes neither form): strconv.ParseInt(plain[2:], 2 or 8, 64)
    // after a lowercase 0b or 0o, where Go's base-2/8 parse takes a sign: 0b-101 is -5 and 0o+17 is 15 there.
    const signedAfterPrefix = /^0([bo])([-+])([0-7]+)$/.exec(plain);
    if (signedAfterPrefix && (signedAfterPrefix[1] === "o" || /^[01]+$/.test(signedAfterPrefix[3]))) {
        const [, base, sign, digits] = signedAfterPrefix;
        const value = BigInt(`0${base}${digits}`) * (sign === "-" ? -1n : 1n);
        // Its ParseUint(plain[2:], …) fallback takes no sign, so only int64's range.
        if (value >= INT64.min && value <= INT64.max) return Number(value);
    }
    return undefined;
}

/** yaml.v3's float parse: a scalar starting with a dot as written (Go takes _ between digits), else yamlStyleFloat. */
function goFloatOf(written: string): number | { text: string } | undefined {
    if (written.startsWith(".")) return /^\.\d+(_\d+)*([eE][-+]?\d+(_\d+)*)?$/.test(written) ? goFloat(written.replace(/_/g, ""), written) : undefined;
    if (!/^[-+0-9]/.test(written)) return undefined;
    const plain = written.replace(/_/g, "");
    return YAML_STYLE_FLOAT.test(plain) ? goFloat(plain, written) : undefined;
}

/** strconv.ParseFloat(text, 64): out of float64's range it fails (ErrRange), and yaml.v3 keeps the scalar as text. */
function goFloat(digits: string, written: string): number | { text: string } {
    const value = Number(digits);
    return Number.isFinite(value) ? value : { text: written };
}

