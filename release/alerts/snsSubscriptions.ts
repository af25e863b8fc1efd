import type { SNSClientConfig } from "@aws-sdk/client-sns";
import { ListTopicSubscriptions, TopicSubscription } from "./alarmDelivery";

/** Reads a topic's subscriptions with ListSubscriptionsByTopic, following NextToken (SNS returns 100 a page). */
export async function snsTopicSubscriptions(config: SNSClientConfig): Promise<ListTopicSubscriptions> {
    const { SNSClient, ListSubscriptionsByTopicCommand } = await import("@aws-sdk/client-sns");
    const client = new SNSClient(config);
    return async (topicArn) => {
        const subscriptions: TopicSubscription[] = [];
        let nextToken: string | undefined;
        do {
            const page = await client.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken: nextToken }));
            for (const s of page.Subscriptions ?? []) {
                // A confirmed subscription lists with its ARN; an unconfirmed one as "PendingConfirmation".
                subscriptions.push({ protocol: s.Protocol ?? "", endpoint: s.Endpoint ?? "", confirmed: (s.SubscriptionArn ?? "").startsWith("arn:") });
            }
            nextToken = page.NextToken;
        } while (nextToken);
        return subscriptions;
    };
}
