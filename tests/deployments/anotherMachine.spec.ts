import * as assert from "assert";
import { MachineRun, anotherMachineEnvironment, assertSameRunElsewhere, runDeploymentsOnAnotherMachine } from "../harness/anotherMachine";
import { scratchDir } from "../harness/tempDirs";
import { valueOf } from "../../scripts/offline/mockCloud";
import { committedConfig, deploymentsRegistrations } from "./deploymentsPlan";

/**
 * deployments/ is run by hand (`pulumi up` in deployments/) on whoever's machine, with default providers only: an input
 * it leaves to the aws, gcp or pulumiservice provider is the machine's (its AWS_REGION, GOOGLE_PROJECT, PULUMI_* ...).
 */
describe("deployments/ main under mocks, on another machine", function () {
    this.timeout(120_000);

    it("registers the same resources with the same inputs whatever machine it runs on", async () => {
        // A laptop's, the Deployments runner's or a CI runner's environment (tests/harness/anotherMachine.ts), in another folder.
        const home = scratchDir("another-machine-deployments");
        const elsewhere = runDeploymentsOnAnotherMachine(anotherMachineEnvironment("main", home), home);
        const clean = await deploymentsRegistrations();
        const here: MachineRun = JSON.parse(JSON.stringify({ resources: clean.cloud.resources, calls: clean.cloud.calls, outputs: await valueOf(clean.result as any) }));
        assertSameRunElsewhere(elsewhere, here, home);
        // Nor does its home: no path of that machine reaches the cloud.
        assert.ok(!JSON.stringify(elsewhere.resources).includes(home), `a registered value holds ${home}`);
        assert.ok(clean.cloud.resources.some((r) => r.type.startsWith("gcp:")) && clean.cloud.calls.length > 0, "nothing to compare");
        // The mocks answer every provider alike, so what the default provider would fill in is not seen above: the engine
        // configures it from the stack's gcp:* keys (Pulumi.main.yaml has none), and an unset project then comes from
        // GOOGLE_PROJECT, GOOGLE_CLOUD_PROJECT, GCLOUD_PROJECT or CLOUDSDK_CORE_PROJECT (pulumi/pulumi-gcp
        // provider/resources.go, ConfigStringValue(vars, "project", ...); @pulumi/gcp config/vars.js, `project`). So every
        // gcp resource names its project, or a service account by its fully-qualified name, projects/<project>/serviceAccounts/<email>
        // (terraform-provider-google resourcemanager/iam_service_account.go: service_account_id, ServiceAccountLinkRegex).
        for (const r of clean.cloud.resources.filter((r) => r.custom && r.type.startsWith("gcp:") && !r.provider)) {
            const named = r.inputs.project ?? /^projects\/([^/]+)\/serviceAccounts\//.exec(String(r.inputs.serviceAccountId))?.[1];
            assert.ok(typeof named === "string" && named !== "", `${r.type} ${r.name} leaves its project to the machine (the default provider's)`);
        }
        // Its invokes alike: getProject names its project; getClientConfig is the provider's own configuration (and
        // credentials) by design, of which deployments/gcpOidc.ts reads only the access token.
        for (const c of clean.cloud.calls.filter((c) => c.token.startsWith("gcp:") && c.provider === "")) {
            if (c.token === "gcp:organizations/getClientConfig:getClientConfig") continue;
            assert.ok(c.inputs.project ?? c.inputs.projectId, `invoke ${c.token} leaves its project to the machine (the default provider's)`);
        }
        // The aws default provider's region is the stack's aws:region, which the engine passes it from Pulumi.main.yaml
        // (set, it wins over AWS_REGION and AWS_DEFAULT_REGION: @pulumi/aws config/vars.js, `region`).
        assert.strictEqual(committedConfig()["aws:region"], "ap-northeast-1");
    });
});
