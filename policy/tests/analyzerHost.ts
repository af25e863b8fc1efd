import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { createRequire } from "module";
import Ajv, { ErrorObject, ValidateFunction } from "ajv";

// The SDK's own gRPC library and messages (as scripts/offline/fakeEngine.ts): service definitions check classes by identity.
const sdkRequire = createRequire(require.resolve("@pulumi/pulumi/proto/analyzer_grpc_pb"));
const grpc = sdkRequire("@grpc/grpc-js");
const analyzerGrpc = sdkRequire("./analyzer_grpc_pb");
const analyzerProto = sdkRequire("./analyzer_pb");
const engineGrpc = sdkRequire("./engine_grpc_pb");
const engineProto = sdkRequire("./engine_pb");
const { Empty } = sdkRequire("google-protobuf/google/protobuf/empty_pb");
const { Struct } = sdkRequire("google-protobuf/google/protobuf/struct_pb");

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";
const LEVELS: EnforcementLevel[] = ["advisory", "mandatory", "disabled", "remediate"]; // the proto enum's order
const levelOf = (n: number): EnforcementLevel => LEVELS[n];
const levelNumber = (l: EnforcementLevel): number => LEVELS.indexOf(l);

/** The options the CLI gives a policy pack for a stack (PolicyAnalyzerOptions in the engine). */
export interface StackOptions {
    organization: string;
    project: string;
    stack: string;
    dryRun: boolean;
    /** The stack's config, full keys to strings (what `pulumi config` holds), as the engine has it. */
    config: Record<string, string>;
}

export interface PolicyInfo {
    name: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    configSchema?: { properties: Record<string, any>; required: string[] };
}

export interface AnalyzerInfo {
    name: string;
    version: string;
    supportsConfig: boolean;
    policies: PolicyInfo[];
    initialConfig: Record<string, PolicyConfig>;
}

export interface PolicyConfig {
    enforcementLevel?: EnforcementLevel;
    properties?: Record<string, unknown>;
}

export interface Diagnostic {
    policyName: string;
    policyPackName: string;
    policyPackVersion: string;
    message: string;
    enforcementLevel: EnforcementLevel;
    urn: string;
}

export interface ResourceToAnalyze {
    type: string;
    name: string;
    props: Record<string, unknown>;
    urn?: string;
    propertyDependencies?: Record<string, string[]>;
}

/**
 * How the CLI starts a Node.js policy pack (`pulumi preview --policy-pack <dir>`). NewPolicyAnalyzer
 * (pkg/resource/plugin/analyzer_plugin.go) finds the `nodejs` language plugin, which the CLI ships, and asks it to run
 * the pack: RunPlugin (sdk/nodejs/cmd/pulumi-language-nodejs/main.go) puts a policy proxy in front (it answers the
 * engine's Handshake and waits for ConfigureStack), then runs `node <@pulumi/pulumi/cmd/run-policy-pack, resolved from
 * the pack's folder> <engine-address> <the pack's folder>` in the pack's folder, with the CLI's environment plus
 * PULUMI_NODEJS_ORGANIZATION / PROJECT / STACK / DRY_RUN and PULUMI_CONFIG (the stack's config as JSON) from that
 * ConfigureStack. (The `pulumi-analyzer-policy` shim, with `.` as the folder and PULUMI_ORGANIZATION and the like, is
 * only the fallback where no language plugin is found.) The runner prints the port of the Analyzer gRPC server it
 * starts; the CLI dials it. The pack config (`--policy-pack-config`) is not in the environment: the CLI sends it with
 * the Configure call, after GetAnalyzerInfo.
 */
export function analyzerPluginCommand(packDir: string, engineAddress: string, options: StackOptions): { command: string; args: string[]; cwd: string; env: NodeJS.ProcessEnv } {
    const dir = path.resolve(packDir);
    const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [dir] });
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const k of Object.keys(env)) if (/^PULUMI_/.test(k)) delete env[k]; // only what the CLI would add
    const add = (k: string, v: string) => {
        if (v !== "") env[k] = v;
    };
    add("PULUMI_NODEJS_ORGANIZATION", options.organization);
    add("PULUMI_NODEJS_PROJECT", options.project);
    add("PULUMI_NODEJS_STACK", options.stack);
    add("PULUMI_NODEJS_DRY_RUN", String(options.dryRun));
    add("PULUMI_CONFIG", JSON.stringify(options.config));
    // PulumiPolicy.yaml `runtime: nodejs` has no options, so no node arguments or TypeScript settings are added.
    return { command: process.execPath, args: [runner, engineAddress, dir], cwd: dir, env };
}

/** The exit of a pack process that never served (or died): code, signal and what it wrote. */
export class PackExited extends Error {
    constructor(
        readonly code: number | null,
        readonly signal: NodeJS.Signals | null,
        readonly stdout: string,
        readonly stderr: string,
    ) {
        super(`the policy pack exited (code ${code}, signal ${signal}) before serving:\n${stderr}`);
    }
}

type Unary = (request: unknown, callback: (err: any, response: any) => void) => void;

/** A running pack as the engine sees it: a child process and a gRPC client to its Analyzer. */
export class RunningPack {
    stderr = "";
    private exited: Promise<void>;

    constructor(
        readonly child: ChildProcess,
        private readonly client: any,
    ) {
        this.exited = new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve())));
    }

    private call<T>(method: string, request: unknown): Promise<T> {
        return new Promise((resolve, reject) => (this.client[method].bind(this.client) as Unary)(request, (err, response) => (err ? reject(err) : resolve(response))));
    }

    /**
     * The engine's first call. The node process does not implement it (UNIMPLEMENTED); under the CLI the language host's
     * policy proxy answers it before node starts (sdk/go/pulumi-language/.../policy_proxy.go via RunPlugin).
     */
    async handshake(engineAddress: string, packDir: string): Promise<"ok" | "unimplemented"> {
        const request = new analyzerProto.AnalyzerHandshakeRequest();
        request.setEngineAddress(engineAddress);
        request.setRootDirectory(packDir);
        request.setProgramDirectory(packDir);
        try {
            await this.call("handshake", request);
            return "ok";
        } catch (err: any) {
            if (err?.code === grpc.status.UNIMPLEMENTED) return "unimplemented";
            throw err;
        }
    }

    async configureStack(options: StackOptions): Promise<void> {
        const request = new analyzerProto.AnalyzerStackConfigureRequest();
        request.setStack(options.stack);
        request.setProject(options.project);
        request.setOrganization(options.organization);
        request.setDryRun(options.dryRun);
        for (const [k, v] of Object.entries(options.config)) request.getConfigMap().set(k, v);
        await this.call("configureStack", request);
    }

    async getAnalyzerInfo(): Promise<AnalyzerInfo> {
        const info: any = await this.call("getAnalyzerInfo", new Empty());
        const initialConfig: Record<string, PolicyConfig> = {};
        info.getInitialconfigMap().forEach((v: any, k: string) => (initialConfig[k] = { enforcementLevel: levelOf(v.getEnforcementlevel()), properties: v.getProperties()?.toJavaScript() }));
        return {
            name: info.getName(),
            version: info.getVersion(),
            supportsConfig: info.getSupportsconfig(),
            initialConfig,
            policies: info.getPoliciesList().map((p: any) => ({
                name: p.getName(),
                description: p.getDescription(),
                enforcementLevel: levelOf(p.getEnforcementlevel()),
                configSchema: p.getConfigschema() && { properties: p.getConfigschema().getProperties()?.toJavaScript() ?? {}, required: p.getConfigschema().getRequiredList() },
            })),
        };
    }

    async configure(config: Record<string, PolicyConfig>): Promise<void> {
        const request = configureRequest(config);
        if (request) await this.call("configure", request);
    }

    async analyze(r: ResourceToAnalyze): Promise<Diagnostic[]> {
        return diagnostics(await this.call("analyze", describeResource(new analyzerProto.AnalyzeRequest(), r)));
    }

    /** The rules the pack says do not apply to the resource (AnalyzeResponse.not_applicable), by name. */
    async notApplicable(r: ResourceToAnalyze): Promise<string[]> {
        const response: any = await this.call("analyze", describeResource(new analyzerProto.AnalyzeRequest(), r));
        return response.getNotApplicableList().map((n: any) => n.getPolicyName()).sort();
    }

    async analyzeStack(resources: ResourceToAnalyze[]): Promise<Diagnostic[]> {
        const request = new analyzerProto.AnalyzeStackRequest();
        request.setResourcesList(
            resources.map((r) => {
                const resource = describeResource(new analyzerProto.AnalyzerResource(), r);
                for (const [key, urns] of Object.entries(r.propertyDependencies ?? {})) {
                    const deps = new analyzerProto.AnalyzerPropertyDependencies();
                    deps.setUrnsList(urns);
                    resource.getPropertydependenciesMap().set(key, deps);
                }
                return resource;
            }),
        );
        return diagnostics(await this.call("analyzeStack", request));
    }

    /** As the CLI's plugin Close: drop the connection, end the process, wait until it is gone. */
    async close(): Promise<void> {
        this.client.close();
        if (this.child.exitCode === null && this.child.signalCode === null) {
            this.child.kill("SIGTERM");
            const timer = setTimeout(() => this.child.kill("SIGKILL"), 2000);
            await this.exited;
            clearTimeout(timer);
        }
    }
}

const isLevel = (l: unknown): l is EnforcementLevel => typeof l === "string" && (LEVELS as string[]).includes(l);

/**
 * The CLI's Configure call (pulumi/pulumi pkg/resource/plugin/analyzer_plugin.go, analyzer.Configure): no call for an
 * empty config; an entry without a valid level (a name the pack has no policy for, given only properties) fails the
 * whole run before anything is sent, in its words; otherwise every entry with its level and properties.
 */
function configureRequest(config: Record<string, PolicyConfig>): unknown {
    if (Object.keys(config).length === 0) return undefined;
    const request = new analyzerProto.ConfigureAnalyzerRequest();
    for (const [name, c] of Object.entries(config)) {
        if (!isLevel(c.enforcementLevel)) throw new Error(`invalid enforcement level ${JSON.stringify(c.enforcementLevel ?? "")}`);
        const pc = new analyzerProto.PolicyConfig();
        pc.setEnforcementlevel(levelNumber(c.enforcementLevel));
        pc.setProperties(Struct.fromJavaScript((c.properties ?? {}) as any));
        request.getPolicyconfigMap().set(name, pc);
    }
    return request;
}

function urnOf(r: ResourceToAnalyze): string {
    return `urn:pulumi:prod::multicloud-service::${r.type}::${r.name}`;
}

/** The engine's description of one resource: what an AnalyzeRequest and a stack's AnalyzerResource both carry. */
interface ResourceMessage {
    setType(type: string): unknown;
    setName(name: string): unknown;
    setUrn(urn: string): unknown;
    setProperties(properties: InstanceType<typeof Struct>): unknown;
    setOptions(options: InstanceType<typeof analyzerProto.AnalyzerResourceOptions>): unknown;
}

function describeResource<T extends ResourceMessage>(message: T, r: ResourceToAnalyze): T {
    message.setType(r.type);
    message.setName(r.name);
    message.setUrn(r.urn ?? urnOf(r));
    message.setProperties(Struct.fromJavaScript(r.props as any));
    message.setOptions(new analyzerProto.AnalyzerResourceOptions());
    return message;
}

function diagnostics(response: any): Diagnostic[] {
    return response.getDiagnosticsList().map((d: any) => ({
        policyName: d.getPolicyname(),
        policyPackName: d.getPolicypackname(),
        policyPackVersion: d.getPolicypackversion(),
        message: d.getMessage(),
        enforcementLevel: levelOf(d.getEnforcementlevel()),
        urn: d.getUrn(),
    }));
}

/**
 * The engine side: an Engine gRPC service whose address the pack is given (the Node pack does not call it today;
 * any log it sends is kept), and the starting of packs as the CLI does.
 */
export class FakeAnalyzerHost {
    readonly logs: string[] = [];
    private server: any;
    /** The engine address the packs are given (`<engine-address>`, the runner's first argument). */
    address = "";
    private readonly packs = new Set<RunningPack | ChildProcess>();
    private stopped = false;

    async start(): Promise<string> {
        this.server = new grpc.Server();
        const empty = (_call: unknown, callback: (err: null, response: unknown) => void) => callback(null, new Empty());
        this.server.addService(engineGrpc.EngineService, {
            log: (call: any, callback: any) => {
                this.logs.push(call.request.getMessage());
                callback(null, new Empty());
            },
            getRootResource: (_call: unknown, callback: any) => callback(null, new engineProto.GetRootResourceResponse()),
            setRootResource: (_call: unknown, callback: any) => callback(null, new engineProto.SetRootResourceResponse()),
            startDebugging: empty,
            requirePulumiVersion: (_call: unknown, callback: any) => callback(null, new engineProto.RequirePulumiVersionResponse()),
        });
        const port = await new Promise<number>((resolve, reject) =>
            this.server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err: Error | null, bound: number) => (err ? reject(err) : resolve(bound))),
        );
        return (this.address = `127.0.0.1:${port}`);
    }

    /**
     * Starts the pack in `packDir` as the CLI does and dials the port it prints (the CLI's newPlugin reads the first
     * line of stdout). Rejects with PackExited if the process ends first. The timeout is a hang guard, not a
     * measure: the runner type-checks the pack first, and three packs doing so at once on two busy cores took
     * more than 30 s. `extraEnv` is added to what the CLI sets: a test's own instruments, never a setting of the pack's.
     */
    async startPack(packDir: string, options: StackOptions, timeoutMs = 120_000, extraEnv: NodeJS.ProcessEnv = {}): Promise<RunningPack> {
        if (!fs.existsSync(packDir)) throw new Error(`no policy pack at ${packDir}`);
        const { command, args, cwd, env } = analyzerPluginCommand(packDir, this.address, options);
        const child = spawn(command, args, { cwd, env: { ...env, ...extraEnv }, stdio: ["ignore", "pipe", "pipe"] });
        this.packs.add(child);
        let stdout = "";
        let stderr = "";
        child.stderr!.on("data", (d) => (stderr += d));
        const port = await new Promise<number>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`no port from the policy pack within ${timeoutMs} ms:\n${stderr}`)), timeoutMs);
            child.stdout!.on("data", (d) => {
                stdout += d;
                const line = stdout.split("\n")[0];
                if (stdout.includes("\n")) {
                    clearTimeout(timer);
                    const n = Number(line.trim());
                    if (Number.isInteger(n) && n > 0) resolve(n);
                    else reject(new Error(`the policy pack printed ${JSON.stringify(line)}, not a port`));
                }
            });
            child.once("error", reject);
            child.once("close", (code, signal) => {
                clearTimeout(timer);
                reject(new PackExited(code, signal, stdout, stderr));
            });
        }).catch((err) => {
            this.packs.delete(child);
            if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
            throw err;
        });
        if (this.stopped) {
            child.kill("SIGKILL");
            throw new Error("the host was stopped while the policy pack started");
        }
        const client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        const pack = new RunningPack(child, client);
        child.stderr!.on("data", (d) => (pack.stderr += d));
        pack.stderr = stderr;
        this.packs.delete(child);
        this.packs.add(pack);
        return pack;
    }

    /** Ends every pack it started and the engine service. */
    async stop(): Promise<void> {
        this.stopped = true;
        await Promise.all(
            [...this.packs].map((p) => {
                if (p instanceof RunningPack) return p.close();
                if (p.exitCode === null && p.signalCode === null) p.kill("SIGKILL");
                return undefined;
            }),
        );
        this.packs.clear();
        await new Promise<void>((resolve) => (this.server ? this.server.tryShutdown(() => resolve()) : resolve()));
    }
}

/**
 * `--policy-pack-config <file>` as the CLI parses it (pulumi/pulumi pkg/resource/analyzer/config.go,
 * LoadPolicyPackConfigAndEnvironmentsFromFile: parsePolicyPackConfig and extractEnforcementLevel): a level string or an
 * object whose `enforcementLevel` is taken out; a level that is not one of the four fails, in the CLI's words; an
 * entry with neither a level nor properties is left out; `environments` (ESC environments) is not a policy's.
 */
export function loadPolicyPackConfig(file: string): Record<string, PolicyConfig> {
    const text = fs.readFileSync(file, "utf8");
    return text.trim() === "" ? {} : parsePolicyPackConfig(JSON.parse(text) as Record<string, unknown>);
}

/** A config file's content as the CLI parses it (loadPolicyPackConfig). */
export function parsePolicyPackConfig(parsed: Record<string, unknown>): Record<string, PolicyConfig> {
    const { environments: _environments, ...raw } = parsed;
    const result: Record<string, PolicyConfig> = {};
    for (const [name, value] of Object.entries(raw)) {
        let enforcementLevel: EnforcementLevel | undefined;
        let properties: Record<string, unknown> | undefined;
        if (typeof value === "string") {
            if (!isLevel(value)) throw new Error(`parsing enforcement level for ${JSON.stringify(name)}: ${JSON.stringify(value)} is not a valid enforcement level`);
            enforcementLevel = value;
        } else if (value && typeof value === "object" && !Array.isArray(value)) {
            const { enforcementLevel: level, ...rest } = value as Record<string, unknown>;
            if ("enforcementLevel" in value) {
                if (typeof level !== "string") throw new Error(`parsing enforcement level for ${JSON.stringify(name)}: ${level} is not a valid enforcement level; must be a string`);
                if (!isLevel(level)) throw new Error(`parsing enforcement level for ${JSON.stringify(name)}: ${JSON.stringify(level)} is not a valid enforcement level`);
                enforcementLevel = level;
            }
            if (Object.keys(rest).length) properties = rest;
        } else throw new Error(`parsing ${JSON.stringify(name)}: ${value} is not a valid value; must be a string or object`);
        if (enforcementLevel === undefined && properties === undefined) continue;
        result[name] = { enforcementLevel, properties };
    }
    return result;
}

/**
 * What the CLI sends with Configure (ReconcilePolicyPackConfig): every policy with its declared level and its
 * schema's defaults, then the pack's initial config, then the file's: "all" sets every level, then per-policy entries.
 * Then it validates the result against each rule's configSchema and refuses the run if that fails (PolicyConfigInvalid).
 */
export function reconcilePolicyPackConfig(info: AnalyzerInfo, config: Record<string, PolicyConfig>): Record<string, PolicyConfig> {
    const result: Record<string, PolicyConfig> = {};
    for (const p of info.policies) {
        const defaults = Object.entries(p.configSchema?.properties ?? {}).filter(([, s]) => s && "default" in s);
        result[p.name] = { enforcementLevel: p.enforcementLevel, properties: defaults.length ? Object.fromEntries(defaults.map(([k, s]) => [k, s.default])) : undefined };
    }
    for (const layer of [info.initialConfig, config]) {
        const all = layer.all?.enforcementLevel;
        if (all) for (const k of Object.keys(result)) result[k] = { ...result[k], enforcementLevel: all };
        for (const [name, given] of Object.entries(layer)) {
            const current = result[name] ?? {};
            result[name] = {
                enforcementLevel: given.enforcementLevel ?? current.enforcementLevel,
                properties: given.properties ? { ...(current.properties ?? {}), ...given.properties } : current.properties,
            };
        }
    }
    const errors = validatePolicyPackConfig(info.policies, result);
    if (errors.length) throw new PolicyConfigInvalid(errors.map((e) => `validating policy config: ${info.name} ${info.version}  ${e}`).sort());
    return result;
}

/**
 * How the CLI refuses a pack config that breaks a rule's configSchema (pulumi/pulumi pkg/engine/update.go,
 * loadPolicyPlugins): ReconcilePolicyPackConfig returns the validation errors, each becomes a diagnostic
 * "validating policy config: <pack> <version>  <error>" (sorted, two spaces before the error), and the run fails with
 * "validating policy config" before any resource is analyzed. (The CLI still calls Configure, with no config, which
 * sends nothing: analyzer_plugin.go, analyzer.Configure returns early on an empty config.)
 */
export class PolicyConfigInvalid extends Error {
    constructor(readonly diagnostics: string[]) {
        super("validating policy config");
    }
}

/**
 * The CLI's check of the reconciled config (pulumi/pulumi pkg/resource/analyzer/config.go, validatePolicyPackConfig and
 * validatePolicyConfig): every policy that declares a configSchema, whether or not the file names it, has its
 * properties (defaults filled in) validated with gojsonschema against `{type: "object", properties, required}`
 * (convertSchema); each error is "<policy>: <error>". A name the pack has no policy for is not validated here (see
 * configureRequest). Properties the schema does not list pass: the schema has no additionalProperties.
 */
function validatePolicyPackConfig(policies: PolicyInfo[], config: Record<string, PolicyConfig>): string[] {
    const errors: string[] = [];
    for (const policy of policies) {
        if (!policy.configSchema) continue;
        const schema: Record<string, unknown> = { type: "object" };
        if (Object.keys(policy.configSchema.properties ?? {}).length) schema.properties = policy.configSchema.properties;
        if (policy.configSchema.required?.length) schema.required = policy.configSchema.required;
        const validate = compiled(schema);
        if (validate(config[policy.name]?.properties ?? {})) continue;
        for (const e of validate.errors ?? []) errors.push(`${policy.name}: ${inGojsonschemaWords(e)}`);
    }
    return errors;
}

// gojsonschema accepts keywords it does not know (such as a property's `default`) and reports every error; verbose
// keeps the schema and the value in each error, which its words need.
const ajv = new Ajv({ strict: false, allErrors: true, verbose: true });
// ajv caches a compiled schema by object identity, and each reconcile builds new ones (the rules share one configSchema):
// compile each distinct schema once.
const validators = new Map<string, ValidateFunction>();
function compiled(schema: Record<string, unknown>): ValidateFunction {
    const key = JSON.stringify(schema);
    let validate = validators.get(key);
    if (!validate) validators.set(key, (validate = ajv.compile(schema)));
    return validate;
}

/**
 * An ajv error as gojsonschema words it (xeipuuv/gojsonschema result.go, ResultErrorFields.String and Field:
 * "<field>: <description>", the field a dotted path from "(root)", which validatePolicyConfig trims when it is the
 * root; locales.go, DefaultLocale.InvalidType "Invalid type. Expected: {{.expected}}, given: {{.given}}" and Required
 * "{{.property}} is required"; validation.go: a whole JSON number is given as "integer"; schemaType.go: several
 * expected types as "[a,b]"). As pulumi/pulumi's config_test.go has it: "foo-policy: foo: Invalid type. Expected:
 * string, given: integer". Only these two keywords are worded here; another fails the stand-in, not silently.
 */
function inGojsonschemaWords(e: ErrorObject): string {
    const field = e.instancePath === "" ? "(root)" : e.instancePath.slice(1).split("/").join(".");
    let description: string;
    if (e.keyword === "type") {
        const expected = Array.isArray(e.schema) ? `[${e.schema.join(",")}]` : String(e.schema);
        description = `Invalid type. Expected: ${expected}, given: ${gojsonschemaType(e.data)}`;
    } else if (e.keyword === "required") {
        description = `${(e.params as { missingProperty: string }).missingProperty} is required`;
    } else throw new Error(`the stand-in CLI has no gojsonschema words for the ${e.keyword} keyword (${field} ${e.message})`);
    return field === "(root)" ? description : `${field}: ${description}`;
}

function gojsonschemaType(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) return "array";
    if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
    return typeof value; // string, boolean, object
}
