import { RecordedResource } from "../offline/mockCloud";

export interface PlacedResource {
    resource: RecordedResource;
    /** How many of the resource's parents the tree shows above it (0: top level). */
    depth: number;
}

/**
 * The resources depth first, as the plan's tree shows them: each after its parent, siblings in the order they
 * registered, but at the top, where the providers come first, then the rest by name. The program's registration order
 * across the tree is not the same from run to run: each cloud's resources register as that cloud's API answers
 * arrive, and the two clouds' answers interleave differently under load; even two components constructed one after
 * the other reach the engine in either order (the SDK registers each asynchronously, so it depends on what the program
 * awaited before, such as a provider's registration). What lists resources (the tree, the names they take, the diff,
 * --json) lists them in this order, the same on every run.
 */
export function inTreeOrder(resources: RecordedResource[]): PlacedResource[] {
    const urns = new Set(resources.map((r) => r.urn));
    const children = new Map<string | undefined, RecordedResource[]>();
    for (const r of resources) {
        const parent = r.parentUrn && urns.has(r.parentUrn) ? r.parentUrn : undefined;
        children.set(parent, [...(children.get(parent) ?? []), r]);
    }
    const isProvider = (r: RecordedResource) => r.type.startsWith("pulumi:providers:");
    children.get(undefined)?.sort((a, b) => Number(isProvider(b)) - Number(isProvider(a)) || compare(a.name, b.name) || compare(a.type, b.type));
    const placed: PlacedResource[] = [];
    const walk = (parent: string | undefined, depth: number) => {
        for (const resource of children.get(parent) ?? []) {
            placed.push({ resource, depth });
            walk(resource.urn, depth + 1);
        }
    };
    walk(undefined, 0);
    return placed;
}

/** Code-unit order, the same on every machine (localeCompare follows the machine's locale). */
function compare(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}
