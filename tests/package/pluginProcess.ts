import { ChildProcess, spawn } from "child_process";
import { mergedEnvironment } from "../../scripts/offline/environment";
import * as fs from "fs";
import { createRequire } from "module";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/stackFile";
import { scratchDir } from "../harness/tempDirs";

// The SDK's own gRPC library and messages (its services check message classes by identity).
const sdkRequire = createRequire(require.resolve("@pulumi/pulumi/proto/provider_grpc_pb"));
const grpc = sdkRequire("@grpc/grpc-js");
const providerGrpc = sdkRequire("./provider_grpc_pb");
const providerProto = sdkRequire("./provider_pb");
const { Struct } = sdkRequire("google-protobuf/google/protobuf/struct_pb");

export const PACKAGE_DIR = path.join(PROJECT_ROOT, "multicloud");

export interface ConstructCall {
    project: string;
    stack: string;
    /** The resource monitor the component registers its children with. */
    monitor: string;
    type: string;
    name: string;
    inputs: object;
    /** Explicit providers by package, as a program in another language passes them (`providers` resource option). */
    providers?: Record<string, string>;
    /** A preview's construct (the engine's ConstructRequest.DryRun on `pulumi preview`); an update's by default. */
    dryRun?: boolean;
    /**
     * The consuming stack's configuration, every key as `<namespace>:<name>` with its value as text (an object's as
     * JSON): the engine sends its target's whole decrypted config with each construct (pulumi/pulumi
     * pkg/resource/deploy/source_eval.go, constructInfo's Config from Target.Config.Decrypt;
     * pkg/resource/plugin/provider_plugin.go, Construct: ConstructRequest.Config), `pulumi:autonaming` included.
     */
    config?: Record<string, string>;
}

export interface Constructed {
    urn: string;
    /** The outputs as they came over the wire (secrets in their wire form). */
    state: Record<string, unknown>;
}

/**
 * The package's plugin started the way the Pulumi CLI's Node.js host starts a source plugin (the SDK's
 * cmd/run-plugin with the plugin folder and the engine's address), and a gRPC client that calls it as the engine
 * does (Construct, as for a `multicloud:index:*` resource a YAML or Python program registers).
 */
export class PluginProcess {
    private child?: ChildProcess;
    private client: any;
    stderr = "";

    /**
     * `packageDir`: the plugin folder. The CLI starts a source plugin with the Node.js SDK the plugin installed, so
     * the runner is resolved from that folder's node_modules (falling back to the repository's, where the checkout
     * is one install).
     */
    constructor(readonly packageDir = PACKAGE_DIR) {}

    /**
     * `environment`: what the plugin needs to reach the stand-ins of the clouds' APIs (FakeEngine.environment()).
     * `consumerFiles`: files of the consuming program's folder, by name (its tsconfig.json, which cmd/run-plugin reads);
     * `consumerLinks`: folders it has installed, by path in it, as links to where they are here.
     */
    async start(engine: string, environment: Record<string, string | undefined> = {}, consumerFiles: Record<string, string> = {}, consumerLinks: Record<string, string> = {}): Promise<void> {
        const env = mergedEnvironment(process.env, environment);
        const runPlugin = require.resolve("@pulumi/pulumi/cmd/run-plugin", { paths: [this.packageDir] });
        // In the consumer's project folder, not the plugin's: the CLI starts a plugin with the program's working
        // directory (pulumi/pulumi sdk/go/common/resource/plugin/plugin.go: WorkingDirectory ctx.Pwd), so nothing
        // may depend on the folder the plugin is started in.
        const consumer = scratchDir("consumer-project");
        for (const [name, text] of Object.entries(consumerFiles)) fs.writeFileSync(path.join(consumer, name), text);
        for (const [name, target] of Object.entries(consumerLinks)) {
            fs.mkdirSync(path.dirname(path.join(consumer, name)), { recursive: true });
            fs.symlinkSync(target, path.join(consumer, name), "junction");
        }
        const child = (this.child = spawn(process.execPath, [runPlugin, this.packageDir, engine], { cwd: consumer, env, stdio: ["ignore", "pipe", "pipe"] }));
        child.stderr!.on("data", (d) => (this.stderr += d));
        const port = await new Promise<string>((resolve, reject) => {
            let out = "";
            child.stdout!.on("data", (d) => {
                out += d;
                const line = /^(\d+)\s*$/m.exec(out);
                if (line) resolve(line[1]);
            });
            child.on("exit", (code) => reject(new Error(`the plugin exited (${code}) before printing its port:\n${this.stderr}`)));
        });
        this.client = new providerGrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    }

    /** GetSchema, as the CLI asks a package for its schema on `pulumi package add` (version 0: the latest). */
    getSchema(): Promise<any> {
        const req = new providerProto.GetSchemaRequest();
        return new Promise((resolve, reject) =>
            this.client.getSchema(req, (err: Error | null, resp: any) => (err ? reject(new Error(`GetSchema failed: ${err.message}\n${this.stderr}`)) : resolve(JSON.parse(resp.getSchema())))),
        );
    }

    construct(call: ConstructCall): Promise<Constructed> {
        const req = new providerProto.ConstructRequest();
        req.setProject(call.project);
        req.setStack(call.stack);
        req.setOrganization("organization");
        req.setDryrun(call.dryRun ?? false);
        req.setParallel(16);
        req.setMonitorendpoint(call.monitor);
        req.setType(call.type);
        req.setName(call.name);
        req.setInputs(Struct.fromJavaScript(withoutUndefined(call.inputs)));
        for (const [pkg, ref] of Object.entries(call.providers ?? {})) req.getProvidersMap().set(pkg, ref);
        for (const [key, value] of Object.entries(call.config ?? {})) req.getConfigMap().set(key, value);
        return new Promise((resolve, reject) =>
            this.client.construct(req, (err: Error | null, resp: any) =>
                err ? reject(new Error(`construct ${call.type} failed: ${err.message}\n${this.stderr}`)) : resolve({ urn: resp.getUrn(), state: resp.getState()?.toJavaScript() ?? {} }),
            ),
        );
    }

    /** Sends the plugin process a signal (a probe's cue: loaderProbe.ts). */
    signal(signal: NodeJS.Signals): void {
        if (!this.child || this.child.exitCode !== null) throw new Error(`the plugin is not running:\n${this.stderr}`);
        this.child.kill(signal);
    }

    async stop(): Promise<void> {
        this.client?.close();
        if (this.child && this.child.exitCode === null) {
            const exited = new Promise((resolve) => this.child!.once("exit", resolve));
            this.child.kill();
            await exited;
        }
    }
}

function withoutUndefined(value: unknown): any {
    if (Array.isArray(value)) return value.map(withoutUndefined);
    if (value === null || typeof value !== "object") return value;
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, withoutUndefined(v)]));
}
