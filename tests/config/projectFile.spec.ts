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
        ]);
        assert.throws(
            () => readStackFileAt(file),
            (err: Error) => {
                assert.deepStrictEqual(err.message.split("; "), [
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
                ]);
                return true;
            },
        );
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

    it("a Pulumi.yaml without a name is refused, as the CLI refuses it", () => {
        const folder = scratchDir("project-file");
        fs.writeFileSync(path.join(folder, "Pulumi.yaml"), "runtime: nodejs\nconfig:\n  aws:region: eu-west-1\n");
        fs.writeFileSync(path.join(folder, "Pulumi.dev.yaml"), "config: {}\n");
        assert.throws(() => readStackFileAt(path.join(folder, "Pulumi.dev.yaml")), {
            message: `${path.join(folder, "Pulumi.yaml")}: project is missing a non-empty string 'name' attribute (the Pulumi CLI refuses it): add name: <project> at its top`,
        });
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
            ],
            ["  multicloud-service:apiKey: plain-text", "  multicloud-service:replicas: many", "  multicloud-service:zones: [1, 2]", "  multicloud-service:flag: yes"],
        );
        assert.throws(
            () => readStackFileAt(file),
            (err: Error) => {
                assert.deepStrictEqual(err.message.split("; "), [
                    "Pulumi.dev.yaml: the Pulumi CLI refuses this stack's config: Stack 'dev' is missing configuration values 'databaseUrl' and 'multicloud-service:region': Pulumi.yaml declares them without a default. Set each in Pulumi.dev.yaml (pulumi config set <key> <value>) or give each a default in Pulumi.yaml",
                    "Stack 'dev' with configuration key 'apiKey' must be encrypted as it's secret: set it in Pulumi.dev.yaml with pulumi config set --secret multicloud-service:apiKey <value>",
                    "Stack 'dev' with configuration key 'flag' must be of type 'boolean' (its value in Pulumi.dev.yaml is not): change it, or the type in Pulumi.yaml",
                    "Stack 'dev' with configuration key 'replicas' must be of type 'integer' (its value in Pulumi.dev.yaml is not): change it, or the type in Pulumi.yaml",
                    "Stack 'dev' with configuration key 'zones' must be of type 'array<string>' (its value in Pulumi.dev.yaml is not): change it, or the type in Pulumi.yaml",
                ]);
                return true;
            },
        );
    });

    it("a stack the CLI accepts against the declarations is read: values as the CLI's text, a secret unchecked, a missing key left to ESC", () => {
        const declarations = ["  replicas: { type: integer }", "  name: { type: string }", "  apiKey: { type: integer, secret: true }", "  enabled: { type: boolean }", "  label: { type: string }"];
        const values = ["  multicloud-service:replicas: 5", "  multicloud-service:name: 5", "  multicloud-service:apiKey: { secure: v1:abc }", "  multicloud-service:enabled: true", "  multicloud-service:label:"];
        assert.doesNotThrow(() => readStackFileAt(stackBesideProject(declarations, values)));
        // An ESC environment's pulumiConfig may set a declared key: not read offline, so not called missing.
        const file = stackBesideProject([...declarations, "  databaseUrl: { type: string }"], values);
        fs.writeFileSync(file, `environment:\n  - multicloud-service/dev\n${fs.readFileSync(file, "utf8")}`);
        assert.doesNotThrow(() => readStackFileAt(file));
    });
});
