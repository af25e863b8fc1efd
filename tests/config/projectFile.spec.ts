import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { readStackFileAt } from "../../config/stackFile";
import { scratchDir } from "../harness/tempDirs";

/** A stack file with `stackConfig` beside a Pulumi.yaml of this project whose `config:` is `projectConfig`. */
function stackBesideProject(projectConfig: string[], stackConfig: string[] = []): string {
    const folder = scratchDir("project-file");
    fs.writeFileSync(path.join(folder, "Pulumi.yaml"), ["name: multicloud-service", "runtime: nodejs", "config:", ...projectConfig, ""].join("\n"));
    const file = path.join(folder, "Pulumi.dev.yaml");
    fs.writeFileSync(file, ["config:", ...stackConfig, ""].join("\n"));
    return file;
}

/** The refusals readStackFileAt names for `file`, one each (its error joins them with "; "); fails if it reads the file. */
function refusalsOf(file: string): string[] {
    try {
        readStackFileAt(file);
    } catch (err) {
        return (err as Error).message.split("; ");
    }
    assert.fail(`${file} was read; expected it refused`);
}

// The Pulumi CLI refuses these Pulumi.yaml entries before any stack runs (pulumi/pulumi sdk/go/common/workspace/
// project.json, project.go ValidateProject and (*Project).Validate). Before, the offline reader took a default beside a
// value, another namespace's default, and skipped null, a fraction and a declaration with unknown attributes unsaid.
describe("Pulumi.yaml's config read offline as the Pulumi CLI reads it", () => {
    it("an entry the CLI refuses is named, with the file, the key, the CLI's words and what to do", () => {
        const file = stackBesideProject([
            "  instanceSize: { type: string, default: t3.micro, value: t4.large }",
            "  aws:region: { default: us-west-1 }",
            "  aws:profile: { type: string, value: ops }",
            "  gcp:project: { description: the project }",
            "  pulumi:autonaming: null",
            "  ratio: 1.5",
            "  pulumi:tags: { team: platform }",
            "  zones: { type: array, default: [a, b] }",
            "  replicas: { type: integer, default: many }",
            "  grid: { type: array, items: { type: array } }",
        ]);
        assert.deepStrictEqual(refusalsOf(file), [
            "Pulumi.yaml: the Pulumi CLI refuses its config: project config 'instanceSize' cannot have both a 'default' and 'value' attribute: keep one of them",
            "Configuration key 'aws:region' is not namespaced by the project and should not define a default value. Did you mean to use the 'value' attribute instead of 'default'?",
            "Configuration key 'aws:profile' is not namespaced by the project and should not define a type: remove 'type' (only this project's keys, multicloud-service:<name>, are typed)",
            "Configuration key 'gcp:project' is namespaced and must provide an attribute 'value': give it one, or remove the key",
            "#/config/pulumi:autonaming: expected string, integer, boolean, array or object, but got null (the CLI's schema, project.json). Give it a value, quote it if it is text, or remove the key",
            "#/config/ratio: expected string, integer, boolean, array or object, but got number (the CLI's schema, project.json). Give it a value, quote it if it is text, or remove the key",
            "#/config/pulumi:tags: additionalProperties 'team' not allowed",
            "the allowed attributes are 'default', 'description', 'items', 'secret', 'type' and 'value'. An object is read as a declaration: write an object value under 'value:' (or 'default:' for a key of this project)",
            "The configuration key 'zones' declares an array but does not specify the underlying type via the 'items' attribute: add one, as items: { type: string }",
            "The default value specified for configuration key 'replicas' is not of the expected type 'integer': change the default or the type",
            "#/config/grid/items: an 'array' in 'items' needs 'items' of its own",
        ]);
    });

    it("what the CLI accepts is applied: shorthands, typed defaults, a null default beside a value, an object under value", () => {
        const file = stackBesideProject([
            "  pulumi:disable-default-providers: [aws, gcp]",
            "  replicas: { type: integer, default: \"3\" }",
            "  zones: { type: array, items: { type: string }, default: [a, b] }",
            "  enabled: { type: boolean, default: \"false\" }",
            "  aws:region: { default: null, value: eu-west-1, description: every stack's }",
            "  pulumi:tags: { value: { team: platform } }",
        ]);
        assert.deepStrictEqual(readStackFileAt(file).config, {
            "pulumi:disable-default-providers": JSON.stringify(["aws", "gcp"]),
            "multicloud-service:replicas": "3",
            "multicloud-service:zones": JSON.stringify(["a", "b"]),
            "multicloud-service:enabled": "false",
            "aws:region": "eu-west-1",
            "pulumi:tags": JSON.stringify({ team: "platform" }),
        });
    });

    it("a Pulumi.yaml without a name, or with an empty one, is refused, as the CLI refuses it", () => {
        // project.json: "name" is a string of minLength 1.
        for (const nameLine of ["", 'name: ""\n']) {
            const folder = scratchDir("project-file");
            fs.writeFileSync(path.join(folder, "Pulumi.yaml"), `${nameLine}runtime: nodejs\nconfig:\n  aws:region: eu-west-1\n`);
            fs.writeFileSync(path.join(folder, "Pulumi.dev.yaml"), "config: {}\n");
            assert.throws(() => readStackFileAt(path.join(folder, "Pulumi.dev.yaml")), {
                message: `${path.join(folder, "Pulumi.yaml")}: project is missing a non-empty string 'name' attribute (the Pulumi CLI refuses it): add name: <project> at its top`,
            });
        }
    });

    // `pulumi preview` and `pulumi up` check the merged config against Pulumi.yaml's declarations ("validating stack
    // config", pulumi/pulumi pkg/workspace/config.go mergeConfig, validateStackConfigValue). Before, the offline plan
    // ran a stack that lacked a declared key, held a secret key in plain text or a value not of its declared type.
    it("a stack whose config the CLI refuses against Pulumi.yaml's declarations is named, each key with what to do", () => {
        const file = stackBesideProject(
            [
                "  databaseUrl: { type: string }",
                "  multicloud-service:region: { type: string }",
                "  apiKey: { type: string, secret: true }",
                "  replicas: { type: integer }",
                "  zones: { type: array, items: { type: string } }",
                "  flag: { type: boolean, default: true }",
                "  size: { type: integer, value: many }", // (*Project).Validate checks a default's type, not a value's
            ],
            ["  multicloud-service:apiKey: plain-text", "  multicloud-service:replicas: many", "  multicloud-service:zones: [1, 2]", "  multicloud-service:flag: yes"],
        );
        assert.deepStrictEqual(refusalsOf(file), [
            "Pulumi.dev.yaml: the Pulumi CLI refuses this stack's config: Stack 'dev' is missing configuration values 'databaseUrl' and 'multicloud-service:region': Pulumi.yaml declares them without a default. Set each in Pulumi.dev.yaml (pulumi config set <key> <value>) or give each a default in Pulumi.yaml",
            "Stack 'dev' with configuration key 'apiKey' must be encrypted as it's secret: set it in Pulumi.dev.yaml with pulumi config set --secret multicloud-service:apiKey <value>",
            "Stack 'dev' with configuration key 'flag' must be of type 'boolean' (its value in Pulumi.dev.yaml is not): change it, or the type in Pulumi.yaml",
            "Stack 'dev' with configuration key 'replicas' must be of type 'integer' (its value in Pulumi.dev.yaml is not): change it, or the type in Pulumi.yaml",
            "Stack 'dev' with configuration key 'size' must be of type 'integer' (its value in Pulumi.yaml is not): change it, or the type in Pulumi.yaml",
            "Stack 'dev' with configuration key 'zones' must be of type 'array<string>' (its value in Pulumi.dev.yaml is not): change it, or the type in Pulumi.yaml",
        ]);
    });

    it("a stack the CLI accepts against the declarations is read: values as the CLI's text, a secret unchecked, a missing key left to ESC", () => {
        const declarations = [
            "  replicas: { type: integer }",
            "  offset: { type: integer }",
            "  name: { type: string }",
            "  apiKey: { type: integer, secret: true }",
            "  enabled: { type: boolean }",
            "  label: { type: string }",
            "  limits: { type: object }",
            "  tokens: { type: object, secret: true }",
        ];
        const values = [
            "  multicloud-service:replicas: 5",
            "  multicloud-service:offset: -3", // strconv.Atoi takes a sign
            "  multicloud-service:name: 5",
            "  multicloud-service:apiKey: { secure: v1:abc }",
            "  multicloud-service:enabled: true",
            "  multicloud-service:label:",
            "  multicloud-service:limits: { cpu: 2 }", // an object is checked as itself, not as text
            "  multicloud-service:tokens: { ci: { secure: v1:abc } }", // set with --secret --path: the whole key is secure (object.go Secure)
        ];
        assert.doesNotThrow(() => readStackFileAt(stackBesideProject(declarations, values)));
        // An ESC environment's pulumiConfig may set a declared key: not read offline, so not called missing. The
        // stack file names its environments as a list or as an environment definition (project.go Environment).
        for (const environment of ["environment:\n  - multicloud-service/dev\n", "environment:\n  imports:\n    - multicloud-service/dev\n"]) {
            const file = stackBesideProject([...declarations, "  databaseUrl: { type: string }"], values);
            fs.writeFileSync(file, `${environment}${fs.readFileSync(file, "utf8")}`);
            assert.doesNotThrow(() => readStackFileAt(file), environment);
        }
        // An empty list imports none (Environment.Definition is nil): the key is missing, as the CLI says.
        const none = stackBesideProject([...declarations, "  databaseUrl: { type: string }"], values);
        fs.writeFileSync(none, `environment: []\n${fs.readFileSync(none, "utf8")}`);
        assert.throws(() => readStackFileAt(none), /Stack 'dev' is missing configuration value 'databaseUrl'/);
    });

    // Before: "Stack 'settings.yaml' is missing ...": the stack's name taken from a file not named Pulumi.<stack>.yaml.
    it("a file read as a named stack of a project elsewhere is refused in that stack's name, as the CLI names it", () => {
        const project = path.dirname(stackBesideProject(["  databaseUrl: { type: string }"]));
        const file = path.join(scratchDir("stack-file-elsewhere"), "settings.yaml");
        fs.writeFileSync(file, "config: {}\n");
        assert.throws(() => readStackFileAt(file, project, "main"), /^Error: settings\.yaml: the Pulumi CLI refuses this stack's config: Stack 'main' is missing configuration value 'databaseUrl'/);
    });

    // The CLI checks `secret: true` only on a typed key (pkg/workspace/config.go validateStackConfigValues: under
    // IsExplicitlyTyped). Before, the offline reader refused an untyped one set in plain text, which `pulumi up` runs.
    it("an untyped key declared secret is not checked for encryption, as the CLI does not check it", () => {
        const file = stackBesideProject(["  apiKey: { secret: true }", "  aws:accessKey: { secret: true, value: AKIA-from-the-project }"], ["  multicloud-service:apiKey: plain-text"]);
        assert.deepStrictEqual(readStackFileAt(file).config, { "multicloud-service:apiKey": "plain-text", "aws:accessKey": "AKIA-from-the-project" });
    });
});

/** One Pulumi.yaml config entry, `x` unless named, and how the Pulumi CLI reads the number, timestamp or tag in it. */
interface EntryRow {
    key?: string;
    entry: string;
    cli: string;
    /** The text the program is handed, where the CLI accepts the entry and so does the offline reader. */
    reads?: string;
    refusal?: string;
}

const typeRefusal = (type: string) =>
    `Pulumi.yaml: the Pulumi CLI refuses its config: The default value specified for configuration key 'x' is not of the expected type '${type}': change the default or the type`;
const misread = (where: string, written: string, cli: number) =>
    `Pulumi.yaml: ${where} is written ${written}, which the Pulumi CLI reads as ${cli}: write the number you mean in plain decimal digits (no leading 0, 0b, 0o, signed 0x or _), or quote it if it is text`;
const floatShorthand = (key: string, written: string, tagged: string, value: number) =>
    `Pulumi.yaml: the Pulumi CLI refuses its config: config key '${key}' is written ${written}, which the Pulumi CLI reads as a float and refuses ("cannot unmarshal ${tagged} into workspace.ProjectConfigType"): ` +
    `a shorthand value is a string, an integer, a boolean or a list. Write ${value}, or quote it if it is text`;

// The CLI reads Pulumi.yaml with gopkg.in/yaml.v3 (resolve.go: `_` dropped, strconv.ParseInt(_, 0, 64) so a leading 0
// is octal, then ParseFloat), writes its config out and reads it back (pulumi/pulumi sdk/go/common/workspace/loaders.go
// LoadProjectBytes; yaml.v3 encode.go floatv), then checks a default's type (project.go (*Project).Validate,
// ValidateConfigValue: a Go int or whole float64 is an integer, only a Go string a string) and hands a default on as
// fmt.Sprintf("%v") (pkg/workspace/config.go createConfigValue). This reader is YAML 1.2's core schema, where 010 is 10
// and 1_000 is text: those are refused as in a stack file (cliNumbers.ts), or in the CLI's words where the CLI refuses
// them. Before, `type: integer, default: 1_000` was refused as not an integer, `type: string, default: 1_000` and
// `default: 010` were taken (as the text 1_000 and as 10) and a float shorthand such as `x: 1e3` was taken as 1000.
const NUMBER_ROWS: EntryRow[] = [
    { entry: "{ type: integer, default: 007 }", cli: "octal 7, as here", reads: "7" },
    { entry: "{ type: integer, default: 0x10 }", cli: "hexadecimal 16, as here", reads: "16" },
    { entry: "{ type: integer, default: +1 }", cli: "1 (ParseInt takes the sign), as here", reads: "1" },
    { entry: "{ type: integer, default: 1e3 }", cli: "the float 1000, written back as 1000 and read again as an integer", reads: "1000" },
    { entry: "{ type: integer, default: .5 }", cli: "the float 0.5, not an integer: refused", refusal: typeRefusal("integer") },
    { entry: "{ type: string, default: 007 }", cli: "the integer 7, not a string: refused", refusal: typeRefusal("string") },
    { entry: "{ type: boolean, default: 1 }", cli: "the integer 1, not a boolean: refused", refusal: typeRefusal("boolean") },
    { entry: "{ type: string, default: 1_000 }", cli: "the integer 1000, not a string: refused", refusal: typeRefusal("string") },
    { entry: "{ type: integer, default: 1_000 }", cli: "1000, where this reader makes the text 1_000", refusal: misread("x.default", "1_000", 1000) },
    { entry: "{ type: integer, default: 010 }", cli: "octal 8, where this reader makes 10", refusal: misread("x.default", "010", 8) },
    { entry: "{ type: array, items: { type: integer }, default: [0b11] }", cli: "[3], where this reader makes the text 0b11", refusal: misread("x.default[0]", "0b11", 3) },
    { entry: "010", cli: "the default 8, where this reader makes 10", refusal: misread("x", "010", 8) },
    { entry: "1e3", cli: "a float, which no shorthand rewrite takes: refused", refusal: floatShorthand("x", "1e3", "!!int `1000`", 1000) },
    { key: "aws:maxRetries", entry: "1.0e6", cli: "a float, written back as 1e+06: refused", refusal: floatShorthand("aws:maxRetries", "1.0e6", "!!float `1e+06`", 1000000) },
    // yaml.v3's terror quotes a value of up to 10 characters whole, a longer one as its first 7 and "..." (decode.go).
    { entry: "1.2345e9", cli: "a float, written back as 1.2345e+09 (10 characters): refused", refusal: floatShorthand("x", "1.2345e9", "!!float `1.2345e+09`", 1234500000) },
    { entry: "1.23456e9", cli: "a float, written back as 1.23456e+09 (11 characters): refused", refusal: floatShorthand("x", "1.23456e9", "!!float `1.23456...`", 1234560000) },
    {
        entry: "{ type: string, default: 1e400 }",
        cli: "the text 1e400 (ParseFloat's range error), where this reader makes Infinity",
        refusal: `Pulumi.yaml: x.default is written 1e400, which the Pulumi CLI reads as the text "1e400": write the number you mean in plain decimal digits (no leading 0, 0b, 0o, signed 0x or _), or quote it if it is text`,
    },
    { entry: "-0.0", cli: "the float -0, written back as -0 (strconv.FormatFloat keeps the sign): refused", refusal: floatShorthand("x", "-0.0", "!!int `-0`", 0) },
    { key: "config", entry: "010", cli: "the default 8 of a key named config, named by its own key path", refusal: misread("config", "010", 8) },
];

/** Each row's entry written alone in a Pulumi.yaml, refused in the row's words or read as the row's text. */
function entryRowTests(rows: EntryRow[]): void {
    for (const { key = "x", entry, cli, reads, refusal } of rows) {
        it(`${key}: ${entry} is ${cli}`, () => {
            const file = stackBesideProject([`  ${key}: ${entry}`]);
            if (refusal) assert.throws(() => readStackFileAt(file), { message: refusal });
            else assert.strictEqual(readStackFileAt(file).config[key.includes(":") ? key : `multicloud-service:${key}`], reads);
        });
    }
}

describe("numbers in Pulumi.yaml's config read as the Pulumi CLI reads them", () => entryRowTests(NUMBER_ROWS));

const schemaPanic = (key: string) =>
    `Pulumi.yaml: the Pulumi CLI refuses it ("could not validate 'Pulumi.yaml': jsonschema: invalid jsonType: time.Time"): config '${key}' holds a timestamp (an unquoted date such as 2024-01-02) where its schema checks a type: quote it if it is text`;

// The CLI reads Pulumi.yaml into `any` with gopkg.in/yaml.v3 v3.0.1 (pulumi/pulumi sdk/go/common/workspace/loaders.go
// LoadProjectBytes): a plain 2024-01-02 or a !!timestamp is a time.Time (resolve.go parseTimestamp), !!binary its
// base64-decoded text, `!!int "5"` the integer 5 (a quoted scalar under a tag is resolved, yaml.go indicatedString),
// `!!float 5` the float64 5. ValidateProject's schema check (santhosh-tekuri/jsonschema v5.0.0 schema.go jsonType)
// panics on a time.Time wherever project.json names a type, and validateValue recovers it as its only error; under
// `default`/`value` and in a list it passes, is written back as RFC 3339 (yaml.v3 encode.go timev) and read again as a
// time.Time, which (*Project).Validate's ValidateConfigValue takes as no type, and createConfigValue (pkg/workspace/
// config.go) json.Marshals it. The `yaml` package here reads 2024-01-02 as text, !!binary as bytes and `!!float 5` as
// text. Before, `type: string, default: 2024-01-02` and `x: 2024-01-02` were read as the text 2024-01-02, !!binary
// was refused as an object, and `!!float 5` as 5 written 5.
const TIMESTAMP_AND_TAG_ROWS: EntryRow[] = [
    { entry: "2024-01-02", cli: "a time.Time under the schema's type check: refused", refusal: schemaPanic("x") },
    { entry: "{ type: string, description: 2024-01-02 }", cli: "a time.Time under the schema's type check: refused", refusal: schemaPanic("x") },
    { entry: "{ type: string, default: 2024-01-02 }", cli: "a time.Time, not a string: refused", refusal: typeRefusal("string") },
    { entry: "{ type: array, items: { type: string }, default: [2024-01-02] }", cli: "a time.Time item, not a string: refused", refusal: typeRefusal("array<string>") },
    { entry: "{ default: 2024-01-02 }", cli: "a time.Time, handed on as RFC 3339", reads: "2024-01-02T00:00:00Z" },
    { entry: "[2024-1-2 10:30:00, '2024-01-02']", cli: "a list (no type checked) of a time.Time and text", reads: '["2024-01-02T10:30:00Z","2024-01-02"]' },
    { key: "aws:x", entry: "{ value: !!timestamp 2024-01-02T10:30:00.50+02:00 }", cli: "a time.Time, handed on as RFC 3339", reads: "2024-01-02T10:30:00.5+02:00" },
    { entry: "!!binary aGVsbG8=", cli: "the decoded text (decode.go scalar)", reads: "hello" },
    { entry: "{ type: string, default: !!binary aGVsbG8 }", cli: "not padded base64: refused", refusal: 'Pulumi.yaml: x.default is written !!binary aGVsbG8, which the Pulumi CLI refuses ("yaml: !!binary value contains invalid base64 data"): write padded base64, or drop the tag if it is text' },
    { entry: "{ type: integer, default: !!str 5 }", cli: "the text 5, which strconv.Atoi takes", reads: "5" },
    { entry: "{ type: string, default: !!int \"5\" }", cli: "the integer 5, not a string: refused", refusal: typeRefusal("string") },
    { entry: "{ type: integer, default: !!int \"010\" }", cli: "octal 8, where this reader makes 10", refusal: misread("x.default", "010", 8) },
    { entry: "{ type: integer, default: !!float 5 }", cli: "the float 5, written back as 5 and read again as an integer", reads: "5" },
    { entry: "!!float 5", cli: "a float, which no shorthand rewrite takes: refused", refusal: floatShorthand("x", "!!float 5", "!!int `5`", 5) },
    { entry: "!!int many", cli: "refused (\"cannot decode !!str `many` as a !!int\")", refusal: "Pulumi.yaml: x is written !!int many, a tag the Pulumi CLI reads otherwise or refuses: drop the tag, or write !!str for text" },
    // project.json gives `items` a type (configItemsType), so the schema check meets the time.Time there too.
    { entry: "{ type: array, items: 2024-01-02 }", cli: "a time.Time under the schema's type check: refused", refusal: schemaPanic("x") },
    // ValidateConfigValue's object check is a map[string]interface{} assertion, which a time.Time is not.
    { entry: "{ type: object, default: 2024-01-02 }", cli: "a time.Time, not an object: refused", refusal: typeRefusal("object") },
    // time.Parse takes +00:00 as a zero offset, which RFC3339Nano writes as Z.
    { entry: "{ default: 2024-01-02T10:30:00+00:00 }", cli: "a time.Time at a zero offset, handed on as RFC 3339 with Z", reads: "2024-01-02T10:30:00Z" },
    // parseTimestamp's Z07:00 wants +hh:mm; the `yaml` package here takes +02: resolve.go's "cannot decode !!str ... as a !!timestamp".
    { entry: "!!timestamp 2024-01-02T10:30:00+02", cli: "no timestamp yaml.v3 parses: refused", refusal: "Pulumi.yaml: x is written !!timestamp 2024-01-02T10:30:00+02, a tag the Pulumi CLI reads otherwise or refuses: drop the tag, or write !!str for text" },
    // Go's base64.StdEncoding ignores \r and \n (encoding/base64 docs), as in the 70-column lines yaml.v3 writes.
    { entry: '!!binary "aGVs\\nbG8="', cli: "the decoded text, its line break ignored", reads: "hello" },
    { entry: "!!binary /w==", cli: "the byte 0xff, no UTF-8 text", refusal: "Pulumi.yaml: x is written !!binary /w==, which decodes to bytes that are not UTF-8 text: a setting is text, so write the text itself" },
];

describe("timestamps and tags in Pulumi.yaml's config read as the Pulumi CLI reads them", () => {
    entryRowTests(TIMESTAMP_AND_TAG_ROWS);

    // yaml.v3 fails the unmarshal at the bad !!binary before ValidateProject's schema check ever runs (loaders.go LoadProjectBytes).
    it("a !!binary yaml.v3 cannot decode is named before a timestamp the schema refuses, as the CLI meets them", () => {
        const file = stackBesideProject(["  x: 2024-01-02", "  y: !!binary aGVsbG8"]);
        assert.throws(() => readStackFileAt(file), {
            message: 'Pulumi.yaml: y is written !!binary aGVsbG8, which the Pulumi CLI refuses ("yaml: !!binary value contains invalid base64 data"): write padded base64, or drop the tag if it is text',
        });
    });
});
