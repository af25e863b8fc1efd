import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

/**
 * The executable bits git records for the tracked files under `root` (paths relative to it), where git has found that
 * the file system's own bits mean nothing: core.fileMode false, which git's probe at clone or init writes into the
 * repository's config on, e.g., a Windows drive under WSL, where every file reads as executable. Such a checkout then
 * hashes the bits image.yml's clean Linux checkout has. Undefined otherwise (the file system's bits are what Docker
 * sends), outside a git work tree, where its files cannot be read, or without git.
 */
export function executableBitsFromGit(root: string): Map<string, boolean> | undefined {
    const config = repositoryConfig(root);
    if (config === undefined || keepsFileModes(config)) return undefined;
    if (git(root, ["config", "--type=bool", "--get", "core.fileMode"])?.trim() !== "false") return undefined;
    const listed = git(root, ["ls-files", "--stage", "-z", "--", "."]);
    if (listed === undefined) return undefined;
    // Each entry: "<mode> <object> <stage>\t<path relative to root>" (git-ls-files(1)).
    const entries = listed.split("\0").filter(Boolean);
    return new Map(entries.map((entry) => [entry.slice(entry.indexOf("\t") + 1), entry.startsWith("100755")]));
}

/**
 * Whether a repository's config leaves core.fileMode as git writes it where the bits work: no fileMode at all, or one
 * plain `filemode = true`, and nothing else that could set it (an include, a worktree's own config). Anything else is
 * for git to read: quoting, comments, later sections and includes all count (git-config(1)).
 */
function keepsFileModes(config: string): boolean {
    if (/^\s*\[include|worktreeconfig/im.test(config)) return false;
    const values = [...config.matchAll(/^\s*filemode\s*=(.*)$/gim)].map((m) => m[1].trim().toLowerCase());
    const mentions = config.match(/filemode/gi)?.length ?? 0;
    return mentions === values.length && (values.length === 0 || (values.length === 1 && values[0] === "true"));
}

/**
 * The config of the repository `dir` is in, read without starting git (this runs on every program evaluation):
 * `.git` is the git directory, or in a linked worktree a file naming it, whose `commondir` names the shared one that
 * holds the config (gitrepository-layout(5)). Undefined outside a repository, or where those files cannot be read (a
 * worktree whose git directory is not mounted, say).
 */
function repositoryConfig(dir: string): string | undefined {
    try {
        for (let current = path.resolve(dir); ; current = path.dirname(current)) {
            const dotGit = path.join(current, ".git");
            const stat = fs.statSync(dotGit, { throwIfNoEntry: false });
            if (stat) {
                const named = stat.isFile() ? /^gitdir: (.+)$/m.exec(fs.readFileSync(dotGit, "utf8"))?.[1].trim() : undefined;
                const gitDir = stat.isFile() ? (named ? path.resolve(current, named) : undefined) : dotGit;
                if (!gitDir) return undefined;
                const common = path.join(gitDir, "commondir");
                const configDir = fs.existsSync(common) ? path.resolve(gitDir, fs.readFileSync(common, "utf8").trim()) : gitDir;
                return fs.readFileSync(path.join(configDir, "config"), "utf8");
            }
            if (path.dirname(current) === current) return undefined;
        }
    } catch {
        return undefined;
    }
}

/** git's standard output, or undefined when it fails or is not there. */
function git(cwd: string, args: string[]): string | undefined {
    const run = spawnSync("git", args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    return run.status === 0 ? run.stdout : undefined;
}
