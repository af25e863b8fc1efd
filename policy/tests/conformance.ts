import { ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { createRequire } from "module";
import { RecordedResource } from "../../scripts/offline/mockCloud";
import { isUnknownInput } from "../../scripts/offline/registeredInputs";
import { PACK_NAME, allPolicies, resourcePolicies, stackPolicies } from "../policies";
import { AnalyzerInfo, PolicyConfig, PolicyInfo, parsePolicyPackConfig, reconcilePolicyPackConfig } from "./analyzerHost";

// @pulumi/policy's own deserializer and proxy, which its server hands rules their props through (marked @internal, so
// not in its typings).
const { deserializeProperties } = require("@pulumi/policy/deserialize") as { deserializeProperties: (struct: unknown, proxySecrets: boolean) => Record<string, any> };
const { unknownCheckingProxy, UnknownValueError } = require("@pulumi/policy/proxy") as { unknownCheckingProxy: <T>(props: T) => T; UnknownValueError: new (...args: any[]) => Error };
// The Struct the SDK's gRPC messages carry properties in (as analyzerHost.ts).
const { Struct } = createRequire(require.resolve("@pulumi/pulumi/proto/analyzer_grpc_pb"))("google-protobuf/google/protobuf/struct_pb");

export interface Violation {
    policy: string;
    resource: string;
    message: string;
}

/** Rule config as a per-stack pack config file gives it (policy/config/<stack>.json). */
export type PackConfig = Record<string, unknown>;

/**
 * How the engine sends a value not known yet: Analyze and AnalyzeStack marshal properties with KeepUnknowns and
 * KeepSecrets (pulumi/pulumi pkg/resource/plugin/analyzer_plugin.go, Analyze and AnalyzeStack), and an unknown that
 * came from a program's SDK is a computed string, marshaled as UnknownStringValue (sdk/go/common/resource/plugin/rpc.go,
 * marshalUnknownProperty); a secret stays in its signature object. The SDK's own constant (runtime/rpc.js, unknownValue),
 * as scripts/offline/fakeEngine.ts reads it.
 */
export const UNKNOWN_ON_THE_WIRE: string = require("@pulumi/pulumi/runtime/rpc").unknownValue;

/** A recorded value in the engine's wire form: the SDK's `unknown` as the sentinel, secrets kept in their signature. */
function onTheWire(value: unknown): unknown {
    if (isUnknownInput(value)) return UNKNOWN_ON_THE_WIRE;
    if (value === null || typeof value !== "object") return value;
    if (Array.isArray(value)) return value.map(onTheWire);
    // A key whose value is undefined is not sent (the SDK leaves it out, @pulumi/pulumi runtime/rpc.js serializeAllKeys).
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, onTheWire(v)]));
}

/**
 * What a rule is handed for properties the engine sent, as @pulumi/policy's server makes it (server.js,
 * makeAnalyzeRpcFun and makeAnalyzeStackRpcFun): deserializeProperties(struct, false), which unwraps secrets to their
 * values and leaves an unknown as its sentinel, inside unknownCheckingProxy, which throws UnknownValueError when a rule
 * reads an unknown.
 */
const asThePackGetsIt = (props: Record<string, unknown>): Record<string, any> => unknownCheckingProxy(deserializeProperties(Struct.fromJavaScript(onTheWire(props)), false));

/**
 * What a resource looks like to a policy: to a resource rule, its inputs (the engine's Analyze gets the inputs Check
 * returned, before the provider computes anything); to a stack rule, its outputs and id (AnalyzeStack gets the
 * resources' state after the update; pulumi/pulumi's step generator and analyzer plugin). In the first preview of a
 * stack every resource is one to create: its state is its inputs, with what the cloud computes and its id unknown, as
 * the mock cloud answers such a preview (scripts/offline/mockCloud.ts, freshAccount).
 */
const inputsOf = (r: RecordedResource): Record<string, any> => asThePackGetsIt({ ...r.inputs });
const stateOf = (r: RecordedResource, firstPreview: boolean): Record<string, any> =>
    asThePackGetsIt(
        firstPreview
            ? { ...Object.fromEntries(Object.keys(r.outputs).map((k) => [k, UNKNOWN_ON_THE_WIRE])), ...r.inputs, id: UNKNOWN_ON_THE_WIRE }
            : { ...r.outputs, id: r.id },
    );

/**
 * What the SDK answers for a rule that read an unknown: one advisory in place of everything the rule would have
 * reported, however mandatory it is, in its words (@pulumi/policy server.js, makeAnalyzeRpcFun and
 * makeAnalyzeStackRpcFun: "can't run policy '<name>' from policy pack '<pack>@v<version>' during preview: <error>", the
 * version being policy/package.json's, as the pack reports it). Listed here as a finding of its own.
 */
function cantRun(policy: string, err: unknown): string | undefined {
    if (!(err instanceof UnknownValueError)) return undefined;
    return `can't run policy '${policy}' from policy pack '${DECLARED_PACK.name}@v${DECLARED_PACK.version}' during preview: ${err.message}`;
}

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

/**
 * The pack as it declares itself: its name (policy/policies.ts), policy/package.json's version, and every rule at the
 * pack's level (policy/index.ts: advisory) with its config schema.
 */
export const DECLARED_PACK: AnalyzerInfo = {
    name: PACK_NAME,
    version: require("../package.json").version,
    supportsConfig: true,
    initialConfig: {},
    policies: allPolicies.map((p) => ({ name: p.name, description: p.description, enforcementLevel: "advisory", configSchema: p.configSchema as PolicyInfo["configSchema"] })),
};

/**
 * Each rule's level and settings as the pack has them once the CLI configured it: the config file's two forms (a level,
 * or an object with `enforcementLevel` beside the settings) reconciled over every rule's declared level and schema
 * defaults, `all` included (reconcilePolicyPackConfig, as pulumi/pulumi pkg/resource/analyzer/config.go). A rule's
 * getConfig answers its settings without the level, and a disabled rule is not run (@pulumi/policy server.js,
 * configure, makeGetConfigFun, makeAnalyzeRpcFun).
 */
function configured(packConfig: PackConfig): Record<string, PolicyConfig> {
    return reconcilePolicyPackConfig(DECLARED_PACK, parsePolicyPackConfig(packConfig));
}

function configFor(policy: string, config: Record<string, PolicyConfig>): Record<string, unknown> {
    return { ...(config[policy]?.properties ?? {}) };
}

/**
 * Runs every rule of the pack over recorded resources and returns what it reports. `firstPreview`: the resources were
 * recorded in the preview of a new stack (runProgram with `preview` in a fresh account), so the stack rules get the
 * state such a preview has.
 */
export async function checkConformance(resources: RecordedResource[], packConfig: PackConfig, options: { firstPreview?: boolean } = {}): Promise<Violation[]> {
    const violations: Violation[] = [];
    const config = configured(packConfig);
    const enabled = (policy: { name: string }) => config[policy.name]?.enforcementLevel !== "disabled";
    const custom = resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
    for (const policy of resourcePolicies.filter(enabled)) {
        for (const r of custom) {
            const args = resourceArgs({ type: r.type, name: r.name, urn: r.urn, props: inputsOf(r) }, configFor(policy.name, config));
            try {
                await (policy.validateResource as (a: ResourceValidationArgs, report: (m: string) => void) => unknown)(args, (message) =>
                    violations.push({ policy: policy.name, resource: `${r.type} ${r.name}`, message }),
                );
            } catch (err) {
                const skipped = cantRun(policy.name, err);
                if (skipped) violations.push({ policy: policy.name, resource: `${r.type} ${r.name}`, message: skipped });
                else if (!(err instanceof NotApplicable)) throw err;
            }
        }
    }
    for (const policy of stackPolicies.filter(enabled)) {
        // Dependencies and property dependencies as resource objects, as the SDK links them (server.js, makeAnalyzeStackRpcFun).
        const stack = custom.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: stateOf(r, options.firstPreview ?? false), opts: { protect: false, ignoreChanges: [] }, dependencies: [] as unknown[], propertyDependencies: {} as Record<string, unknown[]> }));
        const byUrn = new Map(stack.map((s) => [s.urn, s]));
        custom.forEach((r, i) => {
            stack[i].dependencies = r.dependsOn.map((u) => byUrn.get(u)).filter(Boolean);
            for (const [key, urns] of Object.entries(r.propertyDependencies)) stack[i].propertyDependencies[key] = urns.map((u) => byUrn.get(u)).filter(Boolean);
        });
        const args = {
            resources: stack,
            stackTags: new Map(),
            getConfig: <T extends object>() => configFor(policy.name, config) as T,
        } as unknown as StackValidationArgs;
        try {
            await policy.validateStack(args, (message, urn) => violations.push({ policy: policy.name, resource: urn ?? "(stack)", message }));
        } catch (err) {
            const skipped = cantRun(policy.name, err);
            if (!skipped) throw err;
            violations.push({ policy: policy.name, resource: "(stack)", message: skipped });
        }
    }
    return violations;
}
