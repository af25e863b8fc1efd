import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as fc from "fast-check";
import { Scalar, isAlias, isCollection, isMap, isScalar, parseDocument, visit } from "yaml";
import * as pulumi from "@pulumi/pulumi";
import { SettingsError, parseStackSettings } from "../../config";
import { readStackFileAt } from "../../config/stackFile";
import { StackFileRefusal } from "../../config/stackFileRefusal";
import { stackDisabledClouds, stackImageWaitMinutes, stackImageWorkflow, stackRegistry, stackReleaseInvokers, stackSigningKey, stackTarget } from "../../deployments/stackTargets";
import { scratchDir } from "../harness/tempDirs";

/**
 * Stack files and Pulumi.yaml as someone writes them by hand, generated as YAML text: every failure must be the
 * readers' own refusal naming the file (StackFileRefusal; deployments/ turns it into a RunError), or the settings'
 * SettingsError, never a TypeError, RangeError or a bare Error from the YAML package. hostile.spec.ts starts below,
 * at parseStackSettings.
 */
const PROJECT = "multicloud-service";

const oddKey = fc.oneof(
    fc.constantFrom("", ":", "::", "aws:", ":x", "constructor", "__proto__", "toString", `${PROJECT}:__proto__`, `${PROJECT}:`, `${PROJECT}:service`, `${PROJECT}:aws`, `${PROJECT}:gcp`, `${PROJECT}:image`, "service", "aws", "gcp", "image", "aws:region", "gcp:project", "gcp:region", "é:ü", "日本:キー", "a.b", "x[0]", "<<"),
    fc.string({ maxLength: 8 }),
);
/** A key as written: JSON is YAML's double-quoted scalar, so any text is a key; a few plain, as people write them. */
const writtenKey = fc.oneof(oddKey.map((k) => JSON.stringify(k)), fc.constantFrom("__proto__", "constructor", "service", "aws:region", "? [a, b]\n   ", "? {a: 1}\n   ", "null", "~", "2024-01-02", "1.5", "1", "TRUE", "0x1F", "'1'"));

const scalar = fc.oneof(
    fc.constantFrom(
        "", "~", "null", "true", "yes", "0", "-0", "010", "0x1F", "-0x1F", "0b-101", "1_000", "1e400", ".5_0", ".inf", "-.Inf", ".nan", "9999999999999999999999", "2024-01-02", "2024-13-45",
        "2024-01-02T03:04:05Z", "2024-01-02 03:04:05", "!!timestamp 2024-01-02", "!!timestamp soon", "!!binary aGVsbG8=", "!!binary '%%'", "!!binary /w==", "!!str 010", "!!int 1.5", "!!int \"010\"",
        "!!float 5", "!!bool yes", "!!null x", "!foo bar", "!!set {a}", "!!omap [a: 1]", "!!pairs [a: 1]", "!!map [1]", "!!seq {a: 1}", "{secure: x}", "{secure: 1}", "{secure: [x]}", "[]", "{}", "'x'",
        "\"\\ud800\"", "*a", "*nope", "&a 1", "&a {b: 1}", "&a [*a]", "&b {c: *b}", "{<<: *a}", "{<<: [*a, {c: 1}]}", "{<<: 1}", "{<<: [1]}", "{'<<': 1}",
    ),
    fc.string({ maxLength: 6 }).map((s) => JSON.stringify(s)),
    fc.double().map(String),
    fc.bigInt().map(String),
    fc.constantFrom(40, 400).map((depth) => "[".repeat(depth) + "]".repeat(depth)),
);
const value: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
    value: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        scalar,
        fc.array(tie("value"), { maxLength: 3 }).map((items) => `[${items.join(", ")}]`),
        fc.array(fc.tuple(writtenKey.filter((k) => !k.startsWith("?")), tie("value")), { maxLength: 3 }).map((pairs) => `{${pairs.map(([k, v]) => `${k}: ${v}`).join(", ")}}`),
        fc.record({ type: fc.constantFrom("string", "integer", "boolean", "array", "object", "number", "[x]", "~"), more: fc.constantFrom("", ", items: {type: string}", ", items: {type: array}", ", items: 5", ", secret: true", ", secret: yes", ", description: 2024-01-02", ", value: 1", ", team: x") })
            .chain(({ type, more }) => tie("value").map((v) => `{type: ${type}, default: ${v}${more}}`)),
    ),
})).value;

/** A document's `config:` (or what stands in its place) and what is around it. */
const document = fc.oneof(
    { weight: 6, arbitrary: fc.tuple(fc.constantFrom("", "base: &a {b: 1}\n", "environment: [dev]\n", "environment: 5\n"), fc.array(fc.tuple(writtenKey, value), { maxLength: 4 })).map(([before, entries]) => `${before}config:\n${entries.map(([k, v]) => `  ${k}: ${v}`).join("\n")}\n`) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom("config: ", "config: &a ", "- ", "", "---\nconfig: {}\n---\n"), value).map(([before, v]) => `${before}${v}\n`) },
);
const projectFile = fc.tuple(fc.constantFrom(`name: ${PROJECT}\n`, "name: [x]\n", "name: ''\n", "", `name: ${PROJECT}\nruntime: nodejs\n`), document);

/** A scratch project: its Pulumi.yaml (none when undefined) and Pulumi.dev.yaml. */
function writeProject(stackText: string, projectText: string | undefined): { root: string; stackFile: string } {
    const root = scratchDir("hostile-yaml");
    if (projectText !== undefined) fs.writeFileSync(path.join(root, "Pulumi.yaml"), projectText);
    const stackFile = path.join(root, "Pulumi.dev.yaml");
    fs.writeFileSync(stackFile, stackText);
    return { root, stackFile };
}

/**
 * Whether the CLI could take the file's shape at all (the oracle for a read that succeeds): its top and its `config:`
 * absent, empty or a mapping, and no key anywhere a sequence, a mapping, or a null, bool or number to yaml.v3
 * (config.Map, yaml.v3 and SimplifyMarshalledProject refuse or misread them; stackConfigShape.ts,
 * yamlCollectionKeys.ts, yamlScalarKeys.ts, yamlTopMapping.ts). Read from the parsed tree, not from the JS value, where the `yaml` package has made the text
 * abc keys 0, 1, 2 and [a, b] the key "[ a, b ]".
 */
function shapeTheCliTakes(text: string): boolean {
    const document = parseDocument(text, { merge: true });
    const written = document.get("config", true);
    const config = isAlias(written) ? written.resolve(document) : written;
    let badKey = false;
    visit(document, {
        Pair: (_, pair) => {
            const key = isAlias(pair.key) ? pair.key.resolve(document) : pair.key;
            badKey ||= isCollection(key) || (isScalar(key) && isGoScalarThatIsNoText(key));
        },
    });
    const top = document.contents;
    const topIsMapping = top === null || isMap(top) || (isScalar(top) && top.value === null);
    return topIsMapping && !badKey && (config === undefined || (isScalar(config) && config.value === null) || isMap(config));
}

/** A key yaml.v3 resolves to null, a bool or a number (resolve.go): unquoted, not !!str, and one of its words or number-like. */
function isGoScalarThatIsNoText(key: Scalar): boolean {
    if (key.type !== Scalar.PLAIN || key.tag === "tag:yaml.org,2002:str") return false;
    const written = String(key.source ?? "");
    if (/^(|~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$/.test(written)) return true;
    return /^[-+]?(0[xob][0-9a-f]+|[0-9_]*\.?[0-9_]+(e[-+]?[0-9]+)?)$/i.test(written) && /[0-9]/.test(written);
}

/** Reading succeeds or is refused with the readers' own error, which names the file it could not take. */
function refusedOrRead(read: () => void): void {
    try {
        read();
    } catch (err) {
        assert.ok(err instanceof StackFileRefusal, `not a StackFileRefusal: ${(err as Error)?.stack ?? String(err)}`);
        assert.match(err.message, /Pulumi(\.dev)?\.yaml/, "the refusal names its file");
    }
}

describe("hostile stack files and Pulumi.yaml, as YAML text (property-based)", () => {
    it("a stack file of any shape, alone, is read or refused naming it, and what it reads is parsed or a SettingsError", () => {
        fc.assert(
            fc.property(document, (text) => {
                const { stackFile } = writeProject(text, undefined);
                refusedOrRead(() => {
                    const { config, secretKeys } = readStackFileAt(stackFile);
                    assert.ok(shapeTheCliTakes(text), `read a config: or a key the Pulumi CLI refuses, as ${JSON.stringify(config)}`);
                    assert.throws(() => parseStackSettings({ values: config, secretKeys: new Set(secretKeys) }, "dev"), SettingsError);
                });
            }),
            { numRuns: 150 },
        );
    });

    it("a Pulumi.yaml of any shape, under a stack file of any shape, is read or refused naming the file", () => {
        fc.assert(
            fc.property(projectFile, document, ([name, projectText], stackText) => {
                const { stackFile } = writeProject(stackText, name + projectText);
                refusedOrRead(() => readStackFileAt(stackFile));
            }),
            { numRuns: 150 },
        );
    });

    it("deployments/'s readers of a stack stop with a RunError naming settings.stacks.<stack>, never another error", () => {
        fc.assert(
            fc.property(document, (text) => {
                const { root } = writeProject(text, `name: ${PROJECT}\n`);
                try {
                    stackTarget("dev", root);
                    for (const read of [stackRegistry, stackReleaseInvokers, stackImageWorkflow, stackDisabledClouds, stackSigningKey, stackImageWaitMinutes]) read("dev", PROJECT, root);
                } catch (err) {
                    assert.ok(err instanceof pulumi.RunError, `not a RunError: ${(err as Error)?.stack ?? String(err)}`);
                    assert.match(err.message, /settings\.stacks\.dev: /);
                }
            }),
            { numRuns: 80 },
        );
    });
});
