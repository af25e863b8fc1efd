import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/stackFile";

/** The folders with a lockfile npm installs from: the root (npm ci), app/ (its postinstall and the image's build stage), multicloud/ (pulumi package add). */
export const LOCKFILE_FOLDERS = [".", "app", "multicloud"];

/** One package of a lockfile (npm's lockfileVersion 3 `packages` entries), what these specs read of it. */
export interface LockEntry {
    version?: string;
    resolved?: string;
    hasInstallScript?: boolean;
    dependencies?: Record<string, string>;
    optionalDependencies?: Record<string, string>;
    cpu?: string[] | string;
    os?: string[] | string;
    optional?: boolean;
    devOptional?: boolean;
}
export type Lockfile = Record<string, LockEntry>;

/** The `packages` of `<folder>/package-lock.json`, by lockfile path (`node_modules/<name>`). */
export function lockedPackages(folder: string): Lockfile {
    return JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, folder, "package-lock.json"), "utf8")).packages;
}
