import type { SNSClientConfig } from "@aws-sdk/client-sns";
import { ListTopicSubscriptions, TopicSubscription } from "./alarmDelivery";
import { awsAnswer, boundedAttempts, everyPage } from "../awsReadAttempts";

/**
 * Reads a topic's subscriptions with ListSubscriptionsByTopic, following NextToken (SNS returns 100 a page). An answer
 * that is not a page (a refusal such as 403 AuthorizationError, or none in time) fails the read, naming the topic.
 * Each attempt is bounded (boundedAttempts): the release reads this before any traffic moves. `attemptTimeoutMs`:
 * instead of CALL_ATTEMPT's.
 */
export async function snsTopicSubscriptions({ attemptTimeoutMs, ...config }: SNSClientConfig & { attemptTimeoutMs?: number }): Promise<ListTopicSubscriptions> {
    const { SNSClient, ListSubscriptionsByTopicCommand } = await import("@aws-sdk/client-sns");
    const client = new SNSClient({ ...config, ...boundedAttempts(attemptTimeoutMs) });
    return async (topicArn) => {
        const pages = await everyPage((NextToken) =>
            client.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken })).catch((err: unknown): never => {
                throw new Error(`SNS did not list the subscriptions of ${topicArn} (ListSubscriptionsByTopic, which needs sns:ListSubscriptionsByTopic on the topic): ${awsAnswer(err)}`, { cause: err });
            }),
        );
        // A confirmed subscription lists with its ARN; an unconfirmed one as "PendingConfirmation".
        return pages.flatMap((page) => (page.Subscriptions ?? []).map((s): TopicSubscription => ({ protocol: s.Protocol ?? "", endpoint: s.Endpoint ?? "", confirmed: (s.SubscriptionArn ?? "").startsWith("arn:") })));
    };
}
