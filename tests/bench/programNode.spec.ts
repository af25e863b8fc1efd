// `npm run bench` times the program on the Node `pulumi up` would start it on. On this kind of machine `npm run bench`
// itself runs on Node 20, below package.json's engines (the Pulumi SDK needs 22 or newer): before, the program's
// figures were taken on it, a run no real `pulumi up` makes.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ROOT, SERVICE_NODE, nodeVersionOf, programNode } from "../../scripts/bench/processes";

const enginesMajor = Number(/^>=(\d+)/.exec(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).engines.node)![1]);
const major = (version: string) => Number(version.split(".")[0]);

describe("bench: the Node the program is timed on", () => {
    it("is the running Node where the SDK supports it, the service's Node below package.json's engines", () => {
        assert.strictEqual(programNode(`${enginesMajor - 2}.20.2`), SERVICE_NODE);
        assert.strictEqual(programNode(`${enginesMajor - 1}.9.0`), SERVICE_NODE);
        assert.strictEqual(programNode(`${enginesMajor}.0.0`), process.execPath);
        assert.strictEqual(programNode(`${enginesMajor + 2}.1.0`), process.execPath);
    });

    it("is one the SDK supports, whichever Node runs the bench", () => {
        for (const version of [`${enginesMajor - 2}.20.2`, process.versions.node]) {
            const node = programNode(version);
            assert.ok(major(nodeVersionOf(node)) >= enginesMajor, `${node}: Node ${nodeVersionOf(node)}`);
        }
        const machineNode = process.env.MACHINE_NODE;
        if (machineNode) {
            const version = spawnSync(machineNode, ["-p", "process.versions.node"], { encoding: "utf8" }).stdout.trim();
            assert.ok(major(nodeVersionOf(programNode(version))) >= enginesMajor, `on a machine with Node ${version}`);
        }
    });
});
