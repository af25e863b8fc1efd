/**
 * What `pulumi preview --json` prints (display.PreviewDigest, pkg/display/json.go and pkg/backend/display/json.go
 * ShowPreviewDigest in pulumi/pulumi): the steps with their old and new state (apitype.ResourceV3), the diagnostics
 * and the change summary. That digest leaves policy violations out ("we don't handle policy events in JSON
 * serialization"), so they come from the engine event log `pulumi preview --event-log <file>` writes (the flag the
 * Automation API reads its own events through, @pulumi/pulumi/automation/stack.js): one
 * apitype.EngineEvent a line, a violation as `policyEvent` (the Automation API's PolicyEvent,
 * @pulumi/pulumi/automation/events.d.ts).
 */
import { z } from "zod";

/** What the engine writes for a value that is not known until apply (sdk/go/common/resource/plugin/rpc.go UnknownStringValue). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const resourceState = z.looseObject({
    urn: z.string(),
    type: z.string(),
    custom: z.boolean().optional(),
    inputs: z.record(z.string(), z.unknown()).optional(),
    outputs: z.record(z.string(), z.unknown()).optional(),
    parent: z.string().optional(),
    // apitype.ResourceV3's `protect,omitempty`: absent is false.
    protect: z.boolean().optional(),
});

const step = z.looseObject({
    op: z.string(),
    urn: z.string(),
    provider: z.string().optional(),
    oldState: resourceState.optional(),
    newState: resourceState.optional(),
    diffReasons: z.array(z.string()).optional(),
    replaceReasons: z.array(z.string()).optional(),
    detailedDiff: z.record(z.string(), z.looseObject({ kind: z.string(), inputDiff: z.boolean().optional() })).nullish(),
});

const diagnostic = z.looseObject({
    urn: z.string().optional(),
    // `json:"message,omitempty"` (pulumi/pulumi pkg/display/json.go, PreviewDiagnostic): an empty message is left out.
    message: z.string().default(""),
    severity: z.string(),
});

const digest = z.looseObject({
    config: z.record(z.string(), z.string()).optional(),
    steps: z.array(step).optional(),
    diagnostics: z.array(diagnostic).optional(),
    duration: z.number().optional(),
    changeSummary: z.record(z.string(), z.number()).optional(),
    maybeCorrupt: z.boolean().optional(),
});

export type PreviewStep = z.infer<typeof step>;
export type PreviewDiagnostic = z.infer<typeof diagnostic>;
export type PreviewDigest = z.infer<typeof digest>;

const policyEvent = z.looseObject({
    resourceUrn: z.string().optional(),
    message: z.string(),
    policyName: z.string(),
    policyPackName: z.string(),
    policyPackVersion: z.string().optional(),
    enforcementLevel: z.string(),
});
export type PolicyEvent = z.infer<typeof policyEvent>;

function problems(error: z.ZodError): string {
    return error.issues.slice(0, 5).map((i) => `${i.path.join(".") || "(top)"}: ${i.message}`).join("; ");
}

/** Parses the output of `pulumi preview --json`; anything else is an error naming where it went wrong. */
export function parsePreviewDigest(text: string, where = "the preview JSON"): PreviewDigest {
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch (err) {
        throw new Error(`${where} is not JSON (${(err as Error).message}); run pulumi preview --json > <file>`);
    }
    const parsed = digest.safeParse(json);
    if (!parsed.success) throw new Error(`${where} is not the output of pulumi preview --json: ${problems(parsed.error)}`);
    return parsed.data;
}

/** The policy violations of an engine event log (one JSON event a line); other events are skipped. */
export function parsePolicyEvents(text: string, where = "the event log"): PolicyEvent[] {
    const events: PolicyEvent[] = [];
    text.split("\n").forEach((line, i) => {
        if (line.trim() === "") return;
        let event: any;
        try {
            event = JSON.parse(line);
        } catch (err) {
            throw new Error(`${where} line ${i + 1} is not JSON (${(err as Error).message}); pulumi preview --event-log writes one event a line`);
        }
        if (event?.policyEvent === undefined) return;
        const parsed = policyEvent.safeParse(event.policyEvent);
        if (!parsed.success) throw new Error(`${where} line ${i + 1}: a policyEvent without ${problems(parsed.error)}`);
        events.push({ ...parsed.data, message: violationText(parsed.data.message) });
    });
    return events;
}

/** `urn:pulumi:<stack>::<project>::<parent$...$type>::<name>`: the resource's own type and name. */
export function urnParts(urn: string): { type: string; name: string } {
    const parts = urn.split("::");
    const qualified = parts[2] ?? "";
    return { type: qualified.split("$").pop() ?? qualified, name: parts.slice(3).join("::") };
}

/**
 * What a policy reported about the resource, whole, as the CLI prints it. @pulumi/policy sends a plain `report(text)`
 * as the policy's description, a newline and the text, but an object-form `report({ message })` as its message alone
 * (server.js, makeReportViolationFun), and the event does not carry the description to tell them apart; so no line is
 * dropped here (policyFindings.ts takes the description off for this repository's own pack, whose descriptions it
 * knows). The engine keeps Pulumi's colour tags unless the output is not a terminal ("color": "raw" or "never";
 * sdk/go/common/diag/colors).
 */
function violationText(message: string): string {
    return message.replace(/<\{%[^%]*%\}>/g, "").trim();
}
