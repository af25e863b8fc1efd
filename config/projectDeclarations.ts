import { isProjectKey } from "./configKeys";
import { ItemsType, SimpleType, fullTypeName, isOfType } from "./configTypes";
import { goFloatText } from "./goFloatText";
import { isPlainObject } from "./plainObject";
import { inWords } from "./wordList";
import { StackFileRefusal } from "./stackFileRefusal";

/**
 * Pulumi.yaml's `config:` entries, checked as the Pulumi CLI checks them before any stack runs: first the shape of
 * each entry (pulumi/pulumi sdk/go/common/workspace/project.json, "config" → additionalProperties, and configTypeDeclaration,
 * applied by project.go ValidateProject), then the rules of project.go `(*Project).Validate` on the entries as
 * RewriteShorthandConfigValues rewrites them. The CLI stops at the first it meets; here every one is named at once.
 */

/** One config key of Pulumi.yaml, after the CLI's shorthand rewrite. */
export interface ConfigDeclaration {
    type?: SimpleType;
    items?: ItemsType;
    default?: unknown;
    value?: unknown;
    secret?: boolean;
}

/**
 * project.json's "config" additionalProperties is oneOf string, integer, boolean, array and configTypeDeclaration:
 * null (an empty value) and a number with a fraction are none of them, and an object is read as a declaration.
 * `writtenAsFloat`: how the entry is written where yaml.v3 reads it as a float64.
 */
function shapeProblem(key: string, entry: unknown, writtenAsFloat: string | undefined): string | undefined {
    if (writtenAsFloat !== undefined && Number.isInteger(entry)) return wholeFloatProblem(key, entry as number, writtenAsFloat);
    if (typeof entry === "string" || typeof entry === "boolean" || Array.isArray(entry) || Number.isInteger(entry)) return undefined;
    if (!isPlainObject(entry)) {
        const got = entry === null ? "null" : typeof entry === "number" ? "number" : typeof entry;
        // The CLI: "#/config/<key>: oneOf failed", then "expected string, but got null" and so on for each form.
        return `#/config/${key}: expected string, integer, boolean, array or object, but got ${got} (the CLI's schema, project.json). Give it a value, quote it if it is text, or remove the key`;
    }
    // zod loads with the first declaration checked, not with stackFile.ts: every tool loads that for PROJECT_ROOT
    // before it reads its arguments, and a tool's --help loads no zod (tests/build/bundle.spec.ts).
    const { declaration, DECLARATION_ATTRIBUTES } = require("./projectDeclarationSchema") as typeof import("./projectDeclarationSchema");
    const parsed = declaration.safeParse(entry);
    if (parsed.success) return undefined;
    return parsed.error.issues
        .map((issue) => {
            // The CLI: "additionalProperties 'team' not allowed" (ValidateProject adds the allowed attributes).
            if (issue.code === "unrecognized_keys") {
                const allowed = inWords(DECLARATION_ATTRIBUTES.map((a) => `'${a}'`));
                return (
                    `#/config/${key}: additionalProperties ${issue.keys.map((k) => `'${k}'`).join(", ")} not allowed; the allowed attributes are ${allowed}. ` +
                    `An object is read as a declaration: write an object value under 'value:' (or 'default:' for a key of this project)`
                );
            }
            return `#/config/${key}/${issue.path.join("/")}: ${issue.message}`;
        })
        .join("; ");
}

/**
 * A whole number yaml.v3 reads as a float (`1e3`, `2.0`) passes the schema (santhosh-tekuri/jsonschema takes a whole
 * float as an integer), but project.go RewriteShorthandConfigValues rewrites only a string, an int, a bool or a list
 * (isPrimitiveValue, isArray): the float stays an entry, LoadProjectBytes writes it out with yaml.v3 (encode.go floatv,
 * strconv.FormatFloat 'g') and reading that back into a ProjectConfigType fails (decode.go terror).
 */
function wholeFloatProblem(key: string, value: number, written: string): string {
    // -0.0 is written back -0.
    const asGoWritesIt = goFloatText(value);
    const tag = /^-?\d+$/.test(asGoWritesIt) ? "!!int" : "!!float";
    const shown = asGoWritesIt.length > 10 ? `${asGoWritesIt.slice(0, 7)}...` : asGoWritesIt;
    return (
        `config key '${key}' is written ${written}, which the Pulumi CLI reads as a float and refuses ("cannot unmarshal ${tag} \`${shown}\` into workspace.ProjectConfigType"): ` +
        `a shorthand value is a string, an integer, a boolean or a list. Write ${value}, or quote it if it is text`
    );
}

/** project.go RewriteShorthandConfigValues: a string, integer, boolean or array is the project's default, another namespace's value. */
function rewritten(projectName: string, key: string, entry: unknown): ConfigDeclaration {
    if (!isPlainObject(entry)) return isProjectKey(projectName, key) ? { default: entry } : { value: entry };
    const declared = entry as ConfigDeclaration;
    // Go's nil: a null default or value is not written.
    return { ...declared, default: declared.default ?? undefined, value: declared.value ?? undefined };
}

/** The rules of project.go (*Project).Validate, in its words, each with what to do. */
function ruleProblem(projectName: string, key: string, declared: ConfigDeclaration): string | undefined {
    const hasDefault = declared.default !== undefined;
    const hasValue = declared.value !== undefined;
    if (hasDefault && hasValue) {
        return `project config '${key}' cannot have both a 'default' and 'value' attribute: keep one of them`;
    }
    if (isProjectKey(projectName, key)) {
        if (declared.type === "array" && declared.items === undefined) {
            return `The configuration key '${key}' declares an array but does not specify the underlying type via the 'items' attribute: add one, as items: { type: string }`;
        }
        if (declared.type !== undefined && hasDefault && !isOfType(declared.type, declared.items, declared.default)) {
            return `The default value specified for configuration key '${key}' is not of the expected type '${fullTypeName(declared.type, declared.items)}': change the default or the type`;
        }
        return undefined;
    }
    if (declared.type !== undefined) {
        return `Configuration key '${key}' is not namespaced by the project and should not define a type: remove 'type' (only this project's keys, ${projectName}:<name>, are typed)`;
    }
    if (hasDefault) {
        return `Configuration key '${key}' is not namespaced by the project and should not define a default value. Did you mean to use the 'value' attribute instead of 'default'?`;
    }
    if (!hasValue) {
        return `Configuration key '${key}' is namespaced and must provide an attribute 'value': give it one, or remove the key`;
    }
    return undefined;
}

/**
 * Pulumi.yaml's `config:` as the CLI reads it (`writtenAsFloats`: the entries yaml.v3 reads as floats, as written),
 * keyed as written, or an error naming every entry the CLI would refuse
 * ("could not validate 'Pulumi.yaml'" or "could not unmarshal 'Pulumi.yaml'", pulumi/pulumi
 * sdk/go/common/workspace/loaders.go LoadProjectBytes).
 */
export function checkedDeclarations(
    fileName: string,
    projectName: string,
    config: Record<string, unknown>,
    writtenAsFloats: Record<string, string>,
): Record<string, ConfigDeclaration> {
    const declarations: Record<string, ConfigDeclaration> = {};
    const problems: string[] = [];
    for (const [key, entry] of Object.entries(config)) {
        const shape = shapeProblem(key, entry, writtenAsFloats[key]);
        if (shape) {
            problems.push(shape);
            continue;
        }
        declarations[key] = rewritten(projectName, key, entry);
        const rule = ruleProblem(projectName, key, declarations[key]);
        if (rule) problems.push(rule);
    }
    if (problems.length > 0) throw new StackFileRefusal(`${fileName}: the Pulumi CLI refuses its config: ${problems.join("; ")}`);
    return declarations;
}
