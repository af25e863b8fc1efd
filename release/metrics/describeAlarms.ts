import type { CloudWatchClient, DescribeAlarmsCommandInput, MetricAlarm } from "@aws-sdk/client-cloudwatch";

/**
 * Every metric alarm DescribeAlarms answers for the requests: each request followed through its NextToken pages, the
 * requests at once. The SDK's paginateDescribeAlarms would do the paging, but it takes only a CloudWatchClient instance
 * (@smithy/core createPaginator), not the `send` the release's CloudWatch source is given.
 */
export async function describeAllAlarms(cloudWatch: Pick<CloudWatchClient, "send">, requests: readonly DescribeAlarmsCommandInput[]): Promise<MetricAlarm[]> {
    const { DescribeAlarmsCommand } = await import("@aws-sdk/client-cloudwatch");
    const everyPage = async (request: DescribeAlarmsCommandInput) => {
        const alarms: MetricAlarm[] = [];
        let NextToken: string | undefined;
        do {
            const page = await cloudWatch.send(new DescribeAlarmsCommand({ ...request, NextToken }));
            alarms.push(...(page.MetricAlarms ?? []));
            NextToken = page.NextToken;
        } while (NextToken);
        return alarms;
    };
    return (await Promise.all(requests.map(everyPage))).flat();
}
