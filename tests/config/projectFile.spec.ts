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
});
