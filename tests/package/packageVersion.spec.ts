import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { PROJECT_ROOT } from "../../config/stackFile";
import { scratchDir } from "../harness/tempDirs";

const { versionProblems } = require("../../scripts/package/checkVersion") as { versionProblems: (tag: string, dir?: string) => string[] };

describe("a package tag is the package's version (scripts/package/checkVersion.js, package-tag.yml)", () => {
    it("v<version of multicloud/package.json and schema.json> passes; another version names both files and the fix", () => {
        const { version } = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "multicloud", "package.json"), "utf8"));
        assert.deepStrictEqual(versionProblems(`v${version}`), []);
        assert.deepStrictEqual(versionProblems(`refs/tags/v${version}`), []);
        const dir = scratchDir("package-version");
        fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ version: "0.2.0" }));
        fs.writeFileSync(path.join(dir, "schema.json"), JSON.stringify({ version: "0.1.0" }));
        assert.deepStrictEqual(versionProblems("v0.2.0", dir), [
            'multicloud/schema.json says version 0.1.0, the tag v0.2.0: set "version": "0.2.0" in multicloud/package.json, run `npm run schema`, commit, and tag that commit',
        ]);
        assert.strictEqual(versionProblems("v0.3.0", dir).length, 2);
        assert.deepStrictEqual(versionProblems("release/v1.2.3"), ["release/v1.2.3 is not a package tag (v<major>.<minor>.<patch>)"]);
    });

    it("runs on every v* tag push, with the tag's name", () => {
        const workflow = parse(fs.readFileSync(path.join(PROJECT_ROOT, ".github", "workflows", "package-tag.yml"), "utf8"));
        assert.deepStrictEqual(workflow.on.push.tags, ["v*"]);
        const steps = workflow.jobs.version.steps as { run?: string }[];
        assert.ok(steps.some((s) => s.run === 'node scripts/package/checkVersion.js "$GITHUB_REF_NAME"'));
    });

    it("installs and starts the package from the tag's own tree, which the CLI clones and ci.yml may never have tested", () => {
        const workflow = parse(fs.readFileSync(path.join(PROJECT_ROOT, ".github", "workflows", "package-tag.yml"), "utf8"));
        const steps = workflow.jobs.installed.steps as { uses?: string; run?: string }[];
        assert.ok(steps[0].uses?.startsWith("actions/checkout@"), "the tag's tree: the checkout of the pushed ref");
        const specs = steps.map((s) => s.run ?? "").find((run) => run.startsWith("npx mocha ")) ?? "";
        for (const spec of ["tests/package/installedPackage.spec.ts", "tests/package/construct.spec.ts"]) {
            assert.ok(specs.split(" ").includes(spec), `${spec} in: ${specs}`);
            assert.ok(fs.existsSync(path.join(PROJECT_ROOT, spec)), spec);
        }
    });
});
