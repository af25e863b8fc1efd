import * as pulumi from "@pulumi/pulumi";
import type { Inputs } from "@pulumi/pulumi";
import { ArgProblem, NOT_PLAIN, known } from "../components/argChecks";
import { describeValue } from "../config/errors";
import { isPlainObject } from "../config/plainObject";

/** A property as the package schema describes it: a primitive, an array, a map, or a `$ref` to one of its types. */
export interface PropertySpec {
    type?: "string" | "number" | "integer" | "boolean" | "array" | "object";
    $ref?: string;
    items?: PropertySpec;
    additionalProperties?: PropertySpec;
    secret?: boolean;
    /** Read while the program runs (the component branches on it), so never an output. */
    plain?: boolean;
}
export interface ObjectTypeSpec {
    type?: string;
    properties?: Record<string, PropertySpec>;
    required?: string[];
}
/** schema.json: the package schema the plugin serves, as `npm run schema` writes it. */
export interface ServedSchema {
    resources: Record<string, { properties: Record<string, PropertySpec>; inputProperties?: Record<string, PropertySpec>; requiredInputs?: string[] }>;
    types: Record<string, ObjectTypeSpec>;
    language?: Record<string, Record<string, unknown>>;
}

/**
 * What the schema promises a construct call but nothing checks on the way in. The generated SDKs check a component's
 * required inputs at the top level only, and Python's dicts and YAML's maps carry any shape, so a missing
 * `functionUrl.corsOrigins` or a `region: 42` reached the component and failed deep inside ("Cannot read properties of
 * undefined (reading 'length')", "region is not a function") after resources were registered. Values not known yet (a
 * preview's unknowns, other resources' outputs) are left to the component.
 */
export async function servedArgProblems(schema: ServedSchema, type: string, inputs: Inputs): Promise<ArgProblem[]> {
    const resource = schema.resources[type];
    if (!resource) return [];
    const problems: ArgProblem[] = [];
    const declared = resource.inputProperties ?? {};
    for (const [name, spec] of Object.entries(declared)) {
        const value = inputs[name];
        const outputs = spec.plain ? await outputsWithin(value, name) : [];
        if (outputs.length > 0) {
            problems.push(...outputs.map(({ path, secret }) => ({ propertyPath: path, reason: secret ? HOLDS_A_SECRET : NOT_PLAIN })));
            continue;
        }
        check(schema, spec, value, name, problems);
    }
    problems.push(...missing(resource.requiredInputs ?? [], inputs, ""));
    return problems;
}

const HOLDS_A_SECRET = "holds a secret, which the component reads as a plain value and its resources would show in plaintext: pass it without secrets";

/**
 * The outputs inside a plain input, by path. A secret sent with the older secret signature makes the whole input a
 * secret output on the way in (the SDK's runtime/rpc.js deserializeProperty lifts it), which the component's own check
 * would call "an output of another resource"; an output sent as an output value (as the SDKs send any output inside a
 * remote component's inputs, and the engine passes on to this provider, which accepts outputs) stays where it was
 * (provider/server.js deserializeInputs keeps the input a plain object around it), where the component's check, of
 * the top level only, does not look.
 */
async function outputsWithin(value: unknown, path: string): Promise<{ path: string; secret: boolean }[]> {
    if (pulumi.Output.isInstance(value)) return [{ path, secret: await pulumi.isSecret(value) }];
    const entries = Array.isArray(value) ? value.map((item, i) => [`${path}[${i}]`, item] as const) : isPlainObject(value) ? Object.entries(value).map(([key, item]) => [`${path}.${key}`, item] as const) : [];
    return (await Promise.all(entries.map(([at, item]) => outputsWithin(item, at)))).flat();
}

function check(schema: ServedSchema, spec: PropertySpec, value: unknown, path: string, problems: ArgProblem[]): void {
    if (!known(value)) return;
    if (spec.$ref) {
        const type = schema.types[spec.$ref.replace(/^#\/types\//, "")];
        if (!type) return;
        if (!isPlainObject(value)) {
            problems.push({ propertyPath: path, reason: `must be an object (got ${describeValue(value)})` });
            return;
        }
        problems.push(...missing(type.required ?? [], value, `${path}.`));
        for (const [name, property] of Object.entries(type.properties ?? {})) check(schema, property, value[name], `${path}.${name}`, problems);
        return;
    }
    switch (spec.type) {
        case "string":
        case "boolean":
            if (typeof value !== spec.type) problems.push({ propertyPath: path, reason: `must be a ${spec.type} (got ${describeValue(value)})` });
            return;
        case "number":
            if (typeof value !== "number" || !Number.isFinite(value)) problems.push({ propertyPath: path, reason: `must be a number (got ${describeValue(value)})` });
            return;
        case "integer":
            if (!Number.isInteger(value)) problems.push({ propertyPath: path, reason: `must be a whole number (got ${describeValue(value)})` });
            return;
        case "array":
            if (!Array.isArray(value)) problems.push({ propertyPath: path, reason: `must be a list (got ${describeValue(value)})` });
            else if (spec.items) value.forEach((item, i) => check(schema, spec.items!, item, `${path}[${i}]`, problems));
            return;
        case "object":
            if (!isPlainObject(value)) problems.push({ propertyPath: path, reason: `must be a map (got ${describeValue(value)})` });
            else if (spec.additionalProperties) for (const [key, item] of Object.entries(value)) check(schema, spec.additionalProperties, item, `${path}.${key}`, problems);
            return;
    }
}

function missing(required: readonly string[], value: Record<string, unknown>, prefix: string): ArgProblem[] {
    return required.filter((name) => value[name] === undefined || value[name] === null).map((name) => ({ propertyPath: `${prefix}${name}`, reason: "is required" }));
}
