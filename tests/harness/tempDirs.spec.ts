import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { scratchDir } from "./tempDirs";

describe("the run's temp folder (tests/harness/tempDirs.ts)", () => {
    // On a Mac TMPDIR is /var/folders/.../T/, and /var is a symbolic link to /private/var. Node's module loader,
    // esbuild and a child's process.cwd() name a file by its real path: a spec that deleted require.cache[<its scratch
    // path>] then loaded the old module again (tests/build/bundle.spec.ts: 2 !== 42).
    it("makes scratch folders at their real path when TMPDIR goes through a symbolic link", function () {
        this.timeout(30_000);
        const real = scratchDir("real-temp");
        const link = path.join(scratchDir("linked-temp"), "T");
        fs.symlinkSync(real, link);
        const probe = `const fs = require("fs"); const path = require("path");
            const dir = require(${JSON.stringify(require.resolve("./tempDirs"))}).scratchDir("probe");
            const file = path.join(dir, "loaded.js");
            fs.writeFileSync(file, "module.exports = 1;");
            require(file);
            console.log(JSON.stringify({ dir, cachedUnderItsPath: file in require.cache }));`;
        const answer = spawnSync(process.execPath, ["--require", require.resolve("./transpile.js"), "-e", probe], { encoding: "utf8", env: { ...process.env, TMPDIR: link } });
        assert.strictEqual(answer.status, 0, answer.stdout + answer.stderr);
        const { dir, cachedUnderItsPath } = JSON.parse(answer.stdout) as { dir: string; cachedUnderItsPath: boolean };
        assert.ok(dir.startsWith(real + path.sep), `${dir} is in ${real}, TMPDIR's real folder`);
        assert.strictEqual(cachedUnderItsPath, true, `Node's require cache names a file of ${dir} by that path`);
    });
});
