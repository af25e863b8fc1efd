/** A Pulumi program as the Node language host runs it: a function returning the stack's outputs. */
export type Program = () => Promise<Record<string, unknown>> | Record<string, unknown>;

/**
 * The program in a CommonJS module's exports, as the Node language host runs one (@pulumi/pulumi cmd/run/run.js,
 * runProgram: `programExport = require(program)`, then "If the exported value was itself a Function, then just execute
 * it"): otherwise the exports themselves are the stack's outputs. A `default` export is unwrapped only for an ES module
 * (`dynamicImport`); a CommonJS `exports.default` is a stack output named `default`, and its function never runs.
 */
export function programOfModule(exported: unknown): Program {
    return exported instanceof Function ? (exported as Program) : () => exported as Record<string, unknown>;
}
