import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";

/**
 * One result per distinct arguments, per process (a mocha worker runs many files): component tests only read what
 * was registered, so a stack with the same args is deployed under mocks once and shared by every test that asks for
 * it; the offline plan of a committed stack file is run once. `R` may be a promise: the pending one is shared.
 */
export function sharedPerArgs<A extends unknown[], R>(run: (...args: A) => R): (...args: A) => R {
    const results = new Map<string, R>();
    return (...args: A) => {
        const key = JSON.stringify(args);
        if (!results.has(key)) results.set(key, run(...args));
        return results.get(key)!;
    };
}

/**
 * The same, once per mocha run rather than once per process: the first process of the run to finish `run` for some
 * arguments keeps the result in the run's folder (SPEC_RUN_RESULTS, made by tests/harness/tempDirs.ts), and the run's
 * other processes (mocha's other workers) read it from there instead of running it again. Two processes that ask at
 * the same moment each run it, as each did before. For a synchronous `run` whose result is plain JSON and depends on
 * nothing but its arguments and what `name` says: a nested run of another checkout inherits the folder, so `name`
 * names the project root (and the Node) the results come from.
 */
export function sharedPerRun<A extends unknown[], R>(name: string, run: (...args: A) => R): (...args: A) => R {
    return sharedPerArgs((...args: A) => {
        const folder = process.env.SPEC_RUN_RESULTS;
        if (!folder) return run(...args);
        const key = JSON.stringify([name, args]);
        const file = path.join(folder, `${createHash("sha256").update(key).digest("hex")}.json`);
        const kept = keptResult<R>(file, key);
        if (kept) return kept.result;
        const result = run(...args);
        // Whole or not at all: another worker may read the file the moment it appears.
        const temporary = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(temporary, JSON.stringify({ key, result }));
        fs.renameSync(temporary, file);
        return result;
    });
}

/** The result kept in `file` for `key`, or undefined when none was kept yet. */
function keptResult<R>(file: string, key: string): { result: R } | undefined {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw err;
    }
    const kept = JSON.parse(text) as { key: string; result: R };
    return kept.key === key ? kept : undefined;
}
