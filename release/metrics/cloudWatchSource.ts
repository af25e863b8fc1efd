/** MetricSource on CloudWatch, with the SDK's default credentials chain. Needs cloudwatch:GetMetricData and DescribeAlarms. */
import type { CloudWatchClient, CloudWatchClientConfig } from "@aws-sdk/client-cloudwatch";
import { BakeWindow, DeployedTarget, Sample } from "../types";
import { alarmStateRequests, firingAlarms, lambdaMetricDataRequest, sampleFromMetricData } from "./cloudWatch";
import { describeAllAlarms } from "./describeAlarms";
import { MetricSource, MetricsUnreadable } from "./metricSource";
import { leadInSeconds } from "./ingestionDelay";
import { awsAnswer, boundedAttempts, everyPage } from "../awsReadAttempts";
import { wholeOrReadSoFar } from "./partsRead";

/** The one method of CloudWatchClient the reads use. */
export type CloudWatchSend = Pick<CloudWatchClient, "send">;

/** `elsewhere`: another endpoint and credentials (a stand-in's); `attemptTimeoutMs`: instead of CALL_ATTEMPT's. */
export async function cloudWatchClient(region: string, { attemptTimeoutMs, ...elsewhere }: Pick<CloudWatchClientConfig, "endpoint" | "credentials"> & { attemptTimeoutMs?: number } = {}): Promise<CloudWatchClient> {
    const { CloudWatchClient } = await import("@aws-sdk/client-cloudwatch");
    return new CloudWatchClient({ region, ...elsewhere, ...boundedAttempts(attemptTimeoutMs) });
}

/**
 * `ingestionDelaySeconds`: how late the functions' metrics may arrive (ingestionDelay.ts, from their timeout).
 * `client`: the SDK's client for `region` unless given.
 */
export async function cloudWatchSource(region: string, ingestionDelaySeconds: number, reservedConcurrency?: number, client?: CloudWatchSend): Promise<MetricSource> {
    const sdk = await import("@aws-sdk/client-cloudwatch");
    const cloudWatch: CloudWatchSend = client ?? (await cloudWatchClient(region));
    // The SDK has retried what it retries (throttling, 5xx: its standard retry mode) before an answer gets here.
    const unreadable = (operation: string) => (err: unknown): never => {
        throw new MetricsUnreadable(`CloudWatch did not answer ${operation}: ${awsAnswer(err)}`, { cause: err });
    };
    return {
        ingestionDelaySeconds,
        leadInSeconds: leadInSeconds("aws"),
        async read(target: DeployedTarget, window: BakeWindow): Promise<Sample> {
            // Before the window holds a whole minute there is nothing to ask for (no data, no evidence).
            const request = lambdaMetricDataRequest(target, window, reservedConcurrency);
            const figures = async () => {
                if (!request) return { requests: 0, errors: 0, p95Ms: undefined };
                const pages = await everyPage("GetMetricData", (NextToken) => cloudWatch.send(new sdk.GetMetricDataCommand({ ...request, NextToken }))).catch(unreadable("GetMetricData"));
                return sampleFromMetricData(pages, reservedConcurrency);
            };
            const alarmStates = async () => ({ firingAlarms: firingAlarms(target, await describeAllAlarms(cloudWatch, alarmStateRequests(target.alarms)).catch(unreadable("DescribeAlarms"))) });
            // At once, so that a read takes one call's worst case (METRIC_READ_WORST_SECONDS), not two. Each judged on
            // its own: an alarm in ALARM or a breach of the figures decides even when the other could not be read.
            return wholeOrReadSoFar(await Promise.allSettled([figures(), alarmStates()]));
        },
    };
}
