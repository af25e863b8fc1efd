import * as assert from "assert";
import * as lambdaAws from "@pulumi/aws/lambda";
import { runUnderMocks } from "../../scripts/offline/mockCloud";
import { AWS_INPUT_CHECKS } from "../../scripts/offline/awsInputChecks";
import { inputCheckRefusal } from "../../scripts/offline/inputChecks";
import { deployPipeline, pipelineArgs } from "../aws/fixtures";
import { stackServiceSettings } from "./componentArgs";
import { failedUpdate } from "./failedUpdate";

// The aws provider's Check, as terraform-provider-aws's schemas validate (scripts/offline/awsInputChecks.ts names each
// rule's source), in the engine's words (pulumi/pulumi sdk/go/common/diag/errors.go, GetResourcePropertyInvalidValueError).
const IMAGE = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/multicloud-service-dev@sha256:" + "0".repeat(64);

describe("the aws provider's input checks under mocks", () => {
    const deploy = (overrides: Parameters<typeof pipelineArgs>[1]) => deployPipeline("dev", overrides);

    // The component refuses these args itself (its own bad-args check); a function registered directly meets the provider's.
    const lambda = (args: Partial<lambdaAws.FunctionArgs>) =>
        runUnderMocks({ stack: "dev" }, () => new lambdaAws.Function("fn", { role: "arn:aws:iam::123456789012:role/fn", packageType: "Image", imageUri: IMAGE, ...args }));

    it("refuses a Lambda memory size outside 128 to 10240 MB (function.go, memory_size: IntBetween)", async () => {
        await failedUpdate(lambda({ memorySize: 64 }), /aws:lambda\/function:Function resource 'fn' has a problem: expected memory_size to be in the range \(128 - 10240\), got 64\. Examine values at 'fn\.memorySize'\./);
    });

    it("refuses a Lambda timeout above 900 s (function.go, timeout: IntBetween)", async () => {
        await failedUpdate(lambda({ timeout: 901 }), /has a problem: expected timeout to be in the range \(1 - 900\), got 901\. Examine values at 'fn\.timeout'\./);
    });

    it("refuses an architecture Lambda does not name (function.go, architectures: enum.Validate)", async () => {
        await failedUpdate(lambda({ architectures: ["aarch64"] }), /has a problem: expected architectures to be one of \["x86_64" "arm64"\], got aarch64\. Examine values at 'fn\.architectures\[0\]'\./);
    });

    it("refuses an application log level Lambda does not name (function.go, application_log_level: enum.Validate)", async () => {
        await failedUpdate(
            lambda({ loggingConfig: { logFormat: "JSON", applicationLogLevel: "VERBOSE" } }),
            /has a problem: expected application_log_level to be one of \["TRACE" "DEBUG" "INFO" "WARN" "ERROR" "FATAL"\], got VERBOSE\. Examine values at 'fn\.loggingConfig\.applicationLogLevel'\./,
        );
    });

    it("refuses a log group retention CloudWatch does not offer (group.go, retention_in_days: IntInSlice)", async () => {
        await failedUpdate(
            deploy({ service: { ...stackServiceSettings("dev"), retentionDays: 45 } }),
            /aws:cloudwatch\/logGroup:LogGroup resource '(pipeline-\w+)' has a problem: expected retention_in_days to be one of \[0 1 3 5 7 14 30 60 90 120 150 180 365 400 545 731 1096 1827 2192 2557 2922 3288 3653\], got 45\. Examine values at '\1\.retentionInDays'\./,
        );
    });

    // metric_query is a TypeSet: terraform-plugin-sdk cuts the diagnostic's path at it (helper/schema/schema.go,
    // validateType, "Truncating attribute path of %d diagnostics for TypeSet"), so the bridge examines 'r.metricQueries'.
    it("answers in the provider's words for the rules the stacks meet only at their edges", () => {
        const refusal = (type: string, inputs: Record<string, unknown>) => inputCheckRefusal(type, "r", inputs, AWS_INPUT_CHECKS)?.message;
        assert.match(refusal("aws:lambda/function:Function", { reservedConcurrentExecutions: -2 }) ?? "", /expected reserved_concurrent_executions to be at least \(-1\), got -2\. Examine values at 'r\.[\w.\[\]]+'\.$/);
        assert.match(refusal("aws:cloudwatch/metricAlarm:MetricAlarm", { alarmDescription: "x".repeat(1025) }) ?? "", /expected length of alarm_description to be in the range \(0 - 1024\), got x+\. Examine values at 'r\.[\w.\[\]]+'\.$/);
        assert.match(refusal("aws:cloudwatch/metricAlarm:MetricAlarm", { extendedStatistic: "p999" }) ?? "", /invalid value for extended_statistic \(invalid statistic, see: /);
        assert.strictEqual(refusal("aws:cloudwatch/metricAlarm:MetricAlarm", { metricQueries: [{ metric: { stat: "p95" } }, { expression: "m1" }] }), undefined, "a percentile is a stat");
        assert.match(refusal("aws:cloudwatch/metricAlarm:MetricAlarm", { metricQueries: [{ metric: { stat: "Total" } }] }) ?? "", /has a problem: expected stat to be one of .*, got Total\. Examine values at 'r\.metricQueries'\.$/);
        assert.strictEqual(refusal("aws:cloudwatch/metricAlarm:MetricAlarm", { treatMissingData: "NotBreaching" }), undefined, "StringInSlice ignoring case");
        assert.match(refusal("aws:scheduler/schedule:Schedule", { target: { retryPolicy: { maximumRetryAttempts: 186 } } }) ?? "", /expected maximum_retry_attempts to be in the range \(0 - 185\), got 186\. Examine values at 'r\.[\w.\[\]]+'\.$/);
        assert.match(refusal("aws:kms/key:Key", { deletionWindowInDays: 6 }) ?? "", /expected deletion_window_in_days to be in the range \(7 - 30\), got 6\. Examine values at 'r\.[\w.\[\]]+'\.$/);
        assert.match(refusal("aws:iam/role:Role", { maxSessionDuration: 1800 }) ?? "", /expected max_session_duration to be in the range \(3600 - 43200\), got 1800\. Examine values at 'r\.[\w.\[\]]+'\.$/);
        assert.match(refusal("aws:sfn/stateMachine:StateMachine", { loggingConfiguration: { level: "INFO" } }) ?? "", /expected level to be one of \["ALL" "ERROR" "FATAL" "OFF"\], got INFO\. Examine values at 'r\.[\w.\[\]]+'\.$/);
    });

    it("refuses an alarm period CloudWatch does not take, in validation.Any's first error (metric_alarm.go, period)", () => {
        const refusal = (inputs: Record<string, unknown>) => inputCheckRefusal("aws:cloudwatch/metricAlarm:MetricAlarm", "r", inputs, AWS_INPUT_CHECKS)?.message;
        assert.strictEqual(
            refusal({ period: 45 }),
            "aws:cloudwatch/metricAlarm:MetricAlarm resource 'r' has a problem: expected period to be one of [10 20 30], got 45. Examine values at 'r.period'.",
        );
        assert.match(refusal({ metricQueries: [{ id: "m1", metric: { metricName: "Errors", period: 45, stat: "Sum" } }] }) ?? "", /has a problem: expected metric_query\.0\.metric\.0\.period to be one of \[1 5 10 20 30\], got 45\. Examine values at 'r\.metricQueries'\.$/);
        for (const period of [60, 300, 10, 20, 30]) assert.strictEqual(refusal({ period }), undefined, `period ${period}`);
        for (const period of [60, 300, 1, 5, 20]) assert.strictEqual(refusal({ metricQueries: [{ id: "m1", metric: { metricName: "Errors", period, stat: "Sum" } }] }), undefined, `metric period ${period}`);
    });

    it("takes the committed stacks' values at the settings' edges (memory, timeout, retention)", async () => {
        await deploy({ memoryMb: 10240, timeoutSeconds: 900, service: { ...stackServiceSettings("dev"), retentionDays: 3653 } });
        await deploy({ memoryMb: 128, timeoutSeconds: 1, service: { ...stackServiceSettings("dev"), retentionDays: 1 } });
    });
});
