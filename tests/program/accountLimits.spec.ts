import * as assert from "assert";
import { GiB } from "../../scripts/offline/fakeCloudQuotasApi";
import { MockCloud } from "../../scripts/offline/mockCloud";
import { failedWithAwsServiceUnreachable } from "../harness/closedPort";
import { runProgram } from "../../scripts/offline/runProgram";
import { apiAlreadyOn } from "../harness/enabledApis";
import { registeredTypes } from "../harness/registeredTypes";
import { withAwsSettings } from "../harness/stackConfig";

// Before: the reservation was checked inside the API function's inputs, so a real `up` had made the bucket, the roles,
// the repository and the other cloud's resources before the refusal, which came among the errors of everything that
// waited for the function ("error serializing property ..."). The account's limit is GetAccountSettings'
// AccountLimit.ConcurrentExecutions (Lambda API reference); a new account's is often 10.
describe("a reservation the AWS account cannot grant is a settings error, before anything of either cloud is registered", function () {
    this.timeout(60_000);

    it("prod's reservation of 100 in an account whose limit is 10", async () => {
        let cloud: MockCloud | undefined;
        const setup = (c: MockCloud) => ((cloud = c), (c.awsApis.concurrencyLimit = 10));
        await assert.rejects(runProgram("prod", { setup }), (err: Error) => {
            assert.match(
                err.message,
                /^Stack "prod" has 1 invalid setting; nothing was deployed:\n {2}- multicloud-service:aws\.reservedConcurrency: reserved concurrency 100 would leave less than 10 of this account's 10 concurrent executions unreserved in \S+, which Lambda refuses/,
            );
            assert.doesNotMatch(err.message, /error serializing/);
            return true;
        });
        assert.deepStrictEqual(registeredTypes(cloud), []);
    });

    // Before: the first check to fail was the only one reported; a settings error lists every problem at once.
    it("with a prebuilt image the stack cannot run too: both in one settings error", async () => {
        const image = `111111111111.dkr.ecr.ap-northeast-1.amazonaws.com/svc@sha256:${"a".repeat(64)}`;
        await assert.rejects(runProgram("prod", { config: withAwsSettings("prod", { image }), setup: (c) => (c.awsApis.concurrencyLimit = 10) }), (err: Error) => {
            assert.match(err.message, /^Stack "prod" has 2 invalid settings; nothing was deployed:/);
            assert.match(err.message, /multicloud-service:aws\.image: must be in this stack's AWS account/);
            assert.match(err.message, /multicloud-service:aws\.reservedConcurrency: reserved concurrency 100 would leave less than 10/);
            return true;
        });
    });

    it("an account that can grant it: nothing refused, and the account's limits read once for the program's check and the component's", async () => {
        const { cloud } = await runProgram("prod", { setup: (c) => (c.awsApis.concurrencyLimit = 1000) });
        assert.ok(cloud.ofType("aws:lambda/function:Function").length > 0);
        assert.strictEqual(cloud.awsApis.requests.filter((r) => r.action === "GetAccountSettings").length, 1);
    });

    // A read of the account's limit that fails is the run's failure here, before anything is registered, as the other
    // checks' are (left to the component, it came only once the bucket, the roles and the other cloud's resources were
    // registered), and it names Lambda, the call, the setting and what to do, as the signing key's read names KMS's.
    // Before: the SDK's words alone ("connect ECONNREFUSED 127.0.0.1:<port>").
    it("Lambda's GetAccountSettings unreachable (aws.reservedConcurrency set): the run fails before anything is registered, naming Lambda, the call and the setting", async () => {
        // Lambda alone goes to a port nobody listens on.
        const { message, port, cloud } = await failedWithAwsServiceUnreachable("prod", "AWS_ENDPOINT_URL_LAMBDA");
        assert.doesNotMatch(message, /error serializing/);
        // The SDK's words whole: Node's connect error for the closed port (after the SDK's 3 attempts).
        assert.match(
            message,
            new RegExp(
                "^could not read the account's Lambda limits in ap-northeast-1 \\(GetAccountSettings\\), which multicloud-service:aws\\.reservedConcurrency 100 is checked against: " +
                    `Error: connect ECONNREFUSED 127\\.0\\.0\\.1:${port}; run again once Lambda answers$`,
            ),
        );
        assert.deepStrictEqual(registeredTypes(cloud), []);
    });

    // Before: a deployer without lambda:GetAccountSettings got Lambda's AccessDeniedException alone; it names the
    // permission now, as the signing key's read names kms:GetPublicKey. A refusal is not an unanswered read: it does not
    // say to wait for Lambda. Lambda's answer: fakeAwsApis.ts denyAccountSettings (its sources).
    it("Lambda refuses GetAccountSettings (AccessDeniedException): the run fails before anything is registered, naming the permission", async () => {
        let cloud: MockCloud | undefined;
        const setup = (c: MockCloud) => ((cloud = c), (c.awsApis.denyAccountSettings = true));
        await assert.rejects(runProgram("prod", { setup }), (err: Error) => {
            assert.match(
                err.message,
                /^could not read the account's Lambda limits in ap-northeast-1 \(GetAccountSettings\), which multicloud-service:aws\.reservedConcurrency 100 is checked against: AccessDeniedException: User: arn:aws:sts::\d{12}:assumed-role\/deployer\/session is not authorized to perform: lambda:GetAccountSettings on resource: \* because no identity-based policy allows the lambda:GetAccountSettings action \(the deploying identity needs lambda:GetAccountSettings\)$/,
            );
            return true;
        });
        assert.deepStrictEqual(registeredTypes(cloud), []);
        assert.strictEqual(cloud!.awsApis.requests.filter((r) => r.action === "GetAccountSettings").length, 1);
    });

    // Before: a deploy role whose permissions boundary (one an account's administrators require of every role) leaves
    // lambda:GetAccountSettings out was told it "needs lambda:GetAccountSettings", which its policies may already allow:
    // its boundary must allow it too. IAM's words name the boundary (fakeIds.ts iamNotAuthorized).
    it("Lambda refuses GetAccountSettings by the deployer's permissions boundary: the refusal names the boundary, not a missing grant", async () => {
        await assert.rejects(runProgram("prod", { setup: (c) => void (c.awsApis.denyAccountSettings = "permissions boundary") }), (err: Error) => {
            assert.match(
                err.message,
                /lambda:GetAccountSettings on resource: \* because no permissions boundary allows the lambda:GetAccountSettings action \(the deploying identity's permissions boundary does not allow it, not a permission the deploying identity lacks: the boundary \(aws iam get-role --role-name deployer --query Role\.PermissionsBoundary\) must allow lambda:GetAccountSettings too\)$/,
            );
            assert.doesNotMatch(err.message, /the deploying identity needs/);
            return true;
        });
    });
});

// Before: the quota was read only inside the Cloud Run component, so raising gcp.maxInstances on an existing stack
// failed the `up` after the other resources of both clouds had been updated, among the errors of what waited for the
// service. The Cloud Quotas API answers 403 SERVICE_DISABLED until the project enables it (fakeCloudQuotasApi.ts).
describe("max instances the project's Cloud Run quota cannot hold are a settings error where the quota can be read", function () {
    this.timeout(60_000);
    /** prod's project with the Cloud Quotas API on: an `up` after the first. */
    const quotasOn = apiAlreadyOn("cloudquotas.googleapis.com");
    /** 16 vCPU in prod's region, below its 10 instances of 2 CPU. */
    const sixteenVcpu = (c: MockCloud) => c.cloudQuotas.regions.set("asia-northeast1", { cpuMilli: 16_000, memoryBytes: 40 * GiB });
    const quotaOf16 = (c: MockCloud) => (quotasOn(c), sixteenVcpu(c));

    it("prod's 10 instances of 2 CPU in a region of 16 vCPU: refused before anything of either cloud is registered", async () => {
        let cloud: MockCloud | undefined;
        await assert.rejects(runProgram("prod", { setup: (c) => ((cloud = c), quotaOf16(c)) }), (err: Error) => {
            assert.match(
                err.message,
                /^Stack "prod" has 1 invalid setting; nothing was deployed:\n {2}- multicloud-service:gcp\.maxInstances: max instances 10 of 2 CPU and 2Gi each would need 20 vCPU of the 16 vCPU CpuAllocPerProjectRegion allows in asia-northeast1 \(project multicloud-service-prod\), which Cloud Run refuses: set at most 8 max instances/,
            );
            assert.doesNotMatch(err.message, /error serializing/);
            return true;
        });
        assert.deepStrictEqual(registeredTypes(cloud), []);
    });

    it("on a first up (the API still off) its SERVICE_DISABLED is not waited out here: the component enables the API and refuses there", async () => {
        let cloud: MockCloud | undefined;
        const setup = (c: MockCloud) => ((cloud = c), sixteenVcpu(c));
        await assert.rejects(runProgram("prod", { setup }), /max instances 10 of 2 CPU and 2Gi each would need 20 vCPU of the 16 vCPU/);
        assert.ok(registeredTypes(cloud)!.includes("gcp:projects/service:Service"), "the component went on to enable the APIs");
        // The read's waits are on the run's virtual clock (googleApiError.ts getGoogleApi sleeps on waitClock). Before: on a
        // real timer, unseen here, so a program's read that waited out SERVICE_DISABLED (6 x 10 s) passed 50 s later.
        assert.deepStrictEqual(cloud!.waits.filter((ms) => ms === 10_000), [], "no wait for a just-enabled API at the program's read");
        // Each quota once before anything is registered (answered SERVICE_DISABLED), then once by the component.
        assert.strictEqual(cloud!.cloudQuotas.requests.length, 4);
    });

    it("a quota that holds them: nothing refused, each quota read once for the program's check and the component's", async () => {
        const { cloud } = await runProgram("prod", { setup: quotasOn });
        assert.strictEqual(cloud.one("gcp:cloudrunv2/service:Service").inputs.scaling.maxInstanceCount, 10);
        assert.deepStrictEqual(cloud.cloudQuotas.requests.map((r) => r.url.split("/").pop()).sort(), ["CpuAllocPerProjectRegion", "MemAllocPerProjectRegion"]);
    });

    // The program's read leaves every other answer to the component, which names it: nothing is lost by asking first.
    it("a deployer that may not read quotas: not a settings error; the component's read names the permission", async () => {
        const setup = (c: MockCloud) => {
            quotasOn(c);
            c.cloudQuotas.denied = true;
        };
        await assert.rejects(runProgram("prod", { setup }), (err: Error) => {
            assert.doesNotMatch(err.message, /invalid setting/);
            assert.match(err.message, /could not read Cloud Run's \w+ quota of project multicloud-service-prod: HTTP 403 PERMISSION_DENIED.*the deploying identity needs cloudquotas\.quotas\.get/s);
            return true;
        });
    });
});
