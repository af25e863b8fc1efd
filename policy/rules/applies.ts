import { ResourceValidationArgs } from "@pulumi/policy";
import { isProduction } from "./environment";

/**
 * Tells the SDK that a rule does not apply to this resource (args.notApplicable, which ends the rule), so that Pulumi
 * Cloud's policy summaries count it neither passed nor failed there: the CLI counts passed as all, less those not
 * applicable, less those failed (pulumi/pulumi pkg/resource/analyzer/summary.go). A rule that merely returned was
 * "passed" on every resource of every type.
 */
export function onlyFor(args: ResourceValidationArgs, applies: readonly string[] | ((type: string) => boolean)): void {
    const ok = typeof applies === "function" ? applies(args.type) : applies.includes(args.type);
    if (!ok) args.notApplicable(typeof applies === "function" ? "not a resource this rule checks" : `applies to ${applies.join(", ")}`);
}

/** Ends a production-only rule outside production (the pack config's environment). */
export function onlyInProduction(args: ResourceValidationArgs): void {
    if (!isProduction(args)) args.notApplicable("applies to production stacks (the pack config's environment)");
}
