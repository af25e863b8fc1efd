import * as assert from "assert";
import * as pulumiservice from "@pulumi/pulumiservice";
import { runUnderMocks } from "../../scripts/offline/mockCloud";
import { createPulumiAccess } from "../../deployments/pulumiAccess";
import { settingsSchema } from "../../deployments/settings";
import { DEPLOYMENTS_PROJECT, parsedCommittedSettings } from "./deploymentsPlan";

// The deployers' team is Pulumi Deployments' of the stacks deployed on push (its description in deployments/pulumiAccess.ts).
describe("deployments/: the deployers' stack grants (a stack neither deployed on push, released nor a review template)", function () {
    this.timeout(60_000);

    it("a stack not deployed on push gets no grant of the deployers' team: its token may edit dev only", async () => {
        const s = settingsSchema.parse({
            ...parsedCommittedSettings(),
            stacks: { dev: { deployOnPush: true }, staging: { deployOnPush: false }, prod: { deployOnPush: false, promoteFrom: "dev" } },
        });
        const { cloud } = await runUnderMocks({ stack: "main", project: DEPLOYMENTS_PROJECT }, () => {
            const stacks = Object.fromEntries(
                Object.keys(s.stacks).map((stack) => [stack, new pulumiservice.Stack(`${stack}-stack`, { organizationName: s.organization, projectName: s.project, stackName: stack })]),
            );
            const environments = new Proxy({} as Record<string, pulumiservice.Environment>, { get: () => undefined });
            createPulumiAccess(s, stacks, environments);
        });
        const deployersGrants = cloud.resources
            .filter((r) => r.type === "pulumiservice:index:TeamStackPermission" && r.inputs.team === `${s.project}-deployers`)
            .map((r) => `${r.inputs.stack}=${r.inputs.permission}`);
        assert.deepStrictEqual(deployersGrants, [`dev=${pulumiservice.TeamStackPermissionScope.Edit}`]);
    });
});
