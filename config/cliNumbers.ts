import { Document, Pair, Scalar, isPair, visit } from "yaml";

/**
 * Plain numbers in a stack file that the Pulumi CLI reads as another value than this project's offline tools do.
 * The CLI reads YAML with Go's yaml.v3, which resolves a plain integer with strconv.ParseInt(text without `_`, base 0)
 * (gopkg.in/yaml.v3 resolve.go): a leading 0 makes it octal (010000 is 4096), 0b binary, and `_` is dropped; the `yaml`
 * package here reads YAML 1.2's core schema, where 010000 is 10000 and 1_000 and 0b11 are text. The program would
 * run with the CLI's value while the plan and the pull request's cost showed the other, so each is named instead.
 * Returns one line per such number: its key path, how it is written and what the CLI makes of it.
 */
export function numbersTheCliReadsOtherwise(document: Document, text: string): string[] {
    const found: string[] = [];
    visit(document, {
        Scalar(key, node, ancestors) {
            if ((key !== "value" && typeof key !== "number") || node.type !== Scalar.PLAIN || !node.range) return;
            const written = text.slice(node.range[0], node.range[1]);
            const cli = cliInteger(written);
            if (cli === undefined || String(cli) === String(node.value)) return;
            found.push(`${keyPath(ancestors, key)} is written ${written}, which the Pulumi CLI reads as ${cli}: write the number you mean in plain digits (no leading 0, 0b or _), or quote it if it is text`);
        },
    });
    return found;
}

/**
 * What yaml.v3 makes of a plain scalar that is an integer to Go but not plain decimal digits here, else undefined:
 * 0b binary, a leading 0 with octal digits only (0189 fails Go's octal parse and falls back to the float 189, as it
 * reads here), and digits with `_`.
 */
function cliInteger(written: string): bigint | undefined {
    const plain = written.replace(/_/g, "");
    const sign = /^[-+]/.test(plain) ? plain[0] : "";
    const digits = plain.slice(sign.length);
    let magnitude: bigint;
    if (/^0b[01]+$/.test(digits)) magnitude = BigInt(digits);
    else if (/^0[0-7]+$/.test(digits)) magnitude = BigInt(`0o${digits.slice(1)}`);
    else if (/^[0-9]+$/.test(digits) && plain !== written) magnitude = BigInt(digits);
    else return undefined;
    return sign === "-" ? -magnitude : magnitude;
}

/** The key path of a value in the stack file, from under `config:` (`multicloud-service:service.cache.maxEntries`). */
function keyPath(ancestors: readonly unknown[], last: number | "key" | "value" | null): string {
    const keys = ancestors.filter(isPair).map((pair) => String((pair as Pair<Scalar>).key?.value));
    const path = (keys[0] === "config" ? keys.slice(1) : keys).join(".");
    return typeof last === "number" ? `${path}[${last}]` : path;
}
