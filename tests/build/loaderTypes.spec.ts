import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/stackFile";

/** The TypeScript the program, the package and the tools are made of (tests aside: they take loader/ by require). */
const SOURCE_FOLDERS = ["components", "config", "deployments", "release", "review", "scripts", "multicloud"];

/**
 * loader/ is plain JavaScript (the entries load it before anything is bundled), and a TypeScript module that imports
 * it gets its types only from a declaration beside it: the root tsconfig.json, which ts-node uses (`npm run bench`'s
 * source runs) has no allowJs, and nor need a package consumer's. Before: components/aws/awsClient.ts imported
 * loader/proxyFromEnvironment.js without one, and the bench stopped at "error TS7016: Could not find a declaration
 * file for module '../../loader/proxyFromEnvironment'" while npm test, bundling with esbuild, passed.
 */
describe("TypeScript that imports loader/'s JavaScript", () => {
    it("has a declaration file beside each loader module it imports", () => {
        const sources = [path.join(PROJECT_ROOT, "index.ts"), ...SOURCE_FOLDERS.flatMap((folder) => (fs.readdirSync(path.join(PROJECT_ROOT, folder), { recursive: true }) as string[]).filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts") && !f.includes("node_modules")).map((f) => path.join(PROJECT_ROOT, folder, f)))];
        const imports = sources.flatMap((file) =>
            [...fs.readFileSync(file, "utf8").matchAll(/from "((?:\.\.?\/)+(?:\.\.\/)*loader\/[\w.]+)"/g)].map((m) => ({ file: path.relative(PROJECT_ROOT, file), module: path.resolve(path.dirname(file), m[1]).replace(/\.js$/, "") })),
        );
        assert.ok(imports.some((i) => i.file === path.join("components", "aws", "awsClient.ts")), "finds awsClient.ts's import of the proxy loader");
        const undeclared = imports.filter((i) => !fs.existsSync(`${i.module}.d.ts`)).map((i) => `${i.file} imports ${path.relative(PROJECT_ROOT, i.module)} without a .d.ts`);
        assert.deepStrictEqual(undeclared, []);
    });
});
