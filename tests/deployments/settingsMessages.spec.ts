import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { DEPLOYMENTS_PROJECT, committedSettings, loadedSettings, mockSettingsReadOnly } from "./deploymentsPlan";

/**
 * What someone editing deployments/Pulumi.<stack>.yaml reads when the settings are refused: each line names the key,
 * the value it holds and what it takes. In-process, at loadSettings (deployments.spec.ts runs the program).
 */
const KEY = `${DEPLOYMENTS_PROJECT}:settings`;
const HEADLINE = "invalid settings; nothing was deployed:";

/** The problems loadSettings listed for the committed settings after `change`, one a line. */
function refusedLines(change: (settings: any) => void): string[] {
    const settings = committedSettings();
    change(settings);
    return refusedTextLines(JSON.stringify(settings));
}

function refusedTextLines(text: string): string[] {
    const { error } = loadedSettings(text);
    assert.ok(pulumi.RunError.isInstance(error), `not refused as a RunError: ${String(error)}`);
    const [headline, ...lines] = (error as Error).message.split("\n");
    assert.strictEqual(headline, HEADLINE);
    return lines;
}

describe("deployments/' settings refused: the key, the value and the rule", () => {
    before(mockSettingsReadOnly);

    // Before: the SDK's ConfigTypeError, "Configuration '...:settings' value '{' is not a valid JSON object", which
    // says neither what the settings are nor where they go.
    it("settings text that is no JSON names the key, the text and the shape the settings take", () => {
        assert.deepStrictEqual(refusedTextLines("{"), [
            `  - ${KEY}: is no JSON (got "{"): the settings are one object, written as YAML under the key in deployments/Pulumi.<stack>.yaml (deployments/Pulumi.main.yaml is the example; docs/setup.md)`,
        ]);
    });

    // Before: zod's messages alone, which name the rule and not the value the key holds.
    it("a value zod refuses is shown beside its rule", () => {
        assert.deepStrictEqual(refusedLines((s) => (s.gcpProject = 5)), [`  - ${KEY}.gcpProject: Invalid input: expected string, received number (got 5)`]);
        assert.deepStrictEqual(refusedLines((s) => (s.organization = "-org")), [`  - ${KEY}.organization: must be a Pulumi organization name (got "-org")`]);
        assert.deepStrictEqual(refusedLines((s) => (s.stacks.prod.driftSchedule = "0 0 */6 * * *")), [`  - ${KEY}.stacks.prod.driftSchedule: must be a cron expression of five fields (got "0 0 */6 * * *")`]);
        assert.deepStrictEqual(refusedTextLines("null"), [`  - ${KEY}: Invalid input: expected object, received null (got null)`]);
    });

    // Before: a schedule of one word got two lines, the five-fields rule and croner's own parse error of the word.
    it("a drift schedule that is not five fields gets the five-fields rule alone", () => {
        assert.deepStrictEqual(refusedLines((s) => (s.stacks.prod.driftSchedule = "hourly")), [`  - ${KEY}.stacks.prod.driftSchedule: must be a cron expression of five fields (got "hourly")`]);
        // More than five fields too: croner's seconds-first six, its L extension among them, is not also refused for the L.
        assert.deepStrictEqual(refusedLines((s) => (s.stacks.prod.driftSchedule = "0 0 0 L * *")), [`  - ${KEY}.stacks.prod.driftSchedule: must be a cron expression of five fields (got "0 0 0 L * *")`]);
    });

    // The settings' own rules quote the value already (a stack name's, a branch's), an unknown key is named by zod, and a
    // missing key holds no value: each is shown as its rule says it, not with the value (an object, or undefined) again.
    it("a refusal that names its value already, or has none, is shown as its rule says it", () => {
        assert.deepStrictEqual(refusedLines((s) => (s.stacks["Bad Name"] = s.stacks.dev)), [`  - ${KEY}.stacks.Bad Name: "Bad Name" is not a stack name of lowercase letters, digits and '-', which name its accounts and roles in both clouds`]);
        assert.deepStrictEqual(refusedTextLines(JSON.stringify(committedSettings()).replace(/"stacks":\{/, '"stacks":{"__proto__":{},')), [`  - ${KEY}.stacks.__proto__: "__proto__" is not a stack name of lowercase letters, digits and '-', which name its accounts and roles in both clouds`]);
        assert.deepStrictEqual(refusedLines((s) => (s.unknownKey = 1)), [`  - ${KEY}: Unrecognized key: "unknownKey"`]);
        assert.deepStrictEqual(refusedLines((s) => delete s.gcpProject), [`  - ${KEY}.gcpProject: Invalid input: expected string, received undefined`]);
        assert.deepStrictEqual(refusedLines((s) => (s.branch = "main\u0100")), [
            `  - ${KEY}.branch: must be a branch name of characters IAM takes in a policy document (tab, line feed, carriage return, U+0020 to U+00FF): the image roles' trust names refs/heads/<branch> (got "main\u0100")`,
        ]);
    });

    // Before, each passed the settings: `stacks: {}` planned roles, teams and environments for no stack; a releaser
    // listed twice was an update of the team at every up; "roles/" was refused in zod's "Invalid string: must match
    // pattern /^roles\//", without the value or GCP's rule.
    it("settings naming no stack are refused", () => {
        assert.deepStrictEqual(refusedLines((s) => (s.stacks = {})), [
            `  - ${KEY}.stacks: names no stack: deployments/ sets up Pulumi Deployments, credentials and releases for the stacks listed here, and would make its roles, teams and environments for none: list the service's stacks (deployments/Pulumi.main.yaml lists dev, prod and review)`,
        ]);
    });

    it("a releaser listed twice is refused, naming the second", () => {
        assert.deepStrictEqual(refusedLines((s) => (s.releasers = ["alice", "bob", "alice"])), [
            `  - ${KEY}.releasers.2: alice is listed already: the releasers team would show an update at every up, one that changes nothing`,
        ]);
    });

    it("a role that is no predefined role's name is refused with GCP's role ID rule", () => {
        for (const role of ["roles/", "roles/a", "roles/run-admin", "projects/p/roles/x"]) {
            assert.deepStrictEqual(refusedLines((s) => (s.gcpDeployerRoles = [role])), [
                `  - ${KEY}.gcpDeployerRoles.0: must be a predefined role's name, roles/<role ID>: a role ID may contain alphanumeric characters, underscores (_), and periods (.), and must contain a minimum of 3 characters and a maximum of 64 characters (Google Cloud IAM) (got ${JSON.stringify(role)})`,
            ], role);
        }
        // A role ID of 65 characters, one over IAM's most.
        assert.match(refusedLines((s) => (s.gcpDeployerRoles = [`roles/${"a".repeat(65)}`])).join("\n"), /^ {2}- [^ ]+\.gcpDeployerRoles\.0: must be a predefined role's name, roles\/<role ID>: .* \(got "roles\/a+\.\.\. \(73 characters\)\)$/);
    });
});
