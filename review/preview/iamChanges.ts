/**
 * The change in IAM permissions a preview makes, per principal: AWS actions (with the resources they apply to) from
 * the old and new `policy` of aws:iam/rolePolicy and aws:iam/policy resources and role attachments; GCP roles per
 * member from *IamMember / *IAMMember (one member) and *IamBinding / *IAMBinding (members) resources.
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
const AWS_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const GCP_MEMBER = /^gcp:[A-Za-z0-9]+\/[A-Za-z0-9]*(IamMember|IAMMember):/;
const GCP_BINDING = /^gcp:[A-Za-z0-9]+\/[A-Za-z0-9]*(IamBinding|IAMBinding):/;

type Inputs = Record<string, unknown> | undefined;
/** undefined: the side does not exist; null: it exists but its grants are not known yet. */
type Grants = Map<string, Set<string>> | undefined | null;

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)]);

/** `Action on Resource` for each allowed action; Deny and NotAction statements are named as such. */
function awsPolicyGrants(policy: unknown): Set<string> | null {
    if (typeof policy !== "string" || policy === UNKNOWN) return null;
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
        for (const a of actions) grants.add(`${effect}${a} on ${resources.join(", ") || "*"}`);
    }
    return grants;
}

function gcpScope(inputs: Record<string, unknown>): string {
    for (const key of ["bucket", "secretId", "repository", "service", "name", "project"]) {
        const v = inputs[key];
        if (typeof v === "string") return v === UNKNOWN ? `(${key} known after apply)` : `${key} ${v}`;
    }
    return "(scope)";
}

function sideGrants(type: string, name: string, inputs: Inputs): Grants {
    if (!inputs) return undefined;
    const grants = new Map<string, Set<string>>();
    const add = (principal: string, grant: string) => grants.set(principal, (grants.get(principal) ?? new Set()).add(grant));
    if (AWS_POLICY_TYPES.has(type)) {
        const g = awsPolicyGrants(inputs.policy);
        if (g === null) return null;
        grants.set(`${type.split(":").pop()} ${name}`, g);
    } else if (type === AWS_ATTACHMENT) {
        if (typeof inputs.policyArn !== "string" || inputs.policyArn === UNKNOWN) return null;
        add(`role ${typeof inputs.role === "string" && inputs.role !== UNKNOWN ? inputs.role : name}`, `attached ${inputs.policyArn}`);
    } else if (GCP_MEMBER.test(type) || GCP_BINDING.test(type)) {
        const members = GCP_MEMBER.test(type) ? list(inputs.member) : list(inputs.members);
        const role = String(inputs.role ?? "(role)");
        const condition = (inputs.condition as { title?: string } | undefined)?.title;
        for (const m of members) add(m === UNKNOWN ? `member of ${name} (known after apply)` : m, `${role} on ${gcpScope(inputs)}${condition ? ` if ${condition}` : ""}`);
    }
    return grants;
}

function isIamType(type: string): boolean {
    return AWS_POLICY_TYPES.has(type) || type === AWS_ATTACHMENT || GCP_MEMBER.test(type) || GCP_BINDING.test(type);
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
        const next = sideGrants(type, name, after);
        if (old === null || next === null) {
            const e = entry(cloud, `${type.split(":").pop()} ${name}`);
            e.unknown = `${old === null ? "the old" : "the new"} grants are known only after apply`;
            if (old) for (const [, g] of old) e.removed.push(...[...g].filter((x) => !e.removed.includes(x)));
            if (next) for (const [, g] of next) e.added.push(...[...g].filter((x) => !e.added.includes(x)));
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
