/** Shared pieces of the property specs that plant hostile values into well-formed JSON (a scenario, a definition, a resource's properties). */
import * as fc from "fast-check";

/** Every path into a value, the value itself ([]) included: where a hostile value can be planted. */
export function pathsOf(value: unknown, at: (string | number)[] = []): (string | number)[][] {
    if (value === null || typeof value !== "object") return [at];
    return [at, ...Object.entries(value).flatMap(([k, v]) => pathsOf(v, [...at, Array.isArray(value) ? Number(k) : k]))];
}

/** An object whose own "__proto__" key holds any small JSON value, beside `siblings`: what JSON.parse (and YAML) read from such a file. */
export const protoKeyed = (siblings: Record<string, unknown>) =>
    fc.jsonValue({ maxDepth: 1 }).map((value) => Object.assign(JSON.parse(`{"__proto__": ${JSON.stringify(value)}}`), structuredClone(siblings)));
