import * as assert from "assert";
import * as pulumiservice from "@pulumi/pulumiservice";
import * as random from "@pulumi/random";
import { Sleep } from "@pulumiverse/time/sleep";
import { runUnderMocks } from "../../scripts/offline/mockCloud";
import { SERVICE_INPUT_CHECKS } from "../../scripts/offline/serviceInputChecks";
import { inputCheckRefusal } from "../../scripts/offline/inputChecks";
import { deploymentsRegistrations } from "../deployments/deploymentsPlan";
import { failedUpdate } from "./failedUpdate";

/**
 * The service providers' checks of resource inputs (scripts/offline/serviceInputChecks.ts): a value the provider's
 * Check refuses fails the run under mocks as the first real preview would, and the committed program meets them all.
 */
describe("service providers' input checks under mocks", function () {
    this.timeout(120000);
    const run = (program: () => unknown) => runUnderMocks({ stack: "dev" }, program);

    it("a policy pack version tag outside Pulumi Cloud's pattern fails (pulumi-pulumiservice policy_pack.go)", async () => {
        await failedUpdate(
            run(() => new pulumiservice.PolicyPack("pack", { organization: "o", name: "p", versionTag: "0.1.0+64f70c046d92", sourcePath: "policy" })),
            /pulumiservice:index:PolicyPack resource 'pack': property versionTag value \{0\.1\.0\+64f70c046d92\} has a problem: "0\.1\.0\+64f70c046d92" is not a valid policy pack version tag \(must match \^\[a-zA-Z0-9-_\.\]\{1,100\}\$\)/,
        );
    });

    it("a policy group mode other than audit or preventative fails (policy_group.go)", async () => {
        await failedUpdate(
            run(() => new pulumiservice.PolicyGroup("group", { organizationName: "o", name: "g", mode: "enforce" as any, entityType: "stacks" })),
            /pulumiservice:index:PolicyGroup resource 'group': property mode value \{enforce\} has a problem: mode must be either 'audit' or 'preventative'/,
        );
    });

    it("an environment name with a '/' fails (environment.go)", async () => {
        await failedUpdate(
            run(() => new pulumiservice.Environment("env", { organization: "o", project: "multicloud-service", name: "dev/credentials", yaml: new (require("@pulumi/pulumi").asset.StringAsset)("values: {}") })),
            /property name value \{dev\/credentials\} has a problem: 'name' property contains `\/` illegal character/,
        );
    });

    it("a team environment permission's maxOpenDuration Go cannot parse fails (team_environment_perm.go)", async () => {
        await failedUpdate(
            run(() => new pulumiservice.TeamEnvironmentPermission("perm", { organization: "o", team: "t", project: "p", environment: "e", permission: "open", maxOpenDuration: "1d" })),
            /property maxOpenDuration value \{1d\} has a problem: malformed duration: time: unknown unit "d" in duration "1d"/,
        );
    });

    it("a time.Sleep duration outside the time provider's pattern fails (terraform-provider-time resource_time_sleep.go)", async () => {
        await failedUpdate(
            run(() => new Sleep("wait", { createDuration: "1 minute" })),
            /time:index\/sleep:Sleep resource 'wait' has a problem: Invalid Attribute Value Match\. Attribute create_duration must be a number immediately followed by ms .*, got: 1 minute\. Examine values at 'wait\.createDuration'\./,
        );
    });

    it("a random password of length 0 fails (terraform-provider-random resource_password.go)", async () => {
        await failedUpdate(run(() => new random.RandomPassword("token", { length: 0 })), /Attribute length value must be at least 1, got: 0/);
    });

    it("Go's duration words: what ParseDuration takes and how it refuses the rest", () => {
        const check = SERVICE_INPUT_CHECKS.find((c) => c.property === "maxOpenDuration")!;
        for (const ok of ["1h30m", "90s", "1.5h", "0", "-2m", ".5s"]) assert.strictEqual(check.refuse(ok), undefined, ok);
        assert.strictEqual(check.refuse("5"), 'malformed duration: time: missing unit in duration "5"');
        assert.strictEqual(check.refuse("h"), 'malformed duration: time: invalid duration "h"');
        assert.strictEqual(inputCheckRefusal("time:index/sleep:Sleep", "w", { createDuration: "60s" }, SERVICE_INPUT_CHECKS), undefined);
    });

    it("deployments/ with its committed settings meets every check", async () => {
        await deploymentsRegistrations();
    });
});
