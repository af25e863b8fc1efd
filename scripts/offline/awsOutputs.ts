import { FAKE_ACCOUNT_ID, autoName, fakeUuid, prefixedUniqueId, shortHash } from "./fakeIds";
import { OutputRule, OutputRules } from "./outputRules";

function arn(service: string, region: string, resource: string): string {
    return `arn:aws:${service}:${region}:${FAKE_ACCOUNT_ID}:${resource}`;
}

/**
 * ID: the bucket's name; the regional domain name carries the region (the S3 endpoints reference it cites). pulumi-aws
 * autonames both bucket types alike: tfbridge.AutoNameTransform("bucket", 63, strings.ToLower) (provider/resource_overrides.go
 * for aws_s3_bucket, and the BucketV2 alias of it).
 */
const s3Bucket: OutputRule = ({ inputs, name, region, type }) => {
    const bucket = inputs.bucket ?? autoName(name, { type, maxLength: 63, lowercase: true });
    return { id: bucket, bucket, arn: `arn:aws:s3:::${bucket}`, bucketRegionalDomainName: `${bucket}.s3.${region}.amazonaws.com` };
};

// terraform-provider-aws lambda/function.go Read: arn is GetFunction's FunctionArn, function:<name>; version and
// qualified_arn the last of ListVersionsByFunction (findLatestFunctionVersionByName), $LATEST until one is published
// (function_test.go TestAccLambdaFunction_basic), and the first published is "1" (botocore lambda 2015-03-31
// examples-1.json, PublishVersion); invoke ARNs from invokeARN, apigateway:<region>:lambda:path/2015-03-31/functions/<ARN>/invocations.
const lambdaFunction: OutputRule = ({ inputs, name, region, world }) => {
    const fn = inputs.name ?? autoName(name);
    const base = arn("lambda", region, `function:${fn}`);
    const version = inputs.publish ? "1" : "$LATEST";
    return {
        name: fn,
        arn: base,
        invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${base}/invocations`,
        version,
        qualifiedArn: `${base}:${version}`,
        qualifiedInvokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${base}:${version}/invocations`,
        reservedConcurrentExecutions: world.awsApis.reservationReadBack(inputs.reservedConcurrentExecutions),
    };
};

/** A key ID as KMS makes them, a UUID (@pulumi/aws kms/key.d.ts: imported by `id`, "1234abcd-12ab-34cd-56ef-1234567890ab"). */
const kmsKeyId = fakeUuid;

/**
 * Outputs the AWS provider computes, keyed by type token; inputs are echoed back as well. A resource's ID is what
 * `pulumi import` takes for it, as each @pulumi/aws typing says ("import ... using the `arn`"); the mock cloud
 * otherwise takes the name.
 */
export const awsOutputRules: OutputRules = {
    // Read sets arn, registry_id and repository_url from DescribeRepositories (terraform-provider-aws ecr/repository.go);
    // their forms as ecr/repository_test.go checks them: arn repository/<name> (CheckResourceAttrRegionalARN), registry_id
    // the account (testAccCheckRepositoryRegistryID), <account>.dkr.ecr.<region>.amazonaws.com/<name> (testAccCheckRepositoryRepositoryURL).
    "aws:ecr/repository:Repository": ({ inputs, name, region }) => {
        const repo = inputs.name ?? autoName(name);
        return {
            name: repo,
            arn: arn("ecr", region, `repository/${repo}`),
            registryId: FAKE_ACCOUNT_ID,
            repositoryUrl: `${FAKE_ACCOUNT_ID}.dkr.ecr.${region}.amazonaws.com/${repo}`,
        };
    },
    "aws:lambda/function:Function": lambdaFunction,
    "aws:lambda/alias:Alias": ({ inputs, region }) => {
        const fnArn = String(inputs.functionName).startsWith("arn:")
            ? String(inputs.functionName)
            : arn("lambda", region, `function:${inputs.functionName}`);
        // GetAlias answers no RoutingConfig once no weight is left, whatever the update sent, and the provider reads
        // that back as no routing block (terraform-provider-aws lambda/alias.go flattenAliasRoutingConfiguration;
        // alias_test.go testAccCheckAliasRoutingDoesNotExistConfig).
        const weights = inputs.routingConfig?.additionalVersionWeights ?? {};
        return {
            arn: `${fnArn}:${inputs.name}`,
            invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${fnArn}:${inputs.name}/invocations`,
            routingConfig: Object.keys(weights).length > 0 ? { additionalVersionWeights: weights } : undefined,
        };
    },
    // ID: `function_name` or `function_name/qualifier`.
    "aws:lambda/functionUrl:FunctionUrl": ({ inputs, name, region }) => ({
        id: inputs.qualifier ? `${inputs.functionName}/${inputs.qualifier}` : String(inputs.functionName),
        functionUrl: `https://${shortHash(name, 32)}.lambda-url.${region}.on.aws/`,
        urlId: shortHash(name, 32),
    }),
    // ID: the state machine's ARN.
    "aws:sfn/stateMachine:StateMachine": ({ inputs, name, region }) => {
        const sm = inputs.name ?? autoName(name);
        const smArn = arn("states", region, `stateMachine:${sm}`);
        return { id: smArn, name: sm, arn: smArn };
    },
    "aws:s3/bucket:Bucket": s3Bucket,
    "aws:s3/bucketV2:BucketV2": s3Bucket,
    // The ARN without DescribeLogGroups' trailing ":*" (terraform-provider-aws logs/group.go Read,
    // trimLogGroupARNWildcardSuffix): log-group:<name> (group_test.go, CheckResourceAttrRegionalARN).
    "aws:cloudwatch/logGroup:LogGroup": ({ inputs, name, region }) => {
        const group = inputs.name ?? (inputs.namePrefix ? prefixedUniqueId(inputs.namePrefix, name) : autoName(name));
        return { name: group, arn: arn("logs", region, `log-group:${group}`) };
    },
    // A role's ARN carries its path: arn:aws:iam::<account>:role/<path without its leading />/<name> (IAM User Guide, "IAM ARNs").
    "aws:iam/role:Role": ({ inputs, name, type }) => {
        // pulumi-aws provider/resources.go: "aws_iam_role" name is tfbridge.AutoName("name", 64, "-") (IAM's 64).
        const role = inputs.name ?? autoName(name, { type, maxLength: 64 });
        const path = String(inputs.path ?? "/").replace(/^\//, "");
        return { name: role, path: `/${path}`, arn: `arn:aws:iam::${FAKE_ACCOUNT_ID}:role/${path}${role}`, uniqueId: `AROA${shortHash(name, 16).toUpperCase()}` };
    },
    // ID: the policy's ARN.
    "aws:iam/policy:Policy": ({ inputs, name }) => {
        const policy = inputs.name ?? autoName(name);
        const policyArn = `arn:aws:iam::${FAKE_ACCOUNT_ID}:policy/${policy}`;
        return { id: policyArn, name: policy, arn: policyArn };
    },
    // ID: `role_name:role_policy_name`.
    "aws:iam/rolePolicy:RolePolicy": ({ inputs, name }) => {
        const policy = inputs.name ?? autoName(name);
        return { id: `${inputs.role}:${policy}`, name: policy };
    },
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": ({ inputs }) => ({
        arn: `arn:aws:iam::${FAKE_ACCOUNT_ID}:oidc-provider/${String(inputs.url ?? "").replace(/^https:\/\//, "")}`,
    }),
    // ID: the topic's ARN.
    "aws:sns/topic:Topic": ({ inputs, name, region }) => {
        const topic = inputs.name ?? autoName(name);
        const topicArn = arn("sns", region, topic);
        return { id: topicArn, name: topic, arn: topicArn };
    },
    // A new e-mail or HTTP(S) subscription waits for its endpoint's owner to confirm it (SNS Developer Guide, "Confirm
    // your Amazon SNS subscription"); the provider subscribes with ReturnSubscriptionArn, so the ARN is the real one,
    // and reads the subscription's PendingConfirmation attribute, "true" until then (terraform-provider-aws
    // sns/topic_subscription.go; @pulumi/aws sns/topicSubscription.d.ts: "Whether the subscription has not been confirmed").
    "aws:sns/topicSubscription:TopicSubscription": ({ inputs, name }) => ({
        arn: `${inputs.topic}:${fakeUuid(name)}`,
        pendingConfirmation: ["email", "email-json", "http", "https"].includes(String(inputs.protocol)),
        confirmationWasAuthenticated: false,
    }),
    // The secret's ID is its ARN (@pulumi/aws secretsmanager/secret.d.ts: imported "using the secret ARN").
    "aws:secretsmanager/secret:Secret": ({ inputs, name, region }) => {
        const secret = inputs.name ?? autoName(name);
        const secretArn = arn("secretsmanager", region, `secret:${secret}-${shortHash(name, 6)}`);
        return { id: secretArn, name: secret, arn: secretArn };
    },
    // A version's ID is "<secret ID>|<version ID>", and its secretArn (arn, deprecated) the secret's ARN
    // (@pulumi/aws secretsmanager/secretVersion.d.ts: the import ID's form, "ARN of the secret").
    "aws:secretsmanager/secretVersion:SecretVersion": ({ inputs, name }) => {
        const versionId = fakeUuid(name);
        return { id: `${inputs.secretId}|${versionId}`, versionId, secretArn: inputs.secretId, arn: inputs.secretId };
    },
    // ID: the group's name (@pulumi/aws scheduler/scheduleGroup.d.ts: imported "using the `name`"); its ARN as the
    // botocore scheduler model's ScheduleGroupArn pattern has it, schedule-group/<name>; names take at most 64
    // characters (ScheduleGroupName max 64), which Scheduler refuses past (the provider's own autoname limit was not read).
    // The other outputs are what terraform-provider-aws internal/service/scheduler/schedule_group.go sets: Create waits
    // for the group to be ACTIVE (waitScheduleGroupActive), then Read sets state from GetScheduleGroup's State (botocore
    // scheduler 2021-06-30 service-2.json, ScheduleGroupState: ACTIVE | DELETING); creation_date and
    // last_modification_date as aws.ToTime(...).Format(time.RFC3339), whole seconds in UTC. A new group's last
    // modification is taken to be its creation: no source says what GetScheduleGroup answers for a group never modified.
    // name_prefix is left out: how the bridge carries the provider's nil for a name without a unique-ID suffix was not read.
    "aws:scheduler/scheduleGroup:ScheduleGroup": ({ inputs, name, region, type, createdAt }) => {
        const group = inputs.name ?? (inputs.namePrefix ? prefixedUniqueId(inputs.namePrefix, name) : autoName(name, { type, maxLength: 64 }));
        const rfc3339 = new Date(createdAt).toISOString().replace(/\.\d+Z$/, "Z");
        return {
            id: group,
            name: group,
            arn: arn("scheduler", region, `schedule-group/${group}`),
            state: "ACTIVE",
            creationDate: rfc3339,
            lastModificationDate: rfc3339,
        };
    },
    // arn is DescribeAlarms' AlarmArn (terraform-provider-aws cloudwatch/metric_alarm.go Read), of the form
    // arn:aws:cloudwatch:<region>:<account>:alarm:<name> (botocore cloudwatch 2010-08-01 service-2.json, TagResourceInput.ResourceARN).
    "aws:cloudwatch/metricAlarm:MetricAlarm": ({ inputs, name, region }) => {
        const alarm = inputs.name ?? autoName(name);
        return { name: alarm, arn: arn("cloudwatch", region, `alarm:${alarm}`) };
    },
    // ID: the key ID.
    "aws:kms/key:Key": ({ name, region }) => {
        const keyId = kmsKeyId(name);
        return { id: keyId, arn: arn("kms", region, `key/${keyId}`), keyId };
    },
    // ID: the alias's name (alias/...), and its own ARN.
    "aws:kms/alias:Alias": ({ inputs, name, region }) => {
        const alias = inputs.name ?? `alias/${autoName(name)}`;
        return { id: alias, name: alias, arn: arn("kms", region, alias) };
    },
};

export type { OutputRule };
