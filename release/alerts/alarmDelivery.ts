import { confirmWithCredentials, topicRegion } from "../../components/aws/snsConfirmation";
import { awsCliOption } from "../../components/aws/awsCliOption";
/**
 * The go-live checklist's "alerts that reach a person", checked before a release moves traffic. SNS delivers to an
 * e-mail subscription only once it is confirmed with the token of AWS's confirmation message; until then it lists
 * as "PendingConfirmation" instead of an ARN (SNS API Reference, Subscribe and ListSubscriptionsByTopic). A stack
 * that names an alarm address but whose topic has no confirmed subscription would release with alarms that reach
 * nobody.
 */

/** One subscription of a topic, as SNS lists it. */
export interface TopicSubscription {
    protocol: string;
    endpoint: string;
    /** False while SNS lists it as PendingConfirmation. */
    confirmed: boolean;
    /** A confirmed subscription's ARN (a pending one has none). */
    arn?: string;
    /**
     * For a confirmed e-mail subscription: whether its confirmation was authenticated (GetSubscriptionAttributes'
     * ConfirmationWasAuthenticated), which lets only the topic's owner and the subscription's owner unsubscribe it; or why
     * that could not be read. Unset for any other subscription.
     */
    confirmedWithCredentials?: boolean | { unread: string };
}

/** Every subscription of a topic (all pages). */
export type ListTopicSubscriptions = (topicArn: string) => Promise<TopicSubscription[]>;

/** The CLI command that subscribes `endpoint` to the topic (again), which sends it a new confirmation message. */
function subscribeCommand(topicArn: string, protocol: string, endpoint: string): string {
    return `aws sns subscribe --region ${topicRegion(topicArn)} --topic-arn ${topicArn} --protocol ${protocol} ${awsCliOption("--notification-endpoint", endpoint)}`;
}

/** Whether `s` is the stack's own subscription of aws.alarms.email (the one `pulumi up` makes). */
const isTheStacks = (s: TopicSubscription, email: string) => s.protocol === "email" && s.endpoint.toLowerCase() === email.toLowerCase();

/** Why the alarms on `topicArn` reach nobody, or undefined when some subscription is confirmed. */
export function alarmDeliveryProblem(topicArn: string, email: string, subscriptions: readonly TopicSubscription[]): string | undefined {
    if (subscriptions.some((s) => s.confirmed)) return undefined;
    const resend = subscribeCommand(topicArn, "email", email);
    const pending = subscriptions.some((s) => isTheStacks(s, email));
    return pending
        ? `the alarms reach nobody: ${email} has not confirmed its subscription to ${topicArn}. Confirm it from the ` +
              `"AWS Notification - Subscription Confirmation" e-mail sent to it (to send it again: ${resend}): ${confirmWithCredentials(topicArn)}; then run the release again`
        : `the alarms reach nobody: ${topicArn} has no confirmed subscription, and none for ${email} (aws.alarms.email). ` +
              // SNS deletes a subscription left unconfirmed for 48 hours (AWS What's New, 2023-05-10), and the stack's
              // state still holds it: a plain `up` sends nothing; the refresh drops it (the provider's read answers
              // NotFound), and the same `up` subscribes the address again.
              `SNS deletes a subscription left unconfirmed for 48 hours, or unsubscribed through an alarm e-mail's link, which a plain \`pulumi up\` does not notice: run \`pulumi up --refresh\` to subscribe it again, ` +
              `confirm it from the new e-mail, then run the release again`;
}

/**
 * What a release says, without stopping, of each confirmed e-mail subscription anyone could remove. Every message SNS
 * sends an e-mail subscription carries an Unsubscribe link, and a subscription confirmed through the e-mail's own link
 * (ConfirmationWasAuthenticated false) is removed by whoever opens it, without AWS credentials: a recipient of a
 * forwarded alarm, or a mail system that opens links to scan them (AWS Knowledge Center, "How do I keep mailing list
 * recipients from unsubscribing everyone on the list from my Amazon SNS topic emails?"; Classmethod's note "SNS Topic
 * のメールサブスクリプションが確認後に削除されてしまうのはどうしてですか", dev.classmethod.jp). Then the
 * alarms reach nobody, silently, until the next release refuses to move traffic. Not a refusal: the alarms reach
 * someone now, and the cure needs the address's owner.
 */
export function removableSubscriptionNotices(topicArn: string, email: string, subscriptions: readonly TopicSubscription[]): string[] {
    return subscriptions.flatMap((s) => {
        if (s.confirmedWithCredentials === undefined || s.confirmedWithCredentials === true) return [];
        if (typeof s.confirmedWithCredentials === "object") {
            return [`could not tell whether anyone can unsubscribe ${s.endpoint} from ${topicArn} without AWS credentials: ${s.confirmedWithCredentials.unread}`];
        }
        // Only the stack's own subscription comes back with `pulumi up --refresh`; one added by hand is subscribed by hand.
        const again = isTheStacks(s, email) ? "pulumi up --refresh to subscribe the address again" : `${subscribeCommand(topicArn, s.protocol, s.endpoint)} to subscribe it again`;
        return [
            `${s.endpoint} confirmed its subscription to ${topicArn} through the e-mail's link, so the Unsubscribe link in any alarm e-mail removes it without AWS credentials ` +
                `(a mail system that opens links to scan them does it unasked), and the alarms then reach nobody. To require credentials: ` +
                `aws sns unsubscribe --region ${topicRegion(topicArn)} --subscription-arn ${s.arn}, then ${again}; from the new e-mail, ${confirmWithCredentials(topicArn)}`,
        ];
    });
}
