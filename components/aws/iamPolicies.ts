/**
 * The IAM documents of the pipeline, as pure functions of ARNs so that tests can put them through an IAM
 * policy simulator. No `*` action anywhere; `*` resources only for actions that cannot be scoped (X-Ray
 * writes and CloudWatch Logs delivery management).
 */
import { PREFIXES } from "./args";

export interface PolicyDocument {
    Version: "2012-10-17";
    Statement: Statement[];
}
export interface Statement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Principal?: unknown;
    Action: string | string[];
    Resource?: string | string[];
    NotResource?: string | string[];
    Condition?: Record<string, Record<string, unknown>>;
}

/** An IAM policy document of these statements. */
export const doc = (...Statement: Statement[]): PolicyDocument => ({ Version: "2012-10-17", Statement });

/**
 * The services the service's roles trust, each a role's principal: Lambda (the functions), Step Functions (the state
 * machines) and EventBridge Scheduler (the health check's schedule). deployments/workloadRoles.ts lets deploy roles
 * pass the service's roles to these and no others.
 */
export const ROLE_SERVICES = ["lambda.amazonaws.com", "states.amazonaws.com", "scheduler.amazonaws.com"] as const;
export type RoleService = (typeof ROLE_SERVICES)[number];

/**
 * A service role's trust: the service, on behalf of this account only (aws:SourceAccount, against the confused deputy).
 * Each of the three sends the key when it assumes the role. Lambda: its developer guide's execution-role chapter
 * ("Working with AWS managed policies in the execution role"): "When a service assumes a role in your account, you can
 * include the aws:SourceAccount and aws:SourceArn global condition context keys in your role trust policy"; AWS's own
 * deployment SOP creates execution roles with this very condition and calls the functions through them
 * (aws/agent-toolkit-for-aws, skills/.../deploying-custom-domain-rest-api). Step Functions: "Prevent cross-service
 * confused deputy issue" in its guide's "Creating an IAM role for your state machine". Scheduler: its guide's document
 * history, 2023-09-07, "Changes to execution role and confused deputy prevention".
 * A Lambda that could not assume the role would refuse CreateFunction: "The role defined for the function cannot be
 * assumed by Lambda."
 */
export function assumeRolePolicy(service: RoleService, accountId: string): PolicyDocument {
    return doc({
        Effect: "Allow",
        Principal: { Service: service },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
    });
}

const writeOwnLogs = (logGroupArn: string): Statement => ({
    Sid: "WriteOwnLogGroup",
    Effect: "Allow",
    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
    Resource: `${logGroupArn}:*`,
});

/** X-Ray's write actions do not support resource-level permissions. */
const writeTraces: Statement = {
    Sid: "WriteTraces",
    Effect: "Allow",
    Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
    Resource: "*",
};

export interface ApiPolicyArgs {
    bucketArn: string;
    stateMachineArn: string;
    logGroupArn: string;
    adminTokenSecretArn?: string;
}

/**
 * Listing only under the input prefix (`s3:prefix` like `input/*`), never the whole bucket. Both runtime roles
 * need it: S3 answers a GET/HEAD of a missing key with 403 (not 404) when the caller may not list the bucket,
 * and the service tells "missing" from "denied" with a listing whose prefix is the key itself
 * (app/src/storage/s3Store.ts). The API's readiness probe is such a listing too (prefix `input/`).
 */
const listInputPrefix = (bucketArn: string): Statement => ({
    Sid: "ListInputPrefix",
    Effect: "Allow",
    Action: "s3:ListBucket",
    Resource: bucketArn,
    Condition: { StringLike: { "s3:prefix": [`${PREFIXES.input}*`] } },
});

/** The HTTP API: read and write its input prefix, list it, start executions of its own state machine. */
export function apiPolicy(a: ApiPolicyArgs): PolicyDocument {
    const statements: Statement[] = [
        { Sid: "ReadInputPrefix", Effect: "Allow", Action: "s3:GetObject", Resource: `${a.bucketArn}/${PREFIXES.input}*` },
        // The API only creates (putIfAbsent sends If-None-Match: *, app/src/storage/s3Store.ts), so it may not overwrite
        // an upload: S3's s3:if-none-match condition key, in the form S3's guide gives ("Enforce conditional writes on
        // Amazon S3 buckets": Null false, the header present; PutObject takes no If-None-Match value but *).
        { Sid: "CreateInputObjects", Effect: "Allow", Action: "s3:PutObject", Resource: `${a.bucketArn}/${PREFIXES.input}*`, Condition: { Null: { "s3:if-none-match": "false" } } },
        listInputPrefix(a.bucketArn),
        { Sid: "StartOwnPipeline", Effect: "Allow", Action: "states:StartExecution", Resource: a.stateMachineArn },
        writeOwnLogs(a.logGroupArn),
        writeTraces,
    ];
    if (a.adminTokenSecretArn) {
        statements.push({ Sid: "ReadAdminToken", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: a.adminTokenSecretArn });
    }
    return doc(...statements);
}

/** The pipeline worker: read the input prefix (and list it, to tell a missing key from a denied one), write the results prefix. */
export function workerPolicy(a: { bucketArn: string; logGroupArn: string }): PolicyDocument {
    return doc(
        { Sid: "ReadInputPrefix", Effect: "Allow", Action: "s3:GetObject", Resource: `${a.bucketArn}/${PREFIXES.input}*` },
        listInputPrefix(a.bucketArn),
        { Sid: "WriteResultsPrefix", Effect: "Allow", Action: "s3:PutObject", Resource: `${a.bucketArn}/${PREFIXES.results}*` },
        writeOwnLogs(a.logGroupArn),
        writeTraces,
    );
}

/**
 * The state machine: invoke the worker's `live` alias and nothing else. Step Functions delivers execution
 * logs through CloudWatch Logs' log-delivery API, whose actions cannot be scoped to a log group.
 */
export function stateMachinePolicy(a: { workerAliasArn: string }): PolicyDocument {
    return doc({ Sid: "InvokeWorkerOnly", Effect: "Allow", Action: "lambda:InvokeFunction", Resource: a.workerAliasArn }, ...stateMachineTelemetry);
}

/** The health check's state machine: it invokes the API's live alias, and logs and traces as the pipeline's does. */
export function healthCheckPolicy(a: { apiAliasArn: string }): PolicyDocument {
    return doc({ Sid: "InvokeApiAliasOnly", Effect: "Allow", Action: "lambda:InvokeFunction", Resource: a.apiAliasArn }, ...stateMachineTelemetry);
}

/** The health check's schedule: it starts that state machine, nothing else. */
export function healthSchedulePolicy(a: { stateMachineArn: string }): PolicyDocument {
    return doc({ Sid: "StartHealthCheckOnly", Effect: "Allow", Action: "states:StartExecution", Resource: a.stateMachineArn });
}

/** What a state machine needs to deliver its execution logs to CloudWatch Logs and its traces to X-Ray. */
const stateMachineTelemetry: Statement[] = [
    {
        Sid: "DeliverExecutionLogs",
        Effect: "Allow",
        Action: [
            "logs:CreateLogDelivery",
            "logs:GetLogDelivery",
            "logs:UpdateLogDelivery",
            "logs:DeleteLogDelivery",
            "logs:ListLogDeliveries",
            "logs:PutResourcePolicy",
            "logs:DescribeResourcePolicies",
            "logs:DescribeLogGroups",
        ],
        Resource: "*",
    },
    { ...writeTraces, Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"] },
];

/** The bucket's own policy: refuse anything not sent over TLS. */
export function tlsOnlyBucketPolicy(bucketArn: string): PolicyDocument {
    return doc({
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
}

/**
 * The key of the alarm topic. CloudWatch publishes alarm notifications to an encrypted topic only when the
 * topic's key lets `cloudwatch.amazonaws.com` decrypt and generate data keys; the AWS-managed `alias/aws/sns`
 * key cannot, and its policy cannot be changed, so alarms on such a topic notify no one. The account keeps
 * control of the key through IAM (the usual root statement); CloudWatch may use it only for this account. CloudWatch
 * sends aws:SourceAccount on these calls: the SNS guide's "Enable compatibility between event sources from AWS services
 * and encrypted topics" names EventBridge as the source whose KMS requests carry none of the source keys, and AWS's
 * Modern Data Architecture Accelerator conditions its CloudWatch grant the same way for that reason.
 */
export function alarmTopicKeyPolicy(accountId: string): PolicyDocument {
    return doc(
        { Sid: "AccountAdministersThroughIam", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: "kms:*", Resource: "*" },
        {
            Sid: "CloudWatchAlarmsPublish",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
            Resource: "*",
            Condition: { StringEquals: { "aws:SourceAccount": accountId } },
        },
    );
}
