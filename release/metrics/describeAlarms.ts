import type { CloudWatchClient, DescribeAlarmsCommandInput, MetricAlarm } from "@aws-sdk/client-cloudwatch";
import { everyPage } from "../awsReadAttempts";

/**
 * Every metric alarm DescribeAlarms answers for the requests: each request followed through its NextToken pages, the
 * requests at once. The SDK's paginateDescribeAlarms would do the paging, but it takes only a CloudWatchClient instance
 * (@smithy/core createPaginator), not the `send` the release's CloudWatch source is given.
 */
export async function describeAllAlarms(cloudWatch: Pick<CloudWatchClient, "send">, requests: readonly DescribeAlarmsCommandInput[]): Promise<MetricAlarm[]> {
    const { DescribeAlarmsCommand } = await import("@aws-sdk/client-cloudwatch");
    const alarmsOf = async (request: DescribeAlarmsCommandInput) =>
        (await everyPage((NextToken) => cloudWatch.send(new DescribeAlarmsCommand({ ...request, NextToken })))).flatMap((page) => page.MetricAlarms ?? []);
    return (await Promise.all(requests.map(alarmsOf))).flat();
}
