/**
 * The preview's resource changes, one row per resource: a replacement is one "replace", from its logical step alone
 * (what `pulumi preview --json` shows) or with its create-replacement and delete-replaced (--show-replacement-steps).
 * A `same` step is shown only when it turns `protect` on or off: the CLI lists such a step for that alone (pulumi/pulumi
 * pkg/backend/display shouldShow: `Old.Protect != New.Protect`), and taking a production resource's protection off
 * changes nothing else in the diff.
 */
import { PreviewDigest, urnParts } from "./digest";

export interface ResourceChange {
    op: "create" | "update" | "replace" | "delete" | "read" | "import" | "other";
    type: string;
    name: string;
    /** The inputs that differ (update) or force the replacement (replace): property paths where the provider gave a detailed diff. */
    keys: string[];
}

const REPLACE_OPS = new Set(["replace", "create-replacement", "delete-replaced", "read-replacement", "import-replacement", "discard-replaced"]);
const ORDER: ResourceChange["op"][] = ["replace", "delete", "update", "create", "import", "read", "other"];

export function resourceChanges(preview: PreviewDigest): ResourceChange[] {
    const byUrn = new Map<string, ResourceChange>();
    for (const step of preview.steps ?? []) {
        if (step.op === "refresh") continue;
        const { type, name } = urnParts(step.urn);
        if (step.op === "same") {
            const flip = protectFlip(step);
            if (flip.length > 0) byUrn.set(step.urn, { op: "update", type, name, keys: flip });
            continue;
        }
        const op: ResourceChange["op"] = REPLACE_OPS.has(step.op)
            ? "replace"
            : (["create", "update", "delete", "read", "import"] as const).find((o) => o === step.op) ?? "other";
        // The detailed diff names property paths (scaling.minInstanceCount), the reasons only top-level keys.
        const detailed = Object.entries(step.detailedDiff ?? {}).filter(([, d]) => op !== "replace" || d.kind.endsWith("-replace")).map(([k]) => k);
        const reasons = op === "replace" ? step.replaceReasons ?? [] : op === "update" ? step.diffReasons ?? [] : [];
        const keys = [...(op === "replace" || op === "update" ? (detailed.length > 0 ? detailed : reasons) : []), ...protectFlip(step)];
        const seen = byUrn.get(step.urn);
        if (!seen) byUrn.set(step.urn, { op, type, name, keys: [...keys] });
        else {
            if (op === "replace") seen.op = "replace";
            seen.keys = [...new Set([...seen.keys, ...keys])];
        }
    }
    return [...byUrn.values()].sort((a, b) => ORDER.indexOf(a.op) - ORDER.indexOf(b.op) || a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
}

/** `protect (turned on|off)` where a step changes the resource's protection; for a create or delete, nothing. */
function protectFlip(step: PreviewDigest["steps"] extends (infer S)[] | undefined ? S : never): string[] {
    if (!step.oldState || !step.newState) return [];
    const [before, after] = [step.oldState.protect === true, step.newState.protect === true];
    return before === after ? [] : [after ? "protect (turned on)" : "protect (turned off)"];
}

/** The engine's own counts (the summary event): create, update, same, ... */
export function changeCounts(preview: PreviewDigest): Record<string, number> {
    return preview.changeSummary ?? {};
}
