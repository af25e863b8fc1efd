import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { runUntilExit } from "./helpers";

// Node ends the process on an error nothing caught (exit 1), and prints the stack to stderr as plain text: on Cloud Run
// each line becomes an entry of its own with no severity (Cloud Run functions, "View and write Cloud Run function logs":
// logs written directly to stdout or stderr have no log level), so the crash was in no ERROR filter. The server keeps
// the exit and writes one JSON line at ERROR instead.

const dir = mkdtempSync(path.join(tmpdir(), "uncaught-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A module preloaded into the server (NODE_OPTIONS --require) that lets `escape` loose once the server listens. */
function preload(name: string, escape: string): string {
    const file = path.join(dir, `${name}.cjs`);
    writeFileSync(file, `setTimeout(() => { ${escape} }, 300);\n`);
    return file;
}

const lines = (output: string) => output.split("\n").filter((line) => line.trim() !== "");

describe("an error nothing caught ends the server with one JSON line at ERROR", () => {
    const cases = {
        "an uncaught exception": `throw new Error("escaped the app");`,
        "an unhandled rejection": `Promise.reject(new Error("escaped the app"));`,
    };
    for (const [what, escape] of Object.entries(cases)) {
        it(what, async () => {
            const { code, output } = await runUntilExit({ STORAGE_BACKEND: "memory", LOG_LEVEL: "info", NODE_OPTIONS: `--require ${preload(what.replace(/ /g, "-"), escape)}` });
            assert.equal(code, 1, output);
            const all = lines(output);
            const unstructured = all.filter((line) => {
                try {
                    return typeof JSON.parse(line).severity !== "string";
                } catch {
                    return true;
                }
            });
            assert.deepEqual(unstructured, [], output);
            const last = JSON.parse(all.at(-1)!);
            assert.equal(last.severity, "ERROR");
            assert.equal(last.error, "escaped the app");
            assert.match(last.stack, /Error: escaped the app\n\s+at /);
        });
    }
});
