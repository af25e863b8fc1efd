import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { PROJECT_ROOT } from "../../config/stackFile";
import { DeploymentsPlan, deploymentsPlan, escLogins } from "./deploymentsPlan";

const deployProd = () => parse(fs.readFileSync(path.join(PROJECT_ROOT, ".github", "workflows", "deploy-prod.yml"), "utf8"));

/** ESC durations ("4h", "30m", "1h30m") in minutes. */
const minutes = (duration: string) => [...duration.matchAll(/(\d+)([hm])/g)].reduce((sum, [, n, unit]) => sum + Number(n) * (unit === "h" ? 60 : 1), 0);

describe("issue 20 #7: credentials outlive the longest job, and a release that would outlive them is refused before it starts", function () {
    this.timeout(30_000);
    let plan: DeploymentsPlan;
    before(async () => {
        plan = await deploymentsPlan();
    });

    it("the prod release job's AWS session (ESC aws-login), its role's maximum and its Pulumi token last at least the job's timeout", () => {
        const job = deployProd().jobs.up;
        const timeout: number = job["timeout-minutes"];
        assert.ok(timeout >= 60, `timeout-minutes ${timeout}`);
        const prod = plan.environments.find((e) => e.name === "multicloud-service/prod")!;
        assert.ok(prod, "no multicloud-service/prod environment");
        const aws = escLogins(prod.definition).find((l) => l.platform === "aws")!.block.oidc;
        assert.ok(minutes(aws.duration) >= timeout, `aws-login duration ${aws.duration} < timeout-minutes ${timeout}`);
        const role = plan.roles().find((r) => r.outputs.arn === aws.roleArn)!;
        assert.ok(role.inputs.maxSessionDuration >= minutes(aws.duration) * 60, `${role.name}: maxSessionDuration ${role.inputs.maxSessionDuration}`);
        const login = job.steps.find((s: any) => String(s.uses ?? "").startsWith("pulumi/auth-actions@"));
        assert.ok(Number(login.with["token-expiration"]) >= timeout * 60, `Pulumi token-expiration ${login.with["token-expiration"]}`);
        const issuer = plan.ofType("pulumiservice:index:OidcIssuer")[0];
        assert.ok(issuer && issuer.inputs.maxExpirationSeconds >= Number(login.with["token-expiration"]), "the issuer caps the token below what the job asks for");
        assert.strictEqual(Number(prod.definition.values.environmentVariables.RELEASE_CREDENTIALS_MINUTES), minutes(aws.duration), "the environment tells the job how long its credentials last");
    });

    it("the release's Cloud Run probe can get its ID token: prod's environment names the release's own account, which may mint ID tokens for itself, and the deployer for it", () => {
        const prod = plan.environments.find((e) => e.name === "multicloud-service/prod")!;
        const deployer = escLogins(prod.definition).find((l) => l.platform === "gcp")!.block.oidc.serviceAccount;
        const account = prod.definition.values.environmentVariables.RELEASE_GCP_SERVICE_ACCOUNT;
        assert.match(account, /^release-prod@/);
        const grants = plan.ofType("gcp:serviceaccount/iAMMember:IAMMember").filter((b) => b.inputs.role === "roles/iam.serviceAccountOpenIdTokenCreator");
        assert.ok(grants.every((g) => String(g.inputs.serviceAccountId).endsWith(`/serviceAccounts/${account}`)), "ID tokens of the release account only");
        // The release job mints with its own workload identity credentials; a release run by hand (`pulumi env run`) with the deployer's.
        assert.deepStrictEqual(grants.map((g) => g.inputs.member).sort(), [`serviceAccount:${account}`, `serviceAccount:${deployer}`].sort());
    });

    it("the workflow checks the release's worst case against that lifetime before the release step", () => {
        const steps: any[] = deployProd().jobs.up.steps;
        const check = steps.findIndex((s) => s.name === "the credentials outlive the release");
        assert.ok(check >= 0, "no check step");
        assert.ok(check < steps.findIndex((s) => s.name === "release"));
        assert.strictEqual(steps[check].run, 'node scripts/build/run.js deployments/checkReleaseWindow.ts prod "$RELEASE_CREDENTIALS_MINUTES"');
    });

    it("prod's release settings fit: worst case = the verification, every step waiting release.maxWaitMinutes and the slower cloud's metric delay, plus each pulumi up's allowance", async () => {
        const { releaseWindow } = await import("../../deployments/releaseWindow");
        const window = releaseWindow("prod");
        // Verification: 4 smoke requests and the load's last answers at 10 s each, plus release.verify.seconds (30): 80 s, 2 min.
        // Cloud Run's metrics are complete 180 s after the fact (CloudWatch's 120 s is shorter): 3 min per step.
        // Each up: 10 min, after at most 2 min waiting for another update's lock (release/stack/automationStack.ts).
        assert.deepStrictEqual(window, { stack: "prod", steps: 3, ups: 5, upMinutes: 12, verifyMinutes: 2, ingestionDelayMinutes: 3, maxWaitMinutes: 55, worstCaseMinutes: 2 + 3 * (55 + 3) + 5 * (10 + 2) });
        assert.ok(window.worstCaseMinutes <= deployProd().jobs.up["timeout-minutes"]);
    });

    it("a release that would outlive the credentials is refused, naming the keys; one that fits passes", async () => {
        const { checkReleaseWindow } = await import("../../deployments/releaseWindow");
        assert.throws(() => checkReleaseWindow("prod", 60), /prod's release may take 236 min \(2 min verification \(release\.verify\.seconds\) \+ 3 steps x \(release\.maxWaitMinutes 55 \+ 3 min metric ingestion delay\) \+ 5 pulumi up x 12 \(2 of them waiting for another update's lock\)\), longer than the 60 min its credentials last \(RELEASE_CREDENTIALS_MINUTES\): lower release\.maxWaitMinutes or release\.steps, or lengthen the prod environment's credentials/);
        assert.doesNotThrow(() => checkReleaseWindow("prod", 240));
        assert.throws(() => checkReleaseWindow("prod", Number.NaN), /RELEASE_CREDENTIALS_MINUTES must be a number of minutes/);
    });
});
