/**
 * Which steps of a GitHub Actions job run, given each step's outcome: the `if:` rules of GitHub's docs ("Expressions",
 * status check functions). An `if:` without a status function means `success() && (<expression>)`; success() is false
 * once a step before has failed; a skipped step sets no outputs. Only the expression forms the workflows here use are
 * understood (`steps.<id>.outputs.<name>` or `steps.<id>.outcome` compared with == or != to a string literal,
 * `!cancelled()`, `success()`, `always()`, `&&`, `||`, parentheses); anything else throws, so an unread condition never
 * passes as true. A step with `continue-on-error: true` that fails has the outcome "failure" but the conclusion "success"
 * (GitHub docs, "Contexts reference", steps context): the steps after it run as if it had passed.
 */
export interface StepOutcome {
    /** The step fails (its outputs are still set, as a failing action may have set some). */
    fails?: boolean;
    outputs?: Record<string, string>;
}

export interface JobRun {
    ran: string[];
    skipped: string[];
}

export function runJob(steps: { name?: string; id?: string; if?: string; "continue-on-error"?: unknown }[], outcomes: Record<string, StepOutcome>): JobRun {
    const outputs: Record<string, Record<string, string>> = {};
    const results: Record<string, string> = {};
    let failed = false;
    const ran: string[] = [];
    const skipped: string[] = [];
    for (const step of steps) {
        const label = step.name ?? step.id ?? "(unnamed)";
        const condition = step.if === undefined ? "success()" : unwrap(String(step.if));
        const withStatus = /\b(success|failure|cancelled|always)\(\)/.test(condition) ? condition : `success() && (${condition})`;
        if (!evaluate(withStatus, { outputs, results, failed })) {
            skipped.push(label);
            if (step.id) results[step.id] = "skipped";
            continue;
        }
        ran.push(label);
        const outcome = outcomes[step.id ?? ""] ?? outcomes[label] ?? {};
        if (step.id) outputs[step.id] = outcome.outputs ?? {};
        if (step.id) results[step.id] = outcome.fails ? "failure" : "success";
        if (outcome.fails && step["continue-on-error"] !== true) failed = true;
    }
    return { ran, skipped };
}

function unwrap(condition: string): string {
    const match = /^\$\{\{([\s\S]*)\}\}$/.exec(condition.trim());
    return match ? match[1].trim() : condition.trim();
}

interface Context {
    outputs: Record<string, Record<string, string>>;
    /** Each step's outcome, before continue-on-error: success, failure or skipped. */
    results: Record<string, string>;
    failed: boolean;
}

function evaluate(expression: string, context: Context): boolean {
    const tokens = expression.match(/\(|\)|&&|\|\||!cancelled\(\)|success\(\)|always\(\)|steps\.[\w-]+\.(?:outputs\.[\w-]+|outcome)\s*(==|!=)\s*'[^']*'|\S+/g) ?? [];
    let position = 0;
    const orExpr = (): boolean => {
        let value = andExpr();
        while (tokens[position] === "||") {
            position++;
            value = andExpr() || value;
        }
        return value;
    };
    const andExpr = (): boolean => {
        let value = primary();
        while (tokens[position] === "&&") {
            position++;
            value = primary() && value;
        }
        return value;
    };
    const primary = (): boolean => {
        const token = tokens[position++];
        if (token === "(") {
            const value = orExpr();
            if (tokens[position++] !== ")") throw new Error(`unbalanced parentheses in ${expression}`);
            return value;
        }
        if (token === "success()") return !context.failed;
        if (token === "always()") return true;
        if (token === "!cancelled()") return true;
        const comparison = /^steps\.([\w-]+)\.(?:outputs\.([\w-]+)|(outcome))\s*(==|!=)\s*'([^']*)'$/.exec(token ?? "");
        if (comparison) {
            const [, id, name, outcome, operator, literal] = comparison;
            // "GitHub ignores case when comparing strings" (GitHub docs, "Evaluate expressions in workflows and
            // actions", Operators); a missing output is null, which equals '' (both coerce to the number 0).
            const value = outcome ? context.results[id] : context.outputs[id]?.[name];
            const equal = (value ?? "").toLowerCase() === literal.toLowerCase();
            return operator === "==" ? equal : !equal;
        }
        throw new Error(`a condition this reader does not understand: ${token} in ${expression}`);
    };
    const value = orExpr();
    if (position !== tokens.length) throw new Error(`unread rest of ${expression}: ${tokens.slice(position).join(" ")}`);
    return value;
}

/**
 * The command line the runner starts a `run:` step with on Linux, the script written to `scriptFile` ({0}): actions/runner
 * src/Runner.Worker/Handlers/ScriptHandler.cs and ScriptHandlerHelpers.cs. With no `shell` on the step nor in the job's
 * or the workflow's `defaults.run`, it is `sh`'s arguments, "-e {0}", given to the bash on PATH: `bash -e {0}`, without
 * pipefail (a pipeline's status is its last command's). `shell: bash` is "--noprofile --norc -e -o pipefail {0}", `sh`
 * "-e {0}"; any other shell is its command and its own format, which must hold {0}.
 */
export function stepCommand(workflow: any, job: any, step: any, scriptFile: string): string[] {
    const FORMATS: Record<string, string> = { bash: "--noprofile --norc -e -o pipefail {0}", sh: "-e {0}" };
    const shell: string = step.shell ?? job.defaults?.run?.shell ?? workflow.defaults?.run?.shell ?? "";
    const [command, format] = shell === "" ? ["bash", FORMATS.sh] : [shell.split(" ")[0], shell.includes(" ") ? shell.slice(shell.indexOf(" ") + 1).trimStart() : (FORMATS[shell] ?? "")];
    if (!format.includes("{0}") || /["']/.test(format)) throw new Error(`a shell this reader does not start: ${shell}`);
    return [command, ...format.split(/\s+/).map((arg) => arg.replace("{0}", scriptFile))];
}
