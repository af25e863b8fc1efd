import * as assert from "assert";
import { fixedNamesOf, renderFixedNames } from "../../scripts/plan/fixedNames";
import { unlistedNames } from "../harness/unlistedNames";
import { DeploymentsPlan, deploymentsPlan } from "./deploymentsPlan";

/** Inputs that give a deployments/ resource its name where a first `up` may find it taken. */
const NAME_INPUTS = ["name", "accountId", "workloadIdentityPoolId", "workloadIdentityPoolProviderId", "stackName", "teamName"];

/**
 * Names that cannot be taken: an OIDC issuer's name is its label in the organization (Pulumi Cloud tells issuers apart
 * by their URL; pulumi-pulumiservice v1.3.0 oidc_issuer.go), a token's team is the team the stack itself made, and a
 * policy pack's name takes one more version (its Create publishes versionTag under the name, and only a tag Pulumi
 * Cloud holds already is refused: pulumiapi/policypacks.go, PublishPolicyPack).
 */
const NOT_TAKEN = new Set(["pulumiservice:index:OidcIssuer name", "pulumiservice:index:TeamAccessToken teamName", "pulumiservice:index:PolicyPack name"]);

// A redo of the first `up` (after a `pulumi destroy`, or in an organization that had these) meets every name deployments/
// chose itself; the plan's section is where a platform engineer reads which, and how to free or adopt each.
describe("deployments/: the names its first up takes itself, as the plan lists them", function () {
    this.timeout(120_000);
    let resources: DeploymentsPlan["resources"];
    before(async () => {
        ({ resources } = await deploymentsPlan());
    });

    it("every resource that sets a name input is listed, or names something the stack made", async () => {
        assert.deepStrictEqual(unlistedNames(resources, NAME_INPUTS, NOT_TAKEN), []);
    });

    // Google keeps a deleted provider's ID for 30 days, as it does the pool's (terraform-provider-google
    // iam_workload_identity_pool_provider docs); its import ID is the provider's full name.
    it("the pool's providers, with their import IDs and the undelete that frees them", async () => {
        const providers = fixedNamesOf(resources).filter((n) => n.type === "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider");
        assert.deepStrictEqual(providers.map((n) => n.name).sort(), ["github-actions", "pulumi-oidc"]);
        for (const p of providers) {
            assert.match(p.importCommand ?? "", new RegExp(`'projects/[^/]+/locations/global/workloadIdentityPools/pulumi-deployments/providers/${p.name}'`));
            assert.match(p.whenTaken, /gcloud iam workload-identity-pools providers undelete/);
        }
    });

    // Pulumi Cloud's team token API: a name "must be unique across the organization (including deleted tokens)".
    it("the team tokens: no import (a token's value is shown only when it is made), and tokenGeneration named as the way out", async () => {
        const tokens = fixedNamesOf(resources).filter((n) => n.type === "pulumiservice:index:TeamAccessToken");
        assert.strictEqual(tokens.length, 3);
        for (const t of tokens) {
            assert.strictEqual(t.importCommand, undefined);
            assert.match(t.whenTaken, /deleted tokens included.*tokenGeneration/);
        }
        const section = renderFixedNames(resources).join("\n");
        assert.match(section, /multicloud-service-deployers-[0-9a-f]+ {2}\(pulumiservice:index:TeamAccessToken deployers\): .*\n {4}not adopted: /);
    });
});
