import * as assert from "assert";
import { WORKLOAD_ROLE_PREFIX, WORKLOAD_ROLE_SERVICES } from "../../deployments/workloadRoles";
import { runProgram } from "../../scripts/offline/runProgram";
import { withAwsSettings } from "../harness/stackConfig";
import { committedStackRun } from "../harness/committedStackRun";

/** dev's stack file with `aws.permissionsBoundary` as its ESC environment adds it (deployments/escEnvironments.ts). */
const devWith = (permissionsBoundary: string) => withAwsSettings("dev", { permissionsBoundary });

describe("the service's AWS roles under the boundary its deploy role requires (aws.permissionsBoundary)", function () {
    this.timeout(60_000);
    const boundary = "arn:aws:iam::123456789012:policy/multicloud-service-workload-boundary";

    it("every role carries the boundary and keeps its name and path: a stack that ran before gets it in place, not new roles", async () => {
        // A replaced role is deleted, and a published Lambda version keeps the role it was published with: the stable
        // version a release keeps serving would lose its role. Name and path are what would replace a role.
        const [before, after] = [await committedStackRun("dev"), await runProgram("dev", { config: devWith(boundary) })];
        const roles = (run: typeof before) => run.cloud.ofType("aws:iam/role:Role");
        // The functions', the pipeline's, the health check's and its schedule's.
        assert.strictEqual(roles(after).length, 5, roles(after).map((r) => r.name).join(", "));
        for (const role of roles(after)) {
            assert.strictEqual(role.inputs.permissionsBoundary, boundary, role.name);
            const earlier = roles(before).find((r) => r.name === role.name)!;
            assert.deepStrictEqual([role.inputs.path, role.inputs.name, role.outputs.arn], [earlier.inputs.path, earlier.inputs.name, earlier.outputs.arn], `${role.name}: the same role`);
            assert.strictEqual(earlier.inputs.permissionsBoundary, undefined);
            // The names the deploy roles may pass (deployments/workloadRoles.ts).
            assert.ok(role.outputs.name.startsWith(WORKLOAD_ROLE_PREFIX), role.outputs.name);
            // ... and the services they may pass them to: each role's trusted service is passed it by that service's
            // create (a schedule's role by CreateSchedule), which fails with AccessDenied on iam:PassRole otherwise.
            const trusted = JSON.parse(role.inputs.assumeRolePolicy).Statement.map((s: { Principal: { Service: string } }) => s.Principal.Service);
            for (const service of trusted) assert.ok((WORKLOAD_ROLE_SERVICES as readonly string[]).includes(service), `${role.name}: deploy roles may not pass it to ${service}`);
        }
    });

    it("a boundary that is no managed policy's ARN fails naming the key", async () => {
        await assert.rejects(runProgram("dev", { config: devWith("multicloud-service-workload-boundary") }), /multicloud-service:aws\.permissionsBoundary: must be the ARN of an IAM managed policy/);
    });
});
