import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

/**
 * Copies into `destination` the files of the git repository at `repo` as the next commit would hold them after
 * `git add -A`: tracked files with their uncommitted edits, new files git does not ignore, and none that were
 * deleted or are ignored (node_modules, build outputs). A spec that installs "the committed tree" from this copy
 * tests the change being made; `git archive HEAD` would test the last commit and pass or fail on stale code until
 * the change is committed. In a fresh clone (CI) the two are the same files.
 */
export function copyWorkingTree(repo: string, destination: string): string[] {
    const listed = execFileSync("git", ["-C", repo, "ls-files", "-z", "--cached", "--others", "--exclude-standard"], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    // A tracked file deleted in the working tree is still listed by --cached: it is not part of the next commit.
    const files = [...new Set(listed.split("\0").filter(Boolean))].filter((file) => fs.existsSync(path.join(repo, file))).sort();
    for (const file of files) {
        const target = path.join(destination, file);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.cpSync(path.join(repo, file), target, { verbatimSymlinks: true, preserveTimestamps: false });
    }
    return files;
}
