import type { protos } from "@google-cloud/monitoring";
import { UNVERIFIED, verifyChannelCommands } from "../../components/gcp/channelVerification";
import { googleCredentials } from "../googleClientCredentials";
import { grpcAnswer } from "../grpcAnswer";
import { MonitoringReadOptions, monitoringReadOptions } from "../monitoringReadRetry";

/** What Cloud Monitoring holds of a notification channel: its verification status, and whether it forwards notifications at all. */
export interface ChannelStatus {
    verificationStatus: string;
    /** False only when the channel says `enabled: false`. */
    enabled: boolean;
}

/** What Cloud Monitoring holds of a notification channel, by the channel's name. */
export type ReadChannelStatus = (channelName: string) => Promise<ChannelStatus>;

/** Why the alerts reach nobody through the e-mail's channel, or undefined (components/gcp/channelVerification.ts). */
export function unverifiedChannelProblem(channelName: string, email: string, status: string): string | undefined {
    if (status !== UNVERIFIED) return undefined;
    return `the alerts reach nobody: Cloud Monitoring holds ${email}'s notification channel ${channelName} UNVERIFIED, which it defines as non-functioning. Verify it: ${verifyChannelCommands(channelName)}; then run the release again`;
}

/**
 * Why the alerts reach nobody through a channel that forwards no notification, or undefined. NotificationChannel.enabled:
 * "Whether notifications are forwarded to the described channel. This makes it possible to disable delivery of
 * notifications to a particular channel without removing the channel from all alerting policies that reference the
 * channel" (google/monitoring/v3/notification.proto). The program declares the channel without `enabled`, which the
 * provider takes as true (magic-modules mmv1/products/monitoring/NotificationChannel.yaml, enabled: default_value true),
 * so a refresh sees it disabled and the same `up` enables it again.
 */
export function disabledChannelProblem(channelName: string, email: string, { enabled }: ChannelStatus): string | undefined {
    if (enabled) return undefined;
    return `the alerts reach nobody: Cloud Monitoring holds ${email}'s notification channel ${channelName} disabled (enabled: false), so it forwards no notification of the alert policies. Run \`pulumi up --refresh\` to enable it again (the program declares it enabled); then run the release again`;
}

/** How long the read may take, retries included (as the metric reads' TIME_SERIES_PAGE_TIMEOUT_MS; monitoringReadRetry.ts). */
const CHANNEL_READ_TIMEOUT_MS = 30_000;

/** The one call of NotificationChannelServiceClient the release makes. */
export interface ChannelGetter {
    getNotificationChannel(request: { name: string }, options: MonitoringReadOptions): Promise<[protos.google.monitoring.v3.INotificationChannel, ...unknown[]]>;
}

/**
 * Reads a channel's verificationStatus and enabled (notificationChannels.get, which needs monitoring.notificationChannels.get). The
 * client decodes enums to their names (google-gax build/src/grpc.js loadProto: `enums: String`); a channel of a type
 * that needs no verification has none, VERIFICATION_STATUS_UNSPECIFIED. `enabled` is a google.protobuf.BoolValue, which
 * the client hands as a message ({ value: false } when disabled, null when absent). A refused or unanswered read fails, naming the channel.
 */
export async function monitoringChannelStatus(project: string, env: Record<string, string | undefined> = process.env, client?: ChannelGetter): Promise<ReadChannelStatus> {
    const channels: ChannelGetter = client ?? new (await import("@google-cloud/monitoring")).NotificationChannelServiceClient(await googleCredentials(env, project));
    return async (name) => {
        const [channel] = await channels.getNotificationChannel({ name }, monitoringReadOptions(CHANNEL_READ_TIMEOUT_MS)).catch((err: unknown): never => {
            throw new Error(`Cloud Monitoring did not give the notification channel ${name} (notificationChannels.get, which needs monitoring.notificationChannels.get): ${grpcAnswer(err)}`, { cause: err });
        });
        return { verificationStatus: String(channel.verificationStatus ?? "VERIFICATION_STATUS_UNSPECIFIED"), enabled: channel.enabled?.value !== false };
    };
}
