/**
 * Which steps of a GitHub Actions job run, given each step's outcome: the `if:` rules of GitHub's docs ("Expressions",
 * status check functions). An `if:` without a status function means `success() && (<expression>)`; success() is false
 * once a step before has failed; a skipped step sets no outputs. Only the expression forms the workflows here use are
 * understood (`steps.<id>.outputs.<name>` compared with == or != to a string literal, `!cancelled()`, `success()`,
 * `always()`, `&&`, `||`, parentheses); anything else throws, so an unread condition never passes as true.
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

export function runJob(steps: { name?: string; id?: string; if?: string }[], outcomes: Record<string, StepOutcome>): JobRun {
    const outputs: Record<string, Record<string, string>> = {};
    let failed = false;
    const ran: string[] = [];
    const skipped: string[] = [];
    for (const step of steps) {
        const label = step.name ?? step.id ?? "(unnamed)";
        const condition = step.if === undefined ? "success()" : unwrap(String(step.if));
        const withStatus = /\b(success|failure|cancelled|always)\(\)/.test(condition) ? condition : `success() && (${condition})`;
        if (!evaluate(withStatus, { outputs, failed })) {
            skipped.push(label);
            continue;
        }
        ran.push(label);
        const outcome = outcomes[step.id ?? ""] ?? outcomes[label] ?? {};
        if (step.id) outputs[step.id] = outcome.outputs ?? {};
        if (outcome.fails) failed = true;
    }
    return { ran, skipped };
}

function unwrap(condition: string): string {
    const match = /^\$\{\{([\s\S]*)\}\}$/.exec(condition.trim());
    return match ? match[1].trim() : condition.trim();
}

interface Context {
    outputs: Record<string, Record<string, string>>;
    failed: boolean;
}

function evaluate(expression: string, context: Context): boolean {
    const tokens = expression.match(/\(|\)|&&|\|\||!cancelled\(\)|success\(\)|always\(\)|steps\.[\w-]+\.outputs\.[\w-]+\s*(==|!=)\s*'[^']*'|\S+/g) ?? [];
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
        const comparison = /^steps\.([\w-]+)\.outputs\.([\w-]+)\s*(==|!=)\s*'([^']*)'$/.exec(token ?? "");
        if (comparison) {
            const [, id, name, operator, literal] = comparison;
            // "GitHub ignores case when comparing strings" (GitHub docs, "Evaluate expressions in workflows and
            // actions", Operators); a missing output is null, which equals '' (both coerce to the number 0).
            const equal = (context.outputs[id]?.[name] ?? "").toLowerCase() === literal.toLowerCase();
            return operator === "==" ? equal : !equal;
        }
        throw new Error(`a condition this reader does not understand: ${token} in ${expression}`);
    };
    const value = orExpr();
    if (position !== tokens.length) throw new Error(`unread rest of ${expression}: ${tokens.slice(position).join(" ")}`);
    return value;
}
