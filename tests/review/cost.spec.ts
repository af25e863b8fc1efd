import * as assert from "assert";
import { parseStackSettings } from "../../config";
import { readStackFile } from "../../config/stackFile";
import { estimateMonthlyCost } from "../../review/cost/model";
import { alertPolicyConditions, cloudWatchAlarmMetrics } from "../../review/cost/counts";
import { loadPriceTable, parsePriceTable } from "../../review/prices/table";
import { stackWith } from "../config/helpers";
import { sharedPlan } from "../plan/offlinePlan";

const prices = loadPriceTable();
/** A figure of the committed table by name: the hand computations below multiply quantities worked out by hand by these. */
const aws = (name: string) => prices.regions["aws:ap-northeast-1"][name].usd;
const gcp = (name: string) => prices.regions["gcp:asia-northeast1"][name].usd;
const settingsOf = (stack: "dev" | "prod") => {
    const { config, secretKeys } = readStackFile(stack);
    return parseStackSettings({ values: config, secretKeys: new Set(secretKeys) }, stack);
};
const KIB_PER_GIB = 1024 * 1024;
const DAYS_PER_MONTH = 730 / 24;

function byKey(stack: "dev" | "prod") {
    const estimate = estimateMonthlyCost(settingsOf(stack), prices);
    return { estimate, usd: Object.fromEntries(estimate.lines.map((l) => [`${l.cloud} ${l.key}`, l.usd])) };
}

/** The estimate's line of `key`; a missing line fails the test that reads it. */
function lineOf(estimate: ReturnType<typeof estimateMonthlyCost>, key: string) {
    const line = estimate.lines.find((l) => l.key === key);
    assert.ok(line, `no ${key} line in ${estimate.lines.map((l) => l.key).join(", ")}`);
    return line;
}

function assertClose(actual: number, expected: number, what: string) {
    assert.ok(Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${what}: got ${actual}, expected ${expected}`);
}

describe("review: the monthly cost model, against hand computations for both stack files", () => {
    it("dev (no cost settings: the default traffic of 1,000,000 requests of 200 ms, 100 runs, 1 KiB logs, 10 GiB)", () => {
        const { estimate, usd } = byKey("dev");
        const expected: Record<string, number> = {
            // 1,000,000 API requests + 100 runs x (100 keys (service.batchSize) + the wake-up call) worker invocations
            "aws lambda.requests": 1_010_100 * aws("lambda.request"),
            // 1,000,000 x 0.2 s x 0.5 GB (512 MB), arm64
            "aws lambda.apiCompute": 100_000 * aws("lambda.gbSecond.arm64"),
            // 10,000 keys x 1 s x 0.5 GB
            "aws lambda.workerCompute": 5_000 * aws("lambda.gbSecond.arm64"),
            "aws lambda.reservedConcurrency": 0,
            // 100 runs x (wake-up + Map + 100 Tasks + Succeed)
            "aws sfn.transitions": 10_300 * aws("stepFunctions.stateTransition"),
            // 1,010,100 invocations x 1 KiB
            "aws logs.ingestion": (1_010_100 / KIB_PER_GIB) * aws("logs.ingestedGB"),
            // a month's logs kept 30 days (service.retentionDays) of a 30.42-day month
            "aws logs.storage": (1_010_100 / KIB_PER_GIB) * (30 / DAYS_PER_MONTH) * aws("logs.storedGBMonth"),
            // error rate: 3 metrics for the API (its own 5xx count too), 2 for the worker; p95: 2 for the API (Duration, and
            // Invocations for its request floor), 1 for the worker; 2 throttles; the API's health check and its watchdog; the
            // checks Scheduler could not start (3 metrics); failed executions
            "aws alarms": 16 * aws("alarms.metricMonth"),
            "aws s3.storage": 10 * aws("s3.standardGBMonth"),
            "gcp run.requests": 1_000_000 * gcp("run.request"),
            // 1,000,000 x 0.2 s = 200,000 instance-seconds, 1 vCPU
            "gcp run.vcpu": 200_000 * gcp("run.vcpuSecond"),
            // 200,000 s x 0.5 GiB (512Mi)
            "gcp run.memory": 100_000 * gcp("run.gibSecond"),
            // gcp.minInstances is 0
            "gcp run.minVcpu": 0,
            "gcp run.minMemory": 0,
            "gcp logging.ingestion": (1_000_000 / KIB_PER_GIB) * gcp("logging.ingestedGiB"),
            "gcp storage": 10 * gcp("storage.standardGiBMonth"),
            // 5xx ratio and p95 latency, each with its request floor, CPU, memory and instances (resource use), uptime (ingress all)
            "gcp alertConditions": 8 * gcp("monitoring.alertConditionMonth"),
        };
        assert.deepStrictEqual(Object.keys(usd).sort(), Object.keys(expected).sort());
        for (const [key, value] of Object.entries(expected)) assertClose(usd[key], value, key);
        assertClose(estimate.totalUsd, Object.values(expected).reduce((a, b) => a + b, 0), "total");
        // With the committed table's figures: about $22.63 a month (before the request floors: $19.53; before that $11.13, the alert conditions at $0.10).
        assert.strictEqual(estimate.totalUsd.toFixed(2), "22.63");
    });

    it("prod (cost.assumedTraffic: 10,000,000 requests of 150 ms, 1,000 runs, 200 GiB; 1024 MB, reserved 100, 2 vCPU 2Gi, 1 min instance)", () => {
        const { estimate, usd } = byKey("prod");
        // One min instance all month (2,628,000 s), less the 2,000,000 s billed serving, at the active rates above.
        const idleSeconds = 730 * 3600 - 2_000_000;
        const expected: Record<string, number> = {
            // 10,000,000 requests + 1,000 runs x (500 keys + the wake-up call)
            "aws lambda.requests": 10_501_000 * aws("lambda.request"),
            // 10,000,000 x 0.15 s x 1 GB
            "aws lambda.apiCompute": 1_500_000 * aws("lambda.gbSecond.arm64"),
            // 500,000 keys x 1 s x 1 GB
            "aws lambda.workerCompute": 500_000 * aws("lambda.gbSecond.arm64"),
            // reserving 100 executions is free
            "aws lambda.reservedConcurrency": 0,
            // 1,000 runs x (1 + 1 + 500 + 1)
            "aws sfn.transitions": 503_000 * aws("stepFunctions.stateTransition"),
            "aws logs.ingestion": (10_501_000 / KIB_PER_GIB) * aws("logs.ingestedGB"),
            // kept 90 days
            "aws logs.storage": (10_501_000 / KIB_PER_GIB) * (90 / DAYS_PER_MONTH) * aws("logs.storedGBMonth"),
            // dev's 16, and the API's concurrency against the 100 reserved
            "aws alarms": 17 * aws("alarms.metricMonth"),
            "aws s3.storage": 200 * aws("s3.standardGBMonth"),
            "gcp run.requests": 10_000_000 * gcp("run.request"),
            // 10,000,000 x 0.15 s, each billed rounded up to 0.2 s ("rounded up to the nearest 100 millisecond", Cloud
            // Run pricing) = 2,000,000 s x 2 vCPU. Before: 0.15 s each, below what Cloud Run bills.
            "gcp run.vcpu": 4_000_000 * gcp("run.vcpuSecond"),
            // 2,000,000 s x 2 GiB
            "gcp run.memory": 4_000_000 * gcp("run.gibSecond"),
            // 628,000 idle s x 2 vCPU, and x 2 GiB, at the idle rates
            "gcp run.minVcpu": idleSeconds * 2 * gcp("run.idleVcpuSecond"),
            "gcp run.minMemory": idleSeconds * 2 * gcp("run.idleGibSecond"),
            "gcp logging.ingestion": (10_000_000 / KIB_PER_GIB) * gcp("logging.ingestedGiB"),
            "gcp storage": 200 * gcp("storage.standardGiBMonth"),
            "gcp alertConditions": 8 * gcp("monitoring.alertConditionMonth"),
        };
        assert.deepStrictEqual(Object.keys(usd).sort(), Object.keys(expected).sort());
        for (const [key, value] of Object.entries(expected)) assertClose(usd[key], value, key);
        assertClose(estimate.totalUsd, Object.values(expected).reduce((a, b) => a + b, 0), "total");
        assert.strictEqual(lineOf(estimate, "lambda.reservedConcurrency").quantity, 100);
    });

    it("an alert policy condition costs $1.50 a month (Cloud Monitoring, \"Manage alerting costs\": \"1 condition * $1.50 per month\")", () => {
        // Before: the table priced a condition at $0.10 a month, a fifteenth of Google's charge.
        assert.strictEqual(gcp("monitoring.alertConditionMonth"), 1.5);
        // dev's 8 conditions (5xx ratio and p95 latency with their request floors, CPU, memory, instances, uptime): 8 x
        // $1.50 = $12.00 a month.
        const line = lineOf(byKey("dev").estimate, "alertConditions");
        assert.strictEqual(line.quantity, 8);
        assert.strictEqual(line.usd.toFixed(2), "12.00");
    });

    it("a cloud that is off costs nothing; x86_64 takes the x86 duration price", () => {
        const raw = stackWith("dev", (d) => {
            d["multicloud-service:gcp"].enabled = false;
            d["multicloud-service:aws"].architecture = "x86_64";
        });
        const estimate = estimateMonthlyCost(parseStackSettings(raw, "dev"), prices);
        assert.ok(estimate.lines.every((l) => l.cloud === "aws"));
        assertClose(lineOf(estimate, "lambda.apiCompute").usd, 100_000 * aws("lambda.gbSecond.x86_64"), "x86 API compute");
        const worker = lineOf(estimate, "lambda.workerCompute");
        assert.match(worker.item, /x86_64/);
        assert.ok(aws("lambda.gbSecond.x86_64") !== aws("lambda.gbSecond.arm64"), "the table prices the two apart, or this check proves nothing");
        assertClose(worker.usd / aws("lambda.gbSecond.x86_64"), worker.quantity, "the worker's GB-seconds at the x86 price");
    });

    it("what is not counted names only the clouds the stack deploys to", () => {
        // Before: an AWS-only stack's estimate said it left out Artifact Registry, Secret Manager, GCS and Cloud Monitoring.
        const notCounted = (cloudOff?: "aws" | "gcp") =>
            estimateMonthlyCost(parseStackSettings(stackWith("dev", (d) => cloudOff && (d[`multicloud-service:${cloudOff}`].enabled = false)), "dev"), prices).notCounted.join("; ");
        const gcpItems = /Artifact Registry|Secret Manager|GCS|Cloud Monitoring/;
        const awsItems = /ECR|Secrets Manager|S3|Lambda|CloudWatch|Step Functions|SNS/;
        assert.match(notCounted(), gcpItems);
        assert.match(notCounted(), awsItems);
        assert.doesNotMatch(notCounted("gcp"), gcpItems);
        assert.match(notCounted("gcp"), /^free tiers and discounts; data transfer out; ECR storage; /);
        assert.doesNotMatch(notCounted("aws"), awsItems);
        assert.match(notCounted("aws"), /Artifact Registry storage/);
        // The functions and the state machine trace actively (X-Ray bills each trace recorded): before, the estimate
        // neither priced that nor said it left it out.
        assert.match(notCounted("gcp"), /X-Ray traces/);
        assert.doesNotMatch(notCounted("aws"), /X-Ray/);
    });

    it("min instances are idle only when they do not serve: serving time beyond all of theirs leaves none idle", () => {
        const busy = stackWith("prod", (d) => (d["multicloud-service:cost"] = { assumedTraffic: { ...d["multicloud-service:cost"]?.assumedTraffic, requestsPerMonth: 100_000_000, avgDurationMs: 150 } }));
        const estimate = estimateMonthlyCost(parseStackSettings(busy, "prod"), prices);
        // 100,000,000 x 0.15 s = 15,000,000 s serving, more than the one min instance's 2,628,000 s.
        assert.strictEqual(lineOf(estimate, "run.minVcpu").quantity, 0);
    });

    it("Cloud Run bills each request rounded up to the nearest 100 ms; Lambda bills the duration itself", () => {
        const raw = stackWith("dev", (d) => (d["multicloud-service:cost"] = { assumedTraffic: { avgDurationMs: 120 } }));
        const estimate = estimateMonthlyCost(parseStackSettings(raw, "dev"), prices);
        const quantity = (key: string) => lineOf(estimate, key).quantity;
        // 120 ms is billed as 200 ms on Cloud Run: 1,000,000 x 0.2 s x 1 vCPU; not 0.1 s (rounded to the nearest).
        assertClose(quantity("run.vcpu"), 200_000, "Cloud Run vCPU-seconds");
        // Lambda: 1,000,000 x 0.12 s x 0.5 GB (512 MB).
        assertClose(quantity("lambda.apiCompute"), 60_000, "Lambda API GB-seconds");
    });

    it("the uptime check's alert condition is billed only while ingress is \"all\" (it is the only ingress that gets one)", () => {
        const internal = estimateMonthlyCost(parseStackSettings(stackWith("dev", (d) => (d["multicloud-service:gcp"].ingress = "internal")), "dev"), prices);
        const line = lineOf(internal, "alertConditions");
        // 5xx ratio and p95 latency with their request floors, CPU, memory, instances; no uptime: 7 x $1.50 = $10.50 a month.
        assert.strictEqual(line.quantity, 7);
        assert.strictEqual(line.usd.toFixed(2), "10.50");
    });

    it("behind a load balancer (ingress internal-and-cloud-load-balancing) no uptime check is made, so its condition is not billed", () => {
        // components/gcp/cloudRunGcsService.ts: the uptime check and its alert policy exist only while ingress is "all".
        const lb = estimateMonthlyCost(parseStackSettings(stackWith("dev", (d) => (d["multicloud-service:gcp"].ingress = "internal-and-cloud-load-balancing")), "dev"), prices);
        const line = lineOf(lb, "alertConditions");
        assert.strictEqual(line.quantity, 7);
        assert.strictEqual(line.usd.toFixed(2), "10.50");
    });

    it("a reservation of 0 gets no concurrency alarm, so none is billed; a reservation of 2 does", () => {
        // components/aws/alarms.ts makes the concurrency alarm only for a reservation that is set and not 0 (a reservation of
        // 0 runs nothing), and config/cloudLimits.ts allows 0 (LAMBDA_RESERVED_CONCURRENCY_MIN).
        const reserved = (n: number) => lineOf(estimateMonthlyCost(parseStackSettings(stackWith("dev", (d) => (d["multicloud-service:aws"].reservedConcurrency = n)), "dev"), prices), "alarms").quantity;
        assert.strictEqual(reserved(0), 16);
        // 1 is refused at the default release.maxUtilizationPercent (config/schema.ts, reservationUseIssues).
        assert.strictEqual(reserved(2), 17);
    });

    it("min instances' idle time takes the idle prices, which a table may set apart from the active ones", () => {
        const apart = JSON.parse(JSON.stringify(prices));
        const gcpFigures = apart.regions["gcp:asia-northeast1"];
        gcpFigures["run.idleVcpuSecond"].usd = 0.000003;
        gcpFigures["run.idleGibSecond"].usd = 0.0000004;
        const estimate = estimateMonthlyCost(settingsOf("prod"), parsePriceTable(apart));
        const usd = (key: string) => lineOf(estimate, key).usd;
        // prod: one min instance of 2 vCPU and 2 GiB, idle 730 x 3600 s less the 2,000,000 s it serves = 628,000 s.
        assertClose(usd("run.minVcpu"), 628_000 * 2 * 0.000003, "idle vCPU");
        assertClose(usd("run.minMemory"), 628_000 * 2 * 0.0000004, "idle memory");
    });

    it("the prices' date is the oldest of the figures used, and they count as transcribed when any one of them is", () => {
        const mixed = JSON.parse(JSON.stringify(prices));
        for (const figures of Object.values<any>(mixed.regions)) for (const figure of Object.values<any>(figures)) Object.assign(figure, { asOf: "2026-12-02", transcribed: undefined });
        // Among the figures dev uses, one older and another transcribed by hand, neither the first nor the last read;
        // an older figure dev does not use (its functions are arm64) dates nothing.
        mixed.regions["gcp:asia-northeast1"]["run.vcpuSecond"].asOf = "2026-11-15";
        mixed.regions["aws:ap-northeast-1"]["logs.ingestedGB"].transcribed = true;
        mixed.regions["aws:ap-northeast-1"]["lambda.gbSecond.x86_64"].asOf = "2026-10-01";
        const estimate = estimateMonthlyCost(settingsOf("dev"), parsePriceTable(mixed));
        assert.strictEqual(estimate.pricesAsOf, "2026-11-15");
        assert.strictEqual(estimate.pricesTranscribed, true);
    });

    it("records the oldest price date it used and whether any price was transcribed by hand, and refuses a region the table lacks, saying how to add it", () => {
        assert.match(byKey("dev").estimate.pricesAsOf, /^\d{4}-\d{2}-\d{2}$/);
        // The committed figures were written by hand on a machine that cannot reach the price APIs, and say so.
        assert.strictEqual(byKey("dev").estimate.pricesTranscribed, true);
        const raw = stackWith("dev", (d) => (d["aws:region"] = "eu-west-1"));
        assert.throws(() => estimateMonthlyCost(parseStackSettings(raw, "dev"), prices), /no aws prices for eu-west-1 .*npm run prices -- --aws-region eu-west-1/);
    });

    it("every committed figure has a date and the https URL it comes from; a table without them is refused", () => {
        for (const figures of Object.values(prices.regions)) {
            for (const figure of Object.values(figures)) {
                assert.match(figure.asOf, /^\d{4}-\d{2}-\d{2}$/);
                assert.match(figure.source, /^https:\/\/(pricing\.us-east-1\.amazonaws\.com|cloudbilling\.googleapis\.com)\//);
            }
        }
        const broken = JSON.parse(JSON.stringify(prices));
        delete broken.regions["aws:ap-northeast-1"]["lambda.request"].asOf;
        broken.regions["gcp:asia-northeast1"]["run.request"].source = "somewhere";
        assert.throws(() => parsePriceTable(broken), (err: Error) => /lambda\.request\.asOf/.test(err.message) && /run\.request\.source: must be the https URL/.test(err.message));
    });

    it("a table that lacks a figure the model reads is refused, naming the region and the figure and how to refill it", () => {
        // Without the check the model would read an absent figure's price and fail on it, or bill the line at nothing.
        const short = JSON.parse(JSON.stringify(prices));
        delete short.regions["aws:ap-northeast-1"]["lambda.request"];
        delete short.regions["gcp:asia-northeast1"]["run.idleGibSecond"];
        assert.throws(() => parsePriceTable(short), { message: "review/prices.json lacks figures the cost model reads: aws:ap-northeast-1 lambda.request, gcp:asia-northeast1 run.idleGibSecond (npm run prices)" });
    });

    it("a table with a negative price or a source that is not https is refused, naming both", () => {
        // A price below zero would lower the estimate; an http URL is not where the price APIs answer.
        const wrong = JSON.parse(JSON.stringify(prices));
        wrong.regions["aws:ap-northeast-1"]["lambda.request"].usd = -0.0000002;
        wrong.regions["gcp:asia-northeast1"]["run.request"].source = "http://cloudbilling.googleapis.com/v1/services/152E-C115-5142/skus";
        assert.throws(() => parsePriceTable(wrong), (err: Error) => /aws:ap-northeast-1\.lambda\.request\.usd: /.test(err.message) && /gcp:asia-northeast1\.run\.request\.source: must be the https URL/.test(err.message));
    });

    describe("the counts the model bills match what the program creates (the offline plan of each stack file)", function () {
        this.timeout(120_000);
        for (const stack of ["dev", "prod"] as const) {
            it(stack, () => {
                const run = sharedPlan(stack, "--json");
                assert.strictEqual(run.code, 0, run.stderr);
                // The program's own log lines (info: ...) may come before the JSON document.
                const resources: { type: string; name: string; inputs: any }[] = JSON.parse(run.stdout.slice(run.stdout.search(/^\{/m))).resources;
                // CloudWatch bills per metric an alarm reads: a metric alarm reads one, a metric-math alarm each metric query.
                const alarmMetrics = resources
                    .filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm")
                    .reduce((n, r) => n + (r.inputs.metricQueries ? r.inputs.metricQueries.filter((q: any) => q.metric).length : 1), 0);
                const conditions = resources.filter((r) => r.type === "gcp:monitoring/alertPolicy:AlertPolicy").reduce((n, r) => n + r.inputs.conditions.length, 0);
                assert.strictEqual(alarmMetrics, cloudWatchAlarmMetrics(settingsOf(stack)));
                assert.strictEqual(conditions, alertPolicyConditions(settingsOf(stack)));
                assert.strictEqual(resources.filter((r) => r.type === "aws:lambda/function:Function").length, 2);
                // The model bills state transitions for the pipeline's runs alone (sfn.transitions) and leaves out "the
                // /health check's 43,800 Express executions" (NOT_COUNTED). That holds only while the health check is an
                // Express workflow: Standard ones are "Priced per state transition", Express ones "by the number of
                // executions you run, their duration, and memory consumption" (awsdocs/aws-step-functions-developer-guide
                // doc_source/concepts-standard-vs-express.md), so a Standard check a minute is a cost the model neither bills nor names.
                const machines = resources.filter((r) => r.type === "aws:sfn/stateMachine:StateMachine").map((r) => `${r.name} ${r.inputs.type}`);
                assert.deepStrictEqual(machines.sort(), ["pipeline-health EXPRESS", "pipeline-pipeline STANDARD"]);
            });
        }
    });
});
