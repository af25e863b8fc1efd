import type { CloudWatchClient, DescribeAlarmsCommandInput, DescribeAlarmsCommandOutput } from "@aws-sdk/client-cloudwatch";
import { everyPage } from "../awsReadAttempts";

/**
 * Every page DescribeAlarms answers for the requests: each request followed through its NextToken pages, the requests
 * at once. The pages as they came: their MetricAlarms are the caller's to check (alarmAnswerShape.ts). The SDK's
 * paginateDescribeAlarms would do the paging, but it takes only a CloudWatchClient instance (@smithy/core
 * createPaginator), not the `send` the release's CloudWatch source is given.
 */
export async function describeAllAlarms(cloudWatch: Pick<CloudWatchClient, "send">, requests: readonly DescribeAlarmsCommandInput[]): Promise<DescribeAlarmsCommandOutput[]> {
    const { DescribeAlarmsCommand } = await import("@aws-sdk/client-cloudwatch");
    const pagesOf = (request: DescribeAlarmsCommandInput) => everyPage("DescribeAlarms", (NextToken) => cloudWatch.send(new DescribeAlarmsCommand({ ...request, NextToken })));
    return (await Promise.all(requests.map(pagesOf))).flat();
}
