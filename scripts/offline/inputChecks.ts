import { plainInput } from "./registeredInputs";

/**
 * The providers' own checks of a resource's inputs, which every preview and update runs before anything is created: a
 * provider refuses a value its schema's validation refuses (an enum, a pattern, a length), and the engine fails the
 * resource. Under mocks nothing validates, so a value the real provider refuses would pass every spec: the checks the
 * program's resources meet are listed per provider (awsInputChecks.ts, gcpInputChecks.ts, serviceInputChecks.ts), each
 * in its provider's words with its source. The engine's words (pulumi/pulumi sdk/go/common/diag/errors.go) depend on
 * whether the failure names a property:
 * - a bridged provider (aws, gcp, time, random) names none and ends its reason with "Examine values at
 *   '<name>.<path>'." (pulumi-terraform-bridge's check failures; its tests: "Conflicting configuration arguments. ...
 *   Examine values at 'lg.name'."), so the engine says "<type> resource '<name>' has a problem: <reason>"
 *   (GetResourceInvalidError);
 * - a native one (pulumiservice) names the property, and the engine says "<type> resource '<name>': property <p> value
 *   {<v>} has a problem: <reason>" (GetResourcePropertyInvalidValueError), <v> being the input of that top-level name
 *   (Go's `<nil>` when there is none, as for a nested path).
 */

export interface InputCheck {
    /** The resource's type token. */
    type: string;
    /** The Pulumi property path the check reads; `[]` stands for each element of a list (`metricQueries[].metric.stat`). */
    property: string;
    /** The provider's reason for refusing `value` (found at the concrete `path`, list indexes filled in), in its words; undefined when it takes it. */
    refuse: (value: unknown, path?: string) => string | undefined;
    /** A native provider's name for the property in its failure, where it is not `property` (its Go field's name). */
    reportedAs?: string;
    /**
     * The Pulumi path of the Terraform TypeSet that `property` lies in (`metricQueries` for metric_query), written as
     * `property` is. terraform-plugin-sdk cuts a diagnostic's attribute path at a set (helper/schema/schema.go,
     * validateType: "indexing into sets is not representable in the current protocol / best we can do is associate the
     * path up to this attribute", then "Truncating attribute path of %d diagnostics for TypeSet"), so the bridge's
     * "Examine values at" names the set itself, no index, nothing below it (pulumi-terraform-bridge
     * pkg/tfbridge/adapt_check_failures.go, formatAttributePathAsPropertyPath). The reason's key is not cut.
     */
    set?: string;
}

/**
 * terraform-plugin-sdk's validation.StringInSlice (helper/validation/strings.go): "expected %s to be one of %q, got %s",
 * `key` being the Terraform attribute's name and %q of a []string Go's `["a" "b"]`.
 */
export function oneOf(key: string, valid: readonly string[]): InputCheck["refuse"] {
    return (value) => (typeof value !== "string" || valid.includes(value) ? undefined : `expected ${key} to be one of [${valid.map((v) => JSON.stringify(v)).join(" ")}], got ${value}`);
}

/*
 * terraform-plugin-sdk v2 helper/validation (int.go, strings.go), in the words the providers' schemas call:
 * IntBetween "expected %s to be in the range (%d - %d), got %d"; IntAtLeast "expected %s to be at least (%d), got %d";
 * IntInSlice "expected %s to be one of %v, got %d" (%v of a []int: `[0 1 3]`); IntDivisibleBy "expected %s to be divisible
 * by %d, got: %v"; StringLenBetween "expected length of %s
 * to be in the range (%d - %d), got %s"; StringMatch with a message "invalid value for %s (%s)". The key: a
 * ValidateDiagFunc (enum.Validate, validation.ToDiagFunc) reports the last attribute name on the path (helper/validation
 * meta.go, ToDiagFunc); a plain ValidateFunc gets schema.go's flatmap key (`logging_config.0.log_format` when nested).
 */
export const intBetween =
    (key: string, min: number, max: number): InputCheck["refuse"] =>
    (value) =>
        typeof value !== "number" || (value >= min && value <= max) ? undefined : `expected ${key} to be in the range (${min} - ${max}), got ${value}`;
export const intAtLeast =
    (key: string, min: number): InputCheck["refuse"] =>
    (value) =>
        typeof value !== "number" || value >= min ? undefined : `expected ${key} to be at least (${min}), got ${value}`;
export const intInSlice =
    (key: string, valid: readonly number[]): InputCheck["refuse"] =>
    (value) =>
        typeof value !== "number" || valid.includes(value) ? undefined : `expected ${key} to be one of [${valid.join(" ")}], got ${value}`;
export const intDivisibleBy =
    (key: string, divisor: number): InputCheck["refuse"] =>
    (value) =>
        typeof value !== "number" || value % divisor === 0 ? undefined : `expected ${key} to be divisible by ${divisor}, got: ${value}`;
/**
 * validation.Any (helper/validation/meta.go): takes a value one of its validators takes; otherwise it returns every
 * validator's errors in order, each its own check failure; this gives the first, as the rules here do for a multi-error
 * validator (the engine's error names the first failure).
 */
export const anyOf =
    (...refusals: InputCheck["refuse"][]): InputCheck["refuse"] =>
    (value, path) => {
        const reasons = refusals.map((refuse) => refuse(value, path));
        return reasons.some((reason) => reason === undefined) ? undefined : reasons[0];
    };
/** Go's len(): UTF-8 bytes, not characters. */
export const stringLenBetween =
    (key: string, min: number, max: number): InputCheck["refuse"] =>
    (value) => {
        if (typeof value !== "string") return undefined;
        const length = Buffer.byteLength(value, "utf8");
        return length >= min && length <= max ? undefined : `expected length of ${key} to be in the range (${min} - ${max}), got ${value}`;
    };
export const stringMatch =
    (key: string, pattern: RegExp, message: string): InputCheck["refuse"] =>
    (value) =>
        typeof value !== "string" || pattern.test(value) ? undefined : `invalid value for ${key} (${message})`;

/**
 * A flatmap key through lists: each `{}` in `key` takes the next list index in the concrete Pulumi `path`
 * (`conditions[1].conditionThreshold.aggregations[2]...`), "0" where it has none.
 */
export const listKey = (key: string, path: string | undefined) => {
    const indexes = [...(path ?? "").matchAll(/\[(\d+)\]/g)].map((m) => m[1]);
    let next = 0;
    return key.replace(/\{\}/g, () => indexes[next++] ?? "0");
};

/** Each value at `path` in `inputs`, with its concrete path (list indexes filled in); unknowns and absent values are skipped. */
export function valuesAt(inputs: Record<string, unknown>, path: string): { path: string; value: unknown }[] {
    let found: { path: string; value: unknown }[] = [{ path: "", value: inputs }];
    for (const part of path.split(".")) {
        const each = part.endsWith("[]");
        const key = each ? part.slice(0, -2) : part;
        found = found.flatMap(({ path: at, value }) => {
            const next = value !== null && typeof value === "object" ? plainInput((value as Record<string, unknown>)[key]) : undefined;
            const here = at ? `${at}.${key}` : key;
            if (next === undefined) return [];
            if (!each) return [{ path: here, value: next }];
            return Array.isArray(next) ? next.map((element, i) => ({ path: `${here}[${i}]`, value: element })) : [];
        });
    }
    return found;
}

/** The engine's error for the first input a check refuses, or undefined when the provider takes them all. */
export function inputCheckRefusal(type: string, name: string, inputs: Record<string, unknown>, checks: readonly InputCheck[]): Error | undefined {
    for (const check of checks.filter((c) => c.type === type)) {
        for (const { path, value } of valuesAt(inputs, check.property)) {
            const reason = check.refuse(value, path);
            if (reason === undefined) continue;
            if (!NATIVE_PROVIDERS.some((pkg) => type.startsWith(`${pkg}:`))) {
                const examined = check.set === undefined ? path : setPath(path, check.set);
                return new Error(`${type} resource '${name}' has a problem: ${reason}. Examine values at '${name}.${examined}'.`);
            }
            const reported = check.reportedAs ?? path;
            const shown = plainInput(inputs[reported]);
            return new Error(`${type} resource '${name}': property ${reported} value {${shown === undefined ? "<nil>" : String(shown)}} has a problem: ${reason}`);
        }
    }
    return undefined;
}

/**
 * The concrete path of the set `set` names, cut from the concrete `path` below it, without the element's index: the
 * bridge builds a list element's `[i]` (CheckFailurePath.ListElement) and a MaxItems=1 block's nothing, but the SDK has
 * already cut the attribute path at the set (see InputCheck.set).
 */
function setPath(path: string, set: string): string {
    return path
        .split(".")
        .slice(0, set.split(".").length)
        .join(".")
        .replace(/\[\d+\]$/, "");
}

/** The providers here that are not bridged from Terraform: their check failures name the property. */
const NATIVE_PROVIDERS = ["pulumiservice"];
