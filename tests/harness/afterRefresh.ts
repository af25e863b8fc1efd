import { isDeepStrictEqual } from "util";
import { RecordedResource } from "../../scripts/offline/mockCloud";

/**
 * The first `pulumi up` after a `pulumi refresh`, for one resource: the refresh stored the provider's Read answer
 * (`refreshed`) as the resource's old inputs; the engine puts each ignored property's old value into the program's
 * new inputs, or drops it where the old inputs have none (pulumi/pulumi pkg/resource/deploy/step_generator.go,
 * processIgnoreChanges and PropertyPath.Reset); the provider diffs the old inputs against those and sends them to
 * Update. Top-level properties only, as this program ignores no nested path.
 */
export function firstUpAfterRefresh(resource: RecordedResource, refreshed: Record<string, any>): { sent: Record<string, any>; changed: string[] } {
    const sent: Record<string, any> = { ...resource.inputs };
    for (const key of resource.ignoreChanges) {
        if (key in refreshed) sent[key] = refreshed[key];
        else delete sent[key];
    }
    const keys = new Set([...Object.keys(sent), ...Object.keys(refreshed)]);
    const changed = [...keys].filter((key) => !isDeepStrictEqual(sent[key], refreshed[key])).sort();
    return { sent, changed };
}
