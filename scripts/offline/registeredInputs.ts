/**
 * Registered inputs in the wire form the Pulumi SDK sends them in: secrets wrapped in its signature object, values not
 * known yet as its unknown marker. For the mock cloud's records, the plan's printing and the specs' assertions.
 */

import { specialOutputValueSig as OUTPUT_VALUE_SIG, specialSecretSig as SECRET_SIG, specialSigKey as SECRET_SIG_KEY } from "@pulumi/pulumi/runtime/rpc";

// How the Pulumi runtime marks a secret inside registered inputs: `{ [SECRET_SIG_KEY]: SECRET_SIG, value }`; an output
// value: `{ [SECRET_SIG_KEY]: OUTPUT_VALUE_SIG, ... }` (the SDK's own constants, @pulumi/pulumi runtime/rpc).

/** A value in the wire form of a secret, as a program's SDK sends a secret input. */
export function secretInput(value: unknown): Record<string, unknown> {
    return { [SECRET_SIG_KEY]: SECRET_SIG, value };
}

/**
 * A value in the wire form of an output value (`{ [SECRET_SIG_KEY]: OUTPUT_VALUE_SIG, value, secret, dependencies }`), as
 * an SDK sends any output inside a remote component's inputs where the monitor supports output values (Python's
 * runtime/rpc.py serialize_property with keep_output_values; Node's runtime/rpc.ts), and as the engine passes it on to
 * a provider whose Configure answered acceptOutputs (pkg: resource/plugin/provider_plugin.go, Construct).
 */
export function outputValueInput(value: unknown, options: { secret?: boolean; dependencies?: string[] } = {}): Record<string, unknown> {
    return { [SECRET_SIG_KEY]: OUTPUT_VALUE_SIG, value, ...(options.secret ? { secret: true } : {}), ...(options.dependencies ? { dependencies: options.dependencies } : {}) };
}

/**
 * A value a preview does not know yet, in the wire form a component provider's Construct receives it: an output value
 * without `value`. Whatever form the caller's SDK sends an unknown in (its unknown sentinel, or an output value), the
 * engine reads a remote component's inputs with UpgradeToOutputValues (pulumi/pulumi pkg/resource/deploy/source_eval.go,
 * RegisterResource's UnmarshalProperties; pkg/resource/plugin/rpc.go, unmarshalUnknownPropertyValue: an unknown
 * becomes an Output, not Known) and passes outputs on to a provider whose Configure answered acceptOutputs, as the
 * Node.js SDK's provider server does (pkg/resource/plugin/provider_plugin.go, Construct: KeepOutputValues;
 * sdk/nodejs/provider/server.ts, configure: setAcceptoutputs(true)). The provider's SDK hands it over as an Output
 * that is not known (sdk/nodejs/runtime/rpc.ts, deserializeProperty's specialOutputValueSig case), never as its
 * `unknown` object.
 */
export function unknownOutputValueInput(dependencies: string[] = []): Record<string, unknown> {
    return { [SECRET_SIG_KEY]: OUTPUT_VALUE_SIG, ...(dependencies.length > 0 ? { dependencies } : {}) };
}

/** True when a value is itself in the wire form of a secret (what secretInput makes). */
export function isWireSecret(value: unknown): value is { value: unknown } {
    return value !== null && typeof value === "object" && (value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG;
}

/** True when a registered input value (or anything inside it) was a secret output. */
export function isSecretInput(value: unknown): boolean {
    if (value === null || typeof value !== "object") return false;
    return isWireSecret(value) || Object.values(value).some(isSecretInput);
}

/** A registered input as a provider receives it: a secret's (or a known output value's) plain value. */
export function plainInput(value: unknown): unknown {
    if (value === null || typeof value !== "object") return value;
    const sig = (value as Record<string, unknown>)[SECRET_SIG_KEY];
    return (sig === SECRET_SIG || sig === OUTPUT_VALUE_SIG) && "value" in value ? plainInput((value as { value: unknown }).value) : value;
}

/** True for a registered input the engine does not know yet (an output of a resource to be created, in a preview). */
export function isUnknownInput(value: unknown): boolean {
    return value !== null && typeof value === "object" && (value as { __pulumiUnknown?: boolean }).__pulumiUnknown === true;
}

/** A copy of registered inputs with every secret replaced by "[secret]", for printing. */
export function maskSecrets(value: unknown): unknown {
    if (value === null || typeof value !== "object") return value;
    if (isWireSecret(value)) return "[secret]";
    if (Array.isArray(value)) return value.map(maskSecrets);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskSecrets(v)]));
}

/** A copy of registered inputs with secrets unwrapped to their plain values, for assertions. */
export function revealSecrets(value: unknown): any {
    if (value === null || typeof value !== "object") return value;
    if (isWireSecret(value)) return revealSecrets(value.value);
    if (Array.isArray(value)) return value.map(revealSecrets);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revealSecrets(v)]));
}
