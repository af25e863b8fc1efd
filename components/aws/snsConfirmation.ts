/**
 * How to confirm an e-mail's subscription so that only AWS credentials can undo it: SNS's ConfirmSubscription with
 * AuthenticateOnUnsubscribe ("Disallows unauthenticated unsubscribes of the subscription": SNS API Reference,
 * ConfirmSubscription), signed by the CLI, with the Token of the e-mail's "Confirm subscription" link
 * (https://sns.<region>.amazonaws.com/?Action=ConfirmSubscription&TopicArn=...&Token=...). Following the link confirms
 * it without credentials, and then the Unsubscribe link at the foot of every message SNS sends it removes it, whoever
 * opens it: a mail system that opens links to scan them too.
 */
export function confirmWithCredentials(topicArn: string): string {
    return (
        `copy its "Confirm subscription" link without opening it and run aws sns confirm-subscription --region ${topicRegion(topicArn)} --topic-arn ${topicArn} ` +
        `--token <the link's Token> --authenticate-on-unsubscribe true (following the link confirms it too, but then the Unsubscribe link in every alarm e-mail removes it without AWS credentials)`
    );
}

/**
 * A topic's region, for the CLI commands that name it: the CLI takes the region from --region or the profile, never from
 * the ARN (arn:aws:sns:<region>:<account>:<name>).
 */
export const topicRegion = (topicArn: string) => topicArn.split(":")[3];
