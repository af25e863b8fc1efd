import * as assert from "assert";
import { readStackFile } from "../../config/stackFile";
import { workloadRolePath } from "../../deployments/workloadRoles";
import { runProgram } from "../../scripts/offline/runProgram";

/** dev's stack file with `aws.workloadRoles` as its ESC environment adds it (deployments/escEnvironments.ts). */
function devWith(workloadRoles: unknown): Record<string, string> {
    const { config } = readStackFile("dev");
    const aws = JSON.parse(config["multicloud-service:aws"]);
    return { ...config, "multicloud-service:aws": JSON.stringify({ ...aws, workloadRoles }) };
}

describe("the service's AWS roles under the boundary and path its deploy role requires (aws.workloadRoles)", function () {
    this.timeout(60_000);
    const boundary = "arn:aws:iam::123456789012:policy/multicloud-service-workload-boundary";

    it("every role carries the boundary and lives under the path; Lambda and Step Functions get roles of that path", async () => {
        const path = workloadRolePath("multicloud-service");
        const run = await runProgram("dev", { config: devWith({ permissionsBoundary: boundary, path }) });
        const roles = run.cloud.ofType("aws:iam/role:Role");
        assert.strictEqual(roles.length, 3, roles.map((r) => r.name).join(", "));
        for (const role of roles) {
            assert.deepStrictEqual({ boundary: role.inputs.permissionsBoundary, path: role.inputs.path }, { boundary, path }, role.name);
            assert.match(role.outputs.arn, /^arn:aws:iam::123456789012:role\/multicloud-service\/[^/]+$/, role.name);
        }
        const roleArns = new Set(roles.map((r) => r.outputs.arn));
        for (const fn of run.cloud.ofType("aws:lambda/function:Function")) assert.ok(roleArns.has(fn.inputs.role), fn.name);
        assert.ok(roleArns.has(run.cloud.one("aws:sfn/stateMachine:StateMachine").inputs.roleArn));
    });

    it("unset (a stack deployed without deployments/): roles at the root path, no boundary", async () => {
        const run = await runProgram("dev");
        for (const role of run.cloud.ofType("aws:iam/role:Role")) assert.deepStrictEqual([role.inputs.permissionsBoundary, role.inputs.path], [undefined, undefined], role.name);
    });

    it("a boundary that is no managed policy's ARN, or a path IAM refuses, fails naming the key", async () => {
        await assert.rejects(runProgram("dev", { config: devWith({ permissionsBoundary: "multicloud-service-workload-boundary", path: "/multicloud-service/" }) }), /multicloud-service:aws\.workloadRoles\.permissionsBoundary: must be the ARN of an IAM managed policy/);
        await assert.rejects(runProgram("dev", { config: devWith({ permissionsBoundary: boundary, path: "multicloud-service" }) }), /multicloud-service:aws\.workloadRoles\.path: must be an IAM path such as \/multicloud-service\//);
    });
});
