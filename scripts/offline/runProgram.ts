import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { MockCloud, runUnderMocks, valueOf } from "./mockCloud";
import { PROJECT_ROOT, readStackFile } from "../../config/stackFile";
import { Program, programOfModule } from "./programModule";
import { watchForQuietRun } from "./quietRun";

export interface ProgramRun {
    stack: string;
    cloud: MockCloud;
    /** The stack's config the program ran with (full keys, as a stack file holds them). */
    config: Record<string, string>;
    /** Stack outputs with their values; secret ones keep their value here and are listed in secretOutputs. */
    outputs: Record<string, unknown>;
    secretOutputs: string[];
}

/**
 * Which form of the program to run: "bundle" is what `pulumi up` runs (program.js: index.ts bundled into bin/);
 * "source" requires index.ts through whatever TypeScript hook the process has (the benchmark's baselines).
 */
export type ProgramEntry = "bundle" | "source";

export interface RunOptions {
    config?: Record<string, string>;
    secretKeys?: string[];
    entry?: ProgramEntry;
    /** A preview rather than an update. */
    preview?: boolean;
    /** Prepares the fake cloud before the program runs (an empty registry, a fresh account). */
    setup?: (cloud: MockCloud) => void;
}

/**
 * Runs the program under the mock cloud with a stack's settings, as `pulumi up` would run it with the same stack
 * file (by default through program.js, as Pulumi loads it), and returns every registered resource and the outputs.
 */
export async function runProgram(stack: string, overrides?: RunOptions): Promise<ProgramRun> {
    const fromFile = overrides?.config ? { config: overrides.config, secretKeys: overrides.secretKeys ?? [] } : readStackFile(stack);
    const program = loadProgram(overrides?.entry ?? "bundle");
    const { cloud, result } = await runUnderMocks({ stack, config: fromFile.config, secretKeys: fromFile.secretKeys, preview: overrides?.preview, setup: overrides?.setup }, () => program());
    return { stack, cloud, config: fromFile.config, ...(await readStackOutputs(cloud, result ?? {})) };
}

/**
 * The stack's outputs a program returned, with their values (`aws.apiUrl`-style keys), and which are secret. An output
 * waiting on what never comes would hold the run here, after runUnderMocks' own watch has ended: the same watch names it.
 */
export async function readStackOutputs(cloud: MockCloud, result: Record<string, unknown>): Promise<Pick<ProgramRun, "outputs" | "secretOutputs">> {
    const outputs: Record<string, unknown> = {};
    const secretOutputs: string[] = [];
    const unresolved = new Set<string>();
    const watchdog = watchForQuietRun(cloud.activity, () => [...unresolved]);
    const flattened = Promise.all(
        Object.entries(result).map(async ([key, value]) => {
            const flattened = await flattenOutput(key, value, secretOutputs, unresolved);
            Object.assign(outputs, flattened);
        }),
    );
    await Promise.race([flattened, watchdog.quiet]).finally(watchdog.stop);
    return { outputs, secretOutputs: secretOutputs.sort() };
}

function loadProgram(entry: ProgramEntry): Program {
    return programOfModule(require(path.join(PROJECT_ROOT, entry === "bundle" ? "program.js" : "index.ts")));
}

/** `aws.apiUrl`-style keys for nested outputs, resolved to values. */
async function flattenOutput(key: string, value: unknown, secrets: string[], unresolved: Set<string>): Promise<Record<string, unknown>> {
    if (pulumi.Output.isInstance(value)) {
        unresolved.add(key);
        if (await pulumi.isSecret(value)) secrets.push(key);
        // In a preview an output of a resource still to create is unknown: its apply never runs.
        const known = await (value as unknown as { isKnown: Promise<boolean> }).isKnown;
        const flattened = known ? valueOrNothing(key, await valueOf(value)) : { [key]: undefined };
        unresolved.delete(key);
        return flattened;
    }
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
        const parts = await Promise.all(Object.entries(value).map(([k, v]) => flattenOutput(`${key}.${k}`, v, secrets, unresolved)));
        return Object.assign({}, ...parts);
    }
    return valueOrNothing(key, value);
}

/**
 * A stack has no output whose value is undefined (prod's unset admin token): the SDK leaves an undefined key out of an
 * object it serializes (@pulumi/pulumi runtime/rpc.js serializeAllKeys), so `pulumi stack output` does not list it.
 */
function valueOrNothing(key: string, value: unknown): Record<string, unknown> {
    return value === undefined ? {} : { [key]: value };
}
