import { anyOf, type InputCheck, intAtLeast, intBetween, intDivisibleBy, intInSlice, listKey, oneOf, stringLenBetween, stringMatch } from "./inputChecks";

// terraform-provider-aws internal/enum/validate.go: enum.Validate[T] is ToDiagFunc(StringInSlice(Values[T](), false)),
// Values[T] being the AWS SDK's enum in its model's order (botocore's service-2.json shapes list the same members).

// internal/service/cloudwatch/metric_alarm.go: extended_statistic's and metric_query.metric.stat's pattern and message.
const PERCENTILE_STATISTIC =
    /^((p|(tm)|(wm)|(tc)|(ts))((\d{1,2}(\.\d{1,2})?)|(100))|(IQM)|(((TM)|(WM)|(PR)|(TC)|(TS)))\((\d+(\.\d+)?%?)?:(\d+(\.\d+)?%?)?\))$/;
const STATISTIC_MESSAGE = "invalid statistic, see: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Statistics-definitions.html";
// botocore cloudwatch 2010-08-01 service-2.json, Statistic and ComparisonOperator.
const STATISTICS = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"];
const COMPARISON_OPERATORS = [
    "GreaterThanOrEqualToThreshold",
    "GreaterThanThreshold",
    "LessThanThreshold",
    "LessThanOrEqualToThreshold",
    "LessThanLowerOrGreaterThanUpperThreshold",
    "LessThanLowerThreshold",
    "GreaterThanUpperThreshold",
];

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
/** metric_alarm.go's metric_query period rule, with the flatmap key it reports. */
const highResolutionPeriod = (key: string) => anyOf(intInSlice(key, [1, 5, 10, 20, 30]), intDivisibleBy(key, 60));
const FUNCTION = "aws:lambda/function:Function";
const SCHEDULE = "aws:scheduler/schedule:Schedule";
const STATE_MACHINE = "aws:sfn/stateMachine:StateMachine";
const KEY = "aws:kms/key:Key";
const ROLE = "aws:iam/role:Role";

/** The aws provider checks the program's resources meet (inputChecks.ts); each beside its source. */
export const AWS_INPUT_CHECKS: InputCheck[] = [
    // internal/service/logs/group.go: retention_in_days, validation.IntInSlice (service.retentionDays feeds it).
    {
        type: "aws:cloudwatch/logGroup:LogGroup",
        property: "retentionInDays",
        refuse: intInSlice("retention_in_days", [0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]),
    },

    // internal/service/lambda/function.go (aws.memoryMb, aws.timeoutSeconds, aws.reservedConcurrency, aws.architecture,
    // service.logLevel feed these); enums: botocore lambda 2015-03-31 Architecture, ApplicationLogLevel, LogFormat,
    // PackageType, TracingMode.
    { type: FUNCTION, property: "memorySize", refuse: intBetween("memory_size", 128, 10240) },
    { type: FUNCTION, property: "timeout", refuse: intBetween("timeout", 1, 900) },
    { type: FUNCTION, property: "reservedConcurrentExecutions", refuse: intAtLeast("reserved_concurrent_executions", -1) },
    { type: FUNCTION, property: "architectures[]", refuse: oneOf("architectures", ["x86_64", "arm64"]) },
    { type: FUNCTION, property: "packageType", refuse: oneOf("package_type", ["Zip", "Image"]) },
    { type: FUNCTION, property: "loggingConfig.applicationLogLevel", refuse: oneOf("application_log_level", ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"]) },
    { type: FUNCTION, property: "loggingConfig.logFormat", refuse: oneOf("log_format", ["JSON", "Text"]) },
    { type: FUNCTION, property: "tracingConfig.mode", refuse: oneOf("mode", ["Active", "PassThrough"]) },

    // internal/service/lambda/function_url.go: authorization_type, StringInSlice(FunctionUrlAuthType values) (aws.functionUrl.authType).
    { type: "aws:lambda/functionUrl:FunctionUrl", property: "authorizationType", refuse: oneOf("authorization_type", ["NONE", "AWS_IAM"]) },

    // internal/service/cloudwatch/metric_alarm.go (alarm_description carries the thresholds the settings give).
    { type: ALARM, property: "alarmDescription", refuse: stringLenBetween("alarm_description", 0, 1024) },
    { type: ALARM, property: "comparisonOperator", refuse: oneOf("comparison_operator", COMPARISON_OPERATORS) },
    { type: ALARM, property: "statistic", refuse: oneOf("statistic", STATISTICS) },
    { type: ALARM, property: "extendedStatistic", refuse: stringMatch("extended_statistic", PERCENTILE_STATISTIC, STATISTIC_MESSAGE) },
    { type: ALARM, property: "evaluationPeriods", refuse: intAtLeast("evaluation_periods", 1) },
    { type: ALARM, property: "datapointsToAlarm", refuse: intAtLeast("datapoints_to_alarm", 1) },
    // period: Any(IntInSlice([]int{10, 20, 30}), IntDivisibleBy(60)); metric_query.period and metric_query.metric.period:
    // Any(IntInSlice([]int{1, 5, 10, 20, 30}), IntDivisibleBy(60)) (the provider @pulumi/aws 7.48 bridges: its docs say
    // "Valid values are `10`, `20`, `30`, or any multiple of `60`"; older copies of metric_alarm.go had {10, 30} and
    // {1, 5, 10, 30}). Plain ValidateFuncs: the key is schema.go's flatmap key, `metric_query.<i>.metric.0.period` when
    // nested, <i> being the query's place in the set as cty orders it (a hash order, not the list's: exact for one query).
    { type: ALARM, property: "period", refuse: anyOf(intInSlice("period", [10, 20, 30]), intDivisibleBy("period", 60)) },
    // metric_query is a TypeSet: the bridge examines 'metricQueries' (inputChecks.ts, InputCheck.set); the keys keep <i> (listKey).
    { type: ALARM, property: "metricQueries[].period", set: "metricQueries", refuse: (value, path) => highResolutionPeriod(listKey("metric_query.{}.period", path))(value) },
    { type: ALARM, property: "metricQueries[].metric.period", set: "metricQueries", refuse: (value, path) => highResolutionPeriod(listKey("metric_query.{}.metric.0.period", path))(value) },
    // treat_missing_data: StringInSlice(missingData_Values(), true), ignoring case (metric_alarm's consts).
    {
        type: ALARM,
        property: "treatMissingData",
        refuse: (value) => {
            const valid = ["breaching", "ignore", "missing", "notBreaching"];
            return typeof value !== "string" || valid.some((v) => v.toLowerCase() === value.toLowerCase()) ? undefined : oneOf("treat_missing_data", valid)(value);
        },
    },
    // metric_query.metric.stat: AnyDiag(enum.Validate[Statistic], the percentile pattern): a value neither takes gets
    // both diagnostics; anyOf gives the first. A ValidateDiagFunc's key is the last attribute name, `stat` (meta.go,
    // ToDiagFunc); the path the bridge examines is cut at the set, 'metricQueries'.
    { type: ALARM, property: "metricQueries[].metric.stat", set: "metricQueries", refuse: anyOf(oneOf("stat", STATISTICS), stringMatch("stat", PERCENTILE_STATISTIC, STATISTIC_MESSAGE)) },

    // internal/service/scheduler/schedule.go; botocore scheduler 2021-06-30 FlexibleTimeWindowMode, ScheduleState.
    { type: SCHEDULE, property: "scheduleExpression", refuse: stringLenBetween("schedule_expression", 1, 256) },
    { type: SCHEDULE, property: "description", refuse: stringLenBetween("description", 0, 512) },
    { type: SCHEDULE, property: "state", refuse: oneOf("state", ["ENABLED", "DISABLED"]) },
    { type: SCHEDULE, property: "flexibleTimeWindow.mode", refuse: oneOf("mode", ["OFF", "FLEXIBLE"]) },
    { type: SCHEDULE, property: "target.retryPolicy.maximumRetryAttempts", refuse: intBetween("maximum_retry_attempts", 0, 185) },
    { type: SCHEDULE, property: "target.retryPolicy.maximumEventAgeInSeconds", refuse: intBetween("maximum_event_age_in_seconds", 60, 86400) },

    // internal/service/sfn/state_machine.go; botocore stepfunctions 2016-11-23 StateMachineType, LogLevel.
    { type: STATE_MACHINE, property: "type", refuse: oneOf("type", ["STANDARD", "EXPRESS"]) },
    { type: STATE_MACHINE, property: "loggingConfiguration.level", refuse: oneOf("level", ["ALL", "ERROR", "FATAL", "OFF"]) },
    { type: STATE_MACHINE, property: "definition", refuse: stringLenBetween("definition", 0, 1024 * 1024) },

    // internal/service/kms/key.go; botocore kms 2014-11-01 KeyUsageType.
    { type: KEY, property: "deletionWindowInDays", refuse: intBetween("deletion_window_in_days", 7, 30) },
    { type: KEY, property: "description", refuse: stringLenBetween("description", 0, 8192) },
    { type: KEY, property: "keyUsage", refuse: oneOf("key_usage", ["SIGN_VERIFY", "ENCRYPT_DECRYPT", "GENERATE_VERIFY_MAC", "KEY_AGREEMENT"]) },

    // internal/service/iam/role.go (deployments/ sets max_session_duration from its credentials' minutes).
    { type: ROLE, property: "maxSessionDuration", refuse: intBetween("max_session_duration", 3600, 43200) },
    { type: ROLE, property: "description", refuse: stringLenBetween("description", 0, 1000) },
    { type: ROLE, property: "path", refuse: stringLenBetween("path", 0, 512) },

    // internal/service/ecr/repository.go: image_tag_mutability, StringInSlice of the SDK's values (botocore
    // ecr 2015-09-21 ImageTagMutability; the list the vendored SDK holds may lack the newest members).
    {
        type: "aws:ecr/repository:Repository",
        property: "imageTagMutability",
        refuse: oneOf("image_tag_mutability", ["MUTABLE", "IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION", "MUTABLE_WITH_EXCLUSION"]),
    },
];
