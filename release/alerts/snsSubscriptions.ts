import type { SNSClientConfig } from "@aws-sdk/client-sns";
import { ListTopicSubscriptions, TopicSubscription } from "./alarmDelivery";
import { awsAnswer, boundedAttempts, everyPage } from "../awsReadAttempts";

/** The protocols whose every message carries an unsubscribe link: at an e-mail's foot, or as an e-mail-json message's UnsubscribeURL. */
const EMAIL_PROTOCOLS = new Set(["email", "email-json"]);

/** ListSubscriptionsByTopic's SubscriptionArn for a subscription removed, until SNS drops it from the list. */
const DELETED = "Deleted";

/**
 * Reads a topic's subscriptions with ListSubscriptionsByTopic, following NextToken (SNS returns 100 a page), and of
 * each confirmed e-mail subscription whether its confirmation was authenticated (GetSubscriptionAttributes). An answer
 * to the list that is not a page (a refusal such as 403 AuthorizationError, or none in time) fails the read, naming the
 * topic; a failed attribute read is said of that subscription (it decides a notice, not the release). Each attempt is
 * bounded (boundedAttempts): the release reads this before any traffic moves. `attemptTimeoutMs`: instead of CALL_ATTEMPT's.
 */
export async function snsTopicSubscriptions({ attemptTimeoutMs, ...config }: SNSClientConfig & { attemptTimeoutMs?: number }): Promise<ListTopicSubscriptions> {
    const { SNSClient, ListSubscriptionsByTopicCommand, GetSubscriptionAttributesCommand } = await import("@aws-sdk/client-sns");
    const client = new SNSClient({ ...config, ...boundedAttempts(attemptTimeoutMs) });
    /** GetSubscriptionAttributes' ConfirmationWasAuthenticated ("true if the subscription confirmation request was authenticated"), or why it could not be read. */
    const confirmedWithCredentials = async (subscriptionArn: string): Promise<boolean | { unread: string }> => {
        try {
            const { Attributes } = await client.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subscriptionArn }));
            return Attributes?.ConfirmationWasAuthenticated === "true";
        } catch (err) {
            return { unread: `GetSubscriptionAttributes, which needs sns:GetSubscriptionAttributes, answered ${awsAnswer(err)}` };
        }
    };
    return async (topicArn) => {
        const pages = await everyPage(`ListSubscriptionsByTopic of ${topicArn}`, (NextToken) =>
            client.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken })).catch((err: unknown): never => {
                throw new Error(`SNS did not list the subscriptions of ${topicArn} (ListSubscriptionsByTopic, which needs sns:ListSubscriptionsByTopic on the topic): ${awsAnswer(err)}`, { cause: err });
            }),
        );
        // A confirmed subscription lists with its ARN; an unconfirmed one as "PendingConfirmation"; one unsubscribed (an
        // e-mail's Unsubscribe link, the console) as "Deleted" while SNS removes it (ansible/ansible#20086: "Unsubscribing
        // from SNS topics (at least via the console for email subscriptions) results in the API returning
        // `"SubscriptionArn": "Deleted"`"). A deleted one is no longer there: nothing confirms it again.
        const listed = pages.flatMap((page) =>
            (page.Subscriptions ?? []).filter((s) => s.SubscriptionArn !== DELETED).map((s): TopicSubscription => {
                const arn = s.SubscriptionArn ?? "";
                return { protocol: s.Protocol ?? "", endpoint: s.Endpoint ?? "", confirmed: arn.startsWith("arn:"), ...(arn.startsWith("arn:") && { arn }) };
            }),
        );
        return Promise.all(listed.map(async (s) => (s.arn && EMAIL_PROTOCOLS.has(s.protocol) ? { ...s, confirmedWithCredentials: await confirmedWithCredentials(s.arn) } : s)));
    };
}

