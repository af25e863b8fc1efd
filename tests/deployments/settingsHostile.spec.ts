import * as assert from "assert";
import * as fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import { DEPLOYMENTS_PROJECT, committedSettings, loadedSettings as read, mockSettingsReadOnly } from "./deploymentsPlan";
import { binaryText } from "../harness/binaryText";

/**
 * deployments/' settings as someone edits deployments/Pulumi.main.yaml, read where the program reads them
 * (loadSettings, from the stack's config): every refusal is the RunError the Pulumi CLI prints alone, under the
 * settings' headline, each line naming a key of the settings, never a TypeError or a line naming nothing.
 * deployments.spec.ts holds an example of each rule; this looks for the inputs nobody wrote an example of.
 */
const RUNS = 300;
const SETTINGS_KEY = `${DEPLOYMENTS_PROJECT}:settings`;

const oddText = fc.oneof(
    fc.constantFrom("", " ", "-", "--", ".", "..", "/", "@", "@{", "__proto__", "constructor", "toString", "hasOwnProperty", "HEAD", "main.lock", "a b", "é", "日本", "\u0000", "\ud800", "\u00a0", "repo:", "repo:a", "repo:a/b/c", "roles/", "*", "?", "0", "1e400"),
    fc.string({ maxLength: 12 }),
    binaryText({ maxLength: 6 }),
    fc.constantFrom(300, 5000).map((n) => "a".repeat(n)),
);
const cron = fc.oneof(
    fc.tuple(...Array.from({ length: 5 }, () => fc.constantFrom("*", "0", "59", "60", "*/0", "*/7", "1-5", "5-1", "1,2", "-", ",", "/", "L", "W", "?", "#", "JAN", "MON", "7", "31", "2", "99999999999999999999"))).map((f) => f.join(" ")),
    oddText,
);
const oddValue: fc.Arbitrary<unknown> = fc.oneof(
    oddText,
    fc.constantFrom(null, true, false, 0, -1, 1.5, 2 ** 53, [], {}, [[]], { __proto__: null }),
    fc.array(oddText, { maxLength: 3 }),
    fc.dictionary(oddText, oddText, { maxKeys: 2 }),
);
const stackName = fc.oneof(fc.constantFrom("dev", "prod", "review", "preview", "dev-release", "prod-release", "prod-eu", "constructor", "__proto__", "toString", "-", "1"), oddText);
const stackEntry = fc.record(
    { deployOnPush: fc.oneof(fc.boolean(), oddValue), reviewTemplate: fc.oneof(fc.boolean(), oddValue), promoteFrom: fc.oneof(stackName, oddValue), driftSchedule: fc.oneof(cron, oddValue), extra: oddValue },
    { requiredKeys: [] },
);

type Edit = { apply: (settings: any) => void; [fc.toStringMethod]: () => string };
/** An edit that fast-check prints as what it did, so that a counterexample reads as the settings it made. */
const editing = (description: string, apply: (settings: any) => void): Edit => ({ apply, [fc.toStringMethod]: () => description });
const set = (target: any, key: string, value: unknown) => Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
/** The stacks object to edit: the committed one, or a new one where an earlier edit replaced it. */
const stacksOf = (s: any) => (typeof s.stacks === "object" && s.stacks !== null && !Array.isArray(s.stacks) ? s.stacks : (s.stacks = {}));
const show = (value: unknown) => (value === undefined ? "(removed)" : fc.stringify(value));

/** One edit of the committed settings: a key set to another value, taken out, or a stack added or changed. */
const edit: fc.Arbitrary<Edit> = fc.oneof(
    fc.tuple(fc.constantFrom("organization", "repository", "githubSubjectPrefix", "branch", "project", "releasers", "tokenGeneration", "gcpProject", "existingAwsOidcProviders", "awsPolicyArns", "gcpDeployerRoles", "policyGroups", "stacks", "__proto__", "unknownKey"), fc.oneof(oddValue, fc.constant(undefined)))
        .map(([key, value]) => editing(`${key} = ${show(value)}`, (s) => (value === undefined ? delete s[key] : set(s, key, value)))),
    fc.tuple(stackName, stackEntry).map(([name, entry]) => editing(`stacks.${name} = ${show(entry)}`, (s) => set(stacksOf(s), name, entry))),
    fc.tuple(fc.constantFrom("dev", "prod", "review"), fc.constantFrom("deployOnPush", "reviewTemplate", "promoteFrom", "driftSchedule"), fc.oneof(stackName, cron, oddValue))
        .map(([name, key, value]) => editing(`stacks.${name}.${key} = ${show(value)}`, (s) => set((stacksOf(s)[name] ??= {}), key, value))),
);

function assertSettingsRefusal(error: unknown, input: string) {
    assert.ok(pulumi.RunError.isInstance(error), `not a RunError for ${input}: ${(error as Error)?.stack ?? String(error)}`);
    const message = (error as Error).message;
    const [headline, ...lines] = message.split("\n");
    assert.strictEqual(headline, "invalid settings; nothing was deployed:", input);
    assert.ok(lines.length > 0, `no problem listed for ${input}`);
    for (const line of lines) assert.match(line, new RegExp(`^ {2}- (${SETTINGS_KEY}|pulumi:autonaming)[.:]`), `a line naming no key, for ${input}`);
    assert.doesNotMatch(message, /Cannot read propert|is not a function|undefined \(reading|\bat \S+ \(/, input);
}

describe("deployments/' settings, edited by hand (property-based, at loadSettings)", function () {
    this.timeout(60_000);

    before(mockSettingsReadOnly);

    it(`${RUNS} edits of Pulumi.main.yaml's settings: planned, or refused as the settings' RunError naming each key`, () => {
        fc.assert(
            fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
                const settings = committedSettings();
                for (const e of edits) e.apply(settings);
                const text = JSON.stringify(settings);
                const { error } = read(text);
                if (error !== undefined) assertSettingsRefusal(error, text.slice(0, 2000));
            }),
            { numRuns: RUNS },
        );
    });

    it("settings that are no object, or no JSON, are refused the same way", () => {
        for (const text of ["null", "5", "[]", '"x"', "yes", "{", "{}", '{"__proto__": {}}']) {
            const { error } = read(text);
            assert.notStrictEqual(error, undefined, text);
            assertSettingsRefusal(error, text);
        }
    });
});
