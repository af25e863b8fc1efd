import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { PACKAGE_NAME, analyzeSchema, createProvider, schemaText } from "../../multicloud/provider";
import { SCHEMA_FILE } from "../../multicloud/schemaFile";
import { schemaCommand } from "../../multicloud/schemaCommand";
import { scratchDir } from "../harness/tempDirs";
import { PACKAGE_DIR, Property, packageSchema } from "./packageSchema";

const COMPONENTS = ["LambdaEcrPipeline", "CloudRunGcsService"] as const;
const token = (name: string) => `${PACKAGE_NAME}:index:${name}`;

/** `where: problem` for every property, nested type and item that has no concrete type or no description. */
function untypedOrUndescribed(where: string, properties: Record<string, Property>): string[] {
    const problems: string[] = [];
    const typed = (p: Property, at: string) => {
        if (p.$ref === "pulumi.json#/Any" || (!p.type && !p.$ref)) problems.push(`${at}: no type (${JSON.stringify(p)})`);
        if (p.items) typed(p.items, `${at}[]`);
        if (p.additionalProperties) typed(p.additionalProperties, `${at}{}`);
    };
    for (const [name, p] of Object.entries(properties)) {
        typed(p, `${where}.${name}`);
        if (!p.description?.trim()) problems.push(`${where}.${name}: no description`);
    }
    return problems;
}

/** `npm run schema` with `args` on `file`, against `derived`: its exit code and the lines it printed. */
async function schemaRun(args: string[], file: string, derived: () => Promise<string>): Promise<[number, string[]]> {
    const said: string[] = [];
    const { log, error } = console;
    console.log = console.error = (line: string) => said.push(line);
    try {
        return [await schemaCommand(args, file, derived), said];
    } finally {
        Object.assign(console, { log, error });
    }
}

describe("the multicloud package schema", function () {
    this.timeout(30_000);
    // The analyzer's schema.json text, derived once for the tests that compare with it (~2 s each time).
    let analysis: Promise<string> | undefined;
    const analyzed = () => (analysis ??= analyzeSchema(PACKAGE_DIR).then(schemaText));

    it("is named multicloud (multicloud/package.json's name, as the CLI's runner names the provider) at its version", async () => {
        const s = await packageSchema();
        const manifest = JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, "package.json"), "utf8"));
        assert.strictEqual(s.name, "multicloud");
        assert.strictEqual(manifest.name, s.name, "the CLI's runner names the provider after package.json");
        assert.strictEqual(s.version, manifest.version);
        // The CLI installs the plugin with the package manager these options name, else with yarn where PULUMI_PREFER_YARN
        // is set, which does not read package-lock.json (pulumi/pulumi sdk/nodejs/npm/manager.go, ResolvePackageManager).
        const plugin = parse(fs.readFileSync(path.join(PACKAGE_DIR, "PulumiPlugin.yaml"), "utf8"));
        assert.deepStrictEqual(plugin.runtime, { name: "nodejs", options: { packagemanager: "npm" } });
    });

    // The CLI's runner requires the plugin's folder and calls what it exports when that is a function (@pulumi/pulumi
    // cmd/run-plugin/run.js: `require(program)`, then `reqResult instanceof Function ? reqResult() : reqResult`); Node
    // loads the folder by package.json's "main". A "main" naming no file still starts (Node falls back to index.js) but
    // prints DEP0128's "Invalid 'main' field" warning on every start.
    it("starts from package.json's main: a file there that exports the function the CLI's runner calls", () => {
        const manifest = JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, "package.json"), "utf8"));
        const main = path.join(PACKAGE_DIR, manifest.main ?? "index.js");
        assert.ok(fs.existsSync(main), `multicloud/package.json's main (${manifest.main}) names no file: name index.js, which starts the provider`);
        assert.strictEqual(typeof require(main), "function", `multicloud/package.json's main (${manifest.main}) must export the function that starts the provider (index.js)`);
    });

    it("holds both components, as components", async () => {
        const s = await packageSchema();
        assert.deepStrictEqual(Object.keys(s.resources).sort(), COMPONENTS.map(token).sort());
        for (const c of COMPONENTS) assert.strictEqual(s.resources[token(c)].isComponent, true, c);
    });

    it("types and describes every input, output and nested type's property", async () => {
        const s = await packageSchema();
        const problems = [
            ...COMPONENTS.flatMap((c) => [...untypedOrUndescribed(`${c} input`, s.resources[token(c)].inputProperties), ...untypedOrUndescribed(`${c} output`, s.resources[token(c)].properties)]),
            ...Object.entries(s.types).flatMap(([t, def]) => untypedOrUndescribed(t, def.properties)),
        ];
        assert.deepStrictEqual(problems, []);
        // The nested interfaces became types, referenced by the args.
        assert.strictEqual(s.resources[token("LambdaEcrPipeline")].inputProperties.image.$ref, `#/types/${token("ImageSource")}`);
        assert.strictEqual(s.types[token("ImageSource")].properties.build.$ref, `#/types/${token("ImageBuild")}`);
    });

    it("marks required and optional inputs as the args interfaces do", async () => {
        const s = await packageSchema();
        const required = (c: string) => s.resources[token(c)].requiredInputs;
        const expectations: [string, string[], string[]][] = [
            ["LambdaEcrPipeline", ["environment", "region", "isProduction", "tags", "image", "architecture", "memoryMb", "timeoutSeconds", "functionUrl", "service", "pipeline", "alarms", "imagesToKeep"], ["reservedConcurrency", "imageWaitMinutes", "canary"]],
            ["CloudRunGcsService", ["environment", "isProduction", "project", "region", "labels", "image", "cpu", "memory", "ingress", "publicInvoker", "service", "alerts", "imagesToKeep"], ["allowPublicInvokerInProd", "databaseUrl", "registryAccess", "releaseInvokers", "imageWaitMinutes", "canary"]],
        ];
        for (const [c, mustHave, mustNotHave] of expectations) {
            for (const name of mustHave) assert.ok(required(c).includes(name), `${c}.${name} is required`);
            for (const name of mustNotHave) {
                assert.ok(!required(c).includes(name), `${c}.${name} is optional`);
                assert.strictEqual(s.resources[token(c)].inputProperties[name].optional, true, `${c}.${name} optional`);
            }
        }
        assert.deepStrictEqual(s.types[token("ImageSource")].required, [], "build and prebuilt are both optional (the component wants exactly one)");
        assert.deepStrictEqual(s.types[token("ImageBuild")].required, ["context"]);
        // Plain where the component branches on the value, an input where it goes to a resource as it is.
        const aws = s.resources[token("LambdaEcrPipeline")].inputProperties;
        assert.strictEqual(aws.architecture.plain, true);
        assert.strictEqual(aws.memoryMb.plain, undefined);
    });

    it("marks the admin token outputs and the database URL input secret", async () => {
        const s = await packageSchema();
        for (const c of COMPONENTS) assert.strictEqual(s.resources[token(c)].properties.adminToken.secret, true, `${c}.adminToken`);
        // A top-level input, the only kind the generated SDKs wrap as a secret (pulumi/pulumi#23343).
        const secretInputs = COMPONENTS.flatMap((c) => Object.entries(s.resources[token(c)].inputProperties).filter(([, p]) => p.secret).map(([n]) => `${c}.${n}`));
        assert.deepStrictEqual(secretInputs, ["CloudRunGcsService.databaseUrl"]);
        assert.deepStrictEqual(Object.keys(s.types).filter((t) => Object.values<any>(s.types[t].properties ?? {}).some((p) => p.secret)), [], "no secret nested in an input type");
        const secrets = COMPONENTS.flatMap((c) => Object.entries(s.resources[token(c)].properties).filter(([, p]) => p.secret).map(([n]) => `${c}.${n}`));
        assert.deepStrictEqual(secrets, ["LambdaEcrPipeline.adminToken", "CloudRunGcsService.adminToken"], "no other output is marked");
    });

    it("is schema.json, committed: what the SDK's analyzer derives from the TypeScript now", async () => {
        const committed = fs.readFileSync(path.join(PACKAGE_DIR, SCHEMA_FILE), "utf8");
        assert.ok(committed === (await analyzed()), `multicloud/${SCHEMA_FILE} is out of date: run \`npm run schema\` and commit it`);
        assert.strictEqual(await createProvider(PACKAGE_DIR).getSchema(), committed, "the plugin serves the file as it is");
    });

    it("`npm run schema -- --check` exits 1 on a stale or missing schema.json, naming the fix, and changes nothing", async () => {
        const dir = scratchDir("schema-check");
        const file = path.join(dir, SCHEMA_FILE);
        const stale = (await analyzed()).replace(/"version": "[^"]*"/, '"version": "0.0.0-stale"');
        assert.notStrictEqual(stale, await analyzed());
        fs.writeFileSync(file, stale);
        const check = () => schemaRun(["--check"], file, analyzed);
        const where = path.relative(process.cwd(), file);
        assert.deepStrictEqual(await check(), [1, [`${where} is out of date: run \`npm run schema\` and commit it`]]);
        assert.strictEqual(fs.readFileSync(file, "utf8"), stale, "--check changes nothing");
        fs.rmSync(file);
        assert.deepStrictEqual(await check(), [1, [`${where} is missing: run \`npm run schema\` and commit it`]]);
        assert.ok(!fs.existsSync(file), "--check writes nothing");
        fs.writeFileSync(file, await analyzed());
        assert.deepStrictEqual(await check(), [0, [`${where} is up to date`]]);
    });

    it("`npm run schema` writes a missing or stale schema.json as the analyzer derives it, saying which, then finds it up to date", async () => {
        const file = path.join(scratchDir("schema-write"), SCHEMA_FILE);
        const where = path.relative(process.cwd(), file);
        const wanted = await analyzed();
        const write = () => schemaRun([], file, analyzed);
        assert.deepStrictEqual(await write(), [0, [`${where} written (${wanted.length} bytes)`]]);
        assert.strictEqual(fs.readFileSync(file, "utf8"), wanted);
        fs.writeFileSync(file, wanted.replace(/"version": "[^"]*"/, '"version": "0.0.0-stale"'));
        assert.deepStrictEqual(await write(), [0, [`${where} updated (${wanted.length} bytes)`]]);
        assert.strictEqual(fs.readFileSync(file, "utf8"), wanted);
        assert.deepStrictEqual(await write(), [0, [`${where} is up to date`]]);
    });

    it("refuses to start without schema.json, naming the command that writes it", () => {
        const copy = scratchDir("package-without-schema");
        fs.copyFileSync(path.join(PACKAGE_DIR, "package.json"), path.join(copy, "package.json"));
        assert.throws(() => createProvider(copy), /schema\.json, which cannot be read \(ENOENT.*run `npm run schema` in the repository and commit it/);
    });
});
