import { ResourceValidationPolicy } from "@pulumi/policy";
import { parsePolicy } from "./aws";
import { environmentConfigSchema } from "./environment";
import { onlyFor, onlyInProduction } from "./applies";
import { known, knownElements, knownOneOrMany } from "./known";
import { textOf } from "./textOf";
import { isText, quoted } from "./quoted";

/** The resources with plain environment variables (plainEnv). */
const WITH_ENV = ["aws:lambda/function:Function", "gcp:cloudrunv2/service:Service", "gcp:cloudrunv2/job:Job", "gcp:cloudrunv2/workerPool:WorkerPool", "gcp:cloudrun/service:Service"];
const IAM_DOCUMENTS = ["aws:iam/rolePolicy:RolePolicy", "aws:iam/policy:Policy", "aws:iam/userPolicy:UserPolicy", "aws:iam/groupPolicy:GroupPolicy"];

/** A finding's words for an environment variable's name it cannot quote (a name not known yet is left out, as its value). */
const ENV_NAME = { notKnownYet: "an environment variable whose name is not known yet", absent: "an environment variable without a name", notText: "an environment variable whose name is not text" };

/**
 * The plain environment variables of a Lambda function or a Cloud Run container, as name/value pairs, those the
 * engine knows: in a preview one taken from another resource's output is unknown, and is left out rather than
 * keeping the rule from judging the others.
 */
export function plainEnv(type: string, props: Record<string, any>): [string, string][] {
    if (type === "aws:lambda/function:Function") {
        const variables = known(() => props.environment?.variables) ?? {};
        return Object.keys(variables).flatMap((k): [string, string][] => {
            const value = known(() => variables[k]);
            return value === undefined ? [] : [[k, textOf(value)]];
        });
    }
    if (WITH_ENV.includes(type)) {
        // v2 Service and WorkerPool: template.containers; v2 Job: template.template.containers; Cloud Run v1's Service:
        // template.spec.containers (@pulumi/gcp 9.37.0 types/input.d.ts, cloudrun.ServiceTemplateSpecContainer.envs).
        const containers = [
            ...knownElements<any>(() => props.template?.containers ?? props.template?.template?.containers ?? props.template?.spec?.containers),
            // A v2 Service's sandbox templates carry plain envs of their own (template.sandboxes.templates[].envs, @pulumi/gcp
            // 9.37.0 types/input.d.ts, cloudrunv2.ServiceTemplateSandboxesTemplate.envs): another container's environment.
            ...(type === "gcp:cloudrunv2/service:Service" ? knownElements<any>(() => props.template?.sandboxes?.templates) : []),
        ];
        return containers.flatMap((c) =>
            knownElements<any>(() => c.envs).flatMap((e): [string, string][] => {
                const [name, value] = [known(() => e.name), known(() => e.value)];
                return name === undefined || value === undefined ? [] : [[quoted(() => name, ENV_NAME), textOf(value)]];
            }),
        );
    }
    return [];
}

/** Where a managed policy is attached by ARN: the property holding one ARN, or a list of them. */
const POLICY_ATTACHMENTS: Record<string, string> = {
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "policyArn",
    "aws:iam/userPolicyAttachment:UserPolicyAttachment": "policyArn",
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": "policyArn",
    "aws:iam/policyAttachment:PolicyAttachment": "policyArn",
    "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive": "policyArns",
    "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive": "policyArns",
    "aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive": "policyArns",
    "aws:iam/role:Role": "managedPolicyArns",
};
/**
 * AWS managed policies, by name, whose documents allow wildcard actions: AdministratorAccess ("*"), PowerUserAccess
 * (NotAction) and, by AWS's naming, every "...FullAccess" one (AmazonS3FullAccess: "s3:*"). Attaching one by ARN grants
 * what an inline statement with those actions would, which the statements' check alone let through. The rule reads
 * names, not documents: other managed policies with a wildcard (AWSLambdaExecute's logs:*, AmazonS3ReadOnlyAccess's
 * s3:Get*) pass.
 */
const WILDCARD_MANAGED_POLICY = /^arn:aws[a-z-]*:iam::aws:policy\/(?:[\w+=,.@-]+\/)*(AdministratorAccess[\w-]*|PowerUserAccess|[\w-]*FullAccess[\w-]*)$/;

export const noWildcardActions: ResourceValidationPolicy = {
    name: "no-wildcard-iam-actions",
    description:
        'No IAM statement allows an action with a wildcard ("*", "s3:*", "s3:Get*") or every action but some (NotAction), and none of the AWS managed policies named AdministratorAccess*, PowerUserAccess or *FullAccess* is attached (CKV_AWS_62, CKV_AWS_290, CKV_AWS_274).',
    validateResource: (args, report) => {
        onlyFor(args, [...IAM_DOCUMENTS, ...Object.keys(POLICY_ATTACHMENTS)]);
        const attachedBy = POLICY_ATTACHMENTS[args.type];
        for (const arn of attachedBy ? knownOneOrMany(() => args.props[attachedBy]) : []) {
            if (typeof arn !== "string") continue;
            const wide = WILDCARD_MANAGED_POLICY.exec(arn)?.[1];
            if (wide) report(`attaches the AWS managed policy ${wide}, which allows wildcard actions: attach a policy with the actions the role calls.`);
        }
        // A document built from another resource's output is unknown in a preview (known.ts): the known ones are still judged.
        const documents: unknown[] = [];
        if (IAM_DOCUMENTS.includes(args.type)) documents.push(known(() => args.props.policy));
        if (args.type === "aws:iam/role:Role") documents.push(...knownElements<any>(() => args.props.inlinePolicies).map((p) => known(() => p.policy)));
        for (const doc of documents.filter((d) => d !== undefined).map(parsePolicy)) {
            // Statement is a list or one statement; of a list, the unknown elements are left out, not the whole list.
            for (const s of knownOneOrMany<any>(() => doc?.Statement).filter((s) => known(() => s.Effect) === "Allow")) {
                const sid = quoted(() => s.Sid, { notKnownYet: "(Sid not known yet)", absent: "(no Sid)", notText: "(Sid not text)" });
                // Allow with NotAction grants everything it does not name ({"NotAction": "iam:*", "Resource": "*"} is all but IAM),
                // whatever the names: one not known yet, or not text, is left out of the message, not the finding.
                if (known(() => s.NotAction, "not known yet") !== undefined) {
                    const named = knownOneOrMany(() => s.NotAction).filter(isText).map(String);
                    report(`statement ${sid} allows every action but ${named.length ? named.join(", ") : "those it names"} (NotAction).`);
                }
                // An action is a string: IAM refuses a list inside the Action list (MalformedPolicyDocument), so one grants nothing.
                for (const action of knownOneOrMany(() => s.Action).filter((a): a is string => typeof a === "string")) {
                    if (action.includes("*")) report(`statement ${sid} allows the wildcard action ${action}.`);
                }
            }
        }
    },
};

const SECRET_NAME = /(SECRET|TOKEN|PASSWORD|PASSWD|PRIVATE_KEY|API_KEY|ACCESS_KEY|CREDENTIAL|DATABASE_URL|DB_URL|CONNECTION_STRING)/i;
const SECRET_VALUE = [/AKIA[0-9A-Z]{16}/, /-----BEGIN [A-Z ]*PRIVATE KEY-----/, /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i, /^gh[pousr]_[A-Za-z0-9]{36}/, /^xox[abpr]-/];
/** A secret's name, not its value: a Secrets Manager, SSM or KMS ARN, or a Secret Manager resource name (projects/<p>/secrets/<s>[/versions/<v>]). */
const REFERENCE = /^(arn:aws[a-z-]*:(secretsmanager|ssm|kms):|projects\/[^/\s]+\/secrets\/[^/\s]+(\/versions\/[^/\s]+)?$)/;

export const noSecretsInPlainEnv: ResourceValidationPolicy = {
    name: "no-secrets-in-plain-env",
    description: "No secret-looking value in a plain environment variable: pass a secret reference or an ARN (CKV_AWS_45, CKV_SECRET_*).",
    validateResource: (args, report) => {
        onlyFor(args, WITH_ENV);
        for (const [name, value] of plainEnv(args.type, args.props)) {
            if (REFERENCE.test(value)) continue;
            if (SECRET_NAME.test(name) && value !== "") report(`${name} looks like a secret in a plain environment variable; use a secret reference.`);
            else if (SECRET_VALUE.some((p) => p.test(value))) report(`the value of ${name} looks like a credential.`);
        }
    },
};

export const adminAndDebugOffInProd: ResourceValidationPolicy = {
    name: "admin-and-debug-off-in-prod",
    description: "Production services run with admin features and debug off.",
    configSchema: environmentConfigSchema,
    validateResource: (args, report) => {
        onlyFor(args, WITH_ENV);
        onlyInProduction(args);
        for (const [name, value] of plainEnv(args.type, args.props)) {
            if ((name === "ADMIN_FEATURES_ENABLED" || name === "DEBUG") && value === "true") report(`${name} is true in production.`);
        }
    },
};

export const REQUIRED_TAGS = ["project", "environment", "managed-by"];
const TAGGED_AWS = [
    "aws:ecr/repository:Repository",
    "aws:lambda/function:Function",
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketV2:BucketV2",
    "aws:kms/key:Key",
    "aws:sfn/stateMachine:StateMachine",
    "aws:iam/role:Role",
    "aws:cloudwatch/logGroup:LogGroup",
    "aws:cloudwatch/metricAlarm:MetricAlarm",
    "aws:sns/topic:Topic",
    "aws:secretsmanager/secret:Secret",
    // The health check's schedule group; its schedule takes no tags (Scheduler tags schedule groups only: botocore
    // scheduler model, TagResource).
    "aws:scheduler/scheduleGroup:ScheduleGroup",
];
const LABELLED_GCP: Record<string, string> = {
    "gcp:storage/bucket:Bucket": "labels",
    "gcp:artifactregistry/repository:Repository": "labels",
    "gcp:cloudrunv2/service:Service": "labels",
    "gcp:secretmanager/secret:Secret": "labels",
    "gcp:monitoring/alertPolicy:AlertPolicy": "userLabels",
    "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig": "userLabels",
    "gcp:monitoring/notificationChannel:NotificationChannel": "userLabels",
};

export const requiredTags: ResourceValidationPolicy = {
    name: "required-tags-and-labels",
    description: `Every taggable AWS resource and labelable GCP resource carries ${REQUIRED_TAGS.join(", ")}.`,
    validateResource: (args, report) => {
        onlyFor(args, [...TAGGED_AWS, ...Object.keys(LABELLED_GCP)]);
        const field = TAGGED_AWS.includes(args.type) ? "tags" : LABELLED_GCP[args.type];
        // pulumi-aws's Check sets `tagsAll`, the provider's defaultTags merged with the resource's own tags and less its
        // ignoreTags, on every SDKv2 resource with tags (provider/tags.go, applyTags, a PreCheckCallback): the tags the
        // resource will carry. A resource tagged by defaultTags alone has no `tags` at all. Where Check set none (a
        // framework resource, mocks), the resource's own tags are all it has.
        const from = field === "tags" && known(() => args.props.tagsAll, "unknown") !== undefined ? "tagsAll" : field;
        const present = known(() => args.props[from] ?? {}, "unknown" as const);
        // Tags computed from another resource's output are there, only not known yet (known.ts).
        const missing = present === "unknown" ? [] : REQUIRED_TAGS.filter((t) => !known(() => present[t], "(known at up)"));
        if (missing.length) report(`${field} lack ${missing.join(", ")}.`);
    },
};

export const commonPolicies = [noWildcardActions, noSecretsInPlainEnv, adminAndDebugOffInProd, requiredTags];
