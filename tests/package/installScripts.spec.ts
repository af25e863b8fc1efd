import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { promisify } from "util";
import { PROJECT_ROOT } from "../../config/stackFile";
import { UNDECIDED_INSTALL_SCRIPTS } from "./installScriptWarnings";
import { LOCKFILE_FOLDERS, LockEntry, Lockfile, lockedPackages } from "./lockfiles";

/**
 * npm 11.16 added `allowScripts` to package.json and warns, after every install, about dependencies whose install
 * scripts it names "not yet covered by allowScripts"; npm 12 skips those scripts (npm/rfcs#868, npm's
 * install-scripts docs). Every folder npm installs here (the root, app/, multicloud/ where `pulumi package add`
 * installs it, policy/ where the pack is installed) decides each such script in its package.json.
 */

const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8"));
const allowScripts = (folder: string): Record<string, boolean> => readJson(path.join(folder, "package.json")).allowScripts ?? {};
const nameOf = (lockPath: string) => lockPath.slice(lockPath.lastIndexOf("node_modules/") + "node_modules/".length);

/**
 * The decision npm would find for one locked package, or undefined. npm matches a registry package by the name and
 * version in its lockfile's `resolved` URL (arborist's script-allowed.js): without one (this machine's npm config has
 * omit-lockfile-registry-resolved) only a name-only entry can match, so a `name@version` entry would be ignored.
 */
function decision(policy: Record<string, boolean>, lockPath: string, entry: LockEntry): boolean | undefined {
    const name = nameOf(lockPath);
    if (name in policy) return policy[name];
    if (entry.resolved && `${name}@${entry.version}` in policy) return policy[`${name}@${entry.version}`];
    return undefined;
}

/** The lockfile paths a package at `from` depends on, resolved as Node does: its own node_modules, then its parents'. */
function dependencyPaths(lock: Lockfile, from: string): string[] {
    const entry = lock[from];
    return Object.keys({ ...entry.dependencies, ...entry.optionalDependencies }).flatMap((name) => {
        for (let at = from; ; at = at.slice(0, Math.max(0, at.lastIndexOf("/node_modules/")))) {
            const candidate = `${at ? `${at}/` : ""}node_modules/${name}`;
            if (lock[candidate]) return [candidate];
            if (!at) return [];
        }
    });
}

/** Everything `roots` pull in, by lockfile path. */
function closure(lock: Lockfile, roots: string[]): Set<string> {
    const seen = new Set<string>();
    const pending = [...roots];
    while (pending.length > 0) {
        const next = pending.pop()!;
        if (seen.has(next)) continue;
        seen.add(next);
        pending.push(...dependencyPaths(lock, next));
    }
    return seen;
}

const undecided = (lock: Lockfile, policy: Record<string, boolean>, paths: Iterable<string>) =>
    [...paths].filter((p) => p !== "" && lock[p].hasInstallScript && decision(policy, p, lock[p]) === undefined).map((p) => `${nameOf(p)}@${lock[p].version}`);

const npm = (cwd: string, args: string[]) => promisify(execFile)("npm", args, { cwd, encoding: "utf8" });

/** npm's version as [major, minor]. */
async function npmVersion(): Promise<[number, number]> {
    const { stdout } = await npm(PROJECT_ROOT, ["--version"]);
    const [major, minor] = stdout.trim().split(".").map(Number);
    return [major, minor];
}

describe("install scripts: every one is decided in allowScripts", function () {
    this.timeout(30_000);

    for (const folder of LOCKFILE_FOLDERS) {
        it(`${folder === "." ? "the root" : `${folder}/`}: each locked package with an install script has an entry npm can match`, () => {
            const lock = lockedPackages(folder);
            assert.deepStrictEqual(undecided(lock, allowScripts(folder), Object.keys(lock)), []);
        });
    }

    // docs/package.md: esbuild's script checks that the native binary matches the JavaScript and links it directly, and
    // every folder with a lockfile runs esbuild (bundles, the plugin's first start, app/'s build); npm 12 skips a denied one.
    it("esbuild's install script is allowed wherever a lockfile installs esbuild", () => {
        const decisions = LOCKFILE_FOLDERS.map((folder) => {
            const lock = lockedPackages(folder);
            const esbuilds = Object.keys(lock).filter((p) => nameOf(p) === "esbuild");
            return [folder, esbuilds.length > 0 && esbuilds.every((p) => decision(allowScripts(folder), p, lock[p]) === true)];
        });
        assert.deepStrictEqual(decisions, LOCKFILE_FOLDERS.map((folder) => [folder, true]));
    });

    it("policy/ (no lockfile of its own): each package its dependencies pull in, as the root lockfile resolves them", () => {
        const lock = lockedPackages(".");
        const roots = Object.keys(readJson("policy/package.json").dependencies).map((name) => `node_modules/${name}`);
        const pulledIn = closure(lock, roots);
        assert.ok(pulledIn.has("node_modules/protobufjs"), "the closure reaches protobufjs (through @pulumi/pulumi's gRPC)");
        assert.deepStrictEqual(undecided(lock, allowScripts("policy"), pulledIn), []);
    });

    it("a name@version entry does not count where the lockfile has no resolved URL to match it against", () => {
        const entry = { version: "0.25.12", hasInstallScript: true };
        assert.strictEqual(decision({ "esbuild@0.25.12": true }, "node_modules/esbuild", entry), undefined);
        assert.strictEqual(decision({ "esbuild@0.25.12": true }, "node_modules/esbuild", { ...entry, resolved: "https://registry.npmjs.org/esbuild/-/esbuild-0.25.12.tgz" }), true);
        assert.strictEqual(decision({ esbuild: false }, "node_modules/tsx/node_modules/esbuild", entry), false);
    });

    // The first line of the warning as each npm printed it for esbuild left out of multicloud/'s allowScripts.
    it("the installed-package spec's check knows npm 11's and npm 12's warning about an undecided install script", () => {
        const warnings = {
            "npm 11.19.1": "npm warn install-scripts 1 package has install scripts not yet covered by allowScripts:",
            "npm 12.2.3": "npm warn install-scripts 1 package had install scripts blocked because they are not covered by allowScripts:",
        };
        for (const [npm, warning] of Object.entries(warnings)) assert.match(warning, UNDECIDED_INSTALL_SCRIPTS, npm);
        assert.doesNotMatch("added 175 packages in 23s", UNDECIDED_INSTALL_SCRIPTS);
    });

    it("npm itself finds nothing unreviewed in the installed root and app/ trees", async function () {
        const [major, minor] = await npmVersion();
        if (major < 11 || (major === 11 && minor < 16)) {
            console.log(`      skipped: npm ${major}.${minor} has no install-scripts command (added in npm 11.16)`);
            this.skip();
        }
        // npm's words when its policy covers the tree (lib/utils/allow-scripts-cmd.js, `npm install-scripts ls`).
        const answers = await Promise.all([PROJECT_ROOT, path.join(PROJECT_ROOT, "app")].map((cwd) => npm(cwd, ["install-scripts", "ls"])));
        for (const answer of answers) assert.strictEqual(answer.stdout.trim(), "No packages with unreviewed install scripts.", answer.stdout + answer.stderr);
    });
});
