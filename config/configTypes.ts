import { GoTimestamp } from "./cliTimestamps";
import { isPlainObject } from "./plainObject";

/** The types a Pulumi.yaml config key may declare, and how the CLI checks a value against one (pulumi/pulumi sdk/go/common/workspace/project.go). */

export const SIMPLE_TYPES = ["string", "integer", "boolean", "array", "object"] as const;
export type SimpleType = (typeof SIMPLE_TYPES)[number];

export interface ItemsType {
    type: SimpleType;
    items?: ItemsType;
}

/** project.go ValidateConfigValue: whether a value is of a declared type, as the CLI checks defaults and stack values. */
export function isOfType(type: SimpleType | undefined, items: ItemsType | undefined, value: unknown): boolean {
    if (value instanceof GoTimestamp) return false; // a time.Time is none of them
    switch (type) {
        case "string":
            return typeof value === "string";
        case "integer":
            // YAML's whole floats count, and text that strconv.Atoi reads.
            return Number.isInteger(value) || (typeof value === "string" && /^[+-]?\d+$/.test(value));
        case "boolean":
            return typeof value === "boolean" || value === "true" || value === "false";
        case "object":
            return isPlainObject(value);
        default:
            return Array.isArray(value) && items !== undefined && value.every((item) => isOfType(items.type, items.items, item));
    }
}

/** project.go InferFullTypeName: `array<array<string>>`. */
export function fullTypeName(type: SimpleType | undefined, items: ItemsType | undefined): string {
    return items ? `array<${fullTypeName(items.type, items.items)}>` : (type ?? "");
}
