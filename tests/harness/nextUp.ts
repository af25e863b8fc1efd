import { isDeepStrictEqual } from "util";
import { RecordedResource } from "../../scripts/offline/mockCloud";

/**
 * The next `pulumi up` of one resource whose state holds `oldInputs` (what an earlier `up` sent, or what a
 * `pulumi refresh` stored: the provider's Read answer): the engine puts each ignored property's old value into the
 * program's new inputs, or drops it where the old inputs have none (pulumi/pulumi pkg/resource/deploy/step_generator.go,
 * processIgnoreChanges and PropertyPath.Reset); the provider diffs the old inputs against those and sends them to
 * Update. A provider built on pulumi-go-provider's infer (`inferState`: the resource's state, its outputs) first sets
 * each ignored input from that state, where the state has it (v1.3.2 infer/resource.go, diff and Update). Top-level
 * properties only, as this program ignores no nested path.
 */
export function nextUpAgainst(resource: RecordedResource, oldInputs: Record<string, any>, provider: { inferState?: Record<string, any> } = {}): { sent: Record<string, any>; changed: string[] } {
    const sent: Record<string, any> = { ...resource.inputs };
    for (const key of resource.ignoreChanges) {
        if (key in oldInputs) sent[key] = oldInputs[key];
        else delete sent[key];
        if (provider.inferState && key in provider.inferState) sent[key] = provider.inferState[key];
    }
    const keys = new Set([...Object.keys(sent), ...Object.keys(oldInputs)]);
    const changed = [...keys].filter((key) => !isDeepStrictEqual(sent[key], oldInputs[key])).sort();
    return { sent, changed };
}
