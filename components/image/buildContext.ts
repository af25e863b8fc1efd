import ignore from "@balena/dockerignore";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

/** A file Docker would send as build context: its path (forward slashes), mode and content or link target. */
export interface ContextFile {
    path: string;
    executable: boolean;
    /** The link target for a symbolic link (never followed). */
    linkTarget?: string;
    absolutePath: string;
}

/**
 * The files of a build context that `.dockerignore` lets through, with Docker's own matching rules
 * (including `!` exceptions), sorted by path so the list is the same on every machine.
 */
export function contextFiles(context: string): ContextFile[] {
    const root = path.resolve(context);
    const stat = fs.statSync(root, { throwIfNoEntry: false });
    if (!stat?.isDirectory()) throw new Error(`image build context ${root} does not exist or is not a folder`);
    const patterns = readDockerignore(root);
    const matcher = ignore().add(patterns);
    const exceptions = patterns.filter((p) => p.trim().startsWith("!")).map((p) => p.trim().slice(1).replace(/^\/+/, ""));
    const executableInGit = executableBitsFromGit(root);
    const files: ContextFile[] = [];

    const walk = (relativeDir: string) => {
        const entries = fs.readdirSync(path.join(root, relativeDir), { withFileTypes: true });
        for (const entry of entries) {
            const relative = relativeDir ? `${relativeDir}/${entry.name}` : entry.name;
            const absolutePath = path.join(root, relative);
            if (entry.isDirectory()) {
                // An ignored folder is only worth walking when an exception may re-include something in it.
                if (!matcher.ignores(relative) || exceptions.some((e) => mayMatchInside(e, relative))) walk(relative);
                continue;
            }
            if (matcher.ignores(relative)) continue;
            if (entry.isSymbolicLink()) {
                files.push({ path: relative, executable: false, linkTarget: fs.readlinkSync(absolutePath), absolutePath });
            } else if (entry.isFile()) {
                const executable = executableInGit?.get(relative) ?? (fs.statSync(absolutePath).mode & 0o111) !== 0;
                files.push({ path: relative, executable, absolutePath });
            }
        }
    };
    walk("");
    return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The executable bits git records for the tracked files under `root` (paths relative to it), where git has found that
 * the file system's own bits mean nothing: core.fileMode false, which git's probe at clone or init writes into the
 * repository's config on, e.g., a Windows drive under WSL, where every file reads as executable. Such a checkout then
 * hashes the bits image.yml's clean Linux checkout has. Undefined otherwise (the file system's bits are what Docker
 * sends), outside a git work tree, or without git.
 */
function executableBitsFromGit(root: string): Map<string, boolean> | undefined {
    const config = gitConfigOf(root);
    if (!config || !ignoresFileModes(config)) return undefined;
    const listed = spawnSync("git", ["ls-files", "--stage", "-z", "--", "."], { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (listed.status !== 0) return undefined;
    // Each entry: "<mode> <object> <stage>\t<path relative to root>" (git-ls-files(1)).
    const entries = listed.stdout.split("\0").filter(Boolean);
    return new Map(entries.map((entry) => [entry.slice(entry.indexOf("\t") + 1), entry.startsWith("100755")]));
}

/**
 * The config file of the repository `dir` is in, read without starting git (this runs on every program evaluation):
 * `.git` is the git directory, or in a linked worktree a file naming it, whose `commondir` names the shared one that
 * holds the config (gitrepository-layout(5)).
 */
function gitConfigOf(dir: string): string | undefined {
    for (let current = dir; ; current = path.dirname(current)) {
        const dotGit = path.join(current, ".git");
        const stat = fs.statSync(dotGit, { throwIfNoEntry: false });
        if (stat) {
            const named = stat.isFile() ? /^gitdir: (.+)$/m.exec(fs.readFileSync(dotGit, "utf8"))?.[1].trim() : undefined;
            const gitDir = stat.isFile() ? (named ? path.resolve(current, named) : undefined) : dotGit;
            if (!gitDir) return undefined;
            const common = path.join(gitDir, "commondir");
            const configDir = fs.existsSync(common) ? path.resolve(gitDir, fs.readFileSync(common, "utf8").trim()) : gitDir;
            return fs.readFileSync(path.join(configDir, "config"), { encoding: "utf8", flag: "r" });
        }
        if (path.dirname(current) === current) return undefined;
    }
}

/** Whether a git config's [core] section sets fileMode false (keys are case-insensitive; git-config(1) booleans). */
function ignoresFileModes(config: string): boolean {
    const core = /^\s*\[core\]\s*$([\s\S]*?)(?=^\s*\[|(?![\s\S]))/im.exec(config)?.[1] ?? "";
    const value = /^\s*filemode\s*=\s*(\S+)\s*$/im.exec(core)?.[1]?.toLowerCase();
    return value !== undefined && ["false", "no", "off", "0"].includes(value);
}

function readDockerignore(root: string): string[] {
    const file = path.join(root, ".dockerignore");
    return fs.existsSync(file) ? fs.readFileSync(file, "utf8").split(/\r?\n/) : [];
}

/** Whether an exception pattern could match a path below `dir` (a wildcard in its leading part counts). */
function mayMatchInside(exception: string, dir: string): boolean {
    const firstWildcard = exception.search(/[*?[]/);
    const literalPrefix = firstWildcard < 0 ? exception : exception.slice(0, firstWildcard);
    return literalPrefix.startsWith(`${dir}/`) || `${dir}/`.startsWith(literalPrefix);
}
