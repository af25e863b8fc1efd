import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { scratchDir } from "./tempDirs";

const TRANSPILE = require.resolve("./transpile.js");

/** Requires `file` in a fresh node process with the TypeScript hook, as a spec's child process does; its last line as JSON. */
function loadedFresh(file: string, hook = TRANSPILE): { said: string; at: string; esbuildLoaded: boolean } {
    const script = `const { said, thrown } = require(${JSON.stringify(file)});
        const at = thrown().stack.split("\\n")[1].trim();
        console.log(JSON.stringify({ said, at, esbuildLoaded: Object.keys(require.cache).some((f) => f.includes("/node_modules/esbuild/")) }));`;
    const run = spawnSync(process.execPath, ["-r", hook, "-e", script], { encoding: "utf8" });
    assert.strictEqual(run.status, 0, run.stderr);
    return JSON.parse(run.stdout.trim().split("\n").pop()!);
}

/** A module whose error is made on line 6 of the TypeScript (type-only lines before it, which the JavaScript drops). */
const moduleSaying = (said: string) => `type Said = string;\ninterface Unused {\n    n: number;\n}\nexport const said: Said = ${JSON.stringify(said)};\nexport const thrown = (): Error => new Error("here");\n`;

describe("the specs' TypeScript hook (tests/harness/transpile.js)", () => {
    it("a process whose files were compiled before loads no esbuild, its stack traces still on the .ts lines; an edited file is compiled again", () => {
        const file = path.join(scratchDir("transpile"), "module.ts");
        fs.writeFileSync(file, moduleSaying("first"));
        const compiled = loadedFresh(file);
        assert.deepStrictEqual(compiled, { said: "first", at: `at thrown (${file}:6:36)`, esbuildLoaded: true });
        assert.deepStrictEqual(loadedFresh(file), { ...compiled, esbuildLoaded: false }, "the output kept from the first process");
        fs.writeFileSync(file, moduleSaying("second"));
        assert.deepStrictEqual(loadedFresh(file), { ...compiled, said: "second", esbuildLoaded: true }, "the edit compiled, not the kept output");
    });

    // The hook's own text (its options to esbuild) is part of what an output is kept for: an edited hook compiles again.
    it("an output kept by the hook before an edit of it is not used by the edited hook", () => {
        const file = path.join(scratchDir("transpile"), "module.ts");
        fs.writeFileSync(file, moduleSaying("kept"));
        loadedFresh(file);
        // Beside the hook, so that it finds the project as the hook does (its ROOT is two folders up).
        const edited = path.join(path.dirname(TRANSPILE), `transpile.edited-${process.pid}.js`);
        fs.writeFileSync(edited, `${fs.readFileSync(TRANSPILE, "utf8")}\n// edited\n`);
        try {
            assert.strictEqual(loadedFresh(file, edited).esbuildLoaded, true, "the edited hook compiled the file");
        } finally {
            fs.rmSync(edited, { force: true });
        }
    });
});
