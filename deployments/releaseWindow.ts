/**
 * How long a release of a stack may take at worst, from the stack file's release settings, against how long the
 * credentials of the job that runs it last: the Cloud Run probe's ID token, had before anything changes, the check that
 * each cloud's metrics can be read, the verification of the new version before traffic (both clouds at once), then
 * each step waiting release.maxWaitMinutes for enough traffic (the bake, release.bakeMinutes, is never longer) past the
 * slowest enabled cloud's metric lag (its ingestion delay, a window ending that long before now, and the start its
 * reads leave out), and its last poll (an ID token, a health check and a read: a step ends after the poll that finds
 * it past its time); and each `pulumi up` (the deploy at 0 %, one per step, the final record) allowed
 * UP_MINUTES (after which the release stops waiting for it) after waiting at most LOCK_WAIT_MINUTES for another update's
 * lock (release/stack/automationStack.ts); and, once, the wait for the image (twice image.waitMinutes: its push, then
 * its registry scan), which an `up` may spend and every later `up` finds done; and each write of the release state
 * through its tries (release/stack/escReleaseState.ts): one before each `up`, the last of them a rollback's after a
 * breach (whose `up` takes the final record's place).
 */
import { parseStackSettings } from "../config";
import { PROJECT_ROOT, readStackFile } from "../config/stackFile";
import { GOOGLE_TOKEN_MINUTES } from "./escTokens";
import { ingestionDelaySeconds, leadInSeconds } from "../release/metrics/ingestionDelay";
import { METRIC_READ_WORST_SECONDS } from "../release/metrics/metricSource";
import { PROBE_CREDENTIALS_WORST_SECONDS, REQUEST_TIMEOUT_MS, verificationWorstCaseSeconds } from "../release/probe/load";
import { ReleasePlan, enabledClouds, releasePlan } from "../release/settings";
import { LOCK_WAIT_MINUTES, UP_MINUTES } from "../release/stack/automationStack";
import { stateWriteWorstSeconds } from "../release/stack/escReleaseState";

export function releaseWindow(stack: string, root = PROJECT_ROOT) {
    const file = readStackFile(stack, root);
    return { stack, ...releaseWindowOf(releasePlan(parseStackSettings({ values: file.config, secretKeys: new Set(file.secretKeys) }, stack))) };
}

/** The worst case of a release of `plan`, and its parts. */
export function releaseWindowOf(plan: ReleasePlan) {
    const steps = plan.steps.length;
    const ups = steps + 2;
    const verifySeconds = METRIC_READ_WORST_SECONDS + verificationWorstCaseSeconds(plan.verify.seconds);
    const clouds = enabledClouds(plan);
    const gcpEnabled = clouds.includes("gcp");
    const metricLagSeconds = Math.max(0, ...clouds.map((cloud) => ingestionDelaySeconds(cloud, plan) + leadInSeconds(cloud)));
    // A poll ends a step once its health check (its ID token first, on Cloud Run) and its read are done.
    const lastPollSeconds = PROBE_CREDENTIALS_WORST_SECONDS + REQUEST_TIMEOUT_MS / 1000 + METRIC_READ_WORST_SECONDS;
    const upMinutes = UP_MINUTES + LOCK_WAIT_MINUTES;
    const stepSeconds = plan.maxWaitMinutes * 60 + metricLagSeconds + lastPollSeconds;
    const imageWaitMinutes = plan.imageWaitMinutes;
    const ordinaryWrite = stateWriteWorstSeconds("ordinary");
    const stateWriteSeconds = (ups - 1) * ordinaryWrite + Math.max(ordinaryWrite, stateWriteWorstSeconds("rollback"));
    // The Cloud Run probe's ID token, minted before the first up (release/probeCredentials.ts); an up that outlasts the
    // token's reuse has the verification mint another, which verifySeconds counts.
    const credentialsBeforeUpSeconds = gcpEnabled ? PROBE_CREDENTIALS_WORST_SECONDS : 0;
    const worstCaseMinutes = Math.ceil((credentialsBeforeUpSeconds + verifySeconds + steps * stepSeconds + stateWriteSeconds + (ups * upMinutes + imageWaitMinutes) * 60) / 60);
    // One `up` runs on the Google token ESC handed it when it opened the environment: UP_MINUTES after the image's wait
    // (automationStack.ts upWithinLimits); a retry after another update's lock is a new CLI run, which opens it again.
    const googleUpMinutes = gcpEnabled ? UP_MINUTES + imageWaitMinutes : undefined;
    return { steps, ups, upMinutes, imageWaitMinutes, credentialsBeforeUpSeconds, verifySeconds, metricLagSeconds, lastPollSeconds, stateWriteSeconds, maxWaitMinutes: plan.maxWaitMinutes, worstCaseMinutes, googleUpMinutes };
}

/**
 * Refuses one `pulumi up` of the release longer than the Google access token its ESC environment's gcp-login hands it
 * (GOOGLE_TOKEN_MINUTES: the environment sets no tokenLifetime, and IAM's generateAccessToken defaults to an hour):
 * each `up` opens the environment and runs on that token to its end.
 */
function checkGoogleTokenPerUp(stack: string, window: ReturnType<typeof releaseWindowOf>): void {
    const oneUp = window.googleUpMinutes;
    if (oneUp === undefined || oneUp <= GOOGLE_TOKEN_MINUTES) return;
    throw new Error(
        `one pulumi up of ${stack}'s release may run ${oneUp} min (${UP_MINUTES} + ${window.imageWaitMinutes} waiting for the image, 2 x image.waitMinutes) on the Google access token ` +
            `its ESC environment's gcp-login hands it, which lasts ${GOOGLE_TOKEN_MINUTES} min (no tokenLifetime): Google would answer 401 UNAUTHENTICATED part-way through the update. ` +
            `Lower image.waitMinutes to at most ${Math.floor((GOOGLE_TOKEN_MINUTES - UP_MINUTES) / 2)}`,
    );
}

/**
 * What the release asks of Google's hour-long access tokens once it has read the stack's settings, before it reads a
 * metric or changes anything (release/main.ts),
 * however it is run: one `up` must fit the token its environment hands it (checkGoogleTokenPerUp), and the release's
 * own Google calls (its metric reads, the ID tokens of its probes) must not use the token ESC's gcp-login put in
 * GOOGLE_OAUTH_ACCESS_TOKEN (`pulumi env run`) past its hour: those reads would fail part-way, and three failed polls
 * stop the release with traffic left at its step's weight. Application default credentials refresh, and
 * deploy-prod.yml does not export that token.
 */
export function checkGoogleTokenOfRelease(plan: ReleasePlan, env: Record<string, string | undefined>): void {
    const window = releaseWindowOf(plan);
    checkGoogleTokenPerUp(plan.stack, window);
    if (!env.GOOGLE_OAUTH_ACCESS_TOKEN || !enabledClouds(plan).includes("gcp") || window.worstCaseMinutes <= GOOGLE_TOKEN_MINUTES) return;
    throw new Error(
        `GOOGLE_OAUTH_ACCESS_TOKEN is set (ESC's gcp-login, under pulumi env run), and that token lasts ${GOOGLE_TOKEN_MINUTES} min while this release may take ${window.worstCaseMinutes}: ` +
            `its metric reads and probes would fail part-way, with traffic on the new version. Run it without that variable ` +
            `(application default credentials refresh: gcloud auth application-default login), as deploy-prod.yml does`,
    );
}

/**
 * A release run by hand under `pulumi env run <org>/<project>/<stack>` (docs/releases.md) reads CloudWatch, probes
 * Lambda and asks STS who it is with the AWS session ESC's aws-login put in AWS_ACCESS_KEY_ID/AWS_SESSION_TOKEN, which
 * nothing renews: it ends RELEASE_CREDENTIALS_MINUTES after the environment was opened (the session's `duration`,
 * which a spec keeps equal), and its reads would then fail part-way, three failed polls stopping the release with
 * traffic at its step's weight.
 * deploy-prod.yml's window check (checkReleaseWindow) counts this too, from when the job took them; by hand, nothing did.
 */
export function checkAwsSessionOfRelease(plan: ReleasePlan, env: Record<string, string | undefined>): void {
    const minutes = Number(env.RELEASE_CREDENTIALS_MINUTES);
    if (!(minutes > 0) || !env.AWS_SESSION_TOKEN || !enabledClouds(plan).includes("aws")) return;
    const { worstCaseMinutes } = releaseWindowOf(plan);
    if (worstCaseMinutes <= minutes) return;
    throw new Error(
        `the AWS session in AWS_SESSION_TOKEN (ESC's aws-login, under pulumi env run) lasts ${minutes} min (RELEASE_CREDENTIALS_MINUTES) while ${plan.stack}'s release may take ${worstCaseMinutes}: ` +
            `its CloudWatch reads and Lambda probes would fail part-way, with traffic on the new version. Lower release.maxWaitMinutes, release.steps or image.waitMinutes, ` +
            `or lengthen the ${plan.stack} environment's credentials (deployments/escEnvironments.ts)`,
    );
}

/**
 * Throws, naming the settings, when the release could outlive `credentialsMinutes`, of which `spentMinutes` have
 * passed since the credentials were taken (the steps between them and the release), or the `stepMinutes` its
 * workflow step may run (GitHub cancels the step then, whatever its credentials have left).
 */
export function checkReleaseWindow(stack: string, credentialsMinutes: number, spentMinutes = 0, stepMinutes = Number.POSITIVE_INFINITY, root = PROJECT_ROOT) {
    if (!Number.isFinite(credentialsMinutes) || credentialsMinutes <= 0) throw new Error(`RELEASE_CREDENTIALS_MINUTES must be a number of minutes (got ${credentialsMinutes})`);
    if (!Number.isFinite(spentMinutes) || spentMinutes < 0) throw new Error(`the minutes since the credentials were taken must be a number (got ${spentMinutes})`);
    if (!(stepMinutes > 0)) throw new Error(`the release step's timeout must be a number of minutes (got ${stepMinutes})`);
    const window = releaseWindow(stack, root);
    const { steps, ups, upMinutes, imageWaitMinutes, credentialsBeforeUpSeconds, verifySeconds, metricLagSeconds, lastPollSeconds, stateWriteSeconds, worstCaseMinutes, maxWaitMinutes } = window;
    checkGoogleTokenPerUp(stack, window);
    const left = credentialsMinutes - spentMinutes;
    const limit =
        stepMinutes < left
            ? `the ${stepMinutes} min its workflow step may run (timeout-minutes of the release step, which GitHub cancels then)`
            : `the ${left} min its credentials have left of ${credentialsMinutes} (RELEASE_CREDENTIALS_MINUTES)${spentMinutes > 0 ? ` (${spentMinutes} of them already spent since they were taken)` : ""}`;
    if (worstCaseMinutes > Math.min(left, stepMinutes)) {
        throw new Error(
            `${stack}'s release may take ${worstCaseMinutes} min (${credentialsBeforeUpSeconds ? `${credentialsBeforeUpSeconds} s for the probe's ID token before the first up + ` : ""}${verifySeconds} s for the metric check and the verification (release.verify.seconds) + ` +
                `${steps} steps x (release.maxWaitMinutes ${maxWaitMinutes} + ${metricLagSeconds} s metric lag + ${lastPollSeconds} s last poll) + ${ups} pulumi up x ${upMinutes} min (${LOCK_WAIT_MINUTES} of them waiting for another update's lock) + ${imageWaitMinutes} min waiting for the image (2 x image.waitMinutes) + ${stateWriteSeconds} s for ${ups} writes of the release state), ` +
                `longer than ${limit}: lower release.maxWaitMinutes, release.steps or image.waitMinutes, or ${stepMinutes < left ? "raise the release step's timeout-minutes in deploy-prod.yml (within its credentials)" : `lengthen the ${stack} environment's credentials (deployments/escEnvironments.ts)`}`,
        );
    }
    return worstCaseMinutes;
}
