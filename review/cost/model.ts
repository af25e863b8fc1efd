/**
 * The monthly cost of a stack: a pure function of its validated settings (the traffic assumption is one of them,
 * `cost.assumedTraffic`) and the price table. List prices before free tiers; each line says what it counts.
 */
import { StackSettings } from "../../config";
import { memoryMiB } from "../../config/cloudLimits";
import { AwsFigure, GcpFigure, PriceFigure, PriceTable, oldestDate, regionPrices } from "../prices/table";
import { LAMBDA_FUNCTIONS, alertPolicyConditions, cloudWatchAlarmMetrics, stateTransitionsPerRun, workerInvocationsPerRun } from "./counts";

/** AWS and Google both bill a month as 730 hours. */
export const HOURS_PER_MONTH = 730;
export const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;
export const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;
const KIB_PER_GIB = 1024 * 1024;

export interface CostLine {
    cloud: "aws" | "gcp";
    /** Stable across settings, so a base and a head estimate line up. */
    key: string;
    item: string;
    quantity: number;
    unit: string;
    usd: number;
    /** What the figure assumes, when the line alone does not say. */
    note?: string;
}

export interface CostEstimate {
    stack: string;
    lines: CostLine[];
    totalUsd: number;
    /** The oldest date among the prices used. */
    pricesAsOf: string;
    /** Whether any price used was transcribed by hand rather than read from the price APIs. */
    pricesTranscribed: boolean;
    /** What the estimate leaves out. */
    notCounted: string[];
}

/** What the estimate leaves out, each with the cloud it belongs to (none: either cloud's). */
export const NOT_COUNTED: { item: string; cloud?: "aws" | "gcp" }[] = [
    { item: "free tiers and discounts" },
    { item: "data transfer out" },
    { item: "ECR storage", cloud: "aws" },
    { item: "Artifact Registry storage", cloud: "gcp" },
    { item: "KMS keys, Secrets Manager secrets, SNS e-mail", cloud: "aws" },
    { item: "Secret Manager secrets", cloud: "gcp" },
    { item: "S3 request charges", cloud: "aws" },
    { item: "GCS request charges", cloud: "gcp" },
    { item: "Step Functions retries and state machine logs", cloud: "aws" },
    { item: "Lambda cold starts (init time is billed for container images)", cloud: "aws" },
    { item: "X-Ray traces (the functions' and the state machine's active tracing)", cloud: "aws" },
    { item: "the CloudWatch dashboard (3 a month free per account)", cloud: "aws" },
    { item: "the /health check's 43,800 Express executions, Scheduler starts (within its 14 million free) and API invocations a month (about $0.06)", cloud: "aws" },
    { item: "the Cloud Monitoring dashboard, and the uptime check's runs (every 60 s from each checker region)", cloud: "gcp" },
    { item: "Cloud Monitoring alerting's charge per time series an alert condition's query returns", cloud: "gcp" },
];

export function estimateMonthlyCost(settings: StackSettings, prices: PriceTable): CostEstimate {
    const used: PriceFigure[] = [];
    const lines: CostLine[] = [];
    const line = (cloud: CostLine["cloud"], key: string, item: string, quantity: number, figure: PriceFigure, note?: string) => {
        used.push(figure);
        lines.push({ cloud, key, item, quantity, unit: figure.unit, usd: quantity * figure.usd, ...(note ? { note } : {}) });
    };
    const traffic = settings.cost.assumedTraffic;
    const logGiB = (events: number) => (events * traffic.logKiBPerRequest) / KIB_PER_GIB;

    if (settings.aws.enabled) {
        const p = regionPrices<AwsFigure>(prices, "aws", settings.providers["aws:region"]);
        const aws = settings.aws;
        const gb = aws.memoryMb / 1024;
        const workerKeys = traffic.pipelineRunsPerMonth * settings.service.batchSize;
        const invocations = traffic.requestsPerMonth + traffic.pipelineRunsPerMonth * workerInvocationsPerRun(settings.service.batchSize);
        const ingested = logGiB(invocations);
        line("aws", "lambda.requests", "Lambda requests (API and worker)", invocations, p["lambda.request"]);
        line("aws", "lambda.apiCompute", `Lambda API compute (${aws.memoryMb} MB, ${aws.architecture})`, traffic.requestsPerMonth * (traffic.avgDurationMs / 1000) * gb, p[`lambda.gbSecond.${aws.architecture}`]);
        line("aws", "lambda.workerCompute", `Lambda worker compute (${aws.memoryMb} MB, ${aws.architecture})`, workerKeys * (traffic.workerDurationMs / 1000) * gb, p[`lambda.gbSecond.${aws.architecture}`]);
        lines.push({
            cloud: "aws",
            key: "lambda.reservedConcurrency",
            item: "Lambda reserved concurrency",
            quantity: aws.reservedConcurrency ?? 0,
            unit: "reserved executions",
            usd: 0,
            note: "reserving concurrency is free; the program provisions none",
        });
        line("aws", "sfn.transitions", "Step Functions state transitions", traffic.pipelineRunsPerMonth * stateTransitionsPerRun(settings.service.batchSize), p["stepFunctions.stateTransition"]);
        line("aws", "logs.ingestion", "CloudWatch Logs ingestion", ingested, p["logs.ingestedGB"]);
        line("aws", "logs.storage", `CloudWatch Logs storage (${settings.service.retentionDays} days kept)`, ingested * (settings.service.retentionDays / DAYS_PER_MONTH), p["logs.storedGBMonth"], "uncompressed size: an upper bound");
        line("aws", "alarms", `CloudWatch alarms (${LAMBDA_FUNCTIONS} functions and the pipeline)`, cloudWatchAlarmMetrics(settings), p["alarms.metricMonth"]);
        line("aws", "s3.storage", "S3 storage", traffic.storedGiB, p["s3.standardGBMonth"]);
    }
    if (settings.gcp.enabled) {
        const p = regionPrices<GcpFigure>(prices, "gcp", settings.providers["gcp:region"]);
        const gcp = settings.gcp;
        const cpu = Number(gcp.cpu);
        const gib = memoryMiB(gcp.memory)! / 1024;
        // Request-based billing (cpuIdle: true): an instance is billed while it serves, "rounded up to the nearest 100
        // millisecond" (Cloud Run pricing); no two requests overlap here, so each is billed on its own, rounded up.
        const servingSeconds = traffic.requestsPerMonth * (Math.ceil(traffic.avgDurationMs / 100) / 10);
        // Minimum instances are idle when they do not serve: serving time, billed above, comes out of them first
        // (Cloud Run docs, "Minimum instances": active instances reduce the number of idle ones).
        const minInstanceSeconds = gcp.minInstances * SECONDS_PER_MONTH;
        const idleSeconds = minInstanceSeconds - Math.min(servingSeconds, minInstanceSeconds);
        line("gcp", "run.requests", "Cloud Run requests", traffic.requestsPerMonth, p["run.request"]);
        line("gcp", "run.vcpu", `Cloud Run vCPU while serving (${gcp.cpu} vCPU)`, servingSeconds * cpu, p["run.vcpuSecond"], "requests never share an instance: an upper bound");
        line("gcp", "run.memory", `Cloud Run memory while serving (${gcp.memory})`, servingSeconds * gib, p["run.gibSecond"]);
        line("gcp", "run.minVcpu", `Cloud Run min instances idle vCPU (${gcp.minInstances} x ${gcp.cpu} vCPU)`, idleSeconds * cpu, p["run.idleVcpuSecond"]);
        line("gcp", "run.minMemory", `Cloud Run min instances idle memory (${gcp.minInstances} x ${gcp.memory})`, idleSeconds * gib, p["run.idleGibSecond"]);
        line("gcp", "logging.ingestion", "Cloud Logging ingestion", logGiB(traffic.requestsPerMonth), p["logging.ingestedGiB"], "the _Default bucket's 30 days are free; the program sets no longer retention");
        line("gcp", "storage", "Cloud Storage", traffic.storedGiB, p["storage.standardGiBMonth"]);
        line("gcp", "alertConditions", "Alert policy conditions", alertPolicyConditions(settings), p["monitoring.alertConditionMonth"]);
    }
    return {
        stack: settings.stack,
        lines,
        totalUsd: lines.reduce((sum, l) => sum + l.usd, 0),
        pricesAsOf: oldestDate(used),
        pricesTranscribed: used.some((f) => f.transcribed === true),
        notCounted: NOT_COUNTED.filter((n) => n.cloud === undefined || settings[n.cloud].enabled).map((n) => n.item),
    };
}
