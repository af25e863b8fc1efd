// Loaded by mocha (.mocharc.json). Every test's scratch folder lives in one temp folder of this run, which
// TMPDIR points at (os.tmpdir() reads it on each call, and child processes inherit it), so nothing a test or a
// tool it starts writes can land in the system temp folder. At the end the run checks the folder is empty once
// every scratchDir is removed, and fails naming what is left, so a test that leaks cannot come back unnoticed.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const IN_MEMORY = "/dev/shm";
/**
 * The run's folder goes in memory (/dev/shm) unless TMPDIR names a folder (a nested run's, or the caller's choice):
 * the specs write hundreds of MB there (the installed package's `npm ci` alone ~335 MB in ~20,000 files), and on
 * a disk the file system's bookkeeping cost more CPU than the install itself (npm ci: 33 s of CPU on ext4, 24 s
 * in memory). Mocha's workers inherit the main process's TMPDIR, so their folders nest in its.
 */
function runTempBase(): string {
    if (process.env.TMPDIR) return os.tmpdir();
    try {
        fs.accessSync(IN_MEMORY, fs.constants.W_OK);
        return IN_MEMORY;
    } catch {
        return os.tmpdir();
    }
}
// At its real path: a Mac's TMPDIR (/var/folders/...) goes through the symbolic link /var, and Node's module loader,
// esbuild and a child's process.cwd() name the files in it by the real one (/private/var/folders/...).
const runTemp = fs.realpathSync(fs.mkdtempSync(path.join(runTempBase(), "multicloud-tests-")));
process.env.TMPDIR = runTemp;
process.on("exit", () => fs.rmSync(runTemp, { recursive: true, force: true }));

const scratchDirs: string[] = [];

/** A new empty folder for one test's files, removed when the run ends (with the run's temp folder). */
export function scratchDir(prefix: string): string {
    const dir = fs.mkdtempSync(path.join(runTemp, `${prefix}-`));
    scratchDirs.push(dir);
    return dir;
}

// The service's test helpers that some specs start processes with (app/tests/compileCache.ts) keep Node's compile
// cache in NODE_COMPILE_CACHE, else in a folder of their own per process, which the check below would name: one
// folder for the run, made by the first process (mocha's workers inherit it from the main one).
process.env.NODE_COMPILE_CACHE ??= scratchDir("node-compile-cache");

// What one process of the run computed for the others to read (sharedPerRun, tests/harness/shared.ts): one folder for
// the run, made by the first process, as the compile cache's.
process.env.SPEC_RUN_RESULTS ??= scratchDir("run-results");

/** What is in `dir` that no scratchDir accounts for. */
export function leftovers(dir: string, known: readonly string[]): string[] {
    const accounted = new Set(known.map((d) => path.basename(d)));
    return fs.readdirSync(dir).filter((entry) => !accounted.has(entry));
}

// Mocha runs a root afterAll once at the end of a serial run, and after each file in a parallel worker (which then
// runs its next file): TMPDIR keeps pointing at this run's folder until the process exits.
export const mochaHooks = {
    afterAll(this: Mocha.Context) {
        const leaked = leftovers(runTemp, scratchDirs);
        if (leaked.length > 0) {
            throw new Error(`tests left ${leaked.length} file(s) or folder(s) in the temp folder (make them with scratchDir): ${leaked.join(", ")}`);
        }
    },
};
