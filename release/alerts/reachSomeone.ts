/** Before any traffic moves: whether each cloud's alerts reach a person, read where each cloud records it. */
import { ReleaseError } from "../releaseError";
import { ReleasePlan } from "../settings";
import { Cloud, DeployedTarget } from "../types";
import { alarmActionFindings } from "./alarmActions";
import { alarmDeliveryProblem, removableSubscriptionNotices } from "./alarmDelivery";
import { disabledChannelProblem, unverifiedChannelProblem } from "./channelStatus";
import type { ReleaseDeps } from "../release";

/** The readers the checks use; each is absent in a simulation, which reaches no cloud. */
type AlertReaders = Pick<ReleaseDeps, "alarmSubscriptions" | "alarmActions" | "channelStatus" | "report">;

/** Stops the release before any traffic moves when either cloud's alerts would reach nobody (checkAlertChannel, checkAlarmTopic). */
export async function checkAlertsReachSomeone(plan: ReleasePlan, deployed: Partial<Record<Cloud, DeployedTarget>>, deps: AlertReaders) {
    await checkAlertChannel(plan, deployed, deps);
    await checkAlarmTopic(plan, deployed, deps);
}

/**
 * Whether the outputs name what the alert checks read: the alarm topic, and the alert e-mail's channel where one is set.
 * An older program's outputs do not; the release's own deploy at 0 % adds them, and the checks then read them.
 */
export function outputsNameAlertTargets(plan: ReleasePlan, deployed: Partial<Record<Cloud, DeployedTarget>>): boolean {
    return (!plan.clouds.aws || deployed.aws?.alarmTopicArn !== undefined) && (plan.clouds.gcp?.alertEmail === undefined || deployed.gcp?.alertChannel !== undefined);
}

/**
 * GCP: stops the release while Cloud Monitoring holds the alert e-mail's channel disabled or UNVERIFIED
 * (channelStatus.ts), and when it cannot read the channel: nothing else tells that the alerts reach anyone (on AWS the
 * subscriptions do, so a history it cannot read is only said).
 */
async function checkAlertChannel(plan: ReleasePlan, deployed: Partial<Record<Cloud, DeployedTarget>>, { channelStatus }: AlertReaders) {
    const email = plan.clouds.gcp?.alertEmail;
    if (email === undefined || channelStatus === undefined) return;
    const channel = deployed.gcp?.alertChannel;
    if (!channel) throw new ReleaseError("gcp: the stack outputs have no alertChannel: update the stack with this version of the program first (pulumi up)");
    const status = await channelStatus(channel).catch((err: Error): never => {
        throw new ReleaseError(`gcp: cannot tell whether the alerts reach anyone: ${err.message}. No traffic moved`);
    });
    const problem = disabledChannelProblem(channel, email, status) ?? unverifiedChannelProblem(channel, email, status.verificationStatus);
    if (problem) throw new ReleaseError(`gcp: ${problem}. No traffic moved`);
}

/**
 * AWS: stops the release when the stack names an alarm address but no one has confirmed it, or when CloudWatch's newest
 * notification to the topic failed; says of each confirmed e-mail subscription anyone could remove without AWS
 * credentials, and of notifications failed or untested (alarmActions.ts).
 */
async function checkAlarmTopic(plan: ReleasePlan, deployed: Partial<Record<Cloud, DeployedTarget>>, { alarmSubscriptions: list, alarmActions, report }: AlertReaders) {
    const email = plan.clouds.aws?.alarmEmail;
    if (email === undefined || list === undefined) return;
    const topicArn = deployed.aws?.alarmTopicArn;
    if (!topicArn) throw new ReleaseError("aws: the stack outputs have no alarmTopicArn: update the stack with this version of the program first (pulumi up)");
    const subscriptions = await list(topicArn).catch((err: Error): never => {
        throw new ReleaseError(`aws: cannot tell whether the alarms reach anyone: ${err.message}. No traffic moved`);
    });
    const problem = alarmDeliveryProblem(topicArn, email, subscriptions);
    if (problem) throw new ReleaseError(`aws: ${problem}. No traffic moved`);
    for (const text of removableSubscriptionNotices(topicArn, email, subscriptions)) report({ kind: "notice", text: `aws: ${text}` });
    if (alarmActions === undefined) return;
    // A history the release cannot read is said, not a refusal: the subscriptions above already show someone is there.
    const alarms = deployed.aws!.alarms;
    const actions = await alarmActions(alarms, topicArn).catch((err: Error) => err);
    if (actions instanceof Error) return report({ kind: "notice", text: `aws: could not tell whether the alarms' notifications reach ${topicArn}: ${actions.message}` });
    const delivery = alarmActionFindings(topicArn, alarms, actions);
    if (delivery.problem) throw new ReleaseError(`aws: ${delivery.problem}. No traffic moved`);
    if (delivery.notice) report({ kind: "notice", text: `aws: ${delivery.notice}` });
}
