import * as assert from "assert";
import type { protos } from "@google-cloud/monitoring";
import { ChannelGetter, ReadChannelStatus, monitoringChannelStatus } from "../../release/alerts/channelStatus";
import type { ReleaseEvent } from "../../release/events";
import { runRelease } from "../../release/release";
import { ReleaseError } from "../../release/releaseError";
import { MonitoringReadOptions, monitoringReadOptions } from "../../release/monitoringReadRetry";
import { asTheClientHandsIt } from "./monitoringClient";
import { ALERT_CHANNEL, FakeStack, HEALTHY, TEAM_ALERT_EMAIL, depsFor, fakeMetrics, fakeProbes, withoutOutput } from "./fakes";

const GCP_WEIGHT = "multicloud-service:gcp.canary.weightPercent";
const statusOf = (verificationStatus: string, enabled = true): ReadChannelStatus => async () => ({ verificationStatus, enabled });

const notices = (events: ReleaseEvent[]) => events.flatMap((e) => (e.kind === "notice" ? [e.text] : []));

/**
 * Cloud Monitoring's refusal of the read to a caller without monitoring.notificationChannels.get: grpc-js's error for a
 * status (call.js callErrorFromStatus: "<code> <NAME>: <details>"), in the words Monitoring gives a denied permission
 * (as tests/release/metricQueries.spec.ts quotes them for monitoring.timeSeries.list).
 */
const MONITORING_DENIED = "7 PERMISSION_DENIED: Permission monitoring.notificationChannels.get denied (or the resource may not exist).";
const refusingClient: ChannelGetter = { getNotificationChannel: async () => Promise.reject(Object.assign(new Error(MONITORING_DENIED), { code: 7 })) };
const REFUSED_READ = `Cloud Monitoring did not give the notification channel ${ALERT_CHANNEL} (notificationChannels.get, which needs monitoring.notificationChannels.get): ${MONITORING_DENIED}`;

describe("release: the GCP alert e-mail's notification channel must be verified before traffic moves", () => {
    // UNVERIFIED: "the channel is non-functioning (it both requires verification and lacks verification)"
    // (google/monitoring/v3/notification.proto); components/gcp/channelVerification.ts.
    it("a channel Cloud Monitoring holds UNVERIFIED stops the release before anything is deployed, with the calls that verify it", async () => {
        const stack = new FakeStack();
        const probes = fakeProbes();
        const { metrics, reads } = fakeMetrics(() => HEALTHY);
        const asked: string[] = [];
        const channelStatus: ReadChannelStatus = async (name) => (asked.push(name), { verificationStatus: "UNVERIFIED", enabled: true });
        await assert.rejects(runRelease({ ...depsFor(stack, metrics, [], probes.probes), channelStatus }), (err: Error) => {
            assert.ok(err instanceof ReleaseError, String(err));
            assert.ok(err.message.startsWith(`gcp: the alerts reach nobody: Cloud Monitoring holds ${TEAM_ALERT_EMAIL}'s notification channel ${ALERT_CHANNEL} UNVERIFIED, which it defines as non-functioning. Verify it: `), err.message);
            assert.ok(err.message.includes(`curl -X POST -H "Authorization: Bearer $(gcloud auth print-access-token)" -H "Content-Length: 0" https://monitoring.googleapis.com/v3/${ALERT_CHANNEL}:sendVerificationCode`), err.message);
            assert.ok(err.message.includes(`-d '{"code":"<code>"}' https://monitoring.googleapis.com/v3/${ALERT_CHANNEL}:verify`), err.message);
            assert.match(err.message, /then run the release again\. No traffic moved$/);
            return true;
        });
        assert.deepStrictEqual(asked, [ALERT_CHANNEL]);
        assert.strictEqual(stack.ups, 0, "checked on the outputs before the new version was deployed");
        assert.deepStrictEqual(stack.weights(GCP_WEIGHT), []);
        assert.strictEqual(reads.length, 0);
        assert.deepStrictEqual(probes.verified, []);
    });

    it("a verified channel, or one of a type that needs no verification (no status), lets the release go on", async () => {
        for (const status of ["VERIFIED", "VERIFICATION_STATUS_UNSPECIFIED"]) {
            const events: ReleaseEvent[] = [];
            const asked: string[] = [];
            const channelStatus: ReadChannelStatus = async (name) => (asked.push(name), { verificationStatus: status, enabled: true });
            const outcome = await runRelease({ ...depsFor(new FakeStack(), fakeMetrics(() => HEALTHY).metrics, events), channelStatus });
            assert.strictEqual(outcome.decision, "promoted", status);
            assert.deepStrictEqual(asked, [ALERT_CHANNEL], `${status}: the channel was read`);
            assert.deepStrictEqual(notices(events).filter((text) => text.includes("channel")), [], status);
        }
    });

    // Before: a refused read was said and the release went on, so a release identity without the permission (or a
    // Monitoring outage) moved prod's traffic with nobody known to hear its alerts; AWS's subscriptions read refuses.
    it("a read Cloud Monitoring refuses stops the release before anything is deployed, naming the refusal", async () => {
        const stack = new FakeStack();
        const channelStatus = await monitoringChannelStatus("multicloud-prod", {}, refusingClient);
        await assert.rejects(runRelease({ ...depsFor(stack, fakeMetrics(() => HEALTHY).metrics), channelStatus }), (err: Error) => {
            assert.ok(err instanceof ReleaseError, String(err));
            assert.strictEqual(err.message, `gcp: cannot tell whether the alerts reach anyone: ${REFUSED_READ}. No traffic moved`);
            return true;
        });
        assert.strictEqual(stack.ups, 0);
        assert.deepStrictEqual(stack.weights(GCP_WEIGHT), []);
    });

    it("a stack an older program last updated (no gcp.alertChannel output): checked after the release's own deploy adds it", async () => {
        const stack = withoutOutput(new FakeStack(), "gcp", "alertChannel", (s) => s.ups === 0);
        await assert.rejects(runRelease({ ...depsFor(stack, fakeMetrics(() => HEALTHY).metrics), channelStatus: statusOf("UNVERIFIED") }), /UNVERIFIED/);
        assert.strictEqual(stack.ups, 1, "the deploy at 0 % ran, no weight moved");
        assert.deepStrictEqual(stack.weights(GCP_WEIGHT), []);
        const never = withoutOutput(new FakeStack(), "gcp", "alertChannel", () => true);
        await assert.rejects(runRelease({ ...depsFor(never, fakeMetrics(() => HEALTHY).metrics), channelStatus: statusOf("VERIFIED") }), /gcp: the stack outputs have no alertChannel: update the stack/);
    });

    // gcp.alerts.email is optional outside production (config/crossFieldIssues.ts); without it the program makes
    // no channel (components/gcp/monitoring.ts) and exports gcp.alertChannel as "", which release/stack/outputs.ts drops.
    it("a non-production stack without gcp.alerts.email (no alertChannel output): the release goes on", async () => {
        const stack = withoutOutput(new FakeStack("dev", undefined, (doc) => delete doc["multicloud-service:gcp"].alerts.email), "gcp", "alertChannel", () => true);
        const outcome = await runRelease({ ...depsFor(stack, fakeMetrics(() => HEALTHY).metrics), channelStatus: statusOf("VERIFIED") });
        assert.strictEqual(outcome.decision, "promoted");
    });

    // Such a stack has no channel to wait for: its AWS alarm topic, already in the outputs, is still checked before the
    // release deploys anything, not after its deploy at 0 % (release/alerts/reachSomeone.ts outputsNameAlertTargets).
    it("a stack without gcp.alerts.email has its AWS alarm address checked before anything is deployed", async () => {
        const stack = withoutOutput(new FakeStack("dev", undefined, (doc) => delete doc["multicloud-service:gcp"].alerts.email), "gcp", "alertChannel", () => true);
        const pending = [{ protocol: "email", endpoint: TEAM_ALERT_EMAIL, confirmed: false }];
        await assert.rejects(runRelease({ ...depsFor(stack, fakeMetrics(() => HEALTHY).metrics, [], fakeProbes().probes, pending), channelStatus: statusOf("VERIFIED") }), /has not confirmed its subscription/);
        assert.strictEqual(stack.ups, 0, "checked on the outputs before the new version was deployed");
    });

    // A channel someone disabled (enabled: false, which "disable[s] delivery of notifications to a particular channel":
    // google/monitoring/v3/notification.proto) reaches nobody whatever its verificationStatus: no traffic moves.
    it("a channel Cloud Monitoring holds disabled (enabled: false) stops the release before anything is deployed, verified or not", async () => {
        for (const verificationStatus of ["VERIFIED", "UNVERIFIED"]) {
            const stack = new FakeStack();
            const { metrics, reads } = fakeMetrics(() => HEALTHY);
            await assert.rejects(runRelease({ ...depsFor(stack, metrics), channelStatus: statusOf(verificationStatus, false) }), (err: Error) => {
                assert.ok(err instanceof ReleaseError, String(err));
                assert.ok(
                    err.message.startsWith(`gcp: the alerts reach nobody: Cloud Monitoring holds ${TEAM_ALERT_EMAIL}'s notification channel ${ALERT_CHANNEL} disabled (enabled: false), so it forwards no notification of the alert policies. Run \`pulumi up --refresh\` to enable it again`),
                    err.message,
                );
                assert.match(err.message, /then run the release again\. No traffic moved$/);
                return true;
            });
            assert.strictEqual(stack.ups, 0, verificationStatus);
            assert.deepStrictEqual(stack.weights(GCP_WEIGHT), []);
            assert.strictEqual(reads.length, 0);
        }
    });

    it("reads the channel's verificationStatus and enabled by its name, in a bounded time, as the client hands them; a channel without a status reads as unspecified, one that says nothing of enabled as enabled", async () => {
        const requests: [{ name: string }, MonitoringReadOptions][] = [];
        const answers: Record<string, protos.google.monitoring.v3.INotificationChannel> = {
            [ALERT_CHANNEL]: { name: ALERT_CHANNEL, type: "email", labels: { email_address: TEAM_ALERT_EMAIL }, verificationStatus: "UNVERIFIED", enabled: { value: true } },
            other: { name: "other", type: "email", labels: { email_address: TEAM_ALERT_EMAIL }, enabled: { value: true } },
            disabled: { name: "disabled", type: "email", labels: { email_address: TEAM_ALERT_EMAIL }, verificationStatus: "VERIFIED", enabled: { value: false } },
            // enabled is a google.protobuf.BoolValue (notification.proto), absent from a channel that never set it: only
            // an explicit false stops delivery, so only it may stop a release.
            unsaid: { name: "unsaid", type: "email", labels: { email_address: TEAM_ALERT_EMAIL }, verificationStatus: "VERIFIED" },
        };
        const client: ChannelGetter = {
            async getNotificationChannel(request, options) {
                requests.push([request, options]);
                return [await asTheClientHandsIt("NotificationChannel", answers[request.name])];
            },
        };
        const read = await monitoringChannelStatus("multicloud-prod", {}, client);
        assert.deepStrictEqual(await read(ALERT_CHANNEL), { verificationStatus: "UNVERIFIED", enabled: true });
        assert.deepStrictEqual(await read("other"), { verificationStatus: "VERIFICATION_STATUS_UNSPECIFIED", enabled: true });
        assert.deepStrictEqual(await read("disabled"), { verificationStatus: "VERIFIED", enabled: false });
        assert.deepStrictEqual(await read("unsaid"), { verificationStatus: "VERIFIED", enabled: true });
        const within30s = monitoringReadOptions(30_000);
        assert.deepStrictEqual(requests, [
            [{ name: ALERT_CHANNEL }, within30s],
            [{ name: "other" }, within30s],
            [{ name: "disabled" }, within30s],
            [{ name: "unsaid" }, within30s],
        ]);
        const refusing = await monitoringChannelStatus("multicloud-prod", {}, refusingClient);
        await assert.rejects(refusing(ALERT_CHANNEL), { name: "Error", message: REFUSED_READ });
    });
});
