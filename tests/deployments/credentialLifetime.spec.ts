import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { PROJECT_ROOT } from "../../config/stackFile";
import { workflowSteps } from "../workflows/workflowFiles";
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

    /**
     * GitHub cancels a job `timeout-minutes` after it starts, and a step `timeout-minutes` after the step starts
     * (workflow syntax, jobs.<job_id>.timeout-minutes and jobs.<job_id>.steps[*].timeout-minutes); a Pulumi token lasts
     * `token-expiration` seconds from its exchange (pulumi/auth-actions), an ESC aws-login session its `duration` from
     * when the environment is opened. So each credential is checked from the step that takes it to the last step that
     * uses it, each step counted at its limit.
     */
    it("the prod release job: each step has a limit and the job's is their sum; each credential outlasts the steps that use it, counted from when it is taken", () => {
        const job = deployProd().jobs.up;
        const steps: any[] = job.steps;
        const limit = (s: any) => s["timeout-minutes"];
        assert.deepStrictEqual(steps.filter((s) => typeof limit(s) !== "number").map((s) => s.name ?? s.uses ?? s.run), [], "steps without timeout-minutes");
        assert.strictEqual(job["timeout-minutes"], steps.reduce((sum, s) => sum + limit(s), 0), "the job's limit is its steps' sum");
        assert.ok(job["timeout-minutes"] <= 360, "GitHub-hosted runners stop any job at 6 h");
        /** The most minutes from the start of step `from` to the end of step `to`. */
        const span = (from: number, to: number) => steps.slice(from, to + 1).reduce((sum, s) => sum + limit(s), 0);
        const index = (predicate: (s: any) => boolean) => steps.findIndex(predicate);

        const logins = steps.map((s, i) => [s, i] as const).filter(([s]) => String(s.uses ?? "").startsWith("pulumi/auth-actions@"));
        assert.strictEqual(logins.length, 2, "one Pulumi token for the promotion, one for the release");
        const [[promotionLogin, promotionAt], [releaseLogin, releaseAt]] = logins;
        const promote = index((s) => s.name === "promote");
        const release = index((s) => s.name === "release");
        assert.ok(promotionAt < promote && promote < releaseAt && releaseAt < release);
        assert.ok(Number(promotionLogin.with["token-expiration"]) >= span(promotionAt, releaseAt - 1) * 60, "the promotion's token lasts until the release's replaces it");
        assert.ok(Number(releaseLogin.with["token-expiration"]) >= span(releaseAt, release) * 60, `the release's token (${releaseLogin.with["token-expiration"]} s) lasts to the end of the release step's limit (${span(releaseAt, release)} min)`);
        // The check step counts from here: the step just before the release's token records the time.
        assert.match(String(steps[releaseAt - 1].run), /RELEASE_CREDENTIALS_AT=\$\(date \+%s\)/);

        const prod = plan.environments.find((e) => e.name === "multicloud-service/prod")!;
        assert.ok(prod, "no multicloud-service/prod environment");
        const aws = escLogins(prod.definition).find((l) => l.platform === "aws")!.block.oidc;
        const esc = index((s) => String(s.uses ?? "").startsWith("pulumi/esc-action@"));
        assert.ok(releaseAt < esc && esc < release);
        assert.ok(minutes(aws.duration) >= span(esc, release), `aws-login duration ${aws.duration} < the ${span(esc, release)} min from ESC to the end of the release`);
        const role = plan.roles().find((r) => r.outputs.arn === aws.roleArn)!;
        assert.ok(role.inputs.maxSessionDuration >= minutes(aws.duration) * 60, `${role.name}: maxSessionDuration ${role.inputs.maxSessionDuration}`);
        const issuer = plan.ofType("pulumiservice:index:OidcIssuer")[0];
        assert.ok(issuer && issuer.inputs.maxExpirationSeconds >= Number(releaseLogin.with["token-expiration"]), "the issuer caps the token below what the job asks for");
        const credentialsMinutes = Number(prod.definition.values.environmentVariables.RELEASE_CREDENTIALS_MINUTES);
        assert.strictEqual(credentialsMinutes, minutes(aws.duration), "the environment tells the job how long its credentials last");
        assert.ok(credentialsMinutes * 60 <= Number(releaseLogin.with["token-expiration"]), "RELEASE_CREDENTIALS_MINUTES is the shorter of the two");
        assert.strictEqual(span(releaseAt, release), credentialsMinutes, "the release step's limit is what its credentials leave it");
    });

    it("every environment's AWS session fits its role: AssumeRoleWithWebIdentity refuses a duration past the role's maxSessionDuration", () => {
        // STS answers "The requested DurationSeconds exceeds the MaxSessionDuration set for this role." (a ValidationError),
        // and every job that opens the environment fails at login: the pull requests' previews, the deploys, the release.
        let checked = 0;
        for (const environment of plan.environments) {
            for (const { block } of escLogins(environment.definition).filter((l) => l.platform === "aws")) {
                const role = plan.roles().find((r) => r.outputs.arn === block.oidc.roleArn);
                assert.ok(role, `${environment.name}: no role of deployments/ has ARN ${block.oidc.roleArn}`);
                const max = role.inputs.maxSessionDuration ?? 3600;
                assert.ok(minutes(block.oidc.duration) * 60 <= max, `${environment.name}: a ${block.oidc.duration} session on ${role.name}, whose maxSessionDuration is ${max} s`);
                checked++;
            }
        }
        assert.ok(checked >= 3, `only ${checked} environments log in to AWS`);
    });

    it("no AWS role allows a longer session than its one login asks for: an ESC role its environment's duration, a GitHub role an hour", () => {
        // AssumeRoleWithWebIdentity grants any DurationSeconds up to the role's MaxSessionDuration: a longer maximum lets
        // whoever holds one login's token (a few minutes' JWT) ask STS for credentials that outlast the job by hours.
        const escDurations = new Map<string, number>();
        for (const environment of plan.environments) {
            for (const { block } of escLogins(environment.definition).filter((l) => l.platform === "aws")) escDurations.set(block.oidc.roleArn, minutes(block.oidc.duration) * 60);
        }
        const sessions = plan.roles().map((role) => [role.name, role.inputs.maxSessionDuration ?? 3600]);
        const expected = plan.roles().map((role) => [role.name, escDurations.get(role.outputs.arn) ?? 3600]);
        assert.deepStrictEqual(sessions, expected);
    });

    it("GitHub's Pulumi tokens last no longer than the longest any job asks for: the issuer's maxExpirationSeconds", () => {
        const asked = workflowSteps()
            .filter(({ step }) => String(step.uses ?? "").startsWith("pulumi/auth-actions@"))
            .map(({ step }) => Number(step.with["token-expiration"]));
        assert.ok(asked.length >= 3, `only ${asked.length} Pulumi logins in the workflows`);
        const issuer = plan.ofType("pulumiservice:index:OidcIssuer")[0];
        assert.strictEqual(issuer.inputs.maxExpirationSeconds, Math.max(...asked), "the issuer's maxExpirationSeconds against the longest token-expiration a workflow asks for");
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

    it("the workflow checks the release's worst case against that lifetime, less the minutes since it was taken, before the release step", () => {
        const steps: any[] = deployProd().jobs.up.steps;
        const check = steps.findIndex((s) => s.name === "the credentials outlive the release");
        assert.ok(check >= 0, "no check step");
        assert.ok(check < steps.findIndex((s) => s.name === "release"));
        const release = steps.find((s) => s.name === "release");
        // Its last argument is the release step's own limit, which GitHub enforces whatever the credentials have left.
        assert.strictEqual(steps[check].run, `node scripts/build/run.js deployments/checkReleaseWindow.ts prod "$RELEASE_CREDENTIALS_MINUTES" "$RELEASE_CREDENTIALS_AT" ${release["timeout-minutes"]}`);
    });

    it("prod's release settings fit: worst case = the probe's ID token before the first up, the metric check and the verification, every step waiting release.maxWaitMinutes past the slower cloud's metric lag and its last poll, plus each pulumi up's allowance", async () => {
        const { releaseWindow } = await import("../../deployments/releaseWindow");
        const window = releaseWindow("prod");
        // Before anything changes, the Cloud Run probe's ID token (50 s at most), which the verification mints again after
        // an up longer than the token's reuse. The check that the metrics can be read: one read, 45 s at most
        // (METRIC_READ_WORST_SECONDS). Verification: the
        // ID token (50 s at most: an access token from application default credentials, 15 s, then 3 calls of 10 s and
        // the waits between), 4 smoke requests and the load's last answers at 10 s each, release.verify.seconds (30) and
        // a second's grace for a late start: 141 s. Cloud Run's metrics are complete 180 s after the fact and
        // its reads leave out the step's first 60 s (CloudWatch's lag, the function's 30 s timeout + 120 s, is shorter):
        // 240 s per step; then the last poll, an ID token (50 s), a health check (10 s) and a read (45 s). Each up: 10
        // min, after at most 2 min waiting for another update's lock; and once, the image: its push and then its
        // registry's scan, image.waitMinutes (20) each (components/image/serviceImage.ts: awaitImage, then scanProblem).
        // And the release state's writes: one before each up, 2 tries of a read and a PATCH (15 s each) and a pause of
        // at most 5 s (65 s); after a breach the last is a rollback's (its up takes the final record's place), 4 tries
        // and pauses of 2, 4 and 6 s (132 s). Before: 6 writes counted, 461 s, a promotion's 5 and a rollback's too.
        const stateWriteSeconds = 4 * (2 * 30 + 5) + (4 * 30 + 2 + 4 + 6);
        assert.deepStrictEqual(window, { stack: "prod", steps: 3, ups: 5, upMinutes: 12, imageWaitMinutes: 40, credentialsBeforeUpSeconds: 50, verifySeconds: 45 + 141, metricLagSeconds: 240, lastPollSeconds: 105, stateWriteSeconds, maxWaitMinutes: 35, worstCaseMinutes: Math.ceil((50 + 186 + 3 * (35 * 60 + 240 + 105) + stateWriteSeconds + (5 * 12 + 40) * 60) / 60), googleUpMinutes: 10 + 40 });
        assert.strictEqual(window.worstCaseMinutes, 233);
        const release = deployProd().jobs.up.steps.find((s: any) => s.name === "release");
        assert.ok(window.worstCaseMinutes <= release["timeout-minutes"], "GitHub does not stop the release step before its worst case");
    });

    it("a metric read fits METRIC_READ_WORST_SECONDS: CloudWatch's attempts (its calls run at once), Cloud Monitoring's page total and its last wait", async () => {
        const { METRIC_READ_WORST_SECONDS } = await import("../../release/metrics/metricSource");
        const { AWS_READ_ATTEMPTS } = await import("../../release/awsReadAttempts");
        const { CALL_ATTEMPT } = await import("../../components/httpAttempt");
        const { TIME_SERIES_PAGE_TIMEOUT_MS } = await import("../../release/metrics/cloudMonitoringSource");
        const { monitoringReadWorstMs } = await import("../../release/monitoringReadRetry");
        // The SDK's standard retry waits at most 20 s between attempts (@smithy/util-retry MAXIMUM_RETRY_DELAY), far
        // less after one failure (100 ms x 2 with jitter); 2 s is allowed.
        assert.ok((AWS_READ_ATTEMPTS.maxAttempts * CALL_ATTEMPT.timeoutMs) / 1000 + 2 <= METRIC_READ_WORST_SECONDS);
        // gax checks a read's total after each wait between attempts: the last wait may overrun it.
        assert.ok(monitoringReadWorstMs(TIME_SERIES_PAGE_TIMEOUT_MS) / 1000 <= METRIC_READ_WORST_SECONDS);
    });

    it("minting an ID token fits PROBE_CREDENTIALS_WORST_SECONDS: the access token from application default credentials, the mint's calls' timeouts and the waits between them", async () => {
        const { PROBE_CREDENTIALS_WORST_SECONDS } = await import("../../release/probe/load");
        const { APPLICATION_DEFAULT_TOKEN_TIMEOUT_MS } = await import("../../scripts/google/accessToken");
        const { MINT_ATTEMPTS, MINT_RETRY_DELAY_MS, MINT_TIMEOUT_MS } = await import("../../release/probe/cloudRunTransport");
        const waits = Array.from({ length: MINT_ATTEMPTS - 1 }, (_, i) => MINT_RETRY_DELAY_MS * (i + 1)).reduce((a, b) => a + b, 0);
        assert.ok((APPLICATION_DEFAULT_TOKEN_TIMEOUT_MS + MINT_ATTEMPTS * MINT_TIMEOUT_MS + waits) / 1000 <= PROBE_CREDENTIALS_WORST_SECONDS);
    });

    it("a release that would outlive the credentials is refused, naming the keys; one that fits passes", async () => {
        const { checkReleaseWindow } = await import("../../deployments/releaseWindow");
        assert.throws(() => checkReleaseWindow("prod", 60), /prod's release may take 233 min \(50 s for the probe's ID token before the first up \+ 186 s for the metric check and the verification \(release\.verify\.seconds\) \+ 3 steps x \(release\.maxWaitMinutes 35 \+ 240 s metric lag \+ 105 s last poll\) \+ 5 pulumi up x 12 min \(2 of them waiting for another update's lock\) \+ 40 min waiting for the image \(2 x image\.waitMinutes\) \+ 392 s for 5 writes of the release state\), longer than the 60 min its credentials have left of 60 \(RELEASE_CREDENTIALS_MINUTES\): lower release\.maxWaitMinutes, release\.steps or image\.waitMinutes, or lengthen the prod environment's credentials/);
        assert.doesNotThrow(() => checkReleaseWindow("prod", 240));
        assert.doesNotThrow(() => checkReleaseWindow("prod", 240, 5));
        assert.doesNotThrow(() => checkReleaseWindow("prod", 240, 7));
        assert.throws(() => checkReleaseWindow("prod", 240, 8), /longer than the 232 min its credentials have left of 240 \(RELEASE_CREDENTIALS_MINUTES\) \(8 of them already spent since they were taken\)/);
        assert.throws(() => checkReleaseWindow("prod", 232), /may take 233 min/);
        assert.throws(() => checkReleaseWindow("prod", Number.NaN), /RELEASE_CREDENTIALS_MINUTES must be a number of minutes/);
        // The release step's own timeout bounds it too: with 2 min spent, 238 min of credentials are left, but GitHub
        // cancels the step at its timeout. Before: a worst case of 236-238 min passed the check against a step of 235.
        assert.doesNotThrow(() => checkReleaseWindow("prod", 240, 2, 235));
        assert.doesNotThrow(() => checkReleaseWindow("prod", 240, 2, 233));
        assert.throws(() => checkReleaseWindow("prod", 240, 2, 232), /may take 233 min .*longer than the 232 min its workflow step may run \(timeout-minutes of the release step, which GitHub cancels then\): lower release\.maxWaitMinutes, release\.steps or image\.waitMinutes, or raise the release step's timeout-minutes in deploy-prod\.yml/);
        assert.throws(() => checkReleaseWindow("prod", 240, 0, Number.NaN), /the release step's timeout must be a number of minutes/);
    });

    it("deploy-prod.yml's check counts a started minute since the credentials were taken as spent: 7 min 1 s leaves 232 of 240", async function () {
        this.timeout(120_000);
        const { spawnSync } = await import("child_process");
        // RELEASE_CREDENTIALS_AT is `date +%s` when the credentials were taken; 421 s ago, 8 started minutes (the usage line
        // of deployments/checkReleaseWindow.ts: "counting the whole minutes since they were taken"). prod's release may
        // take 233 min: 240 - 8 leaves too few, where 240 - 7 would have fitted exactly.
        const takenAt = Math.floor(Date.now() / 1000) - 421;
        const run = spawnSync(process.execPath, ["scripts/build/run.js", "deployments/checkReleaseWindow.ts", "prod", "240", String(takenAt), "235"], { cwd: PROJECT_ROOT, encoding: "utf8" });
        assert.strictEqual(run.status, 1, run.stdout + run.stderr);
        assert.match(run.stderr, /release window: prod's release may take 233 min .*longer than the 232 min its credentials have left of 240 \(RELEASE_CREDENTIALS_MINUTES\) \(8 of them already spent/);
    });
});
