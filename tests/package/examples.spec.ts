import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { PROJECT_ROOT } from "../../config/stackFile";
import { PackageSchema, packageSchema } from "./packageSchema";

const EXAMPLES = path.join(PROJECT_ROOT, "examples");
const read = (file: string) => fs.readFileSync(path.join(EXAMPLES, file), "utf8");

/** Names in `value` that the schema type (or resource inputs) `properties` lacks, with their paths; nested types followed. */
function unknownNames(schema: PackageSchema, properties: Record<string, { $ref?: string }>, value: Record<string, unknown>, at: string, name: (n: string) => string = (n) => n): string[] {
    const byName = new Map(Object.entries(properties).map(([n, p]) => [name(n), p]));
    return Object.entries(value).flatMap(([key, v]) => {
        const property = byName.get(key);
        if (!property) return [`${at}.${key}`];
        const ref = property.$ref?.replace("#/types/", "");
        if (ref && schema.types[ref] && v !== null && typeof v === "object" && !Array.isArray(v)) return unknownNames(schema, schema.types[ref].properties, v as Record<string, unknown>, `${at}.${key}`, name);
        return [];
    });
}

const snake = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();

describe("the package examples", function () {
    this.timeout(30_000);

    it("yaml: a complete project with a stack file, both components, only inputs the schema has, every required one set", async () => {
        const schema = await packageSchema();
        const project = parse(read("yaml/Pulumi.yaml"));
        const stack = parse(read("yaml/Pulumi.dev.yaml"));
        assert.strictEqual(project.runtime, "yaml");
        assert.ok(stack.config["gcp:project"] && stack.config["aws:region"]);
        const resources = Object.values(project.resources) as { type: string; properties: Record<string, unknown> }[];
        assert.deepStrictEqual(resources.map((r) => r.type).sort(), ["multicloud:index:CloudRunGcsService", "multicloud:index:LambdaEcrPipeline"]);
        for (const r of resources) {
            const definition = schema.resources[r.type];
            assert.deepStrictEqual(unknownNames(schema, definition.inputProperties, r.properties, r.type), []);
            assert.deepStrictEqual(definition.requiredInputs.filter((n) => !(n in r.properties)), [], `${r.type}: required inputs missing`);
        }
        // Outputs it reads exist.
        for (const ref of JSON.stringify(project.outputs).match(/\$\{(pipeline|service)\.(\w+)\}/g) ?? []) {
            const [, res, output] = /\$\{(\w+)\.(\w+)\}/.exec(ref)!;
            assert.ok(schema.resources[project.resources[res].type].properties[output], ref);
        }
    });

    it("python: a complete project (requirements.txt, stack file); the SDK calls' keyword names, nested dict keys too, are the schema's inputs in snake_case", async () => {
        // A static check: no Python runs here (no PyPI, no generated SDK). It reads each `multicloud.<Component>(`
        // call's keyword arguments and the literal dicts they are given (the `service` dict by its name).
        const schema = await packageSchema();
        assert.match(read("python/requirements.txt"), /^pulumi>=3/m);
        assert.ok(parse(read("python/Pulumi.dev.yaml")).config["gcp:project"]);
        assert.strictEqual(parse(read("python/Pulumi.yaml")).runtime.name, "python");
        const source = read("python/__main__.py");
        // The module the generated SDK has: the schema's language.python.packageName. Without it the CLI names the
        // module after the repository's GitHub org (pulumi/pulumi setSpecNamespace; pkg/codegen/python PyPack), and
        // the SDK's folder is sdks/<org>-multicloud, which `pulumi package add` adds to requirements.txt itself.
        const pythonPackage = (schema as { language?: { python?: { packageName?: string } } }).language?.python?.packageName;
        assert.ok(pythonPackage, "the schema names the Python module (language.python.packageName)");
        assert.match(source, new RegExp(`^import ${pythonPackage} as multicloud$`, "m"));
        assert.doesNotMatch(read("python/requirements.txt"), /^sdks\//m, "requirements.txt names an SDK folder the CLI does not write");
        const dicts: Record<string, unknown> = { service: pythonDict(/^service = (\{[\s\S]*?\n\})/m.exec(source)![1]), labels: { project: "", environment: "", "managed-by": "" } };
        const calls = [...source.matchAll(/multicloud\.(\w+)\(\s*"[\w-]+",([\s\S]*?)\n\)/g)];
        assert.deepStrictEqual(calls.map((c) => c[1]).sort(), ["CloudRunGcsService", "LambdaEcrPipeline"]);
        for (const [, component, body] of calls) {
            const kwargs = Object.fromEntries([...body.matchAll(/^\s{4}(\w+)=(.*),$/gm)].map(([, k, v]) => [k, v.startsWith("{") ? pythonDict(v) : v in dicts ? dicts[v] : v]));
            const definition = schema.resources[`multicloud:index:${component}`];
            // Maps (tags, labels) take any keys: only typed objects are checked inside.
            const checked = Object.fromEntries(Object.entries(kwargs).filter(([k]) => !["tags", "labels"].includes(k)));
            assert.deepStrictEqual(unknownNames(schema, definition.inputProperties, checked, component, snake), []);
            assert.deepStrictEqual(definition.requiredInputs.map(snake).filter((n) => !(n in kwargs)), [], `${component}: required inputs missing`);
        }
    });
});

/** A Python dict literal of strings, numbers, booleans, lists and dicts (as the example writes them) as JSON. */
function pythonDict(literal: string): Record<string, unknown> {
    const json = literal.replace(/\bTrue\b/g, "true").replace(/\bFalse\b/g, "false").replace(/,(\s*[}\]])/g, "$1").replace(/\bapp\b/g, '"app"');
    return JSON.parse(json);
}
