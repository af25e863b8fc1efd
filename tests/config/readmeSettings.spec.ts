import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { projectSettingsSchema, providerSettingsSchema } from "../../config/schema";
import { PROJECT_ROOT } from "../../config/stackFile";

/** The keys of a zod object schema down to its leaves (arrays and scalars), through optional/default/prefault wrappers. */
function leafKeys(schema: any, prefix = ""): string[] {
    const def = schema?._zod?.def;
    if (def && ["optional", "default", "prefault", "nullable", "readonly"].includes(def.type)) return leafKeys(def.innerType, prefix);
    if (def?.type === "object") return Object.entries(def.shape).flatMap(([key, value]) => leafKeys(value, prefix ? `${prefix}.${key}` : key));
    return [prefix];
}

/**
 * The keys the README's settings table names, one row each or several (`a.b` / `a.c`, or `a.b` / `.c` for a
 * sibling), without the project's namespace.
 */
function readmeKeys(): string[] {
    const readme = fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8").split("\n");
    const start = readme.indexOf("| Key | Meaning | Default | dev | prod |");
    assert.ok(start >= 0, "the README has the settings table");
    const rows = readme.slice(start + 2).filter((_, i, all) => all.slice(0, i + 1).every((l) => l.startsWith("|")));
    // A bold first cell (**`multicloud-service:aws`**) heads a group of rows; it is no setting of its own.
    return rows.filter((row) => !row.split("|")[1].trim().startsWith("**")).flatMap((row) => {
        const names = [...row.split("|")[1].matchAll(/`([^`]+)`/g)].map((m) => m[1]);
        const first = names[0].replace(/^multicloud-service:/, "");
        const parent = first.slice(0, first.lastIndexOf("."));
        return names.map((name, i) => (i === 0 ? first : name.startsWith(".") ? `${parent}${name}` : name.replace(/^multicloud-service:/, "")));
    });
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
