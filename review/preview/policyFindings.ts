/** The policy pack's findings from the event log, mandatory (the preview fails) apart from advisory. */
import { PolicyEvent, PreviewDigest, urnParts } from "./digest";

export interface PolicyFinding {
    level: "mandatory" | "advisory" | "remediate";
    policy: string;
    pack: string;
    resource?: string;
    message: string;
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
        const message = e.message.trim();
        const key = `${e.policyPackName} ${e.policyName} ${resource} ${message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        findings.push({ level: levelOf(e.enforcementLevel), policy: e.policyName, pack: e.policyPackName, ...(resource ? { resource } : {}), message });
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
