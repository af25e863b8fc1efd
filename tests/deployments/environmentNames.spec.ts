import * as assert from "assert";
import { runUnderMocks } from "../../scripts/offline/mockCloud";
import { createEscEnvironments } from "../../deployments/escEnvironments";
import { settingsSchema } from "../../deployments/settings";
import { DEPLOYMENTS_PROJECT, parsedCommittedSettings } from "./deploymentsPlan";

const withStacks = (stacks: Record<string, unknown>) => ({ ...parsedCommittedSettings(), stacks: { ...parsedCommittedSettings().stacks, ...stacks } });
const issuesOf = (settings: unknown) => {
    const parsed = settingsSchema.safeParse(settings);
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

describe("deployments/: a stack's credentials environment is none of the other environments", function () {
    this.timeout(60_000);

    it("a stack named preview, or like a released stack's release state, gives one ESC environment two definitions (a duplicate URN for the engine)", async () => {
        // As the settings were before they refused these names (the schema's own check is the next test).
        const committed = settingsSchema.parse(parsedCommittedSettings());
        const settings = { ...committed, stacks: { ...committed.stacks, preview: { deployOnPush: false, reviewTemplate: false }, "prod-release": { deployOnPush: false, reviewTemplate: false } } };
        const login = { awsRoleArn: "arn:aws:iam::123456789012:role/r", gcpServiceAccount: "a@p.iam.gserviceaccount.com", minutes: 60 };
        const gcp = { projectNumber: "1", poolId: "pulumi-deployments", providerId: "pulumi-oidc" };
        // The mocks refuse a second resource of one URN in the engine's words (scripts/offline/mockCloud.ts), as the
        // engine does before it sends anything.
        const run = runUnderMocks({ stack: "main", project: DEPLOYMENTS_PROJECT }, () =>
            createEscEnvironments(settings, Object.fromEntries(Object.keys(settings.stacks).map((s) => [s, login])), login, gcp, "arn:aws:iam::123456789012:policy/b"),
        );
        await assert.rejects(run, (err: Error) => {
            assert.match(err.message, /^2 resources were refused, which fails the update:/);
            for (const environment of ["esc-prod-release", "esc-preview"]) {
                assert.ok(err.message.includes(`Duplicate resource URN 'urn:pulumi:main::${DEPLOYMENTS_PROJECT}::pulumiservice:index:Environment::${environment}'; try giving it a unique name`), err.message);
            }
            return true;
        });
    });

    it("the settings refuse such a stack before anything is registered, naming it", () => {
        assert.deepStrictEqual(issuesOf(withStacks({})), []);
        assert.deepStrictEqual(issuesOf(withStacks({ preview: { deployOnPush: false } })), [
            "stacks.preview: its credentials environment would be multicloud-service/preview, the environment pull requests' previews open (read-only): name the stack otherwise",
        ]);
        assert.deepStrictEqual(issuesOf(withStacks({ "prod-release": { deployOnPush: false } })), [
            "stacks.prod-release: its credentials environment would be multicloud-service/prod-release, where prod's release keeps its state: name the stack otherwise",
        ]);
        // A name that only looks like one is fine: dev is not released, so dev-release keeps no release state.
        assert.deepStrictEqual(issuesOf(withStacks({ "dev-release": { deployOnPush: false } })), []);
    });
});
