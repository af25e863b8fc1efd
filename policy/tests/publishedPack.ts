import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { packEntry } from "../packEntry";

export interface PublishedPack {
    /** Where the CLI would have installed it (the tarball's package/ folder). */
    dir: string;
    /** What `npm pack` printed on stdout, which the CLI takes, trimmed, for the tarball's file name. */
    stdout: string;
    /** The tarball's entries. */
    entries: string[];
}

/**
 * The pack as `pulumi policy publish` makes it and the CLI installs it (pulumi/pulumi pkg/backend/httpstate/policypack.go
 * and sdk/nodejs/npm/npm.go):
 * - Publish starts the pack in its folder for GetAnalyzerInfo (index.js then runs packEntry, which brings bin/ up to date);
 * - then `npm pack --loglevel=error` there, whose whole stdout, trimmed, is read as the tarball's file name
 *   (`--pack-destination` here only keeps the tarball out of policy/);
 * - installRequiredPolicy extracts the tarball (its files are under package/), moves package/ to
 *   ~/.pulumi/policies/<org>/<name>/<version> and runs `npm install` there. The install is stood in for by a link to
 *   the project's node_modules, which holds the versions policy/package.json pins.
 */
export function publishPack(packDir: string, nodeModules: string, scratch: string): PublishedPack {
    packEntry(packDir);
    const packed = spawnSync("npm", ["pack", "--loglevel=error", "--pack-destination", scratch], { cwd: packDir, encoding: "utf8" });
    if (packed.status !== 0) throw new Error(`npm pack in ${packDir} failed:\n${packed.stderr}`);
    const tarball = path.join(scratch, packed.stdout.trim());
    if (!fs.existsSync(tarball)) {
        // The CLI's own words for this (npm.go, Pack).
        throw new Error(`\`npm pack\` completed successfully but the package .tgz file was not generated (stdout: ${JSON.stringify(packed.stdout)})`);
    }
    const entries = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).split("\n").filter(Boolean).sort();
    const unpacked = path.join(scratch, "unpacked");
    fs.mkdirSync(unpacked);
    execFileSync("tar", ["-xzf", tarball, "-C", unpacked]);
    const dir = path.join(scratch, "installed");
    fs.renameSync(path.join(unpacked, "package"), dir);
    fs.symlinkSync(nodeModules, path.join(dir, "node_modules"), "dir");
    return { dir, stdout: packed.stdout, entries };
}
