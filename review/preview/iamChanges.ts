/**
 * The change in IAM permissions a preview makes, per principal: AWS actions (with the resources they apply to and
 * their conditions) from the old and new `policy` of aws:iam/rolePolicy and aws:iam/policy resources and of resource
 * policies (a bucket's, a KMS key's), role
 * attachments, and a role's own inline policies, managed policies, trust and permissions boundary; who may invoke a
 * Lambda function (aws:lambda/permission); GCP roles per member (with their conditions) from IAM member, binding and
 * policy resources, whatever the case of their type names (`gcp:projects/iAMMember:IAMMember`,
 * `gcp:cloudrun/iamMember:IamMember`), and a Cloud Run service's invoker IAM check turned off, which lets anyone invoke
 * it as an allUsers grant would.
 */
import { PreviewDigest, PreviewStep, UNKNOWN, urnParts } from "./digest";

export interface IamChange {
    cloud: "aws" | "gcp";
    /** A role's policy (`RolePolicy <name>`) or a GCP member. */
    principal: string;
    added: string[];
    removed: string[];
    /** Set when a side's grants are not known until apply (they depend on another resource's output). */
    unknown?: string;
}

const AWS_POLICY_TYPES = new Set(["aws:iam/rolePolicy:RolePolicy", "aws:iam/policy:Policy"]);
/**
 * Resource-based policies, whose `policy` input says who else may act on the resource (a bucket's, a KMS key's: the
 * program writes both). A key without one has KMS's default policy, which this program never shows as a grant.
 */
const AWS_RESOURCE_POLICY_TYPES = new Set([
    "aws:s3/bucketPolicy:BucketPolicy",
    "aws:kms/key:Key",
    "aws:sns/topicPolicy:TopicPolicy",
    "aws:sqs/queuePolicy:QueuePolicy",
    "aws:ecr/repositoryPolicy:RepositoryPolicy",
    "aws:secretsmanager/secretPolicy:SecretPolicy",
]);
const AWS_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const AWS_ROLE = "aws:iam/role:Role";
const AWS_LAMBDA_PERMISSION = "aws:lambda/permission:Permission";
// The provider's type names spell IAM in every case: projects/iAMMember:IAMMember, cloudrun/iamMember:IamMember.
const GCP_MEMBER = /^gcp:[a-z0-9]+\/[a-z0-9]*iammember:/i;
const GCP_BINDING = /^gcp:[a-z0-9]+\/[a-z0-9]*iambinding:/i;
const GCP_POLICY = /^gcp:[a-z0-9]+\/[a-z0-9]*iampolicy:/i;
const CLOUD_RUN_SERVICE = "gcp:cloudrunv2/service:Service";
/** How `pulumi preview --json` writes a secret (pulumi/pulumi pkg/backend/display/json.go, massagePropertyValue). */
const SECRET = "[secret]";

type Inputs = Record<string, unknown> | undefined;
/** undefined: the side does not exist; null: it exists but its grants are not known yet. */
type Grants = Map<string, Set<string>> | undefined | null;

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)]);

/** A value the preview does not know yet, or does not show. */
const unknownValue = (v: unknown) => v === UNKNOWN || v === SECRET;
/** Why a value the preview does not show is not shown: a secret is known, only hidden. */
const hiddenBecause = (v: unknown) => (v === SECRET ? "a secret" : "known after apply");

/** JSON with its object keys sorted: a condition written in another key order is the same condition. */
function canonical(value: unknown): string {
    if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
    if (value && typeof value === "object") return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(",")}}`;
    return JSON.stringify(value);
}

/**
 * `Action on Resource [if Condition]` for each allowed action; Deny and NotAction statements are named as such; a
 * trust policy's statements name their principal (`by ...`).
 */
function awsPolicyGrants(policy: unknown, prefix = ""): Set<string> | null {
    if (typeof policy !== "string" || unknownValue(policy)) return null;
    let doc: any;
    try {
        doc = JSON.parse(policy);
    } catch {
        return null;
    }
    const grants = new Set<string>();
    const statements: any[] = doc?.Statement === undefined ? [] : [doc.Statement].flat();
    for (const s of statements) {
        const effect = s.Effect === "Deny" ? "Deny " : "";
        const resources = s.NotResource ? list(s.NotResource).map((r) => `not ${r}`) : list(s.Resource);
        const actions = s.NotAction ? list(s.NotAction).map((a) => `NotAction ${a}`) : list(s.Action);
        const by = s.Principal !== undefined ? ` by ${canonical(s.Principal)}` : "";
        const on = s.Principal === undefined || resources.length ? ` on ${resources.join(", ") || "*"}` : "";
        const condition = s.Condition ? ` if ${canonical(s.Condition)}` : "";
        for (const a of actions) grants.add(`${prefix}${effect}${a}${by}${on}${condition}`);
    }
    return grants;
}

/** A role's own grants: its inline and managed policies, its trust, its permissions boundary; null when one is unknown. */
function awsRoleGrants(inputs: Record<string, unknown>): Set<string> | null {
    const grants = new Set<string>();
    const addAll = (g: Set<string> | null) => (g === null ? false : (g.forEach((x) => grants.add(x)), true));
    if (inputs.assumeRolePolicy !== undefined && !addAll(awsPolicyGrants(inputs.assumeRolePolicy, "trust: "))) return null;
    for (const key of ["inlinePolicies", "managedPolicyArns"]) if (inputs[key] !== undefined && !Array.isArray(inputs[key])) return null;
    for (const inline of (inputs.inlinePolicies ?? []) as { name?: unknown; policy?: unknown }[]) {
        if (unknownValue(inline) || unknownValue(inline.name) || !addAll(awsPolicyGrants(inline.policy, `inline ${String(inline.name)}: `))) return null;
    }
    for (const arn of list(inputs.managedPolicyArns)) {
        if (unknownValue(arn)) return null;
        grants.add(`attached ${arn}`);
    }
    if (inputs.permissionsBoundary !== undefined) {
        if (unknownValue(inputs.permissionsBoundary)) return null;
        grants.add(`boundary ${inputs.permissionsBoundary}`);
    }
    return grants;
}

/**
 * Who may invoke a function, and under which of the permission's conditions (aws.lambda.Permission's inputs):
 * `lambda:InvokeFunctionUrl by * (NONE)`, `lambda:InvokeFunction by * on live via its Function URL`. The event
 * source token is a credential of sorts: only its presence is shown.
 */
function lambdaPermissionGrant(inputs: Record<string, unknown>): string | null {
    const fields = [inputs.action, inputs.principal, inputs.functionUrlAuthType, inputs.sourceArn, inputs.sourceAccount, inputs.principalOrgId, inputs.qualifier, inputs.invokedViaFunctionUrl];
    if (fields.some(unknownValue)) return null;
    const extras = [
        inputs.functionUrlAuthType && `(${inputs.functionUrlAuthType})`,
        inputs.sourceArn && `from ${inputs.sourceArn}`,
        inputs.sourceAccount && `from account ${inputs.sourceAccount}`,
        inputs.principalOrgId && `in organization ${inputs.principalOrgId}`,
        inputs.qualifier && `on ${inputs.qualifier}`,
        inputs.invokedViaFunctionUrl === true && "via its Function URL",
        inputs.eventSourceToken && "with an event source token",
    ].filter(Boolean);
    return [`${inputs.action} by ${inputs.principal}`, ...extras].join(" ");
}

/** What a GCP grant is on: the resource input its type names (a bucket, a service account, a key...), else the project. */
const GCP_SCOPE_KEYS = ["bucket", "secretId", "repository", "service", "serviceAccountId", "cryptoKeyId", "keyRingId", "topic", "subscription", "datasetId", "tableId", "instance", "job", "name", "orgId", "folder", "project"];

function gcpScope(inputs: Record<string, unknown>): string {
    const key = GCP_SCOPE_KEYS.find((k) => typeof inputs[k] === "string") ?? Object.keys(inputs).sort().find((k) => /Id$/.test(k) && typeof inputs[k] === "string");
    if (!key) return "(scope)";
    const v = inputs[key] as string;
    return unknownValue(v) ? `(${key}: ${hiddenBecause(v)})` : `${key} ${v}`;
}

/**
 * `newOnly`: no old side to compare with (a create), where a member known only after apply still shows the role it
 * gets, under a name for the member; on an update that would list the old member's grant as removed.
 */
function sideGrants(type: string, name: string, inputs: Inputs, newOnly = false): Grants {
    if (!inputs) return undefined;
    const grants = new Map<string, Set<string>>();
    const add = (principal: string, grant: string) => grants.set(principal, (grants.get(principal) ?? new Set()).add(grant));
    if (AWS_POLICY_TYPES.has(type) || AWS_RESOURCE_POLICY_TYPES.has(type)) {
        const g = inputs.policy === undefined && AWS_RESOURCE_POLICY_TYPES.has(type) ? new Set<string>() : awsPolicyGrants(inputs.policy);
        if (g === null) return null;
        grants.set(`${type.split(":").pop()} ${name}`, g);
    } else if (type === AWS_ROLE) {
        const g = awsRoleGrants(inputs);
        if (g === null) return null;
        grants.set(`Role ${name}`, g);
    } else if (type === AWS_LAMBDA_PERMISSION) {
        const g = lambdaPermissionGrant(inputs);
        if (g === null) return null;
        add(`Lambda ${typeof inputs.function === "string" && !unknownValue(inputs.function) ? inputs.function : name}`, g);
    } else if (type === AWS_ATTACHMENT) {
        if (typeof inputs.policyArn !== "string" || unknownValue(inputs.policyArn)) return null;
        add(`role ${typeof inputs.role === "string" && !unknownValue(inputs.role) ? inputs.role : name}`, `attached ${inputs.policyArn}`);
    } else if (GCP_POLICY.test(type)) {
        const bindings = policyBindings(inputs.policyData);
        if (bindings === null) return null;
        for (const b of bindings) for (const m of b.members ?? []) add(m, gcpGrant(String(b.role ?? "(role)"), inputs, b.condition));
    } else if (GCP_MEMBER.test(type) || GCP_BINDING.test(type)) {
        const members = GCP_MEMBER.test(type) ? list(inputs.member) : list(inputs.members);
        const condition = inputs.condition as { title?: unknown; expression?: unknown } | undefined;
        if ([inputs.role, condition, condition?.title, condition?.expression].some(unknownValue)) return null;
        if (!newOnly && members.some(unknownValue)) return null;
        for (const m of members) add(unknownValue(m) ? `member of ${name} (${hiddenBecause(m)})` : m, gcpGrant(String(inputs.role ?? "(role)"), inputs, condition));
    } else if (type === CLOUD_RUN_SERVICE) {
        if (unknownValue(inputs.invokerIamDisabled)) return null;
        if (inputs.invokerIamDisabled === true) add("allUsers", `roles/run.invoker on ${gcpScope(inputs)} (its invoker IAM check off)`);
    }
    return grants;
}

/** An IAM policy's bindings from its `policyData` (JSON); null when it is unknown, hidden or not a policy. */
function policyBindings(policyData: unknown): { role?: string; members?: string[]; condition?: unknown }[] | null {
    if (typeof policyData !== "string" || unknownValue(policyData)) return null;
    try {
        const policy = JSON.parse(policyData);
        return policy && typeof policy === "object" ? (policy.bindings ?? []) : null;
    } catch {
        return null;
    }
}

/** `<role> on <scope> [if <title>: <expression>]`: a condition is its expression, which is what IAM evaluates. */
function gcpGrant(role: string, inputs: Record<string, unknown>, condition: unknown): string {
    const c = condition as { title?: string; expression?: string } | undefined;
    return `${role} on ${gcpScope(inputs)}${c ? ` if ${c.title ? `${c.title}: ` : ""}${c.expression ?? ""}` : ""}`;
}

function isIamType(type: string): boolean {
    return (
        AWS_POLICY_TYPES.has(type) ||
        AWS_RESOURCE_POLICY_TYPES.has(type) ||
        type === AWS_ATTACHMENT ||
        type === AWS_ROLE ||
        type === AWS_LAMBDA_PERMISSION ||
        GCP_MEMBER.test(type) ||
        GCP_BINDING.test(type) ||
        GCP_POLICY.test(type) ||
        type === CLOUD_RUN_SERVICE
    );
}

export function iamChanges(preview: PreviewDigest): IamChange[] {
    const changes = new Map<string, IamChange>();
    const entry = (cloud: IamChange["cloud"], principal: string) => {
        const key = `${cloud} ${principal}`;
        return changes.get(key) ?? changes.set(key, { cloud, principal, added: [], removed: [] }).get(key)!;
    };
    for (const step of preview.steps ?? []) {
        if (step.op === "same" || step.op === "read") continue;
        const { type, name } = urnParts(step.urn);
        if (!isIamType(type)) continue;
        const cloud = type.startsWith("aws:") ? "aws" : "gcp";
        const [before, after] = sides(step);
        const old = sideGrants(type, name, before);
        const next = sideGrants(type, name, after, before === undefined);
        if (old === null || next === null) {
            // One side unknown: nothing is known to be added or removed, and the known side's grants are no change.
            const e = entry(cloud, `${type.split(":").pop()} ${name}`);
            e.unknown = `${old === null ? "the old" : "the new"} grants are known only after apply`;
            continue;
        }
        for (const principal of new Set([...(old?.keys() ?? []), ...(next?.keys() ?? [])])) {
            const o = old?.get(principal) ?? new Set<string>();
            const n = next?.get(principal) ?? new Set<string>();
            const added = [...n].filter((g) => !o.has(g));
            const removed = [...o].filter((g) => !n.has(g));
            if (added.length + removed.length === 0) continue;
            const e = entry(cloud, principal);
            e.added.push(...added.filter((x) => !e.added.includes(x)));
            e.removed.push(...removed.filter((x) => !e.removed.includes(x)));
        }
    }
    return [...changes.values()].map((c) => ({ ...c, added: c.added.sort(), removed: c.removed.sort() })).sort((a, b) => a.cloud.localeCompare(b.cloud) || a.principal.localeCompare(b.principal));
}

/**
 * A step's inputs before and after. A replacement is read from its logical `replace` step, which carries both sides
 * and is the only one `pulumi preview --json` shows unless --show-replacement-steps (pulumi/pulumi
 * pkg/backend/display, shouldShow); its create-replacement and delete-replaced steps, when shown, say it again.
 */
function sides(step: PreviewStep): [Inputs, Inputs] {
    switch (step.op) {
        case "create":
        case "import":
            return [undefined, step.newState?.inputs];
        case "delete":
            return [step.oldState?.inputs, undefined];
        case "create-replacement":
        case "delete-replaced":
        case "discard-replaced":
            return [undefined, undefined];
        default:
            return [step.oldState?.inputs, step.newState?.inputs];
    }
}
