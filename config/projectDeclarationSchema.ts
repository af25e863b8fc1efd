/** project.json's shape of one Pulumi.yaml config declaration, as zod checks it (projectDeclarations.ts loads it on first use). */
import { z } from "zod";
import { ItemsType, SIMPLE_TYPES } from "./configTypes";

// project.json $defs/configItemsType: a type, and items where it is an array ("if type is array then required items").
const itemsType: z.ZodType<ItemsType> = z.lazy(() =>
    z
        .object({ type: z.enum(SIMPLE_TYPES), items: itemsType.optional() })
        .refine((items) => items.type !== "array" || items.items !== undefined, { message: "an 'array' in 'items' needs 'items' of its own" }),
);

// project.json $defs/configTypeDeclaration ("additionalProperties": false). A null `default` or `value` is Go's nil:
// the CLI reads it as not written (ProjectConfigType's `any` fields).
export const declaration = z.strictObject({
    type: z.enum(SIMPLE_TYPES).optional(),
    items: itemsType.optional(),
    description: z.string().optional(),
    secret: z.boolean().optional(),
    default: z.unknown().optional(),
    value: z.unknown().optional(),
});
export const DECLARATION_ATTRIBUTES = Object.keys(declaration.shape).sort();
