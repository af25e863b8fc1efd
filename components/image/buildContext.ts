import ignore from "@balena/dockerignore";
import * as fs from "fs";
import * as path from "path";
import { executableBitsFromGit } from "./gitFileModes";
import { refusal } from "../refusal";

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
    if (!stat?.isDirectory()) throw refusal(`image build context ${root} does not exist or is not a folder`);
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
