import * as monitoring from "@pulumi/gcp/monitoring";
import * as pulumi from "@pulumi/pulumi";

/**
 * A Cloud Monitoring notification channel whose verification status is UNVERIFIED delivers nothing: "If the value is
 * UNVERIFIED, then it indicates that the channel is non-functioning (it both requires verification and lacks
 * verification)" (google/monitoring/v3/notification.proto, NotificationChannel.verification_status). Only
 * notificationChannels.verify changes it, with the code notificationChannels.sendVerificationCode delivers to the
 * channel (Monitoring API reference, both methods). An e-mail channel made through the API is sent no code by itself:
 * a Pulumi user's channel "sat in UNVERIFIED state silently" until sendVerificationCode was called (the Console sends
 * one; nomadkaraoke/karaoke-gen#785, 2026-05).
 */
export const UNVERIFIED = "UNVERIFIED";

/**
 * The two REST calls that verify channel `channelName` (projects/<project>/notificationChannels/<id>), ready to paste.
 * sendVerificationCode takes an empty body, and Google's front end answers a POST without a Content-Length 411
 * ("POST requests require a Content-length header"); `curl -X POST` with no data sends none (curl/curl#2183), so
 * the first call names it.
 */
export function verifyChannelCommands(channelName: string): string {
    const method = (name: string) => `https://monitoring.googleapis.com/v3/${channelName}:${name}`;
    const auth = `-H "Authorization: Bearer $(gcloud auth print-access-token)"`;
    return `curl -X POST ${auth} -H "Content-Length: 0" ${method("sendVerificationCode")}, then with the code in the e-mail Google sends: curl -X POST ${auth} -H "Content-Type: application/json" -d '{"code":"<code>"}' ${method("verify")}`;
}

/**
 * Warns while the e-mail channel is UNVERIFIED as Pulumi last read it (at create, or at the last refresh: an `up` does
 * not read an unchanged resource again), with the calls that verify it. Unknown in the preview of a new channel, so
 * said by its `up`.
 */
export function warnWhileUnverified(channel: monitoring.NotificationChannel, email: string): void {
    pulumi.all([channel.verificationStatus, channel.name]).apply(([status, name]) => {
        if (status !== UNVERIFIED) return;
        void pulumi.log.warn(
            `gcp.alerts.email ${email}: Cloud Monitoring holds its notification channel UNVERIFIED, which it defines as non-functioning, so the alert policies reach nobody through it. Verify it: ${verifyChannelCommands(name)}; then \`pulumi refresh\` ends this warning (npm run release checks the channel itself and refuses to move traffic while it is unverified)`,
            channel,
        );
    });
}
