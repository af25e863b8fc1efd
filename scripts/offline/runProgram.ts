import * as pulumi from "@pulumi/pulumi";
import { MockCloud, runUnderMocks, valueOf } from "./mockCloud";
import { readStackFile } from "./stackFile";

export interface ProgramRun {
    stack: string;
    cloud: MockCloud;
    /** Stack outputs with their values; secret ones keep their value here and are listed in secretOutputs. */
    outputs: Record<string, unknown>;
    secretOutputs: string[];
}

type Program = () => Promise<Record<string, unknown>> | Record<string, unknown>;

/**
 * Runs the program (index.ts) under the mock cloud with a stack's settings, as `pulumi up` would run it with
 * the same stack file, and returns every registered resource and the stack outputs.
 */
export async function runProgram(stack: string, overrides?: { config?: Record<string, string>; secretKeys?: string[] }): Promise<ProgramRun> {
    const fromFile = overrides?.config ? { config: overrides.config, secretKeys: overrides.secretKeys ?? [] } : readStackFile(stack);
    const program = loadProgram();
    const { cloud, result } = await runUnderMocks({ stack, config: fromFile.config, secretKeys: fromFile.secretKeys }, () => program());
    const outputs: Record<string, unknown> = {};
    const secretOutputs: string[] = [];
    await Promise.all(
        Object.entries(result ?? {}).map(async ([key, value]) => {
            const flattened = await flattenOutput(key, value, secretOutputs);
            Object.assign(outputs, flattened);
        }),
    );
    return { stack, cloud, outputs, secretOutputs: secretOutputs.sort() };
}

function loadProgram(): Program {
    const exported = require("../../index");
    const program = exported.default ?? exported;
    if (typeof program !== "function") throw new Error("index.ts must export the program as a function");
    return program;
}

/** `aws.apiUrl`-style keys for nested outputs, resolved to values. */
async function flattenOutput(key: string, value: unknown, secrets: string[]): Promise<Record<string, unknown>> {
    if (pulumi.Output.isInstance(value)) {
        if (await pulumi.isSecret(value)) secrets.push(key);
        return { [key]: await valueOf(value) };
    }
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
        const parts = await Promise.all(Object.entries(value).map(([k, v]) => flattenOutput(`${key}.${k}`, v, secrets)));
        return Object.assign({}, ...parts);
    }
    return { [key]: value };
}
