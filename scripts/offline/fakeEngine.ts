import { createRequire } from "module";
import { cloudApiEnvironment, serveCloudApis, stopServingEngine } from "./cloudApiServer";
import { MockCloud } from "./mockCloud";
import { duplicateUrnCheck, engineUrn } from "./urnRules";

// The SDK's own gRPC library, messages and MockMonitor: its service definitions check message classes by identity.
const sdkRequire = createRequire(require.resolve("@pulumi/pulumi/proto/resource_grpc_pb"));
const grpc = sdkRequire("@grpc/grpc-js");
const resourceGrpc = sdkRequire("./resource_grpc_pb");
const resourceProto = sdkRequire("./resource_pb");
const engineGrpc = sdkRequire("./engine_grpc_pb");
const engineProto = sdkRequire("./engine_pb");
const { Empty } = sdkRequire("google-protobuf/google/protobuf/empty_pb");
const { MockMonitor } = sdkRequire("../runtime/mocks");
const { specialSigKey, specialSecretSig, unknownValue } = sdkRequire("../runtime/rpc");

export interface Diagnostic {
    severity: "debug" | "info" | "warning" | "error";
    message: string;
    urn: string;
}

const SEVERITIES: Diagnostic["severity"][] = ["debug", "info", "warning", "error"];

/** The feature ids the engine's SupportsFeature knows (pulumi/pulumi pkg/resource/deploy/source_eval.go, supportsFeatureID). */
const ENGINE_FEATURE_IDS = new Set([
    "secrets",
    "resourceReferences",
    "outputValues",
    "aliasSpecs",
    "replacementTrigger",
    "deletedWith",
    "replaceWith",
    "transforms",
    "invokeTransforms",
    "parameterization",
    "resourceHooks",
    "errorHooks",
    "sendsOptionsToHooks",
]);

type Callback = (err: Error | null, response?: unknown) => void;
type Handler = (call: { request: any }, callback: Callback) => void;

/**
 * A stand-in for the Pulumi engine on loopback gRPC, so a program can run under Pulumi's real language runtime
 * (`@pulumi/pulumi/cmd/run`, what `pulumi up` starts) without the CLI. Resources go to a MockCloud through the
 * SDK's own MockMonitor; the gRPC library and messages are the ones the SDK itself loads.
 */
export class FakeEngine {
    readonly diagnostics: Diagnostic[] = [];
    /** A second registration of one URN is refused (registerResource), as the engine does. */
    private readonly duplicate: ReturnType<typeof duplicateUrnCheck>;
    /** When the latest registration arrived, in ms on the performance clock of this process. */
    lastRegistrationAt: number | undefined;
    private rootUrn = "";
    /** The providers registered so far (`pulumi:providers:<pkg>` resources): URN to ID, as the engine's registry holds them. */
    private readonly providers = new Map<string, string>();
    private server: any;
    private monitor: any;

    constructor(
        readonly cloud: MockCloud,
        readonly project: string,
        readonly stack: string,
        /** The stack's config as the engine holds it (full keys, JSON for objects): read for `pulumi:disable-default-providers`. */
        readonly config: Readonly<Record<string, string>> = {},
    ) {
        this.duplicate = duplicateUrnCheck(stack, project);
    }

    private cloudApis = "";

    /**
     * What the process the engine serves needs in its environment to reach this cloud's APIs that the program calls
     * directly (the AWS SDK, fetch): the loopback stand-ins, not the clouds.
     */
    environment(): Record<string, string | undefined> {
        return cloudApiEnvironment(this.cloudApis, { preload: true });
    }

    /** Listens on an ephemeral loopback port and returns the address for --monitor and --engine. */
    async start(): Promise<string> {
        this.cloudApis = await serveCloudApis(this.cloud, { forEngine: true });
        this.server = new grpc.Server();
        this.server.addService(resourceGrpc.ResourceMonitorService, this.monitorHandlers());
        this.server.addService(engineGrpc.EngineService, this.engineHandlers());
        const port = await new Promise<number>((resolve, reject) =>
            this.server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err: Error | null, bound: number) => (err ? reject(err) : resolve(bound))),
        );
        return `127.0.0.1:${port}`;
    }

    async stop(): Promise<void> {
        await new Promise<void>((resolve) => this.server?.tryShutdown(() => resolve()));
        // A later engine's processes must not be answered from this one's cloud (the same stack's registries, say).
        stopServingEngine(this.cloudApis);
    }

    /** Every URN registered so far. */
    urns(): string[] {
        return [...(this.monitor?.resources.keys() ?? [])];
    }

    /** What a component registered as its outputs (registerOutputs), as the state keeps them; undefined when none. */
    outputsOf(urn: string): Record<string, unknown> | undefined {
        return this.monitor?.resources.get(urn)?.state;
    }

    errors(): string[] {
        return this.diagnostics.filter((d) => d.severity === "error").map((d) => d.message);
    }

    private monitorHandlers(): Record<string, Handler> {
        const cloud = this.cloud;
        const monitor = (this.monitor = new MockMonitor({
            // Over the wire a protobuf Struct cannot carry `undefined`; in-process mocks never serialize it.
            newResource: (args: any) => {
                const { id, state } = cloud.newResource(args);
                return { id, state: withoutUndefined(state, cloud.previewing) };
            },
            // An invoke's answer is whole: the engine has none that is partly unknown.
            call: (args: any) => withoutUndefined(cloud.call(args), false),
        }));
        // The SDK's MockMonitor names URNs from the settings of the process it runs in (here not the program's), and
        // with the nearest parent's type only: the engine's URNs instead (urnOf).
        monitor.newUrn = (parent: string, type: string, name: string) => this.urnOf(parent, type, name);
        const delegate = (method: string): Handler => (call, callback) => monitor[method](call.request, callback);
        const empty = (work: (request: any) => void = () => undefined): Handler => (call, callback) => {
            work(call.request);
            callback(null, new Empty());
        };
        return {
            // The SDK reads its features here first (@pulumi/pulumi runtime/settings.js awaitFeatureSupport); answered as
            // its MockMonitor (no outputValues), unlike the engine's supportedMonitorFeatures. supportsFeature is the fallback.
            getDeploymentInfo: delegate("getDeploymentInfo"),
            invoke: (call, callback) => {
                // The engine looks an invoke's explicit provider up in its registry: "Invoke: unknown provider '<ref>' ->
                // '<ref>'" (pulumi/pulumi pkg/resource/deploy/source_eval.go, Invoke and getProviderFromSource).
                const raw = call.request.getProvider();
                const tok: string = call.request.getTok();
                const missing = raw && !tok.startsWith("pulumi:pulumi:") ? this.missingProvider(raw) : undefined;
                if (missing?.bad) return callback(new Error(`Invoke: getProviderFromSource: could not parse provider reference: ${missing.bad}`));
                if (missing) return callback(new Error(`Invoke: unknown provider '${raw}' -> '${raw}'`));
                // Without one, the engine asks for the package's default provider, which the config may deny: "Invoke: Default
                // provider for '<pkg>' disabled. '<token>' must use an explicit provider." (source_eval.go, Invoke and
                // getProviderFromSource; sdk/go/common/diag/errors.go, GetDefaultProviderDenied).
                const denied = raw ? undefined : this.defaultProviderDenied(tok, tok);
                if (denied) return callback(new Error(`Invoke: ${denied}`));
                monitor.invoke(call.request, callback);
            },
            readResource: delegate("readResource"),
            registerPackage: delegate("registerPackage"),
            registerResource: (call, callback) => {
                // As the engine and the in-process mocks do (urnRules.ts, duplicateUrnCheck).
                const { request } = call;
                const urn = this.urnOf(request.getParent(), request.getType(), request.getName());
                const refused = this.duplicate(urn, request.getParent(), request.getType(), request.getName()) ?? this.providerRefusal(request, urn);
                if (refused) {
                    // A duplicate URN or a provider the engine cannot load: the engine's own error diagnostic on the
                    // resource, before it stops the update (pulumi/pulumi pkg/resource/deploy/step_generator.go,
                    // generateURN and bailDiag: Diag().Errorf): what `pulumi up` shows, where the program's registration
                    // only ends. Here that ends with the refusal too.
                    this.diagnostics.push({ severity: "error", message: refused.message, urn });
                    return callback(refused, undefined);
                }
                monitor.registerResource(call.request, (err: Error | null, response: any) => {
                    if (!err) this.lastRegistrationAt = performance.now();
                    // A preview's new provider has no ID yet: the SDK and the engine use the unknown ID in its reference
                    // (pulumi/pulumi sdk/go/common/providers/reference.go, UnknownID; @pulumi/pulumi ProviderResource.register).
                    if (!err && request.getCustom() && isProviderType(request.getType())) this.providers.set(response.getUrn(), response.getId() || unknownValue);
                    callback(err, response);
                });
            },
            supportsFeature: (call, callback) => {
                // As the engine answers: the ids it knows true, any other id false (pulumi/pulumi
                // pkg/resource/deploy/source_eval.go, resmon.supportsFeatureID), but outputValues, which the engine has
                // and this fake has not: its registrations go to the SDK's MockMonitor, which takes plain values (and
                // getDeploymentInfo above says so too; a real run is like PULUMI_DISABLE_OUTPUT_VALUES=true).
                const id = call.request.getId();
                const response = new resourceProto.SupportsFeatureResponse();
                response.setHassupport(ENGINE_FEATURE_IDS.has(id) && id !== "outputValues");
                callback(null, response);
            },
            registerResourceOutputs: empty((request) => {
                // Kept as plain values: `pulumi:pulumi:getResource` hands them back when a component is rehydrated.
                const registered = monitor.resources.get(request.getUrn());
                if (registered) registered.state = request.getOutputs()?.toJavaScript() ?? {};
            }),
            registerStackTransform: empty(),
            registerStackInvokeTransform: empty(),
            registerResourceHook: empty(),
            registerErrorHook: empty(),
            signalAndWaitForShutdown: empty(),
            call: (_call, callback) => callback(new Error("the fake engine does not support provider method calls")),
        };
    }

    /**
     * The engine's refusal of a custom resource's explicit provider reference: one it cannot parse, "bad provider reference
     * '<ref>' for resource '<urn>': <why>", or one naming no provider registered in this deployment (nor in the old state,
     * which a stand-in has not), "unknown provider '<ref>' for resource '<urn>'" (pulumi/pulumi
     * pkg/resource/deploy/step_generator.go, loadResourceProvider; sdk/go/common/diag/errors.go, GetBadProviderError
     * 2006, GetUnknownProviderError 2007), both through bailDiag: an error diagnostic on the resource, then the update fails.
     */
    private providerRefusal(request: any, urn: string): Error | undefined {
        const raw: string = request.getProvider();
        if (!request.getCustom() || isProviderType(request.getType())) return undefined;
        // No reference: the package's default provider, unless the config denies it, which the step generator reports
        // through bailDiag with the resource's URN (step_generator.go, loadResourceProvider; errors.go, GetDefaultProviderDenied 2015).
        if (!raw) {
            const denied = this.defaultProviderDenied(request.getType(), urn);
            return denied ? new Error(denied) : undefined;
        }
        const missing = this.missingProvider(raw);
        if (missing?.bad) return new Error(`bad provider reference '${raw}' for resource '${urn}': ${missing.bad}`);
        if (missing) return new Error(`unknown provider '${raw}' for resource '${urn}'`);
        return undefined;
    }

    /**
     * The engine's refusal of the default provider of `token`'s package (a type or an invoke's token), naming `target`
     * (the resource's URN, or the token), when
     * `pulumi:disable-default-providers` (a JSON list; "" is none) names it or "*"; the `pulumi` package is always
     * allowed (pulumi/pulumi pkg/resource/deploy/default_providers.go, shouldDenyRequest). A value that is not a JSON
     * list of strings fails there too: "pulumi:disable-default-providers[<i>] must be a string" as the engine words it,
     * but of "Failed to parse <value>: <why>" only the start is the engine's (its why is Go's JSON error).
     */
    private defaultProviderDenied(token: string, target: string): string | undefined {
        const pkg = packageOf(token);
        const value = this.config["pulumi:disable-default-providers"];
        if (pkg === "pulumi" || value === undefined || value === "") return undefined;
        let barred: unknown;
        try {
            barred = JSON.parse(value);
        } catch (err) {
            return `Failed to parse ${value}: ${(err as Error).message}`;
        }
        if (!Array.isArray(barred)) return `Failed to parse ${value}: not a JSON list`;
        const notString = barred.findIndex((b) => typeof b !== "string");
        if (notString >= 0) return `pulumi:disable-default-providers[${notString}] must be a string`;
        const denied = barred.some((b: string) => b.trim() === "*" || b.trim() === pkg);
        return denied ? `Default provider for '${pkg}' disabled. '${target}' must use an explicit provider.` : undefined;
    }

    /**
     * Why the engine's registry has no provider for reference `raw`, as a registration and an invoke look one up: `bad`,
     * why it does not parse (parseProviderReference); otherwise no provider registered here has its URN and ID.
     * Undefined when one has.
     */
    private missingProvider(raw: string): { bad?: string } | undefined {
        const ref = parseProviderReference(raw);
        if (ref.error) return { bad: ref.error };
        return this.providers.get(ref.urn) === ref.id ? undefined : {};
    }

    private engineHandlers(): Record<string, Handler> {
        return {
            log: (call, callback) => {
                const request = call.request;
                this.diagnostics.push({ severity: SEVERITIES[request.getSeverity()] ?? "info", message: request.getMessage(), urn: request.getUrn() });
                callback(null, new Empty());
            },
            getRootResource: (_call, callback) => {
                const response = new engineProto.GetRootResourceResponse();
                response.setUrn(this.rootUrn);
                callback(null, response);
            },
            setRootResource: (call, callback) => {
                this.rootUrn = call.request.getUrn();
                callback(null, new engineProto.SetRootResourceResponse());
            },
            startDebugging: (_call, callback) => callback(null, new Empty()),
            requirePulumiVersion: (_call, callback) => callback(null, new engineProto.RequirePulumiVersionResponse()),
        };
    }

    /** The URN the engine gives a registration (engineUrn), not the SDK MockMonitor's nearest parent type alone. */
    private urnOf(parent: string, type: string, name: string): string {
        return engineUrn(this.stack, this.project, parent, type, name);
    }
}

/** A type's or token's package, its first part (pulumi/pulumi sdk/go/common/tokens, Type.Package and ModuleMember.Package). */
function packageOf(token: string): string {
    return token.split(":")[0];
}

/** A provider resource's type, `pulumi:providers:<pkg>` (pulumi/pulumi sdk/go/common/providers/reference.go, IsProviderType). */
function isProviderType(type: string): boolean {
    return type.startsWith("pulumi:providers:") && type.length > "pulumi:providers:".length;
}

/**
 * A provider reference `<urn>::<id>` split at its last `::`, or the engine's reason it is not one (pulumi/pulumi
 * sdk/go/common/providers/reference.go, ParseReference and validateURN).
 */
function parseProviderReference(raw: string): { urn: string; id: string; error?: string } {
    const at = raw.lastIndexOf("::");
    if (at < 0) return { urn: "", id: "", error: `expected '::' in provider reference '${raw}'` };
    const urn = raw.slice(0, at);
    const id = raw.slice(at + 2);
    const parts = urn.split("::");
    if (!urn.startsWith("urn:pulumi:") || parts.length < 4) return { urn, id, error: `${urn} is not a valid URN` };
    const type = parts[2].split("$").pop()!;
    const module = type.split(":").slice(0, 2).join(":");
    if (module !== "pulumi:providers") return { urn, id, error: `invalid module in type: expected 'pulumi:providers', got '${module}'` };
    return { urn, id };
}

/**
 * A state as a Struct can carry it. The SDK's MockMonitor reads a preview's unknown inputs as undefined. A top-level
 * one is dropped here and reaches the component as an unknown output, as the engine hands a preview's unknown inputs
 * back (a missing output is unknown in a dry run). One inside a map, object or list is sent as the unknown it was (the
 * SDK's own serializeProperty sends `unknownValue`), so the whole output is unknown, as the engine's would be; dropped,
 * the component would read a known map without that key, or a shorter list. A secret whose value was unknown stays a
 * secret of the unknown value, as the engine sends it (`{<sig>: <secret>, value: <unknown>}`), not a secret without a
 * value, which the component's SDK cannot read.
 */
function withoutUndefined<T>(value: T, preview: boolean, nested = false): T {
    if (Array.isArray(value)) return value.flatMap((v) => (v !== undefined ? [withoutUndefined(v, preview, true)] : preview ? [unknownValue] : [])) as T;
    if (value === null || typeof value !== "object") return value;
    const record = value as Record<string, unknown>;
    if (record[specialSigKey] === specialSecretSig && record.value === undefined) return { [specialSigKey]: specialSecretSig, value: unknownValue } as T;
    const entries = Object.entries(value).flatMap(([k, v]): [string, unknown][] => {
        if (v !== undefined) return [[k, withoutUndefined(v, preview, true)]];
        return nested && preview ? [[k, unknownValue]] : [];
    });
    return Object.fromEntries(entries) as T;
}
