/**
 * The go-live checklist's "alerts that reach a person", checked before a release moves traffic. SNS delivers to an
 * e-mail subscription only once someone has followed the link in AWS's confirmation message; until then it lists
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
}

/** Every subscription of a topic (all pages). */
export type ListTopicSubscriptions = (topicArn: string) => Promise<TopicSubscription[]>;

/** Why the alarms on `topicArn` reach nobody, or undefined when some subscription is confirmed. */
export function alarmDeliveryProblem(topicArn: string, email: string, subscriptions: readonly TopicSubscription[]): string | undefined {
    if (subscriptions.some((s) => s.confirmed)) return undefined;
    // The CLI takes the region from --region or the profile, never from the ARN (arn:aws:sns:<region>:<account>:<name>).
    const resend = `aws sns subscribe --region ${topicArn.split(":")[3]} --topic-arn ${topicArn} --protocol email --notification-endpoint ${email}`;
    const pending = subscriptions.some((s) => s.protocol === "email" && s.endpoint.toLowerCase() === email.toLowerCase());
    return pending
        ? `the alarms reach nobody: ${email} has not confirmed its subscription to ${topicArn}. Follow the link in the ` +
              `"AWS Notification - Subscription Confirmation" e-mail sent to it (to send it again: ${resend}), then run the release again`
        : `the alarms reach nobody: ${topicArn} has no confirmed subscription, and none for ${email} (aws.alarms.email). ` +
              // SNS deletes a subscription left unconfirmed for 48 hours (AWS What's New, 2023-05-10), and the stack's
              // state still holds it: a plain `up` sends nothing; the refresh drops it (the provider's read answers
              // NotFound), and the same `up` subscribes the address again.
              `SNS deletes a subscription left unconfirmed for 48 hours, which a plain \`pulumi up\` does not notice: run \`pulumi up --refresh\` to subscribe it again, ` +
              `confirm it from the new e-mail, then run the release again`;
}
