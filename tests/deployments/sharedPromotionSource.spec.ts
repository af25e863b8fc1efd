import * as assert from "assert";
import * as pulumiservice from "@pulumi/pulumiservice";
import { runUnderMocks } from "../../scripts/offline/mockCloud";
import { createPulumiAccess } from "../../deployments/pulumiAccess";
import { settingsSchema } from "../../deployments/settings";
import { DEPLOYMENTS_PROJECT, parsedCommittedSettings } from "./deploymentsPlan";

/** deployments/pulumiAccess.ts alone for the committed settings with these stacks: each team's stack grants. */
async function pulumiAccessFor(stacks: Record<string, { deployOnPush: boolean; promoteFrom?: string }>) {
    const s = settingsSchema.parse({ ...parsedCommittedSettings(), stacks });
    const { cloud } = await runUnderMocks({ stack: "main", project: DEPLOYMENTS_PROJECT }, () => {
        const stackResources = Object.fromEntries(
            Object.keys(s.stacks).map((stack) => [stack, new pulumiservice.Stack(`${stack}-stack`, { organizationName: s.organization, projectName: s.project, stackName: stack })]),
        );
        const environments = new Proxy({} as Record<string, pulumiservice.Environment>, { get: () => undefined });
        createPulumiAccess(s, stackResources, environments);
    });
    const grantsOf = (team: string) => cloud.resources.filter((r) => r.type === "pulumiservice:index:TeamStackPermission" && r.inputs.team === `${s.project}-${team}`);
    return { grantsOf };
}

// config/parse.ts's isProductionStack names prod-eu among production stacks: two released stacks promoted from dev.
describe("deployments/: two released stacks that promote the same stack's image (prod and prod-eu from dev)", function () {
    this.timeout(60_000);

    // A second TeamStackPermission of one name fails the run as it fails the engine's: "Duplicate resource URN '<urn>';
    // try giving it a unique name" (the mocks refuse it in those words, scripts/offline/mockCloud.ts).
    it("the releasers read dev once: one TeamStackPermission per team and stack, no duplicate URN", async () => {
        const { grantsOf } = await pulumiAccessFor({ dev: { deployOnPush: true }, prod: { deployOnPush: false, promoteFrom: "dev" }, "prod-eu": { deployOnPush: false, promoteFrom: "dev" } });
        const releasersOn = (stack: string) => grantsOf("releasers").filter((r) => r.inputs.stack === stack).map((r) => r.inputs.permission);
        assert.deepStrictEqual(releasersOn("dev"), [pulumiservice.TeamStackPermissionScope.Read]);
        assert.deepStrictEqual(releasersOn("prod"), [pulumiservice.TeamStackPermissionScope.Edit]);
        assert.deepStrictEqual(releasersOn("prod-eu"), [pulumiservice.TeamStackPermissionScope.Edit]);
    });
});

// The deployers' team is Pulumi Deployments' of the stacks deployed on push (its description in deployments/pulumiAccess.ts).
describe("deployments/: the deployers' stack grants (a stack neither deployed on push, released nor a review template)", function () {
    this.timeout(60_000);

    it("a stack not deployed on push gets no grant of the deployers' team: its token may edit dev only", async () => {
        const { grantsOf } = await pulumiAccessFor({ dev: { deployOnPush: true }, staging: { deployOnPush: false }, prod: { deployOnPush: false, promoteFrom: "dev" } });
        const deployersGrants = grantsOf("deployers").map((r) => `${r.inputs.stack}=${r.inputs.permission}`);
        assert.deepStrictEqual(deployersGrants, [`dev=${pulumiservice.TeamStackPermissionScope.Edit}`]);
    });
});
