import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { PROJECT_ROOT } from "../../config/stackFile";
import { inFreshNode } from "../harness/freshNode";

/** Loads program.js in a fresh node process and returns which files of each provider package it loaded. */
function providerFilesLoadedByProgram(): Record<string, string[]> {
    const script = `
        require("./program.js");
        const loaded = {};
        for (const pkg of ["aws", "gcp"]) {
            const prefix = require("path").dirname(require.resolve("@pulumi/" + pkg + "/package.json")) + "/";
            loaded[pkg] = Object.keys(require.cache).filter((f) => f.startsWith(prefix)).map((f) => f.slice(prefix.length));
        }
        console.log(JSON.stringify(loaded));
    `;
    return inFreshNode(script);
}

describe("the program imports the provider submodules it uses, not the packages' roots", function () {
    this.timeout(30_000);

    it("loading program.js loads neither @pulumi/aws's nor @pulumi/gcp's index (each requires every submodule of its package)", () => {
        const loaded = providerFilesLoadedByProgram();
        for (const [pkg, files] of Object.entries(loaded)) {
            assert.ok(files.length > 0, `the program uses @pulumi/${pkg}`);
            assert.ok(!files.includes("index.js"), `@pulumi/${pkg}'s root was loaded: import its submodules instead (e.g. "@pulumi/${pkg}/iam")`);
        }
        // With the roots, loading the program read 301 files of @pulumi/aws and 160 of @pulumi/gcp.
        assert.ok(loaded.aws.length < 100, `${loaded.aws.length} files of @pulumi/aws`);
        assert.ok(loaded.gcp.length < 60, `${loaded.gcp.length} files of @pulumi/gcp`);
    });
});

describe("no file the type-check reads imports @pulumi/aws's or @pulumi/gcp's root", () => {
    it("every import of a provider names its submodule (the roots' declarations are 4,300 files and 900 k lines for tsc)", () => {
        const configFile = path.join(PROJECT_ROOT, "tsconfig.check.json");
        const { config } = ts.readConfigFile(configFile, ts.sys.readFile);
        const { fileNames } = ts.parseJsonConfigFileContent(config, ts.sys, PROJECT_ROOT, undefined, configFile);
        assert.ok(fileNames.length > 100, `${fileNames.length} files in the type-check`);
        const rootImport = /(?:from|import|require\()\s*["']@pulumi\/(?:aws|gcp)["']/;
        const offenders = fileNames.filter((file) => rootImport.test(fs.readFileSync(file, "utf8"))).map((file) => path.relative(PROJECT_ROOT, file));
        assert.deepStrictEqual(offenders, [], "import the submodule instead, e.g. \"@pulumi/aws/iam\"");
    });
});
