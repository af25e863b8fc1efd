/** `npm run plan:deployments`'s arguments: its usage and what is wrong with a command line, without loading the plan. */
import { argumentProblem } from "../build/usage";

export const USAGE = [
    "usage: npm run plan:deployments -- [<stack-file>]",
    "  <stack-file>   a stack file of deployments/ to plan instead of deployments/Pulumi.main.yaml, wherever it is kept:",
    "                 read with deployments/Pulumi.yaml, as its stack main",
].join("\n");

/**
 * What is wrong with the arguments, or undefined. An empty one (an unset variable, quoted) names no file: planned as
 * none, the committed example would read as the file meant.
 */
export function deploymentsArgumentProblem(argv: readonly string[]): string | undefined {
    const problem = argumentProblem(argv, { positional: "stack file" });
    if (problem === undefined && argv[0] === "") return 'the stack file is "": name one, or give none to plan deployments/Pulumi.main.yaml';
    return problem;
}
