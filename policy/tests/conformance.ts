import { ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { RecordedResource } from "../../scripts/offline/mockCloud";
import { revealSecrets } from "../../scripts/offline/registeredInputs";
import { resourcePolicies, stackPolicies } from "../policies";

export interface Violation {
    policy: string;
    resource: string;
    message: string;
}

/** Rule config as a per-stack pack config file gives it (policy/config/<stack>.json). */
export type PackConfig = Record<string, unknown>;

/**
 * What a resource looks like to a policy, secrets revealed: to a resource rule, its inputs (the engine's Analyze gets
 * the inputs Check returned, before the provider computes anything); to a stack rule, its outputs and id (AnalyzeStack
 * gets the resources' state after the update; pulumi/pulumi's step generator and analyzer plugin).
 */
const inputsOf = (r: RecordedResource): Record<string, any> => revealSecrets({ ...r.inputs });
const stateOf = (r: RecordedResource): Record<string, any> => revealSecrets({ ...r.outputs, id: r.id });

/** Fake validation args with what current @pulumi/policy requires: notApplicable, stackTags, getConfig. */
export function resourceArgs(r: { type: string; name: string; urn: string; props: Record<string, any> }, config: Record<string, unknown> = {}): ResourceValidationArgs {
    return {
        type: r.type,
        name: r.name,
        urn: r.urn,
        props: r.props,
        opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: {}, additionalSecretOutputs: [] } as unknown as ResourceValidationArgs["opts"],
        stackTags: new Map(),
        isType: () => false,
        asType: () => undefined,
        getConfig: <T extends object>() => config as T,
        notApplicable: (reason?: string): never => {
            throw new NotApplicable(reason);
        },
    };
}

/** What a rule's args.notApplicable throws here; the SDK records the rule as not applicable to the resource. */
export class NotApplicable extends Error {}

function configFor(policy: string, packConfig: PackConfig): Record<string, unknown> {
    const entry = packConfig[policy];
    return typeof entry === "object" && entry !== null ? (entry as Record<string, unknown>) : {};
}

/** Runs every rule of the pack over recorded resources and returns what it reports. */
export async function checkConformance(resources: RecordedResource[], packConfig: PackConfig): Promise<Violation[]> {
    const violations: Violation[] = [];
    const custom = resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
    for (const policy of resourcePolicies) {
        for (const r of custom) {
            const args = resourceArgs({ type: r.type, name: r.name, urn: r.urn, props: inputsOf(r) }, configFor(policy.name, packConfig));
            try {
                await (policy.validateResource as (a: ResourceValidationArgs, report: (m: string) => void) => unknown)(args, (message) =>
                    violations.push({ policy: policy.name, resource: `${r.type} ${r.name}`, message }),
                );
            } catch (err) {
                if (!(err instanceof NotApplicable)) throw err;
            }
        }
    }
    for (const policy of stackPolicies) {
        const args = {
            resources: custom.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: stateOf(r), opts: { protect: false, ignoreChanges: [] }, dependencies: [], propertyDependencies: {} })),
            stackTags: new Map(),
            getConfig: <T extends object>() => configFor(policy.name, packConfig) as T,
        } as unknown as StackValidationArgs;
        await policy.validateStack(args, (message, urn) => violations.push({ policy: policy.name, resource: urn ?? "(stack)", message }));
    }
    return violations;
}
