import type { protos } from "@google-cloud/monitoring";
import { UNVERIFIED, verifyChannelCommands } from "../../components/gcp/channelVerification";
import { googleCredentials } from "../googleClientCredentials";

/** The verification status Cloud Monitoring holds for a notification channel, by the channel's name. */
export type ReadChannelStatus = (channelName: string) => Promise<string>;

/** Why the alerts reach nobody through the e-mail's channel, or undefined (components/gcp/channelVerification.ts). */
export function unverifiedChannelProblem(channelName: string, email: string, status: string): string | undefined {
    if (status !== UNVERIFIED) return undefined;
    return `the alerts reach nobody: Cloud Monitoring holds ${email}'s notification channel ${channelName} UNVERIFIED, which it defines as non-functioning. Verify it: ${verifyChannelCommands(channelName)}; then run the release again`;
}

/** How long the read may take, retries included (as the metric reads' TIME_SERIES_PAGE_TIMEOUT_MS). */
const CHANNEL_READ_TIMEOUT_MS = 30_000;

/** The one call of NotificationChannelServiceClient the release makes. */
export interface ChannelGetter {
    getNotificationChannel(request: { name: string }, options: { timeout: number }): Promise<[protos.google.monitoring.v3.INotificationChannel, ...unknown[]]>;
}

/**
 * Reads a channel's verificationStatus (notificationChannels.get, which needs monitoring.notificationChannels.get). The
 * client decodes enums to their names (google-gax build/src/grpc.js loadProto: `enums: String`); a channel of a type
 * that needs no verification has none, VERIFICATION_STATUS_UNSPECIFIED. A refused or unanswered read fails, naming the channel.
 */
export async function monitoringChannelStatus(env: Record<string, string | undefined> = process.env, client?: ChannelGetter): Promise<ReadChannelStatus> {
    const channels: ChannelGetter = client ?? new (await import("@google-cloud/monitoring")).NotificationChannelServiceClient(await googleCredentials(env));
    return async (name) => {
        const [channel] = await channels.getNotificationChannel({ name }, { timeout: CHANNEL_READ_TIMEOUT_MS }).catch((err: unknown): never => {
            throw new Error(`Cloud Monitoring did not give the notification channel ${name} (notificationChannels.get, which needs monitoring.notificationChannels.get): ${err instanceof Error ? err.message : String(err)}`, { cause: err });
        });
        return String(channel.verificationStatus ?? "VERIFICATION_STATUS_UNSPECIFIED");
    };
}
