import * as assert from "assert";
import { ResourceValidationPolicy, StackValidationArgs } from "@pulumi/policy";
import { NotApplicable, resourceArgs } from "./conformance";
import { allPolicies, resourcePolicies } from "../policies";
import { s3BucketHardening } from "../rules/aws";

// @pulumi/policy's preview proxy and the unknown it stands for (its proxy.d.ts declares no exports, hence require).
const { unknownCheckingProxy, unknownStringValue } = require("@pulumi/policy/proxy");

const TAGS = { project: "multicloud-service", environment: "prod", "managed-by": "pulumi" };
const PROD = { environment: "prod" };
const DEV = { environment: "dev" };

/** What a rule reports for one resource; a rule that does not apply reports nothing (the SDK records it apart). */
async function violations(policy: ResourceValidationPolicy, type: string, props: Record<string, any>, config: Record<string, unknown> = PROD): Promise<string[]> {
    const found: string[] = [];
    try {
        await (policy.validateResource as any)(resourceArgs({ type, name: "r", urn: `urn:pulumi:prod::p::${type}::r`, props }, config), (m: string) => found.push(m));
    } catch (err) {
        if (!(err instanceof NotApplicable)) throw err;
    }
    return found;
}

const byName = (name: string) => {
    const p = resourcePolicies.find((x) => x.name === name);
    if (!p) throw new Error(`no policy ${name}`);
    return p;
};

const SERVICE_ACCOUNT = "serviceAccount:a@p.iam.gserviceaccount.com";
/** An *IamPolicy resource's inputs: policyData as the provider takes it (a JSON string), one binding per role. */
const iamPolicy = (membersByRole: Record<string, string[]>) => ({ policyData: JSON.stringify({ bindings: Object.entries(membersByRole).map(([role, members]) => ({ role, members })) }) });
const lambda = (env: Record<string, string>, extra: Record<string, any> = {}) => ({ tracingConfig: { mode: "Active" }, environment: { variables: env }, tags: TAGS, ...extra });
const cloudRun = (envs: { name: string; value?: string; valueSource?: unknown }[]) => ({ template: { containers: [{ image: "x@sha256:1", envs }] }, labels: TAGS });

/** Each rule: a resource it accepts and one it reports, with the message it gives. */
const cases: { policy: string; type: string; passType?: string; pass: Record<string, any>; fail: Record<string, any>; message: RegExp; config?: Record<string, unknown> }[] = [
    { policy: "ecr-immutable-tags-scan-on-push", type: "aws:ecr/repository:Repository", pass: { imageTagMutability: "IMMUTABLE", imageScanningConfiguration: { scanOnPush: true } }, fail: { imageTagMutability: "MUTABLE", imageScanningConfiguration: { scanOnPush: true } }, message: /IMMUTABLE/ },
    { policy: "ecr-immutable-tags-scan-on-push", type: "aws:ecr/repository:Repository", pass: { imageTagMutability: "IMMUTABLE", imageScanningConfiguration: { scanOnPush: true } }, fail: { imageTagMutability: "IMMUTABLE" }, message: /scanOnPush/ },
    {
        policy: "ecr-immutable-tags-scan-on-push",
        type: "aws:ecr/repository:Repository",
        pass: { imageTagMutability: "IMMUTABLE_WITH_EXCLUSION", imageTagMutabilityExclusionFilters: [{ filter: "sha256-*.sig", filterType: "WILDCARD" }, { filter: "sha256-*.att", filterType: "WILDCARD" }], imageScanningConfiguration: { scanOnPush: true } },
        fail: { imageTagMutability: "IMMUTABLE_WITH_EXCLUSION", imageTagMutabilityExclusionFilters: [{ filter: "c-*", filterType: "WILDCARD" }], imageScanningConfiguration: { scanOnPush: true } },
        message: /IMMUTABLE_WITH_EXCLUSION of cosign's/,
    },
    { policy: "lambda-function-url-auth-in-prod", type: "aws:lambda/functionUrl:FunctionUrl", pass: { authorizationType: "AWS_IAM" }, fail: { authorizationType: "NONE" }, message: /must use AWS_IAM/ },
    { policy: "lambda-tracing-active", type: "aws:lambda/function:Function", pass: { tracingConfig: { mode: "Active" } }, fail: { tracingConfig: { mode: "PassThrough" } }, message: /Active/ },
    { policy: "state-machine-tracing-and-logging", type: "aws:sfn/stateMachine:StateMachine", pass: { tracingConfiguration: { enabled: true }, loggingConfiguration: { logDestination: "arn:x:*", level: "ALL" } }, fail: { tracingConfiguration: { enabled: false }, loggingConfiguration: { logDestination: "arn:x:*", level: "ALL" } }, message: /tracingConfiguration/ },
    { policy: "state-machine-tracing-and-logging", type: "aws:sfn/stateMachine:StateMachine", pass: { tracingConfiguration: { enabled: true }, loggingConfiguration: { logDestination: "arn:x:*", level: "ERROR" } }, fail: { tracingConfiguration: { enabled: true } }, message: /loggingConfiguration/ },
    { policy: "log-group-retention", type: "aws:cloudwatch/logGroup:LogGroup", pass: { retentionInDays: 30 }, fail: {}, message: /retentionInDays/ },
    { policy: "gcs-uniform-access-public-prevention", type: "gcp:storage/bucket:Bucket", pass: { uniformBucketLevelAccess: true, publicAccessPrevention: "enforced" }, fail: { uniformBucketLevelAccess: false, publicAccessPrevention: "enforced" }, message: /uniformBucketLevelAccess/ },
    { policy: "gcs-uniform-access-public-prevention", type: "gcp:storage/bucket:Bucket", pass: { uniformBucketLevelAccess: true, publicAccessPrevention: "enforced" }, fail: { uniformBucketLevelAccess: true, publicAccessPrevention: "inherited" }, message: /publicAccessPrevention/ },
    { policy: "no-public-iam-members", type: "gcp:storage/bucketIAMMember:BucketIAMMember", pass: { role: "roles/storage.objectUser", member: "serviceAccount:a@p.iam.gserviceaccount.com" }, fail: { role: "roles/storage.objectViewer", member: "allUsers" }, message: /to the public/ },
    { policy: "no-public-iam-members", type: "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember", pass: { role: "roles/artifactregistry.reader", member: "serviceAccount:a@p.iam.gserviceaccount.com" }, fail: { role: "roles/artifactregistry.reader", member: "allAuthenticatedUsers" }, message: /to the public/ },
    { policy: "no-public-iam-members", type: "gcp:cloudrunv2/serviceIamMember:ServiceIamMember", pass: { role: "roles/run.invoker", member: "serviceAccount:a@p.iam.gserviceaccount.com" }, fail: { role: "roles/run.invoker", member: "allUsers" }, message: /production Cloud Run/ },
    // The policy-type resources set a whole IAM policy: policyData, a JSON string of { bindings: [{ role, members }] }.
    {
        policy: "no-public-iam-members",
        type: "gcp:storage/bucketIAMPolicy:BucketIAMPolicy",
        pass: iamPolicy({ "roles/storage.objectUser": [SERVICE_ACCOUNT] }),
        fail: iamPolicy({ "roles/storage.objectUser": [SERVICE_ACCOUNT], "roles/storage.objectViewer": ["user:a@example.com", "allUsers"] }),
        message: /storage\/bucketIAMPolicy grants roles\/storage\.objectViewer to the public/,
    },
    {
        policy: "no-public-iam-members",
        type: "gcp:artifactregistry/repositoryIamPolicy:RepositoryIamPolicy",
        pass: iamPolicy({ "roles/artifactregistry.reader": [SERVICE_ACCOUNT] }),
        fail: iamPolicy({ "roles/artifactregistry.reader": ["allAuthenticatedUsers"] }),
        message: /artifactregistry\/repositoryIamPolicy grants roles\/artifactregistry\.reader to the public/,
    },
    { policy: "no-public-iam-members", type: "gcp:cloudrunv2/serviceIamPolicy:ServiceIamPolicy", pass: iamPolicy({ "roles/run.invoker": [SERVICE_ACCOUNT] }), fail: iamPolicy({ "roles/run.invoker": ["allUsers"] }), message: /production Cloud Run/ },
    // Cloud Run v1's IAM resources (the cloudrun module) grant on the same services.
    { policy: "no-public-iam-members", type: "gcp:cloudrun/iamPolicy:IamPolicy", pass: iamPolicy({ "roles/run.invoker": [SERVICE_ACCOUNT] }), fail: iamPolicy({ "roles/run.invoker": ["allUsers"] }), message: /production Cloud Run/ },
    { policy: "no-public-iam-members", type: "gcp:cloudrun/iamMember:IamMember", pass: { role: "roles/run.invoker", member: SERVICE_ACCOUNT }, fail: { role: "roles/run.invoker", member: "allUsers" }, message: /production Cloud Run/ },
    { policy: "no-public-iam-members", type: "gcp:cloudrun/iamBinding:IamBinding", pass: { role: "roles/run.invoker", members: [SERVICE_ACCOUNT] }, fail: { role: "roles/run.invoker", members: [SERVICE_ACCOUNT, "allAuthenticatedUsers"] }, message: /production Cloud Run/ },
    { policy: "no-basic-or-project-storage-admin-roles", type: "gcp:projects/iAMMember:IAMMember", pass: { role: "roles/monitoring.viewer", member: "user:a@example.com" }, fail: { role: "roles/editor", member: "user:a@example.com" }, message: /basic role/ },
    { policy: "no-basic-or-project-storage-admin-roles", type: "gcp:projects/iAMMember:IAMMember", pass: { role: "roles/run.viewer", member: "user:a@example.com" }, fail: { role: "roles/storage.admin", member: "serviceAccount:a@p.iam.gserviceaccount.com" }, message: /project-wide/ },
    // A whole policy set at once (policyData) grants the same roles (@pulumi/gcp 9.37.0: projects/iAMPolicy, storage/bucketIAMPolicy).
    { policy: "no-basic-or-project-storage-admin-roles", type: "gcp:projects/iAMPolicy:IAMPolicy", pass: iamPolicy({ "roles/run.viewer": [SERVICE_ACCOUNT] }), fail: iamPolicy({ "roles/run.viewer": [SERVICE_ACCOUNT], "roles/owner": ["user:a@example.com"] }), message: /roles\/owner is a basic role/ },
    { policy: "no-basic-or-project-storage-admin-roles", type: "gcp:projects/iAMPolicy:IAMPolicy", pass: iamPolicy({ "roles/run.viewer": [SERVICE_ACCOUNT] }), fail: iamPolicy({ "roles/storage.objectAdmin": [SERVICE_ACCOUNT] }), message: /project-wide/ },
    // Type names with digits (@pulumi/gcp 9.37.0: healthcare/hl7StoreIamPolicy).
    { policy: "no-basic-or-project-storage-admin-roles", type: "gcp:healthcare/hl7StoreIamPolicy:Hl7StoreIamPolicy", pass: iamPolicy({ "roles/healthcare.hl7V2Consumer": [SERVICE_ACCOUNT] }), fail: iamPolicy({ "roles/owner": [SERVICE_ACCOUNT] }), message: /basic role/ },
    // Taking roles/editor away is hardening, not a grant; a folder's storage admin reaches every project under it.
    { policy: "no-basic-or-project-storage-admin-roles", type: "gcp:projects/iAMMember:IAMMember", passType: "gcp:projects/iamMemberRemove:IamMemberRemove", pass: { role: "roles/editor", member: "serviceAccount:123-compute@developer.gserviceaccount.com", project: "p" }, fail: { role: "roles/editor", member: "user:a@example.com" }, message: /basic role/ },
    { policy: "no-basic-or-project-storage-admin-roles", type: "gcp:folder/iAMMember:IAMMember", pass: { role: "roles/run.viewer", member: SERVICE_ACCOUNT, folder: "folders/1" }, fail: { role: "roles/storage.admin", member: SERVICE_ACCOUNT, folder: "folders/1" }, message: /roles\/storage\.admin granted folder-wide/ },
    { policy: "no-basic-or-project-storage-admin-roles", type: "gcp:storage/bucketIAMPolicy:BucketIAMPolicy", pass: iamPolicy({ "roles/storage.objectAdmin": [SERVICE_ACCOUNT] }), fail: iamPolicy({ "roles/editor": [SERVICE_ACCOUNT] }), message: /basic role/ },
    { policy: "no-service-account-keys", type: "gcp:serviceaccount/key:Key", passType: "gcp:serviceaccount/account:Account", pass: { accountId: "runtime" }, fail: { serviceAccountId: "a" }, message: /long-lived/ },
    { policy: "no-service-account-keys", type: "gcp:storage/hmacKey:HmacKey", passType: "gcp:serviceaccount/account:Account", pass: { accountId: "runtime" }, fail: { serviceAccountEmail: "runtime@p.iam.gserviceaccount.com" }, message: /long-lived/ },
    {
        policy: "no-wildcard-iam-actions",
        type: "aws:iam/rolePolicy:RolePolicy",
        pass: { policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }, { Effect: "Deny", Action: "s3:*", Resource: "*" }] }) },
        fail: { policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "Wide", Effect: "Allow", Action: ["s3:GetObject", "s3:*"], Resource: "*" }] }) },
        message: /Wide allows the wildcard action s3:\*/,
    },
    {
        policy: "no-wildcard-iam-actions",
        type: "aws:iam/rolePolicy:RolePolicy",
        pass: { policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", NotAction: "s3:GetObject", Resource: "*" }] }) },
        fail: { policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "AllButIam", Effect: "Allow", NotAction: "iam:*", Resource: "*" }] }) },
        message: /AllButIam allows every action but iam:\* \(NotAction\)/,
    },
    // Before: an attached AWS managed policy was not judged, only the statements written here.
    {
        policy: "no-wildcard-iam-actions",
        type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        pass: { role: "r", policyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole" },
        fail: { role: "r", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" },
        message: /attaches the AWS managed policy AdministratorAccess, which allows wildcard actions/,
    },
    {
        policy: "no-wildcard-iam-actions",
        type: "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
        pass: { roleName: "r", policyArns: ["arn:aws:iam::123456789012:policy/AmazonS3FullAccess"] },
        fail: { roleName: "r", policyArns: ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", "arn:aws:iam::aws:policy/AmazonS3FullAccess"] },
        message: /managed policy AmazonS3FullAccess/,
    },
    { policy: "no-wildcard-iam-actions", type: "aws:iam/role:Role", pass: { managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] }, fail: { managedPolicyArns: ["arn:aws:iam::aws:policy/PowerUserAccess"] }, message: /managed policy PowerUserAccess/ },
    // Before: a Secret Manager grant was not judged; a secret's accessor role for anyone publishes the secret.
    { policy: "no-public-iam-members", type: "gcp:secretmanager/secretIamMember:SecretIamMember", pass: { secretId: "s", role: "roles/secretmanager.secretAccessor", member: SERVICE_ACCOUNT }, fail: { secretId: "s", role: "roles/secretmanager.secretAccessor", member: "allUsers" }, message: /secretIamMember grants roles\/secretmanager.secretAccessor to the public/ },
    { policy: "no-public-iam-members", type: "gcp:secretmanager/secretIamPolicy:SecretIamPolicy", pass: iamPolicy({ "roles/secretmanager.secretAccessor": [SERVICE_ACCOUNT] }), fail: iamPolicy({ "roles/secretmanager.secretAccessor": ["allAuthenticatedUsers"] }), message: /to the public/ },
    { policy: "no-secrets-in-plain-env", type: "aws:lambda/function:Function", pass: lambda({ ADMIN_TOKEN_SECRET_ARN: "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:t-abc", LOG_LEVEL: "info" }), fail: lambda({ ADMIN_TOKEN: "s3cr3t-value" }), message: /ADMIN_TOKEN looks like a secret/ },
    // An empty value holds no secret (a feature left off): reporting it would fail the up for nothing.
    { policy: "no-secrets-in-plain-env", type: "aws:lambda/function:Function", pass: lambda({ ADMIN_TOKEN: "", LOG_LEVEL: "info" }), fail: lambda({ ADMIN_TOKEN: "x" }), message: /ADMIN_TOKEN looks like a secret/ },
    // However short: a weak password is still one.
    { policy: "no-secrets-in-plain-env", type: "aws:lambda/function:Function", pass: lambda({ DB_PASSWORD_SECRET_ARN: "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:p-abc" }), fail: lambda({ DB_PASSWORD: "pw1" }), message: /DB_PASSWORD looks like a secret/ },
    { policy: "no-secrets-in-plain-env", type: "gcp:cloudrunv2/service:Service", pass: cloudRun([{ name: "DATABASE_URL", valueSource: { secretKeyRef: { secret: "db", version: "latest" } } }]), fail: cloudRun([{ name: "DB", value: "postgres://app:hunter2@db.internal/app" }]), message: /value of DB looks like a credential/ },
    // A Secret Manager name is a reference, as an ARN is (before, it was reported as a secret).
    { policy: "no-secrets-in-plain-env", type: "gcp:cloudrunv2/service:Service", pass: cloudRun([{ name: "DB_PASSWORD_SECRET", value: "projects/p/secrets/db-password/versions/3" }]), fail: cloudRun([{ name: "DB_PASSWORD", value: "projects-are-not-secrets" }]), message: /DB_PASSWORD looks like a secret/ },
    { policy: "admin-and-debug-off-in-prod", type: "aws:lambda/function:Function", pass: lambda({ ADMIN_FEATURES_ENABLED: "false", DEBUG: "false" }), fail: lambda({ ADMIN_FEATURES_ENABLED: "true", DEBUG: "false" }), message: /ADMIN_FEATURES_ENABLED is true in production/ },
    { policy: "admin-and-debug-off-in-prod", type: "gcp:cloudrunv2/service:Service", pass: cloudRun([{ name: "DEBUG", value: "false" }]), fail: cloudRun([{ name: "DEBUG", value: "true" }]), message: /DEBUG is true in production/ },
    { policy: "required-tags-and-labels", type: "aws:s3/bucket:Bucket", pass: { tags: TAGS }, fail: { tags: { project: "multicloud-service" } }, message: /tags lack environment, managed-by/ },
    { policy: "required-tags-and-labels", type: "gcp:monitoring/alertPolicy:AlertPolicy", pass: { userLabels: TAGS }, fail: {}, message: /userLabels lack project, environment, managed-by/ },
    // The alarm topic's key and the alert e-mail channel carry them too (before, neither was checked), as does S3's BucketV2.
    { policy: "required-tags-and-labels", type: "aws:kms/key:Key", pass: { tags: TAGS }, fail: { tags: { project: "multicloud-service" } }, message: /tags lack environment, managed-by/ },
    { policy: "required-tags-and-labels", type: "aws:s3/bucketV2:BucketV2", pass: { tags: TAGS }, fail: {}, message: /tags lack project, environment, managed-by/ },
    { policy: "required-tags-and-labels", type: "gcp:monitoring/notificationChannel:NotificationChannel", pass: { userLabels: TAGS }, fail: {}, message: /userLabels lack project, environment, managed-by/ },
    // Fake Check output: pulumi-aws's Check adds `tagsAll`, the provider's defaultTags merged with the resource's tags
    // (pulumi/pulumi-aws provider/tags.go, applyTags, a PreCheckCallback), which is what the engine hands Analyze. Before,
    // a function tagged by the provider's defaultTags alone (no `tags` of its own) was reported.
    { policy: "required-tags-and-labels", type: "aws:lambda/function:Function", pass: { role: "r", tagsAll: TAGS }, fail: { role: "r", tags: { project: "multicloud-service" }, tagsAll: { project: "multicloud-service" } }, message: /tags lack environment, managed-by/ },
    // Audit: a log level left unset is OFF (Step Functions' default; the provider sets none), so a destination alone logs nothing.
    { policy: "state-machine-tracing-and-logging", type: "aws:sfn/stateMachine:StateMachine", pass: { tracingConfiguration: { enabled: true }, loggingConfiguration: { logDestination: "arn:x:*", level: "ALL" } }, fail: { tracingConfiguration: { enabled: true }, loggingConfiguration: { logDestination: "arn:x:*" } }, message: /loggingConfiguration/ },
    // Audit: a DELIVERY-class log group keeps its logs 2 days whatever retentionInDays says (cloudwatch/logGroup.d.ts).
    { policy: "log-group-retention", type: "aws:cloudwatch/logGroup:LogGroup", pass: { logGroupClass: "DELIVERY" }, fail: { logGroupClass: "STANDARD" }, message: /retentionInDays/ },
    // A v2 Service's sandbox templates (template.sandboxes.templates[].envs in @pulumi/gcp 9.37.0) hold plain envs too.
    {
        policy: "no-secrets-in-plain-env",
        type: "gcp:cloudrunv2/service:Service",
        pass: { ...cloudRun([]), template: { containers: [{ image: "x@sha256:1", sandboxLauncher: true }], sandboxes: { templates: [{ name: "s", image: "x@sha256:1", envs: [{ name: "LOG_LEVEL", value: "info" }] }] } } },
        fail: { ...cloudRun([]), template: { containers: [{ image: "x@sha256:1", sandboxLauncher: true }], sandboxes: { templates: [{ name: "s", image: "x@sha256:1", envs: [{ name: "DB_PASSWORD", value: "pw1" }] }] } } },
        message: /DB_PASSWORD looks like a secret/,
    },
    {
        policy: "admin-and-debug-off-in-prod",
        type: "gcp:cloudrunv2/service:Service",
        pass: { ...cloudRun([]), template: { containers: [], sandboxes: { templates: [{ name: "s", image: "x@sha256:1", envs: [{ name: "DEBUG", value: "false" }] }] } } },
        fail: { ...cloudRun([]), template: { containers: [], sandboxes: { templates: [{ name: "s", image: "x@sha256:1", envs: [{ name: "DEBUG", value: "true" }] }] } } },
        message: /DEBUG is true in production/,
    },
    // Audit: Cloud Run v1's Service (template.spec.containers) and v2's WorkerPool carry plain env vars too.
    { policy: "no-secrets-in-plain-env", type: "gcp:cloudrun/service:Service", pass: { template: { spec: { containers: [{ image: "x@sha256:1", envs: [{ name: "LOG_LEVEL", value: "info" }] }] } } }, fail: { template: { spec: { containers: [{ image: "x@sha256:1", envs: [{ name: "DB_PASSWORD", value: "pw1" }] }] } } }, message: /DB_PASSWORD looks like a secret/ },
    { policy: "admin-and-debug-off-in-prod", type: "gcp:cloudrunv2/workerPool:WorkerPool", pass: cloudRun([{ name: "DEBUG", value: "false" }]), fail: cloudRun([{ name: "DEBUG", value: "true" }]), message: /DEBUG is true in production/ },
    // Audit: a managed folder's grant reaches the bucket's objects under it.
    { policy: "no-public-iam-members", type: "gcp:storage/managedFolderIamMember:ManagedFolderIamMember", pass: { bucket: "b", managedFolder: "f/", role: "roles/storage.objectViewer", member: SERVICE_ACCOUNT }, fail: { bucket: "b", managedFolder: "f/", role: "roles/storage.objectViewer", member: "allUsers" }, message: /managedFolderIamMember grants roles\/storage.objectViewer to the public/ },
    // Before: Cloud Storage's legacy ACLs were not judged, though they publish a bucket or its objects as IAM does
    // (@pulumi/gcp 9.37.0 storage/bucketACL.d.ts, objectACL.d.ts, defaultObjectACL.d.ts, *AccessControl.d.ts).
    { policy: "no-public-iam-members", type: "gcp:storage/bucketACL:BucketACL", pass: { bucket: "b", roleEntities: ["OWNER:project-owners-123", "READER:user-x@example.com"] }, fail: { bucket: "b", roleEntities: ["OWNER:project-owners-123", "READER:allUsers"] }, message: /storage\/bucketACL grants READER to the public \(ACL entity allUsers\)/ },
    { policy: "no-public-iam-members", type: "gcp:storage/objectACL:ObjectACL", pass: { bucket: "b", object: "o", predefinedAcl: "bucketOwnerRead" }, fail: { bucket: "b", object: "o", predefinedAcl: "publicRead" }, message: /storage\/objectACL's predefinedAcl publicRead grants the public access/ },
    { policy: "no-public-iam-members", type: "gcp:storage/defaultObjectACL:DefaultObjectACL", pass: { bucket: "b", roleEntities: ["OWNER:project-owners-123"] }, fail: { bucket: "b", roleEntities: ["READER:allAuthenticatedUsers"] }, message: /storage\/defaultObjectACL grants READER to the public/ },
    { policy: "no-public-iam-members", type: "gcp:storage/bucketAccessControl:BucketAccessControl", pass: { bucket: "b", entity: "user-x@example.com", role: "READER" }, fail: { bucket: "b", entity: "allUsers", role: "WRITER" }, message: /storage\/bucketAccessControl grants WRITER to the public \(ACL entity allUsers\)/ },
    { policy: "no-public-iam-members", type: "gcp:storage/objectAccessControl:ObjectAccessControl", pass: { bucket: "b", object: "o", entity: "group-g@example.com", role: "READER" }, fail: { bucket: "b", object: "o", entity: "allAuthenticatedUsers", role: "READER" }, message: /objectAccessControl grants READER to the public/ },
    { policy: "no-public-iam-members", type: "gcp:storage/defaultObjectAccessControl:DefaultObjectAccessControl", pass: { bucket: "b", entity: "project-team-123", role: "OWNER" }, fail: { bucket: "b", entity: "allUsers", role: "READER" }, message: /defaultObjectAccessControl grants READER to the public/ },
];

describe("policy pack: every rule passes a good resource and reports a bad one", () => {
    for (const c of cases) {
        it(`${c.policy}: ${c.type.split(":").pop()} ${c.message.source.slice(0, 40)}`, async () => {
            assert.deepStrictEqual(await violations(byName(c.policy), c.passType ?? c.type, c.pass, c.config), []);
            const found = await violations(byName(c.policy), c.type, c.fail, c.config);
            assert.ok(found.some((m) => c.message.test(m)), `expected ${c.message}, got ${JSON.stringify(found)}`);
        });
    }

    it("every resource rule has a case above", () => {
        const covered = new Set(cases.map((c) => c.policy));
        assert.deepStrictEqual(resourcePolicies.map((p) => p.name).filter((n) => !covered.has(n)), []);
    });

    it("environment-aware rules accept in dev what they refuse in prod", async () => {
        assert.deepStrictEqual(await violations(byName("lambda-function-url-auth-in-prod"), "aws:lambda/functionUrl:FunctionUrl", { authorizationType: "NONE" }, DEV), []);
        assert.deepStrictEqual(await violations(byName("admin-and-debug-off-in-prod"), "aws:lambda/function:Function", lambda({ DEBUG: "true" }), DEV), []);
        assert.deepStrictEqual(await violations(byName("no-public-iam-members"), "gcp:cloudrunv2/serviceIamMember:ServiceIamMember", { role: "roles/run.invoker", member: "allUsers" }, DEV), []);
        assert.deepStrictEqual(
            await violations(byName("no-public-iam-members"), "gcp:cloudrunv2/serviceIamMember:ServiceIamMember", { role: "roles/run.invoker", member: "allUsers" }, { environment: "prod", allowPublicCloudRun: true }),
            [],
        );
    });

    it("environment-aware rules read prod_<x> and prod.<x> as production, as the README names production stacks", async () => {
        for (const environment of ["prod_eu", "prod.eu", "PROD_2", "production-eu"]) {
            assert.strictEqual((await violations(byName("lambda-function-url-auth-in-prod"), "aws:lambda/functionUrl:FunctionUrl", { authorizationType: "NONE" }, { environment })).length, 1, environment);
        }
    });

    it("a public invoker set by a whole Cloud Run IAM policy (v2 or v1) is refused in prod, accepted in dev or with allowPublicCloudRun", async () => {
        const open = iamPolicy({ "roles/run.invoker": ["allUsers"] });
        for (const type of ["gcp:cloudrunv2/serviceIamPolicy:ServiceIamPolicy", "gcp:cloudrun/iamPolicy:IamPolicy"]) {
            assert.strictEqual((await violations(byName("no-public-iam-members"), type, open, PROD)).length, 1, type);
            assert.deepStrictEqual(await violations(byName("no-public-iam-members"), type, open, DEV), [], type);
            assert.deepStrictEqual(await violations(byName("no-public-iam-members"), type, open, { environment: "prod", allowPublicCloudRun: true }), [], type);
        }
    });

    it("a Cloud Run service with its invoker IAM check off (how gcp.publicInvoker makes it public) is refused in prod, accepted in dev or with allowPublicCloudRun", async () => {
        const type = "gcp:cloudrunv2/service:Service";
        const [open] = await violations(byName("no-public-iam-members"), type, { invokerIamDisabled: true }, PROD);
        assert.match(open, /production Cloud Run service is invokable by the public \(its invoker IAM check is off\)/);
        assert.deepStrictEqual(await violations(byName("no-public-iam-members"), type, { invokerIamDisabled: false }, PROD), []);
        assert.deepStrictEqual(await violations(byName("no-public-iam-members"), type, { invokerIamDisabled: true }, DEV), []);
        assert.deepStrictEqual(await violations(byName("no-public-iam-members"), type, { invokerIamDisabled: true }, { environment: "prod", allowPublicCloudRun: true }), []);
    });

    describe("Cloud Storage's legacy ACLs (refused in every environment, uniform bucket-level access or not)", () => {
        const rule = () => byName("no-public-iam-members");
        const BUCKET_ACL = "gcp:storage/bucketACL:BucketACL";
        const OBJECT_ACL = "gcp:storage/objectACL:ObjectACL";
        const DEFAULT_OBJECT_ACL = "gcp:storage/defaultObjectACL:DefaultObjectACL";
        const ACCESS_CONTROLS = ["gcp:storage/bucketAccessControl:BucketAccessControl", "gcp:storage/objectAccessControl:ObjectAccessControl", "gcp:storage/defaultObjectAccessControl:DefaultObjectAccessControl"];
        const PRIVATE_ENTITIES = ["OWNER:project-owners-123", "OWNER:project-editors-123", "READER:project-viewers-123", "READER:user-x@example.com", "READER:group-g@example.com", "READER:domain-example.com"];

        it("each public form is refused, in prod and in dev alike", async () => {
            const refused: [string, Record<string, any>][] = [];
            for (const entity of ["allUsers", "allAuthenticatedUsers"]) {
                for (const role of ["READER", "WRITER", "OWNER"]) {
                    for (const type of [BUCKET_ACL, OBJECT_ACL, DEFAULT_OBJECT_ACL]) refused.push([type, { bucket: "b", object: "o", roleEntities: [...PRIVATE_ENTITIES, `${role}:${entity}`] }]);
                    for (const type of ACCESS_CONTROLS) refused.push([type, { bucket: "b", object: "o", entity, role }]);
                }
                // BucketAccessControl's role is optional (storage/bucketAccessControl.d.ts): the entity is still on the ACL.
                refused.push(["gcp:storage/bucketAccessControl:BucketAccessControl", { bucket: "b", entity }]);
            }
            // The bucket's canned ACLs (Buckets.Update PredefinedAcl) and its default object ACL (BucketACL's defaultAcl:
            // PredefinedDefaultObjectAcl, every new object's ACL); an object's (ObjectACL's predefinedAcl, the provider accepts
            // private, bucketOwnerRead, bucketOwnerFullControl, projectPrivate, authenticatedRead, publicRead).
            for (const acl of ["publicRead", "publicReadWrite", "authenticatedRead"]) refused.push([BUCKET_ACL, { bucket: "b", predefinedAcl: acl }]);
            for (const acl of ["publicRead", "authenticatedRead"]) {
                refused.push([BUCKET_ACL, { bucket: "b", roleEntities: ["OWNER:project-owners-123"], defaultAcl: acl }]);
                refused.push([OBJECT_ACL, { bucket: "b", object: "o", predefinedAcl: acl }]);
            }
            for (const [type, props] of refused) {
                for (const config of [PROD, DEV, { environment: "prod", allowPublicCloudRun: true }]) {
                    const found = await violations(rule(), type, props, config);
                    assert.strictEqual(found.length, 1, `${type} ${JSON.stringify(props)} ${JSON.stringify(config)}: ${JSON.stringify(found)}`);
                    assert.match(found[0], /to the public|grants the public access/);
                }
            }
        });

        it("the private forms pass: project teams, named users, groups and domains, the private canned ACLs", async () => {
            const allowed: [string, Record<string, any>][] = [
                [BUCKET_ACL, { bucket: "b", roleEntities: PRIVATE_ENTITIES }],
                [DEFAULT_OBJECT_ACL, { bucket: "b", roleEntities: PRIVATE_ENTITIES }],
                [OBJECT_ACL, { bucket: "b", object: "o", roleEntities: PRIVATE_ENTITIES }],
                [DEFAULT_OBJECT_ACL, { bucket: "b" }],
                // An entity is judged whole: a user or domain whose name merely contains allUsers is a named one.
                [BUCKET_ACL, { bucket: "b", roleEntities: ["READER:user-allUsers@example.com", "READER:domain-allusers.example.com"] }],
                ...["private", "projectPrivate"].map((acl): [string, Record<string, any>] => [BUCKET_ACL, { bucket: "b", predefinedAcl: acl }]),
                ...["private", "projectPrivate", "bucketOwnerRead", "bucketOwnerFullControl"].map((acl): [string, Record<string, any>] => [BUCKET_ACL, { bucket: "b", roleEntities: ["OWNER:project-owners-123"], defaultAcl: acl }]),
                ...["private", "projectPrivate", "bucketOwnerRead", "bucketOwnerFullControl"].map((acl): [string, Record<string, any>] => [OBJECT_ACL, { bucket: "b", object: "o", predefinedAcl: acl }]),
                ...ACCESS_CONTROLS.flatMap((type) => ["user-x@example.com", "group-g@example.com", "domain-example.com", "project-team-123", "project-owners-123"].map((entity): [string, Record<string, any>] => [type, { bucket: "b", object: "o", entity, role: "READER" }])),
            ];
            for (const [type, props] of allowed) assert.deepStrictEqual(await violations(rule(), type, props), [], `${type} ${JSON.stringify(props)}`);
        });

        it("an entity or canned ACL spelled in another case is refused too", async () => {
            assert.strictEqual((await violations(rule(), BUCKET_ACL, { bucket: "b", roleEntities: ["READER:allusers"] })).length, 1);
            assert.strictEqual((await violations(rule(), "gcp:storage/objectAccessControl:ObjectAccessControl", { bucket: "b", object: "o", entity: "AllAuthenticatedUsers", role: "READER" })).length, 1);
            assert.strictEqual((await violations(rule(), OBJECT_ACL, { bucket: "b", object: "o", predefinedAcl: "PublicRead" })).length, 1);
        });

        it("what a preview does not know yet is left for up; the known entries beside it are judged", async () => {
            const unknown = (props: Record<string, any>) => unknownCheckingProxy(props);
            assert.deepStrictEqual(await violations(rule(), BUCKET_ACL, unknown({ bucket: unknownStringValue, roleEntities: unknownStringValue })), []);
            assert.deepStrictEqual(await violations(rule(), BUCKET_ACL, unknown({ bucket: "b", roleEntities: ["OWNER:project-owners-123", unknownStringValue] })), []);
            assert.deepStrictEqual(await violations(rule(), "gcp:storage/bucketAccessControl:BucketAccessControl", unknown({ bucket: "b", entity: unknownStringValue, role: "READER" })), []);
            assert.deepStrictEqual(await violations(rule(), OBJECT_ACL, unknown({ bucket: "b", object: unknownStringValue, predefinedAcl: unknownStringValue })), []);
            assert.strictEqual((await violations(rule(), BUCKET_ACL, unknown({ bucket: unknownStringValue, roleEntities: [unknownStringValue, "READER:allUsers"] }))).length, 1);
            assert.strictEqual((await violations(rule(), OBJECT_ACL, unknown({ bucket: "b", object: unknownStringValue, predefinedAcl: "publicRead" }))).length, 1);
            assert.strictEqual((await violations(rule(), "gcp:storage/objectAccessControl:ObjectAccessControl", unknown({ bucket: "b", object: "o", entity: "allUsers", role: unknownStringValue }))).length, 1);
        });
    });

    it("a state machine whose log destination and level are not known yet (a new log group, in a preview) waits for up", async () => {
        const props = unknownCheckingProxy({ tracingConfiguration: { enabled: true }, loggingConfiguration: { logDestination: unknownStringValue, level: unknownStringValue } });
        assert.deepStrictEqual(await violations(byName("state-machine-tracing-and-logging"), "aws:sfn/stateMachine:StateMachine", props), []);
    });

    it("tags merged from the provider's defaultTags count; merged tags not known yet (an unknown tag or default, in a preview) wait for up", async () => {
        // Fake Check output (pulumi/pulumi-aws provider/tags.go, mergeTags): any unknown in the resource's tags or the
        // provider's defaultTags makes the whole `tagsAll` unknown.
        const rule = byName("required-tags-and-labels");
        assert.deepStrictEqual(await violations(rule, "aws:sns/topic:Topic", { tags: { project: "multicloud-service" }, tagsAll: TAGS }), []);
        assert.deepStrictEqual(await violations(rule, "aws:sns/topic:Topic", unknownCheckingProxy({ tags: { project: "multicloud-service" }, tagsAll: unknownStringValue })), []);
        // Without `tagsAll` (mocks; a resource whose Check sets none) its own tags are judged, as before.
        assert.strictEqual((await violations(rule, "aws:sns/topic:Topic", { tags: { project: "multicloud-service" } })).length, 1);
        // Tags the provider's ignoreTags leaves out are not carried (applyTags: IgnoreConfig).
        assert.strictEqual((await violations(rule, "aws:sns/topic:Topic", { tags: TAGS, tagsAll: {} })).length, 1);
    });

    it("a required tag or label whose value is not known yet (taken from an output, in a preview) is there: the missing ones are still reported", async () => {
        const rule = byName("required-tags-and-labels");
        const labels = { ...TAGS, environment: unknownStringValue };
        assert.deepStrictEqual(await violations(rule, "gcp:storage/bucket:Bucket", unknownCheckingProxy({ labels })), []);
        assert.deepStrictEqual(await violations(rule, "gcp:monitoring/alertPolicy:AlertPolicy", unknownCheckingProxy({ userLabels: labels })), []);
        assert.deepStrictEqual(await violations(rule, "gcp:storage/bucket:Bucket", unknownCheckingProxy({ labels: { environment: unknownStringValue, project: "multicloud-service" } })), ["labels lack managed-by."]);
    });

    it("without pack config the strict (production) reading applies", async () => {
        assert.strictEqual((await violations(byName("lambda-function-url-auth-in-prod"), "aws:lambda/functionUrl:FunctionUrl", { authorizationType: "NONE" }, {})).length, 1);
    });

    it("every rule has a unique name and a description", () => {
        const names = allPolicies.map((p) => p.name);
        assert.strictEqual(new Set(names).size, names.length);
        for (const p of allPolicies) assert.ok(p.description && p.description.length > 20, p.name);
    });
});

describe("policy pack: the S3 stack rule", () => {
    const bucket = { type: "aws:s3/bucket:Bucket", name: "b", urn: "urn:b", props: { bucket: "b-123", id: "b-123" } };
    const pab = { type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", name: "b", urn: "urn:pab", props: { bucket: "b-123", blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true } };
    const sse = { type: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", name: "b", urn: "urn:sse", props: { bucket: "b-123", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }] } };
    const tls = {
        type: "aws:s3/bucketPolicy:BucketPolicy",
        name: "b",
        urn: "urn:pol",
        props: { bucket: "b-123", policy: JSON.stringify({ Statement: [{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } }] }) },
    };
    const check = async (resources: object[]) => {
        const found: string[] = [];
        await s3BucketHardening.validateStack({ resources, getConfig: () => ({}) } as unknown as StackValidationArgs, (m) => found.push(m));
        return found;
    };

    it("a private, encrypted, TLS-only bucket passes", async () => {
        assert.deepStrictEqual(await check([bucket, pab, sse, tls]), []);
    });
    // @pulumi/aws 7 still ships the V2 companions beside aws.s3.BucketV2 (s3/bucketServerSideEncryptionConfigurationV2.js).
    it("a BucketV2 encrypted by its V2 encryption companion passes", async () => {
        const sseV2 = { ...sse, type: "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2" };
        assert.deepStrictEqual(await check([{ ...bucket, type: "aws:s3/bucketV2:BucketV2" }, pab, sseV2, tls]), []);
    });
    it("each missing piece is reported", async () => {
        assert.deepStrictEqual(await check([bucket, sse, tls]), ["bucket b: needs a public access block with all four settings true."]);
        assert.deepStrictEqual(await check([bucket, pab, tls]), ["bucket b: needs default server-side encryption."]);
        assert.deepStrictEqual(await check([bucket, pab, sse]), ["bucket b: needs a bucket policy denying requests without TLS (aws:SecureTransport false)."]);
        assert.deepStrictEqual(await check([bucket, { ...pab, props: { ...pab.props, restrictPublicBuckets: false } }, sse, tls]), ["bucket b: needs a public access block with all four settings true."]);
    });
    // @pulumi/aws 7.48.0 still takes both on the bucket itself (deprecated): Bucket's serverSideEncryptionConfiguration is one
    // object with one `rule` (s3/bucket.d.ts:486), BucketV2's serverSideEncryptionConfigurations a list with `rules` lists of
    // applyServerSideEncryptionByDefaults (s3/bucketV2.d.ts:488); `policy` is a JSON string, or on Bucket a PolicyDocument.
    it("a bucket encrypted by its own inline configuration passes", async () => {
        const inline = { ...bucket, props: { ...bucket.props, serverSideEncryptionConfiguration: { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } } } } };
        assert.deepStrictEqual(await check([inline, pab, tls]), []);
        const inlineV2 = { ...bucket, type: "aws:s3/bucketV2:BucketV2", props: { ...bucket.props, serverSideEncryptionConfigurations: [{ rules: [{ applyServerSideEncryptionByDefaults: [{ sseAlgorithm: "aws:kms" }] }] }] } };
        assert.deepStrictEqual(await check([inlineV2, pab, tls]), []);
    });
    // A stack rule reads the resources' state, where `policy` is a JSON string even when the program wrote an object:
    // the bridge's TransformJSONDocument (pulumi-terraform-bridge pkg/tfbridge/transforms.go) stores it stringified.
    it("a bucket with its own inline TLS-only policy passes (a JSON string in its state, however the program wrote it)", async () => {
        assert.deepStrictEqual(await check([{ ...bucket, props: { ...bucket.props, policy: tls.props.policy } }, pab, sse]), []);
    });
    it("inline settings without an algorithm or without the TLS deny are still reported", async () => {
        const noAlgorithm = { ...bucket, props: { ...bucket.props, serverSideEncryptionConfiguration: { rule: { bucketKeyEnabled: true } } } };
        assert.deepStrictEqual(await check([noAlgorithm, pab, tls]), ["bucket b: needs default server-side encryption."]);
        const allowOnly = JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "s3:GetObject", Resource: "arn:aws:s3:::b-123/*" }] });
        assert.deepStrictEqual(await check([{ ...bucket, props: { ...bucket.props, policy: allowOnly } }, pab, sse]), ["bucket b: needs a bucket policy denying requests without TLS (aws:SecureTransport false)."]);
    });
    it("an inline policy not known yet (every new bucket's in a preview: a computed output) proves nothing and does not make the check wait", async () => {
        // The SDK's own proxy and sentinel (@pulumi/policy proxy.js), as the rule meets them in a preview; Bucket's
        // `policy` and `serverSideEncryptionConfiguration` are outputs that are always set (s3/bucket.d.ts), so unknown until created.
        const previewed = { ...bucket, props: unknownCheckingProxy({ ...bucket.props, policy: unknownStringValue, serverSideEncryptionConfiguration: unknownStringValue }) };
        assert.deepStrictEqual(await check([previewed, pab, sse, tls]), []);
        assert.deepStrictEqual(await check([previewed, pab]), ["bucket b: needs default server-side encryption.", "bucket b: needs a bucket policy denying requests without TLS (aws:SecureTransport false)."]);
    });
    it("a TLS condition that is an object with a \"toString\" key (JSON data) is not \"false\": reported, not a TypeError", async () => {
        const policy = JSON.stringify({ Statement: [{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": { toString: "false" } } } }] });
        assert.deepStrictEqual(await check([bucket, pab, sse, { ...tls, props: { ...tls.props, policy } }]), ["bucket b: needs a bucket policy denying requests without TLS (aws:SecureTransport false)."]);
    });
    // IAM takes a list of values for a condition key as it takes one (Condition: {"Bool": {"aws:SecureTransport": ["false"]}}).
    it("a TLS condition written as a one-item list [\"false\"] is the TLS deny", async () => {
        const policy = JSON.stringify({ Statement: [{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": ["false"] } } }] });
        assert.deepStrictEqual(await check([bucket, pab, sse, { ...tls, props: { ...tls.props, policy } }]), []);
    });
    it("a bucket policy companion whose document is not known yet (built from the new bucket's ARN) leaves the TLS check for up; the other checks are judged", async () => {
        const previewedPolicy = { ...tls, props: unknownCheckingProxy({ bucket: "b-123", policy: unknownStringValue }) };
        assert.deepStrictEqual(await check([bucket, previewedPolicy]), ["bucket b: needs a public access block with all four settings true.", "bucket b: needs default server-side encryption."]);
    });
    it("an encryption companion whose rules are not known yet (built from an output, in a preview) waits for up, as an unknown algorithm does", async () => {
        for (const rules of [unknownStringValue, [unknownStringValue], [{ applyServerSideEncryptionByDefault: { sseAlgorithm: unknownStringValue } }]]) {
            assert.deepStrictEqual(await check([bucket, pab, { ...sse, props: unknownCheckingProxy({ bucket: "b-123", rules }) }, tls]), []);
        }
    });
    // The rule's description promises all four public-access-block settings, and every S3 bucket, V2 too.
    it("a public access block with any one of its four settings off is reported", async () => {
        for (const key of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) {
            assert.deepStrictEqual(await check([bucket, { ...pab, props: { ...pab.props, [key]: false } }, sse, tls]), ["bucket b: needs a public access block with all four settings true."], key);
        }
    });
    // A setting left out is false (@pulumi/aws s3/bucketPublicAccessBlock.d.ts: each "Defaults to `false`").
    it("a public access block that leaves a setting unset is reported (unset is false)", async () => {
        const { restrictPublicBuckets: _, ...threeSet } = pab.props;
        assert.deepStrictEqual(await check([bucket, { ...pab, props: threeSet }, sse, tls]), ["bucket b: needs a public access block with all four settings true."]);
    });
    // BucketV2's serverSideEncryptionConfigurations is a list (s3/bucketV2.d.ts); before, any other shape failed the whole
    // preview with a TypeError. It encrypts nothing, so only the companion's rules count.
    it("a BucketV2 whose inline serverSideEncryptionConfigurations is not a list: judged by its companion, not a crash", async () => {
        for (const serverSideEncryptionConfigurations of ["AES256", { rules: [{ applyServerSideEncryptionByDefaults: [{ sseAlgorithm: "AES256" }] }] }]) {
            const inline = { ...bucket, type: "aws:s3/bucketV2:BucketV2", props: { ...bucket.props, serverSideEncryptionConfigurations } };
            assert.deepStrictEqual(await check([inline, pab, sse, tls]), [], JSON.stringify(serverSideEncryptionConfigurations));
            assert.deepStrictEqual(await check([inline, pab, { ...sse, props: { bucket: "b-123", rules: [] } }, tls]), ["bucket b: needs default server-side encryption."], JSON.stringify(serverSideEncryptionConfigurations));
        }
    });
    it("a bucket policy with a null statement beside the TLS deny passes (before, a TypeError)", async () => {
        const withNull = JSON.stringify({ Statement: [null, ...JSON.parse(tls.props.policy).Statement] });
        assert.deepStrictEqual(await check([bucket, pab, sse, { ...tls, props: { ...tls.props, policy: withNull } }]), []);
    });
    // Once a bucket exists its state holds what the provider read back, never only what the program set: resourceBucketRead
    // sets server_side_encryption_configuration from GetBucketEncryption (terraform-provider-aws internal/service/s3/
    // bucket.go; Optional+Computed), and S3 has given every bucket SSE-S3 since 5 January 2023 (Amazon S3 User Guide,
    // "Setting default server-side encryption behavior for Amazon S3 buckets"). A companion's rules are what is put.
    it("beside an encryption companion, the bucket's read-back inline AES256 (AWS's default) does not stand in for the companion's rules", async () => {
        const awsDefault = [{ rules: [{ applyServerSideEncryptionByDefaults: [{ sseAlgorithm: "AES256", kmsMasterKeyId: "" }], bucketKeyEnabled: false }] }];
        const created = { ...bucket, type: "aws:s3/bucketV2:BucketV2", props: { ...bucket.props, serverSideEncryptionConfigurations: awsDefault } };
        const noAlgorithm = { ...sse, type: "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", props: { bucket: "b-123", rules: [{ blockedEncryptionTypes: ["SSE-C"] }] } };
        assert.deepStrictEqual(await check([created, pab, noAlgorithm, tls]), ["bucket b: needs default server-side encryption."]);
        assert.deepStrictEqual(await check([created, pab, { ...noAlgorithm, props: sse.props }, tls]), []);
    });
    it("a bare BucketV2 is reported for each missing piece, as a Bucket is", async () => {
        assert.deepStrictEqual(await check([{ ...bucket, type: "aws:s3/bucketV2:BucketV2" }]), [
            "bucket b: needs a public access block with all four settings true.",
            "bucket b: needs default server-side encryption.",
            "bucket b: needs a bucket policy denying requests without TLS (aws:SecureTransport false).",
        ]);
    });
    // IAM's grammar lets a Boolean go unquoted (IAM User Guide, "Grammar of the IAM JSON policy language"): a program's
    // { "aws:SecureTransport": false } is stored as JSON with the boolean.
    it("a TLS deny whose condition value is the JSON boolean false passes", async () => {
        const unquoted = JSON.stringify({ Statement: [{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": false } } }] });
        assert.deepStrictEqual(await check([bucket, pab, sse, { ...tls, props: { ...tls.props, policy: unquoted } }]), []);
    });
    it("a statement that allows requests without TLS is not the TLS deny", async () => {
        const allowPlain = JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } }] });
        assert.deepStrictEqual(await check([bucket, pab, sse, { ...tls, props: { ...tls.props, policy: allowPlain } }]), ["bucket b: needs a bucket policy denying requests without TLS (aws:SecureTransport false)."]);
    });
});

// Each case is what a rule's description promises, at an edge the cases above left open.
describe("policy pack: what each rule's description promises, at its edges", () => {
    it("ecr-immutable-tags-scan-on-push: an exclusion filter besides cosign's sig/att tags makes other tags mutable", async () => {
        const props = {
            imageTagMutability: "IMMUTABLE_WITH_EXCLUSION",
            imageTagMutabilityExclusionFilters: [{ filter: "sha256-*.sig", filterType: "WILDCARD" }, { filter: "latest", filterType: "WILDCARD" }],
            imageScanningConfiguration: { scanOnPush: true },
        };
        assert.strictEqual((await violations(byName("ecr-immutable-tags-scan-on-push"), "aws:ecr/repository:Repository", props)).length, 1);
    });

    it("ecr-immutable-tags-scan-on-push: IMMUTABLE_WITH_EXCLUSION without cosign's filters is not immutable", async () => {
        for (const imageTagMutabilityExclusionFilters of [[], undefined]) {
            const props = { imageTagMutability: "IMMUTABLE_WITH_EXCLUSION", imageTagMutabilityExclusionFilters, imageScanningConfiguration: { scanOnPush: true } };
            assert.strictEqual((await violations(byName("ecr-immutable-tags-scan-on-push"), "aws:ecr/repository:Repository", props)).length, 1, JSON.stringify(props));
        }
    });

    // Exclusion filters are a list of { filter, filterType } (@pulumi/aws ecr/repository.d.ts); any other shape excludes
    // no cosign tag the API would take. Before, a string there failed the whole preview with a TypeError.
    it("ecr-immutable-tags-scan-on-push: exclusion filters that are not a list of filters are reported, not a crash", async () => {
        for (const imageTagMutabilityExclusionFilters of ["sha256-*.sig", [null], [{ filter: ["sha256-*.sig"] }]]) {
            const props = { imageTagMutability: "IMMUTABLE_WITH_EXCLUSION", imageTagMutabilityExclusionFilters, imageScanningConfiguration: { scanOnPush: true } };
            assert.deepStrictEqual(await violations(byName("ecr-immutable-tags-scan-on-push"), "aws:ecr/repository:Repository", props), [
                "imageTagMutability must be IMMUTABLE (or IMMUTABLE_WITH_EXCLUSION of cosign's sha256-*.sig / sha256-*.att tags only): a pushed tag must never change.",
            ], JSON.stringify(props));
        }
    });

    // Lambda traces with X-Ray only in Active mode; a function that sets no tracingConfig is PassThrough.
    it("lambda-tracing-active: a function without tracingConfig is reported", async () => {
        assert.deepStrictEqual(await violations(byName("lambda-tracing-active"), "aws:lambda/function:Function", { tags: TAGS }), ["tracingConfig.mode must be Active."]);
    });

    it("state-machine-tracing-and-logging: a log group at level OFF logs nothing", async () => {
        const props = { tracingConfiguration: { enabled: true }, loggingConfiguration: { logDestination: "arn:x:*", level: "OFF" } };
        assert.deepStrictEqual(await violations(byName("state-machine-tracing-and-logging"), "aws:sfn/stateMachine:StateMachine", props), ["loggingConfiguration must send execution logs to a log group."]);
    });

    it("state-machine-tracing-and-logging: a level without a log group to send to logs nothing", async () => {
        const props = { tracingConfiguration: { enabled: true }, loggingConfiguration: { level: "ALL" } };
        assert.deepStrictEqual(await violations(byName("state-machine-tracing-and-logging"), "aws:sfn/stateMachine:StateMachine", props), ["loggingConfiguration must send execution logs to a log group."]);
    });

    it("log-group-retention: retentionInDays 0 keeps the logs forever (cloudwatch/logGroup.d.ts), so it is no retention period", async () => {
        assert.strictEqual((await violations(byName("log-group-retention"), "aws:cloudwatch/logGroup:LogGroup", { retentionInDays: 0 })).length, 1);
    });

    it("no-wildcard-iam-actions: every IAM document type and every attachment type is judged", async () => {
        const wide = JSON.stringify({ Statement: [{ Sid: "All", Effect: "Allow", Action: "*", Resource: "*" }] });
        for (const type of ["aws:iam/rolePolicy:RolePolicy", "aws:iam/policy:Policy", "aws:iam/userPolicy:UserPolicy", "aws:iam/groupPolicy:GroupPolicy"]) {
            assert.strictEqual((await violations(byName("no-wildcard-iam-actions"), type, { policy: wide })).length, 1, type);
        }
        const admin = "arn:aws:iam::aws:policy/AdministratorAccess";
        for (const type of ["rolePolicyAttachment:RolePolicyAttachment", "userPolicyAttachment:UserPolicyAttachment", "groupPolicyAttachment:GroupPolicyAttachment", "policyAttachment:PolicyAttachment"]) {
            assert.strictEqual((await violations(byName("no-wildcard-iam-actions"), `aws:iam/${type}`, { policyArn: admin })).length, 1, type);
        }
        for (const type of ["rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive", "userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive", "groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive"]) {
            assert.strictEqual((await violations(byName("no-wildcard-iam-actions"), `aws:iam/${type}`, { policyArns: [admin] })).length, 1, type);
        }
    });

    it('no-wildcard-iam-actions: a wildcard anywhere in an action is one ("*", "s3:*", "s3:Get*")', async () => {
        for (const action of ["*", "s3:*", "s3:Get*", "s3:*Object"]) {
            const policy = JSON.stringify({ Statement: [{ Sid: "S", Effect: "Allow", Action: action, Resource: "*" }] });
            assert.deepStrictEqual(await violations(byName("no-wildcard-iam-actions"), "aws:iam/rolePolicy:RolePolicy", { policy }), [`statement S allows the wildcard action ${action}.`], action);
        }
    });

    it("a list element not known yet (a whole Output in a preview) is left for up; the known elements beside it are still judged", async () => {
        // A list input holding an Output is sent with that element unknown (the engine's KeepUnknowns, conformance.ts).
        const wide = JSON.stringify({ Statement: [{ Sid: "S", Effect: "Allow", Action: "s3:*", Resource: "*" }] });
        const role = unknownCheckingProxy({ inlinePolicies: [unknownStringValue, { name: "p", policy: wide }], tags: TAGS });
        assert.deepStrictEqual(await violations(byName("no-wildcard-iam-actions"), "aws:iam/role:Role", role), ["statement S allows the wildcard action s3:*."]);
        const service = unknownCheckingProxy({ template: { containers: [unknownStringValue, { image: "x@sha256:1", envs: [{ name: "DEBUG", value: "true" }] }] }, labels: TAGS });
        assert.deepStrictEqual(await violations(byName("admin-and-debug-off-in-prod"), "gcp:cloudrunv2/service:Service", service), ["DEBUG is true in production."]);
    });

    // A program's list may hold null (sent as it is, conformance.ts onTheWire); before, reading it failed the preview with a TypeError.
    it("a null list element or a null Statement holds nothing to judge: the elements beside it are still judged", async () => {
        const service = { template: { containers: [null, { image: "x@sha256:1", envs: [null, { name: "DEBUG", value: "true" }] }] }, labels: TAGS };
        assert.deepStrictEqual(await violations(byName("admin-and-debug-off-in-prod"), "gcp:cloudrunv2/service:Service", service), ["DEBUG is true in production."]);
        const wide = JSON.stringify({ Statement: [null, { Sid: "S", Effect: "Allow", Action: "s3:*", Resource: "*" }] });
        assert.deepStrictEqual(await violations(byName("no-wildcard-iam-actions"), "aws:iam/role:Role", { inlinePolicies: [null, { name: "p", policy: wide }] }), ["statement S allows the wildcard action s3:*."]);
        assert.deepStrictEqual(await violations(byName("no-wildcard-iam-actions"), "aws:iam/rolePolicy:RolePolicy", { policy: JSON.stringify({ Statement: null }) }), []);
    });

    it("no-secrets-in-plain-env: a credential's value under an innocent name is reported (an AWS access key ID, a private key)", async () => {
        // AWS's documented example access key ID.
        for (const value of ["AKIAIOSFODNN7EXAMPLE", "-----BEGIN RSA PRIVATE KEY-----\nMIIE"]) {
            assert.deepStrictEqual(await violations(byName("no-secrets-in-plain-env"), "aws:lambda/function:Function", lambda({ UPSTREAM: value })), ["the value of UPSTREAM looks like a credential."], value);
        }
    });

    it("no-secrets-in-plain-env: an SSM parameter's or a KMS key's ARN under a secret's name is a reference, not the secret", async () => {
        for (const [name, value] of [
            ["DB_PASSWORD_PARAMETER", "arn:aws:ssm:ap-northeast-1:123456789012:parameter/db/password"],
            ["TOKEN_SIGNING_KEY", "arn:aws:kms:ap-northeast-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"],
        ]) {
            assert.deepStrictEqual(await violations(byName("no-secrets-in-plain-env"), "aws:lambda/function:Function", lambda({ [name]: value })), [], name);
        }
    });

    it("no-secrets-in-plain-env and admin-and-debug-off-in-prod: a Cloud Run v2 Job's containers (template.template.containers) are judged", async () => {
        const job = (envs: { name: string; value: string }[]) => ({ template: { template: { containers: [{ image: "x@sha256:1", envs }] } }, labels: TAGS });
        assert.strictEqual((await violations(byName("no-secrets-in-plain-env"), "gcp:cloudrunv2/job:Job", job([{ name: "DB_PASSWORD", value: "pw1" }]))).length, 1);
        assert.strictEqual((await violations(byName("admin-and-debug-off-in-prod"), "gcp:cloudrunv2/job:Job", job([{ name: "DEBUG", value: "true" }]))).length, 1);
    });

    it("required-tags-and-labels: every listed AWS type and GCP type without tags or labels is reported", async () => {
        const aws = ["ecr/repository:Repository", "lambda/function:Function", "s3/bucket:Bucket", "s3/bucketV2:BucketV2", "kms/key:Key", "sfn/stateMachine:StateMachine", "iam/role:Role", "cloudwatch/logGroup:LogGroup", "cloudwatch/metricAlarm:MetricAlarm", "sns/topic:Topic", "secretsmanager/secret:Secret", "scheduler/scheduleGroup:ScheduleGroup"];
        for (const type of aws) assert.deepStrictEqual(await violations(byName("required-tags-and-labels"), `aws:${type}`, {}), ["tags lack project, environment, managed-by."], type);
        const gcp = { "storage/bucket:Bucket": "labels", "artifactregistry/repository:Repository": "labels", "cloudrunv2/service:Service": "labels", "secretmanager/secret:Secret": "labels", "monitoring/alertPolicy:AlertPolicy": "userLabels", "monitoring/uptimeCheckConfig:UptimeCheckConfig": "userLabels", "monitoring/notificationChannel:NotificationChannel": "userLabels" };
        for (const [type, field] of Object.entries(gcp)) assert.deepStrictEqual(await violations(byName("required-tags-and-labels"), `gcp:${type}`, {}), [`${field} lack project, environment, managed-by.`], type);
    });

    it("no-public-iam-members: allUsers by any bucket, managed folder, registry or secret IAM resource is reported", async () => {
        const kinds = ["storage/bucketIAM", "storage/managedFolderIam", "artifactregistry/repositoryIam", "secretmanager/secretIam", "secretmanager/regionalSecretIam"];
        for (const kind of kinds) {
            const [module, prefix] = kind.split("/");
            const type = (suffix: string) => `gcp:${module}/${prefix}${suffix}:${prefix[0].toUpperCase()}${prefix.slice(1)}${suffix}`;
            const role = "roles/storage.objectViewer";
            for (const [t, props] of [
                [type("Member"), { role, member: "allUsers" }],
                [type("Binding"), { role, members: ["allUsers"] }],
                [type("Policy"), iamPolicy({ [role]: ["allUsers"] })],
            ] as [string, Record<string, any>][]) {
                assert.strictEqual((await violations(byName("no-public-iam-members"), t, props, DEV)).length, 1, t);
            }
        }
    });

    it("no-basic-or-project-storage-admin-roles: roles/viewer is a basic role; storage admin is refused project-, organization- and folder-wide", async () => {
        assert.deepStrictEqual(await violations(byName("no-basic-or-project-storage-admin-roles"), "gcp:projects/iAMMember:IAMMember", { role: "roles/viewer", member: SERVICE_ACCOUNT }), ["roles/viewer is a basic role: grant a predefined role on the resource instead."]);
        for (const scope of ["projects", "organizations", "folder"]) {
            for (const [kind, props] of [
                ["iAMMember:IAMMember", { role: "roles/storage.admin", member: SERVICE_ACCOUNT }],
                ["iAMBinding:IAMBinding", { role: "roles/storage.admin", members: [SERVICE_ACCOUNT] }],
                ["iAMPolicy:IAMPolicy", iamPolicy({ "roles/storage.admin": [SERVICE_ACCOUNT] })],
            ] as [string, Record<string, any>][]) {
                const found = await violations(byName("no-basic-or-project-storage-admin-roles"), `gcp:${scope}/${kind}`, props);
                assert.deepStrictEqual(found, [`roles/storage.admin granted ${{ projects: "project", organizations: "organization", folder: "folder" }[scope]}-wide: grant object access on the one bucket instead.`], `${scope}/${kind}`);
            }
        }
    });

    // uniformBucketLevelAccess is optional (@pulumi/gcp 9.37.0 storage/bucket.d.ts): left out, the bucket keeps its ACLs.
    it("gcs-uniform-access-public-prevention: a bucket that leaves uniformBucketLevelAccess unset is reported", async () => {
        assert.deepStrictEqual(await violations(byName("gcs-uniform-access-public-prevention"), "gcp:storage/bucket:Bucket", { publicAccessPrevention: "enforced" }), ["uniformBucketLevelAccess must be true."]);
    });

    // RolePolicy's policy is `string | PolicyDocument` (@pulumi/aws iam/rolePolicy.d.ts), and IAM's grammar takes one
    // statement as Statement itself, not in a list (IAM User Guide, "Grammar of the IAM JSON policy language").
    it("no-wildcard-iam-actions: a document given as an object, and a Statement given as one statement, are judged", async () => {
        const statement = { Sid: "S", Effect: "Allow", Action: "s3:*", Resource: "*" };
        for (const policy of [{ Version: "2012-10-17", Statement: [statement] }, JSON.stringify({ Version: "2012-10-17", Statement: statement }), { Version: "2012-10-17", Statement: statement }]) {
            assert.deepStrictEqual(await violations(byName("no-wildcard-iam-actions"), "aws:iam/rolePolicy:RolePolicy", { policy }), ["statement S allows the wildcard action s3:*."], JSON.stringify(policy));
        }
    });

    it("no-wildcard-iam-actions: AdministratorAccess-<service> and the other partitions' managed policies are refused", async () => {
        // AdministratorAccess-Amplify grants account administrator permissions (AWS managed policy reference);
        // GovCloud and China ARNs carry their partition (arn:aws-us-gov:, arn:aws-cn:).
        for (const arn of ["arn:aws:iam::aws:policy/AdministratorAccess-Amplify", "arn:aws-us-gov:iam::aws:policy/AdministratorAccess", "arn:aws-cn:iam::aws:policy/AmazonS3FullAccess"]) {
            assert.strictEqual((await violations(byName("no-wildcard-iam-actions"), "aws:iam/rolePolicyAttachment:RolePolicyAttachment", { role: "r", policyArn: arn })).length, 1, arn);
        }
    });

    it("gcs-uniform-access-public-prevention: a bucket that leaves publicAccessPrevention unset (inherited) is reported", async () => {
        assert.deepStrictEqual(await violations(byName("gcs-uniform-access-public-prevention"), "gcp:storage/bucket:Bucket", { uniformBucketLevelAccess: true }), ['publicAccessPrevention must be "enforced".']);
    });
});
