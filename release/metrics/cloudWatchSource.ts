/** MetricSource on CloudWatch, with the SDK's default credentials chain. Needs cloudwatch:GetMetricData and DescribeAlarms. */
import type { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { BakeWindow, DeployedTarget, Sample } from "../types";
import { alarmStateRequest, firingAlarms, lambdaMetricDataRequest, sampleFromMetricData } from "./cloudWatch";
import { MetricSource } from "./metricSource";

/** `ingestionDelaySeconds`: how late the functions' metrics may arrive (ingestionDelay.ts, from their timeout). */
export async function cloudWatchSource(region: string, ingestionDelaySeconds: number, reservedConcurrency?: number): Promise<MetricSource> {
    const sdk = await import("@aws-sdk/client-cloudwatch");
    const client: CloudWatchClient = new sdk.CloudWatchClient({ region });
    return {
        ingestionDelaySeconds,
        async read(target: DeployedTarget, window: BakeWindow): Promise<Sample> {
            // Before the window holds a whole minute there is nothing to ask for (no data, no evidence).
            const request = lambdaMetricDataRequest(target, window, reservedConcurrency);
            const pages = [];
            let NextToken: string | undefined;
            while (request) {
                const page = await client.send(new sdk.GetMetricDataCommand({ ...request, NextToken }));
                pages.push(page);
                NextToken = page.NextToken;
                if (!NextToken) break;
            }
            const alarms = target.alarms.length ? firingAlarms(await client.send(new sdk.DescribeAlarmsCommand(alarmStateRequest(target.alarms)))) : [];
            return { ...sampleFromMetricData(pages, reservedConcurrency), firingAlarms: alarms };
        },
    };
}
