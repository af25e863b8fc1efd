import { RecordedResource } from "../../scripts/offline/mockCloud";
import { FIXED_NAME_TYPES } from "../../scripts/plan/fixedNames";

/**
 * `<type> <name>: <key>=<value>` for each name input (`nameInputs`) a resource sets to a string of its own, where the
 * plan's list of names taken (FIXED_NAME_TYPES) does not have its type: providers, `except` (`<type> <key>`) and an
 * input that refers to a resource the stack made (the engine records that resource among the input's dependencies, as
 * it does for any output passed as an input) left out.
 */
export function unlistedNames(resources: RecordedResource[], nameInputs: readonly string[], except: ReadonlySet<string>): string[] {
    const madeByTheStack = (r: RecordedResource, key: string) => (r.propertyDependencies[key] ?? []).length > 0;
    return resources
        .filter((r) => r.custom && !r.type.startsWith("pulumi:providers:") && !FIXED_NAME_TYPES.includes(r.type))
        .flatMap((r) =>
            nameInputs.filter((key) => typeof r.inputs[key] === "string" && !except.has(`${r.type} ${key}`) && !madeByTheStack(r, key)).map((key) => `${r.type} ${r.name}: ${key}=${r.inputs[key]}`),
        );
}
