import * as assert from "assert";
import { projectSettingsSchema, providerSettingsSchema } from "../../config/schema";
import { parse as parseYaml } from "yaml";
import { readStackFile } from "../../config/stackFile";
import { readmeTableRows } from "../harness/readmeTable";
import { regExpText } from "../harness/regExpText";
import { parseStackSettings } from "../../config";
import { SettingsError } from "../../config/errors";
import { readProjectFile } from "../docs/docReferences";
import { stackWith } from "./helpers";

/**
 * Each leaf key of a zod object schema (down to arrays and scalars, through optional/default/prefault/nullable/readonly
 * wrappers), with the default zod fills in for it (undefined where the key is required, optional or computed in code).
 */
function leafDefaults(schema: any, prefix = "", fallback?: unknown): [string, unknown][] {
    const def = schema?._zod?.def;
    if (def && ["default", "prefault"].includes(def.type)) return leafDefaults(def.innerType, prefix, def.defaultValue);
    if (def && ["optional", "nullable", "readonly"].includes(def.type)) return leafDefaults(def.innerType, prefix, fallback);
    if (def?.type === "object") return Object.entries(def.shape).flatMap(([key, value]) => leafDefaults(value, prefix ? `${prefix}.${key}` : key));
    return [[prefix, fallback]];
}

/** One row of the README's settings table: the keys it names, and its Default, dev and prod cells. */
interface SettingsRow {
    keys: string[];
    cells: { default: string; dev: string; prod: string };
}

/**
 * The README's settings table, a row per setting or per group of settings (`a.b` / `a.c`, or `a.b` / `.c` for a
 * sibling), its keys without the project's namespace.
 */
function readmeRows(): SettingsRow[] {
    // A bold first cell (**`multicloud-service:aws`**) heads a group of rows; it is no setting of its own.
    return readmeTableRows("| Key | Meaning | Default | dev | prod |", "the settings table").filter((cells) => !cells[0].startsWith("**")).map((cells) => {
        const names = [...cells[0].matchAll(/`([^`]+)`/g)].map((m) => m[1]);
        const first = names[0].replace(/^multicloud-service:/, "");
        const parent = first.slice(0, first.lastIndexOf("."));
        const keys = names.map((name, i) => (i === 0 ? first : name.startsWith(".") ? `${parent}${name}` : name.replace(/^multicloud-service:/, "")));
        return { keys, cells: { default: cells[2], dev: cells[3], prod: cells[4] } };
    });
}

/** The leaf keys of a zod object schema. */
const leafKeys = (schema: any): string[] => leafDefaults(schema).map(([key]) => key);

function readmeKeys(): string[] {
    return readmeRows().flatMap((row) => row.keys);
}

/**
 * The cell of a row that says what its `i`th key is: a row of several keys gives one value each, "a / b", unless one
 * value stands for all of them.
 */
function cellOfKey(keys: string[], cell: string, i: number): string {
    const parts = keys.length > 1 ? cell.split(" / ") : [cell];
    return (parts.length === keys.length ? parts[i] : cell).trim();
}

/** A setting as a stack file's config sets it (undefined where it does not), by its key without the project's namespace. */
function stackValue(config: Record<string, string>, key: string): unknown {
    if (key.includes(":")) return config[key];
    const [namespace, ...rest] = key.split(".");
    const top = config[`multicloud-service:${namespace}`];
    let value: any = top === undefined ? undefined : JSON.parse(top);
    for (const part of rest) value = value?.[part];
    return value;
}

/**
 * Whether a dev or prod cell says what the stack file sets. "default", "default (...)", "unset", "unset (...)" and
 * "none": the file sets nothing. A list of accounts: the `names` of the accounts, one each. Anything else: the value
 * itself, without its code marks, thousands separators or a closing "(set your own)".
 */
function cellSays(cell: string, value: unknown): boolean {
    if (/^(default|unset|none)\b/.test(cell)) return value === undefined;
    if (Array.isArray(value) && value.every((v) => typeof v === "string") && !cell.startsWith("`[")) {
        const names = [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
        return names.length === value.length && names.every((name, i) => value[i].includes(`:${name}@`));
    }
    const written = cell.replace(/\s*\(set your own\)$/, "").replace(/`/g, "").replace(/(\d),(?=\d{3}\b)/g, "$1");
    return JSON.stringify(parseYaml(written)) === JSON.stringify(value);
}

// The README is what a platform engineer reads instead of config/schema.ts: a setting it leaves out is one nobody
// knows to set, and a row for a key the schema does not have is a setting that is refused.
describe("the README's settings table names every setting the schema takes, and no other", () => {
    it("one row (or part of one) per key", () => {
        const schemaKeys = [...leafKeys(projectSettingsSchema), ...Object.keys(providerSettingsSchema.shape)].sort();
        const documented = readmeKeys().sort();
        assert.deepStrictEqual(documented.filter((k) => !schemaKeys.includes(k)), [], "rows for keys the schema does not have");
        assert.deepStrictEqual(schemaKeys.filter((k) => !documented.includes(k)), [], "keys the README does not name");
        assert.ok(schemaKeys.length > 70, `only ${schemaKeys.length} keys: the walk lost some`);
    });
});

// The dev and prod columns are what a platform engineer compares stacks by; a column that says 512 where the stack
// file says 1024 would send them to the wrong value.
describe("the README's dev and prod columns say what Pulumi.dev.yaml and Pulumi.prod.yaml set", () => {
    it("a cell that says what its file does not set fails, whatever its form", () => {
        assert.ok(cellSays("`true`", true) && cellSays("10,000,000", 10_000_000) && cellSays("`\"2\"`", "2") && cellSays("`[]`", []));
        assert.ok(cellSays("`platform-oncall@example.com` (set your own)", "platform-oncall@example.com"));
        assert.ok(cellSays("default (6000)", undefined) && cellSays("unset (same)", undefined) && cellSays("none", undefined));
        assert.ok(cellSays("`image-dev`", ["serviceAccount:image-dev@pool.iam.gserviceaccount.com"]));
        assert.ok(!cellSays("512", 1024), "a number that differs");
        assert.ok(!cellSays("default", 38), "a key the file sets, said to be the default");
        assert.ok(!cellSays("`\"1\"`", 1), "a string that the file writes as a number");
        assert.ok(!cellSays("`image-dev`", ["serviceAccount:promote-prod@pool.iam.gserviceaccount.com"]), "another account");
    });

    it("every row, dev and prod", () => {
        const configs = { dev: readStackFile("dev").config, prod: readStackFile("prod").config };
        const wrong = readmeRows().flatMap(({ keys, cells }) =>
            (["dev", "prod"] as const).flatMap((stack) =>
                keys.flatMap((key, i) => {
                    const cell = cellOfKey(keys, cells[stack], i);
                    const value = stackValue(configs[stack], key);
                    return cellSays(cell, value) ? [] : [`${key}, ${stack}: the README says ${cell}, Pulumi.${stack}.yaml ${value === undefined ? "sets nothing" : `sets ${JSON.stringify(value)}`}`];
                }),
            ),
        );
        assert.deepStrictEqual(wrong, []);
    });
});

describe("the README's Default column says what the schema fills in", () => {
    it("every default that is a plain value, where the schema has one", () => {
        const defaults = new Map([...leafDefaults(projectSettingsSchema), ...leafDefaults(providerSettingsSchema)]);
        const wrong = readmeRows().flatMap(({ keys, cells }) =>
            keys.flatMap((key, i) => {
                // The value the cell starts with: "2000, or the deadline if shorter" is 2000; "unset (1)" and "none" say no value.
                const cell = cellOfKey(keys, cells.default, i).split(/,\s(?=[a-z])| \(/)[0];
                const fromSchema = defaults.get(key);
                if (fromSchema === undefined || /^(unset|none|required)\b/.test(cell)) return [];
                return cellSays(cell, fromSchema) ? [] : [`${key}: the README's default is ${cells.default}, the schema's ${JSON.stringify(fromSchema)}`];
            }),
        );
        assert.deepStrictEqual(wrong, []);
        assert.ok(defaults.size > 70 && [...defaults.values()].filter((v) => v !== undefined).length > 40, "the walk found the schema's defaults");
    });
});

/**
 * Prod's (or dev's) stack file with each refused setting of the README's example as its line says: a key "not a known
 * setting (did you mean "X"?)" holds X's value instead of X, a key "(got V)" holds V.
 */
function stackOfExample(stack: "dev" | "prod", lines: { key: string; message: string }[]) {
    return stackWith(stack, (doc) => {
        for (const { key, message } of lines) {
            const [namespace, ...path] = key.split(".");
            const parent = path.slice(0, -1).reduce((node, k) => node[k], doc[`multicloud-service:${namespace}`]);
            const [leaf, meant, got] = [path[path.length - 1], /did you mean "(\w+)"/.exec(message)?.[1], /\(got (.*)\)$/.exec(message)?.[1]];
            if (meant) [parent[leaf], parent[meant]] = [parent[meant], undefined];
            else if (got !== undefined) parent[leaf] = JSON.parse(got);
            else assert.fail(`the README's example line for ${key} says neither "did you mean" nor "(got ...)": ${message}`);
        }
    });
}

// The first refusal a reader sees is the README's example: it must be what the check prints for those settings, word
// for word (`...` stands for what the example leaves out).
describe("the README's example of refused settings is what the settings check prints", () => {
    it("its header and every line, for the stack file with the settings it names", () => {
        const readme = readProjectFile("README.md");
        const block = /\n## Settings\n[\s\S]*?\n```\n([\s\S]*?)\n```/.exec(readme)?.[1];
        assert.ok(block, "README.md's Settings section opens with a refusal in a code block");
        const [header, ...rest] = block.split("\n");
        const stack = /^Stack "(dev|prod)"/.exec(header)?.[1] as "dev" | "prod" | undefined;
        assert.ok(stack, `the example refuses dev or prod: ${header}`);
        const lines = rest.map((line) => /^  - multicloud-service:([\w.]+): (.*?)(?:; \.\.\.)?$/.exec(line)).map((m) => ({ key: m![1], message: m![2] }));
        let printed = "accepted";
        try {
            parseStackSettings(stackOfExample(stack, lines), stack);
        } catch (err) {
            if (!SettingsError.isInstance(err)) throw err;
            printed = err.message;
        }
        const elided = new RegExp(`^${block.split("...").map(regExpText).join(".*")}$`);
        assert.match(printed, elided);
    });
});
