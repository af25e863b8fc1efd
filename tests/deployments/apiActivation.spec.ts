import * as assert from "assert";
import { withVirtualClock } from "../harness/virtualClock";
import { deploymentsPlan, deploymentsRegistrations } from "./deploymentsPlan";
import { failedUpdate } from "../harness/failedUpdate";

/**
 * The one-time setup runs deployments/ in a new pool project (docs/setup.md): it enables IAM there, and
 * enabling returns before IAM serves the project ("activation is not guaranteed by the time the google_project_service
 * resource is done provisioning ... just-created projects may experience longer service activation times", the Google
 * provider's guide to google_project_service). Until then IAM answers 403 SERVICE_DISABLED (the fake's answer,
 * scripts/offline/fakeApiActivation.ts), which the provider retries for neither the pool, its providers nor a service
 * account (magic-modules' retry predicates): the first `up` stopped halfway.
 */
describe("deployments/: a new pool project's IAM serves it only minutes after it is enabled", function () {
    this.timeout(60_000);
    const IAM_TYPES = ["gcp:iam/workloadIdentityPool:WorkloadIdentityPool", "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider", "gcp:serviceaccount/account:Account"];

    it("the pool, its providers and the accounts are registered once IAM serves the project, and the wait is said", () =>
        withVirtualClock(async (slept, infos) => {
            let cloud: any;
            const plan = await deploymentsPlan(undefined, (c) => ((cloud = c), c.apiActivation.activationReads.set("iam", 2)));
            assert.deepStrictEqual(
                cloud.apiActivation.requests.filter((r: any) => r.api === "iam").map((r: any) => [r.status, r.url]),
                [403, 403, 200].map((status) => [status, "https://iam.googleapis.com/v1/projects/multicloud-service-deployer/serviceAccounts?pageSize=1"]),
            );
            assert.deepStrictEqual(slept, [10_000, 10_000]);
            assert.ok(infos.some((m) => m.startsWith("waiting for iam.googleapis.com to serve project multicloud-service-deployer")), infos.join("\n"));
            for (const type of IAM_TYPES) assert.ok(plan.ofType(type).length > 0, type);
        }));

    it("an IAM that never serves fails the update after 5 minutes naming it, before the pool or any account is registered", () =>
        withVirtualClock(async () => {
            const { cloud } = await failedUpdate(
                deploymentsRegistrations((c) => c.apiActivation.activationReads.set("iam", Number.MAX_SAFE_INTEGER)),
                /iam\.googleapis\.com still answers 403 SERVICE_DISABLED for project multicloud-service-deployer 5 min after it was enabled/,
            );
            for (const type of IAM_TYPES) assert.deepStrictEqual(cloud.ofType(type).map((r: any) => r.name), [], `${type} registered before IAM served`);
            assert.ok(cloud.ofType("gcp:projects/service:Service").some((r: any) => r.inputs.service === "iam.googleapis.com"), "IAM itself is enabled");
        }));
});
