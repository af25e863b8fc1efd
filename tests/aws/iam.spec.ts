import * as assert from "assert";
import { RecordedResource } from "../../scripts/offline/mockCloud";
import { ACCOUNT, Decision, decide as decideRaw, decideForRole as decide } from "../harness/iamSimulator";
import { deployPipeline } from "./fixtures";

type Role = "api" | "worker" | "pipeline" | "health" | "schedule";

describe("IAM least privilege, proven with an IAM policy simulator", function () {
    this.timeout(60_000);
    let policies: Record<Role, object>;
    let arns: { bucket: string; stateMachine: string; healthCheck: string; otherStateMachine: string; workerAlias: string; workerFunction: string; apiAlias: string; apiFunction: string; logs: Record<string, string>; secret: string };

    before(async () => {
        const { cloud, rolePolicy } = await deployPipeline("dev");
        policies = { api: rolePolicy("api"), worker: rolePolicy("worker"), pipeline: rolePolicy("pipeline"), health: rolePolicy("health"), schedule: rolePolicy("schedule") };
        const out = (r: RecordedResource) => r.outputs;
        const logGroup = (name: string) => out(cloud.one("aws:cloudwatch/logGroup:LogGroup", name)).arn;
        arns = {
            bucket: out(cloud.one("aws:s3/bucket:Bucket")).arn,
            stateMachine: out(cloud.one("aws:sfn/stateMachine:StateMachine", "pipeline-pipeline")).arn,
            healthCheck: out(cloud.one("aws:sfn/stateMachine:StateMachine", "pipeline-health")).arn,
            otherStateMachine: `arn:aws:states:ap-northeast-1:${ACCOUNT}:stateMachine:someone-elses`,
            workerAlias: out(cloud.one("aws:lambda/alias:Alias", "pipeline-worker")).arn,
            workerFunction: out(cloud.one("aws:lambda/function:Function", "pipeline-worker")).arn,
            apiAlias: out(cloud.one("aws:lambda/alias:Alias", "pipeline-api")).arn,
            apiFunction: out(cloud.one("aws:lambda/function:Function", "pipeline-api")).arn,
            logs: { api: logGroup("pipeline-api"), worker: logGroup("pipeline-worker"), pipeline: logGroup("pipeline-pipeline") },
            secret: out(cloud.one("aws:secretsmanager/secret:Secret")).arn,
        };
    });

    /** Resources are written with placeholders ({bucket}, {logs.api}, ...) filled in from the registered resources. */
    type Row = [role: Role, action: string, resource: string, expected: Decision, context?: Record<string, string>];
    const resolve = (template: string) =>
        template.replace(/\{([\w.]+)\}/g, (_, key: string) => {
            if (key === "execution") return `${arns.stateMachine.replace(":stateMachine:", ":execution:")}`;
            const value = key.split(".").reduce<any>((node, part) => node?.[part], arns);
            if (typeof value !== "string") throw new Error(`no ARN for {${key}}`);
            return value;
        });
    const rows: Row[] = [
        // The API: write (and read back) its input prefix, start its own state machine, read the admin token.
        ["api", "s3:PutObject", "{bucket}/input/report.csv", "Allowed", { "s3:if-none-match": "*" }],
        // Before: allowed, though the API only creates: an unconditional PUT would overwrite an upload.
        ["api", "s3:PutObject", "{bucket}/input/report.csv", "ImplicitlyDenied"],
        ["api", "s3:GetObject", "{bucket}/input/report.csv", "Allowed"],
        ["api", "s3:ListBucket", "{bucket}", "Allowed", { "s3:prefix": "input/" }],
        ["api", "states:StartExecution", "{stateMachine}", "Allowed"],
        ["api", "logs:PutLogEvents", "{logs.api}:log-stream:2026/11/22/abc", "Allowed"],
        ["api", "secretsmanager:GetSecretValue", "{secret}", "Allowed"],
        ["api", "s3:PutObject", "{bucket}/results/report.csv.json", "ImplicitlyDenied"],
        ["api", "s3:GetObject", "{bucket}/results/report.csv.json", "ImplicitlyDenied"],
        ["api", "s3:ListBucket", "{bucket}", "ImplicitlyDenied", { "s3:prefix": "results/" }],
        ["api", "s3:DeleteObject", "{bucket}/input/report.csv", "ImplicitlyDenied"],
        ["api", "s3:PutObject", "arn:aws:s3:::another-bucket/input/x", "ImplicitlyDenied"],
        ["api", "states:StartExecution", "{otherStateMachine}", "ImplicitlyDenied"],
        ["api", "states:StopExecution", "{execution}:run-1", "ImplicitlyDenied"],
        ["api", "lambda:InvokeFunction", "{workerAlias}", "ImplicitlyDenied"],
        ["api", "logs:PutLogEvents", "{logs.worker}:log-stream:x", "ImplicitlyDenied"],
        ["api", "iam:PassRole", "arn:aws:iam::123456789012:role/admin", "ImplicitlyDenied"],
        // The worker: read inputs, write results, nothing else.
        ["worker", "s3:GetObject", "{bucket}/input/report.csv", "Allowed"],
        ["worker", "s3:PutObject", "{bucket}/results/report.csv.json", "Allowed"],
        ["worker", "logs:CreateLogStream", "{logs.worker}:log-stream:x", "Allowed"],
        // The listing that tells a missing key from a denied one (prefix: the key itself), under input/ only.
        ["worker", "s3:ListBucket", "{bucket}", "Allowed", { "s3:prefix": "input/report.csv" }],
        ["worker", "s3:ListBucket", "{bucket}", "ImplicitlyDenied", { "s3:prefix": "results/report.csv.json" }],
        ["worker", "s3:ListBucket", "{bucket}", "ImplicitlyDenied"],
        ["worker", "s3:PutObject", "{bucket}/input/report.csv", "ImplicitlyDenied"],
        ["worker", "s3:GetObject", "{bucket}/results/report.csv.json", "ImplicitlyDenied"],
        ["worker", "s3:DeleteObject", "{bucket}/results/report.csv.json", "ImplicitlyDenied"],
        ["worker", "states:StartExecution", "{stateMachine}", "ImplicitlyDenied"],
        ["worker", "secretsmanager:GetSecretValue", "{secret}", "ImplicitlyDenied"],
        ["worker", "logs:PutLogEvents", "{logs.api}:log-stream:x", "ImplicitlyDenied"],
        // The state machine: invoke the worker's live alias and nothing else.
        ["pipeline", "lambda:InvokeFunction", "{workerAlias}", "Allowed"],
        ["pipeline", "lambda:InvokeFunction", "{apiFunction}", "ImplicitlyDenied"],
        ["pipeline", "lambda:InvokeFunction", "{apiFunction}:live", "ImplicitlyDenied"],
        ["pipeline", "lambda:InvokeFunction", "{workerFunction}:$LATEST", "ImplicitlyDenied"],
        ["pipeline", "lambda:UpdateFunctionCode", "{workerFunction}", "ImplicitlyDenied"],
        ["pipeline", "s3:GetObject", "{bucket}/input/report.csv", "ImplicitlyDenied"],
        ["pipeline", "states:StartExecution", "{stateMachine}", "ImplicitlyDenied"],
        // The health check: invoke the API's live alias, as its Function URL does, and nothing else.
        ["health", "lambda:InvokeFunction", "{apiAlias}", "Allowed"],
        ["health", "lambda:InvokeFunction", "{apiFunction}", "ImplicitlyDenied"],
        ["health", "lambda:InvokeFunction", "{apiFunction}:1", "ImplicitlyDenied"],
        ["health", "lambda:InvokeFunction", "{workerAlias}", "ImplicitlyDenied"],
        ["health", "states:StartExecution", "{stateMachine}", "ImplicitlyDenied"],
        ["health", "s3:GetObject", "{bucket}/input/report.csv", "ImplicitlyDenied"],
        // Its schedule: start the health check, not the pipeline, and invoke nothing itself.
        ["schedule", "states:StartExecution", "{healthCheck}", "Allowed"],
        ["schedule", "states:StartExecution", "{stateMachine}", "ImplicitlyDenied"],
        ["schedule", "states:StartExecution", "{otherStateMachine}", "ImplicitlyDenied"],
        ["schedule", "lambda:InvokeFunction", "{apiAlias}", "ImplicitlyDenied"],
    ];

    // Both state machines log to CloudWatch Logs (loggingConfiguration) and trace to X-Ray (tracingConfiguration): Step
    // Functions does so with its role, whose policy must allow the log-delivery actions on `*` (Step Functions Developer
    // Guide, "Using CloudWatch Logs to log execution history in Step Functions": IAM policies for logging to CloudWatch
    // Logs) and X-Ray's (its "Trace Step Functions request data in AWS X-Ray" page). Without the log-delivery ones,
    // CreateStateMachine is refused (AccessDeniedException "The state machine IAM Role is not authorized to access the
    // Log Destination", as users report it; the guide gives no wording); without X-Ray's, the traces are lost.
    const deliveryActions = ["CreateLogDelivery", "GetLogDelivery", "UpdateLogDelivery", "DeleteLogDelivery", "ListLogDeliveries", "PutResourcePolicy", "DescribeResourcePolicies", "DescribeLogGroups"].map((a) => `logs:${a}`);
    const traceActions = ["PutTraceSegments", "PutTelemetryRecords", "GetSamplingRules", "GetSamplingTargets"].map((a) => `xray:${a}`);
    for (const role of ["pipeline", "health"] as const) {
        for (const action of [...deliveryActions, ...traceActions]) rows.push([role, action, "*", "Allowed"]);
    }

    for (const [role, action, resource, expected, context] of rows) {
        it(`${role}: ${action} on ${resource}${context ? ` ${JSON.stringify(context)}` : ""}: ${expected === "Allowed" ? "allowed" : "denied"}`, async () => {
            assert.strictEqual(await decide(policies[role], action, resolve(resource), context), expected, `${action} on ${resolve(resource)}`);
        });
    }

    it("no statement allows a wildcard action, and only unscopable actions use a * resource", () => {
        const unscopable = /^(xray:|logs:(CreateLogDelivery|GetLogDelivery|UpdateLogDelivery|DeleteLogDelivery|ListLogDeliveries|PutResourcePolicy|DescribeResourcePolicies|DescribeLogGroups)$)/;
        for (const [role, policy] of Object.entries(policies)) {
            for (const statement of (policy as any).Statement) {
                const actions: string[] = [statement.Action].flat();
                for (const action of actions) assert.ok(!action.includes("*"), `${role}: wildcard action ${action}`);
                if ([statement.Resource].flat().includes("*")) {
                    for (const action of actions) assert.match(action, unscopable, `${role}: ${action} on * could be scoped`);
                }
            }
        }
    });

    it("the simulator can fail: a wildcard policy would be allowed what ours denies", async () => {
        const wide = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] };
        assert.strictEqual(await decide(wide, "s3:DeleteObject", `${arns.bucket}/input/report.csv`), "Allowed");
    });
    // The bucket's own policy refuses plain HTTP to every principal, on the bucket and on its objects alike: a Deny on
    // the bucket ARN alone would leave object reads and writes over HTTP to the roles' own Allows.
    it("the bucket's policy refuses the roles' requests without TLS, on objects and on the bucket; with TLS their own policies decide", async () => {
        const { cloud } = await deployPipeline("dev");
        const bucketPolicy = JSON.parse(cloud.one("aws:s3/bucketPolicy:BucketPolicy").inputs.policy);
        const requests: [Role, string, string, Record<string, string>][] = [
            ["api", "s3:GetObject", `${arns.bucket}/input/report.csv`, {}],
            ["api", "s3:PutObject", `${arns.bucket}/input/report.csv`, { "s3:if-none-match": "*" }],
            ["api", "s3:ListBucket", arns.bucket, { "s3:prefix": "input/" }],
            ["worker", "s3:PutObject", `${arns.bucket}/results/report.csv.json`, {}],
        ];
        for (const [role, action, resource, context] of requests) {
            const over = (secureTransport: string) =>
                decideRaw({ principal: `arn:aws:iam::${ACCOUNT}:role/pipeline-${role}`, action, resource, identityPolicies: [policies[role]], resourcePolicy: bucketPolicy, context: { ...context, "aws:SecureTransport": secureTransport } });
            assert.strictEqual(await over("false"), "ExplicitlyDenied", `${role} ${action} on ${resource} over HTTP`);
            assert.strictEqual(await over("true"), "Allowed", `${role} ${action} on ${resource} over TLS`);
        }
    });

    // The roles' trust names the one service and this account: a service acting for another account (the confused
    // deputy: Lambda, Step Functions or Scheduler sending aws:SourceAccount of that account) may not assume them.
    // Each service sends the key (components/aws/iamPolicies.ts, assumeRolePolicy, names where each documents it).
    it("each service role may be assumed by its own service on behalf of this account only", async () => {
        const { cloud } = await deployPipeline("dev");
        const roles = cloud.resources.filter((r) => r.type === "aws:iam/role:Role");
        assert.ok(roles.length >= 4, `${roles.length} roles`);
        for (const role of roles) {
            const trust = JSON.parse(role.inputs.assumeRolePolicy);
            const service: string = trust.Statement[0].Principal.Service;
            const assume = (sourceAccount: string) =>
                decideRaw({ principal: service, action: "sts:AssumeRole", resource: String(role.outputs.arn), resourcePolicy: trust, context: { "aws:SourceAccount": sourceAccount } });
            assert.strictEqual(await assume(ACCOUNT), "Allowed", `${role.name}: ${service} for this account`);
            assert.strictEqual(await assume("999999999999"), "ImplicitlyDenied", `${role.name}: ${service} on behalf of another account`);
        }
    });
});
