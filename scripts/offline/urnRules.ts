/**
 * The engine's rules for resource URNs, which Pulumi's mock monitor does not follow: the whole type chain of a
 * resource's parents, and the refusal of a second resource of one URN.
 */

/**
 * The engine's refusal of a second resource of one URN, before it sends anything: "Duplicate resource URN '<urn>'; try
 * giving it a unique name" (pulumi/pulumi sdk/go/common/diag/errors.go, GetDuplicateResourceURNError, 2001), which fails
 * the update; Pulumi's mock monitor registers both, the second over the first. The engine's URN carries the parent's
 * whole type chain (`A$B$C::name`, the root stack's type left out: pkg/resource/deploy, generateURN), where the mock
 * monitor's keeps only the nearest parent's type, so the chains are followed here from each parent's URN as the monitor
 * named it (a parent registers before its children). Returns the engine's error for a registration, or undefined.
 */
export function duplicateUrnCheck(stack: string, project: string): (monitorUrn: string, parent: string, type: string, name: string) => Error | undefined {
    const chains = new Map<string, string>();
    const registered = new Set<string>();
    return (monitorUrn, parent, type, name) => {
        const parentChain = parent ? (chains.get(parent) ?? parent.split("::")[2]) : "";
        const chain = qualifiedTypeUnder(parentChain, type);
        const urn = `urn:pulumi:${stack}::${project}::${chain}::${name}`;
        if (registered.has(urn)) return new Error(`Duplicate resource URN '${urn}'; try giving it a unique name`);
        registered.add(urn);
        chains.set(monitorUrn, chain);
        return undefined;
    };
}

/** The root stack's type, which the engine leaves out of its children's type chains (qualifiedTypeUnder). */
export const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/**
 * The qualified type in the engine's URN of a resource under a parent of qualified type `parentType` ("" for none): the
 * parent's whole type chain before the resource's own, the root stack's left out (pulumi/pulumi
 * pkg/resource/deploy/deployment.go, generateURN: "don't use the root stack type; otherwise, use the full qualified type").
 */
function qualifiedTypeUnder(parentType: string, type: string): string {
    return parentType && parentType !== ROOT_STACK_TYPE ? `${parentType}$${type}` : type;
}

/** The engine's URN of a registration under `parent` (an engine URN, "" for none): its qualified type (qualifiedTypeUnder). */
export function engineUrn(stack: string, project: string, parent: string, type: string, name: string): string {
    return `urn:pulumi:${stack}::${project}::${qualifiedTypeUnder(parent ? parent.split("::")[2] : "", type)}::${name}`;
}
