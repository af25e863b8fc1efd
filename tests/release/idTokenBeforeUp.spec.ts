import * as assert from "assert";
import { reportedFailure } from "../../release/main";
import { cloudRunProbe } from "../../release/probe/candidateProbes";
import { applicationDefaultIdToken } from "../../release/probe/cloudRunTransport";
import { CandidateProbe } from "../../release/probe/probeReport";
import { runRelease } from "../../release/release";
import { withProcessEnvironment } from "../../scripts/offline/environment";
import { closedPortUrl } from "../harness/closedPort";
import { scratchDir } from "../harness/tempDirs";
import { userTokenEndpoint, withUserAdc } from "../harness/userAdc";
import { workloadIdentityFile } from "../harness/workloadIdentityFile";
import { FakeStack, HEALTHY, depsFor, fakeMetrics, fakeProbes } from "./fakes";

/**
 * A release whose Cloud Run probe is `gcp` (the real one, with the ID tokens it would mint), on the prod stack's fakes:
 * what it threw, how main.ts ends on that (its exit code), and what it changed (`up`s and release-state writes) in `stack`.
 */
async function releaseWith(gcp: CandidateProbe, stack = new FakeStack()) {
    const [ups, writes] = [stack.ups, stack.setCalls.length];
    const deps = depsFor(stack, fakeMetrics(() => HEALTHY).metrics, [], { ...fakeProbes().probes, gcp });
    const err: Error = await runRelease(deps).then(
        (outcome) => assert.fail(`the release went on: ${outcome.summary}`),
        (e: Error) => e,
    );
    const exitCode = reportedFailure(err, false, { stdout: () => {}, stderr: () => {} });
    return { message: err.message, exitCode, changed: { ups: stack.ups - ups, writes: stack.setCalls.length - writes } };
}

/**
 * Application default credentials from a workload identity federation file, and no account named to mint for. Its
 * endpoints are never asked: google-auth-library refuses such a file an ID token client before any exchange
 * (googleauth.js getIdTokenClient).
 */
async function federationAdc(dir: string) {
    const file = workloadIdentityFile(scratchDir(dir), await closedPortUrl(), "release-prod@multicloud-prod.iam.gserviceaccount.com");
    return { GOOGLE_APPLICATION_CREDENTIALS: file, GOOGLE_CLOUD_PROJECT: "multicloud-prod", GOOGLE_OAUTH_ACCESS_TOKEN: undefined, RELEASE_GCP_SERVICE_ACCOUNT: undefined };
}

// Before: the probe minted its first ID token at the new version's verification, after the release had written its
// state and deployed at 0 %; credentials that cannot mint one stopped it there, with a deploy to mend.
describe("the probe's ID token, had before the release changes anything", () => {
    it("application default credentials from a workload identity federation file, without RELEASE_GCP_SERVICE_ACCOUNT: refused, exit 1, no up, no release-state write", async () => {
        const refused = await withProcessEnvironment(await federationAdc("release-federation"), () => releaseWith(cloudRunProbe()));
        assert.deepStrictEqual(refused.changed, { ups: 0, writes: 0 });
        assert.strictEqual(refused.exitCode, 1);
        assert.match(refused.message, /^gcp: the probe's credentials: gcp: application default credentials cannot mint an ID token themselves .*set RELEASE_GCP_SERVICE_ACCOUNT/);
        assert.match(refused.message, /\. No traffic moved, and this run changed nothing: mend the release's access, then run the release again$/);
    });

    it("a release resumed at its step with such credentials: refused before it moves traffic again", async () => {
        // Deployed at 0 %, then the 10 % up failed: the release state records 10 % (decision.spec.ts, a crash mid-step).
        const stack = new FakeStack().failUp(2);
        await assert.rejects(runRelease(depsFor(stack, fakeMetrics(() => HEALTHY).metrics)), /pulumi up failed \(10% of traffic to the new version\)/);
        const refused = await withProcessEnvironment(await federationAdc("resumed-federation"), () => releaseWith(cloudRunProbe(), stack));
        assert.deepStrictEqual(refused.changed, { ups: 0, writes: 0 });
        assert.match(refused.message, /\. Traffic stays where the release left it \(10% to the new version\), and this run changed nothing: /);
    });

    it("a user's application default credentials signed in without openid (a refresh answered without id_token): refused, exit 1, no up, no release-state write", async () => {
        const endpoint = userTokenEndpoint({});
        const userIdToken = async (audience: string) => ({ Authorization: `Bearer ${await applicationDefaultIdToken(audience, endpoint.authOptions)}` });
        const refused = await withUserAdc({}, () => releaseWith(cloudRunProbe(userIdToken)));
        assert.deepStrictEqual(refused.changed, { ups: 0, writes: 0 });
        assert.strictEqual(refused.exitCode, 1);
        assert.match(refused.message, /^gcp: the probe's credentials: gcp: application default credentials answered without an ID token \(audience https:\/\/service-0a1b2c3-an\.a\.run\.app\): .*openid scope/);
        assert.deepStrictEqual(endpoint.asked, ["POST https://oauth2.googleapis.com/token refresh_token"], "one refresh, for the service's URL");
    });

    // A stack that turned gcp on and has not run an up since shows no Cloud Run in its outputs: no service to mint for.
    it("a stack whose outputs show no Cloud Run yet: no ID token asked for, and the release says to run pulumi up once", async () => {
        const stack = new FakeStack();
        const deployed = stack.deployed.bind(stack);
        stack.deployed = async () => ({ aws: (await deployed()).aws });
        const refused = await releaseWith(cloudRunProbe(async (audience) => assert.fail(`an ID token for ${audience}, of no running service`)), stack);
        assert.strictEqual(refused.message, "gcp: stack prod has no deployed version to fall back to; run pulumi up once before the first release");
        assert.deepStrictEqual(refused.changed, { ups: 0, writes: 0 });
    });
});
