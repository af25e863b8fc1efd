import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { scratchDir } from "./tempDirs";
import { copyWorkingTree } from "./workingTree";

const git = (repo: string, ...args: string[]) => execFileSync("git", ["-C", repo, "-c", "user.name=spec", "-c", "user.email=spec@example.com", ...args], { encoding: "utf8" });

describe("the working tree the package spec installs (tests/harness/workingTree.ts)", () => {
    it("holds the next commit's files: uncommitted edits and new files, not deleted or ignored ones", () => {
        const repo = scratchDir("working-tree-repo");
        git(repo, "init", "--quiet");
        fs.mkdirSync(path.join(repo, "multicloud"));
        fs.writeFileSync(path.join(repo, "multicloud", "package.json"), '{ "version": "0.1.0" }\n');
        fs.writeFileSync(path.join(repo, "removed.txt"), "committed, then deleted\n");
        fs.writeFileSync(path.join(repo, ".gitignore"), "node_modules/\n");
        git(repo, "add", "-A");
        git(repo, "commit", "--quiet", "-m", "first");

        fs.writeFileSync(path.join(repo, "multicloud", "package.json"), '{ "version": "0.2.0" }\n');
        fs.writeFileSync(path.join(repo, "multicloud", "added.ts"), "export {};\n");
        fs.rmSync(path.join(repo, "removed.txt"));
        fs.mkdirSync(path.join(repo, "node_modules"));
        fs.writeFileSync(path.join(repo, "node_modules", "installed.js"), "");

        const copy = scratchDir("working-tree-copy");
        const files = copyWorkingTree(repo, copy);

        assert.deepStrictEqual(files, [".gitignore", "multicloud/added.ts", "multicloud/package.json"]);
        assert.strictEqual(fs.readFileSync(path.join(copy, "multicloud", "package.json"), "utf8"), '{ "version": "0.2.0" }\n', "the uncommitted edit, not HEAD's file");
        assert.ok(fs.existsSync(path.join(copy, "multicloud", "added.ts")), "a new file git does not ignore");
        assert.ok(!fs.existsSync(path.join(copy, "removed.txt")), "a file deleted in the working tree");
        assert.ok(!fs.existsSync(path.join(copy, "node_modules")), "an ignored folder");
    });
});
