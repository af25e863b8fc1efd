import * as assert from "assert";
import { GCP_DEPLOYER_ROLES } from "../../deployments/settings";
import { deploymentsPlan } from "./deploymentsPlan";

// Each deployer role is one projects.IAMMember per stack named deploy-<stack>-<role ID>: a role listed twice is two
// resources of one URN, which the engine refuses before it sends anything, "Duplicate resource URN '<urn>'; try giving
// it a unique name" (pulumi/pulumi sdk/go/common/diag/errors.go, GetDuplicateResourceURNError; the mocks refuse it so
// too, scripts/offline/mockCloud.ts). The settings stop it first, naming the entry.
describe("deployments/: settings.gcpDeployerRoles lists each role once", function () {
    this.timeout(120_000);

    it("a role listed twice is refused before anything is registered, naming the entry", async () => {
        await assert.rejects(
            deploymentsPlan((s) => (s.gcpDeployerRoles = [...GCP_DEPLOYER_ROLES, "roles/run.admin"])),
            /invalid settings; nothing was deployed:\n {2}- multicloud-service-deployments:settings\.gcpDeployerRoles\.9: roles\/run\.admin is listed already \(roles\/run\.admin\)/,
        );
    });
});
