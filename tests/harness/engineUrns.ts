import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { useCloudApisInProcess } from "../../scripts/offline/cloudApiServer";
import { mockCloudFor, PROJECT, waitForRegistrations } from "../../scripts/offline/mockCloud";
import { engineUrn, ROOT_STACK_TYPE } from "../../scripts/offline/urnRules";
import { programOfModule } from "../../scripts/offline/programModule";
import { isWireSecret, secretInput } from "../../scripts/offline/registeredInputs";
import { receiveLogs, useVirtualClock } from "../../scripts/offline/programMessages";
import { PROJECT_ROOT, readStackFile } from "../../config/stackFile";

/** One registration as the engine would key it: its URN and the URNs it may have had before (its aliases). */
export interface Registration {
    urn: string;
    aliases: string[];
    /** Its type token, the inputs the program registered it with (as the mocks receive them), and its protect and deleteBeforeReplace options. */
    type: string;
    inputs: Record<string, unknown>;
    /**
     * Its inputs and outputs in the wire form, as the engine receives and keeps them: each secret wrapped where it is
     * (deserializing makes a whole property secret when anything in it is: @pulumi/pulumi runtime/rpc deserializeProperty).
     * Outputs are the provider's answer, with those the request names in additionalSecretOutputs made secret as the
     * engine does (pulumi/pulumi pkg/resource/deploy/step_executor.go: `newState.Outputs[k] = resource.MakeSecret(v)`;
     * the SDK's mock monitor leaves them plain); a component's are what it registered as its outputs.
     */
    wire: { inputs: Record<string, unknown>; outputs: Record<string, unknown> };
    protect: boolean;
    deleteBeforeReplace: boolean;
}

// Internal to @pulumi/pulumi, what its runner calls: the program runs inside the root Stack resource, as under
// `pulumi up`, so top-level resources have a parent and the SDK computes their aliases too.
const { runInPulumiStack } = require("@pulumi/pulumi/runtime/stack") as { runInPulumiStack: (init: () => unknown) => Promise<unknown> };

type WireStruct = { toJavaScript(): Record<string, unknown> };
type Request = { getAdditionalsecretoutputsList(): string[]; getType(): string; getName(): string; getParent(): string; getAliasurnsList(): string[]; getObject(): WireStruct; getProtect(): boolean; getDeletebeforereplace(): boolean };
const { deserializeProperties } = require("@pulumi/pulumi/runtime/rpc") as { deserializeProperties: (struct: unknown) => Record<string, unknown> };
type Monitor = {
    newUrn: (parent: string, type: string, name: string) => string;
    registerResource: (req: Request, callback: (err: unknown, response?: Response) => void) => unknown;
    registerResourceOutputs: (req: { getUrn(): string; getOutputs(): WireStruct | undefined }, callback: unknown) => unknown;
};
type Response = { getObject(): WireStruct | undefined; setObject(struct: unknown): void };
const { Struct } = require("google-protobuf/google/protobuf/struct_pb") as { Struct: { fromJavaScript(value: Record<string, unknown>): unknown } };

/** What engineRegistrations runs: this project's program.js and stack file unless named. */
export interface EngineRun {
    program?: () => unknown;
    project?: string;
    stackFile?: { config: Record<string, string>; secretKeys: string[] };
}

/**
 * Runs a program (program.js by default, as `pulumi up` loads it) under the mocks with its stack file's settings and
 * returns every registration with the URN the engine would give it and its aliases as URNs.
 *
 * Two things differ from the other program tests, both so that this reads what the engine would see:
 * - URNs carry the parent's whole type chain (`A$B$C::name`, the root stack left out), as the engine builds
 *   them; the SDK's mock monitor keeps only the nearest parent's type.
 * - The SDK is told the monitor takes no alias specs, so it computes every alias URN itself (its `allAliases`:
 *   a component's aliases and the aliases each child inherits from its parents), the same URNs the engine derives
 *   from alias specs. They arrive in each request's alias URN list.
 */
export async function engineRegistrations(stack: string, run: EngineRun = {}): Promise<Registration[]> {
    return (await engineState(stack, run)).registrations;
}

/** engineRegistrations, and the stack's outputs in the wire form the root Stack resource registers them in. */
export async function engineState(stack: string, run: EngineRun = {}): Promise<{ registrations: Registration[]; stackOutputs: Record<string, unknown> }> {
    const { config, secretKeys } = run.stackFile ?? readStackFile(stack);
    const project = run.project ?? PROJECT;
    const program = run.program ?? programJs();
    pulumi.runtime.setAllConfig(config, secretKeys);
    const cloud = mockCloudFor(config);
    const restoreEnvironment = await useCloudApisInProcess(cloud);
    const [restoreLogs, restoreClock] = [receiveLogs(cloud), useVirtualClock(cloud)];
    await pulumi.runtime.setMocks(cloud, project, stack, false);
    const store = require("@pulumi/pulumi/runtime/state").getStore() as { supportsAliasSpecs: boolean };
    const registrations: Registration[] = [];
    const monitor = pulumi.runtime.getMonitor() as unknown as Monitor;
    monitor.newUrn = (parent, type, name) => engineUrn(stack, project, parent, type, name);
    const register = monitor.registerResource.bind(monitor);
    const byUrn = new Map<string, Registration>();
    let stackOutputs: Record<string, unknown> = {};
    monitor.registerResource = (req, callback) => {
        const urn = monitor.newUrn(req.getParent(), req.getType(), req.getName());
        const wire = { inputs: req.getObject().toJavaScript(), outputs: {} };
        const registration = { urn, aliases: req.getAliasurnsList(), type: req.getType(), inputs: deserializeProperties(req.getObject()), wire, protect: req.getProtect(), deleteBeforeReplace: req.getDeletebeforereplace() };
        if (req.getType() !== ROOT_STACK_TYPE) registrations.push(registration);
        byUrn.set(urn, registration);
        return register(req, (err, response) => {
            if (response) {
                wire.outputs = withSecretOutputs(response.getObject()?.toJavaScript() ?? {}, req.getAdditionalsecretoutputsList());
                response.setObject(Struct.fromJavaScript(wire.outputs));
            }
            callback(err, response);
        });
    };
    const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req, callback) => {
        const outputs = req.getOutputs()?.toJavaScript() ?? {};
        const registration = byUrn.get(req.getUrn());
        if (registration?.type === ROOT_STACK_TYPE) stackOutputs = outputs;
        else if (registration) registration.wire.outputs = outputs;
        return registerOutputs(req, callback);
    };
    try {
        await runInPulumiStack(() => {
            // After the Stack has asked the monitor what it supports (the mocks say: alias specs too).
            store.supportsAliasSpecs = false;
            return program();
        });
        await waitForRegistrations();
    } finally {
        // The program's messages go where a run under mocks puts them (cloud.diagnostics), not to the console.
        [restoreEnvironment, restoreLogs, restoreClock].forEach((restore) => restore());
    }
    return { registrations, stackOutputs };
}

/** The provider's answer with the named outputs in the wire form of a secret, as the engine keeps them. */
function withSecretOutputs(outputs: Record<string, unknown>, secretKeys: string[]): Record<string, unknown> {
    const secret = (key: string) => (key in outputs && !isWireSecret(outputs[key]) ? [[key, secretInput(outputs[key])]] : []);
    return { ...outputs, ...Object.fromEntries(secretKeys.flatMap(secret)) };
}

function programJs(): () => unknown {
    return programOfModule(require(path.join(PROJECT_ROOT, "program.js")));
}

/** What the engine makes of a stack whose state holds `old` URNs, when the program registers `now`. */
export interface Claims {
    /** Old URNs no registration claims: the next `up` deletes them. */
    lost: string[];
    /** Old URNs more than one registration claims (the engine refuses the second: a duplicate alias). */
    shared: string[];
    /** Registrations that claim no old URN: the next `up` creates them. */
    created: Registration[];
}

/** The engine matches a registration to existing state by its URN, else by the first of its aliases that exists. */
export function claims(old: string[], now: Registration[]): Claims {
    const state = new Set(old);
    const by = new Map<string, Registration[]>(old.map((urn) => [urn, []]));
    const created: Registration[] = [];
    for (const r of now) {
        const match = [r.urn, ...r.aliases].find((urn) => state.has(urn));
        if (match) by.get(match)!.push(r);
        else created.push(r);
    }
    const claimedBy = (count: (n: number) => boolean) => [...by].filter(([, registrations]) => count(registrations.length)).map(([urn]) => urn);
    return { lost: claimedBy((n) => n === 0), shared: claimedBy((n) => n > 1), created };
}
