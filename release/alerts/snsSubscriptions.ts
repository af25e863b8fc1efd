import type { SNSClientConfig } from "@aws-sdk/client-sns";
import { ListTopicSubscriptions, TopicSubscription } from "./alarmDelivery";

/**
 * How long one attempt of the read may take, and how many attempts: without a request timeout the SDK's HTTP handler
 * waits on an unanswered call for ever (@smithy/node-http-handler's default requestTimeout is 0, and without
 * throwOnRequestTimeout it only logs), and the release, which reads this before any traffic moves, would wait as long.
 */
export const SNS_ATTEMPTS = { timeoutMs: 15_000, maxAttempts: 2 };

/**
 * Reads a topic's subscriptions with ListSubscriptionsByTopic, following NextToken (SNS returns 100 a page). An answer
 * that is not a page (a refusal such as 403 AuthorizationError, or none in time) fails the read, naming the topic.
 * `attemptTimeoutMs`: instead of SNS_ATTEMPTS'.
 */
export async function snsTopicSubscriptions({ attemptTimeoutMs, ...config }: SNSClientConfig & { attemptTimeoutMs?: number }): Promise<ListTopicSubscriptions> {
    const { SNSClient, ListSubscriptionsByTopicCommand } = await import("@aws-sdk/client-sns");
    const timeout = attemptTimeoutMs ?? SNS_ATTEMPTS.timeoutMs;
    const client = new SNSClient({ ...config, maxAttempts: SNS_ATTEMPTS.maxAttempts, requestHandler: { connectionTimeout: timeout, requestTimeout: timeout, throwOnRequestTimeout: true } });
    return async (topicArn) => {
        const subscriptions: TopicSubscription[] = [];
        let nextToken: string | undefined;
        do {
            const page = await client.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken: nextToken })).catch((err: unknown): never => {
                const answer = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
                throw new Error(`SNS did not list the subscriptions of ${topicArn} (ListSubscriptionsByTopic, which needs sns:ListSubscriptionsByTopic on the topic): ${answer}`, { cause: err });
            });
            for (const s of page.Subscriptions ?? []) {
                // A confirmed subscription lists with its ARN; an unconfirmed one as "PendingConfirmation".
                subscriptions.push({ protocol: s.Protocol ?? "", endpoint: s.Endpoint ?? "", confirmed: (s.SubscriptionArn ?? "").startsWith("arn:") });
            }
            nextToken = page.NextToken;
        } while (nextToken);
        return subscriptions;
    };
}
