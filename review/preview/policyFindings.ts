/** The policy pack's findings from the event log, mandatory (the preview fails) apart from advisory. */
import { PACK_NAME, allPolicies } from "../../policy/policies";
import { PolicyEvent, PreviewDigest, urnParts } from "./digest";

export interface PolicyFinding {
    level: "mandatory" | "advisory" | "remediate";
    policy: string;
    pack: string;
    resource?: string;
    /** What the policy reported, without the policy's description before it where that is known (see ownText). */
    message: string;
    /** The policy's description, when it was taken off the front of `message`. */
    description?: string;
}

/**
 * This repository's pack's (policy/) descriptions, by policy name: its rules are imported as they are, so their
 * descriptions cannot drift from the pack's. Only types come from @pulumi/policy there, which the bundler and the
 * specs' transpiler drop.
 */
const OWN_DESCRIPTIONS: ReadonlyMap<string, string> = new Map(allPolicies.map((p) => [p.name, p.description]));

/**
 * The text a policy reported, without its description. @pulumi/policy sends a plain `report(text)` as the policy's
 * description, a newline and the text, but an object-form `report({ message })` as its message alone (server.js,
 * makeReportViolationFun), and the event does not carry the description. So the leading line goes only for this
 * repository's pack, whose descriptions are known, where it equals the policy's description exactly and text follows
 * it; other packs' findings, and a report without text (the description alone), stay whole.
 */
function ownText(e: PolicyEvent, message: string): { message: string; description?: string } {
    const description = e.policyPackName === PACK_NAME ? OWN_DESCRIPTIONS.get(e.policyName) : undefined;
    if (description === undefined || !message.startsWith(`${description}\n`)) return { message };
    const rest = message.slice(description.length + 1).trim();
    return rest === "" ? { message } : { message: rest, description };
}

/** Pulumi's levels (apitype.EnforcementLevel): advisory, mandatory, remediate; the Automation API's typings call advisory "warning". */
function levelOf(level: string): PolicyFinding["level"] {
    if (level === "mandatory") return "mandatory";
    if (level === "remediate") return "remediate";
    return "advisory";
}

export function policyFindings(events: PolicyEvent[]): PolicyFinding[] {
    const seen = new Set<string>();
    const findings: PolicyFinding[] = [];
    for (const e of events) {
        const resource = e.resourceUrn ? (({ type, name }) => `${type} ${name}`)(urnParts(e.resourceUrn)) : undefined;
        const { message, description } = ownText(e, e.message.trim());
        const key = `${e.policyPackName} ${e.policyName} ${resource} ${message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        findings.push({ level: levelOf(e.enforcementLevel), policy: e.policyName, pack: e.policyPackName, ...(resource ? { resource } : {}), message, ...(description ? { description } : {}) });
    }
    const order = ["mandatory", "remediate", "advisory"];
    return findings.sort((a, b) => order.indexOf(a.level) - order.indexOf(b.level) || a.policy.localeCompare(b.policy));
}

/**
 * The preview's errors and warnings (not info): a failed preview says why here, with the resource each is about
 * (the diagnostic's `urn`; a resource's own failure, "Preview failed: <provider error>", names none in its text).
 */
export function problemDiagnostics(preview: PreviewDigest): { severity: string; message: string; resource?: string }[] {
    return (preview.diagnostics ?? [])
        .filter((d) => d.severity === "error" || d.severity === "warning")
        .map((d) => ({ severity: d.severity, message: d.message.trim(), ...(d.urn ? { resource: (({ type, name }) => `${type} ${name}`)(urnParts(d.urn)) } : {}) }));
}
