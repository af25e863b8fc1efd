import * as assert from "assert";
import { builtinModules } from "module";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/stackFile";
import { lockedPackages } from "./lockfiles";

const PACKAGE_DIR = path.join(PROJECT_ROOT, "multicloud");

/** `@scope/name/sub/path` -> `@scope/name`, `name/sub` -> `name`. */
const packageOf = (specifier: string) => specifier.split("/").slice(0, specifier.startsWith("@") ? 2 : 1).join("/");

describe("the package's dependencies (multicloud/package.json, all a plugin install has)", () => {
    it("name every package the plugin's bundle loads, dynamic imports too", () => {
        // The plugin runs provider.ts bundled with its packages external (loader/bundle.js), and `pulumi package add`
        // installs dependencies in multicloud/ alone (pulumi/pulumi pkg/workspace/plugin.go,
        // installDependenciesForPluginSpec: the plugin's sub-directory), so every external the bundle reaches must be
        // a dependency there. In the repository the root's node_modules would hide a missing one.
        const esbuild = require("esbuild") as typeof import("esbuild");
        const { compilerSettingsWithoutPaths } = require("../../loader/bundle") as { compilerSettingsWithoutPaths: (root: string) => string };
        const result = esbuild.buildSync({
            absWorkingDir: PACKAGE_DIR,
            tsconfigRaw: compilerSettingsWithoutPaths(PACKAGE_DIR), // as loader/bundle.js builds it
            entryPoints: ["provider.ts"],
            bundle: true,
            packages: "external",
            platform: "node",
            format: "cjs",
            metafile: true,
            write: false,
            logLevel: "silent",
        });
        const externals = new Set(
            Object.values(result.metafile.outputs)
                .flatMap((output) => output.imports)
                .filter((i) => i.external && !i.path.startsWith("node:") && !builtinModules.includes(i.path.split("/")[0]))
                .map((i) => packageOf(i.path)),
        );
        const manifest = JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, "package.json"), "utf8"));
        const declared = new Set(Object.keys(manifest.dependencies ?? {}));
        assert.ok(externals.has("@pulumi/pulumi") && externals.size > 3, `the bundle's externals: ${[...externals].join(", ")}`);
        assert.deepStrictEqual([...externals].filter((name) => !declared.has(name)).sort(), [], "add them to multicloud/package.json (and its lockfile)");
        const lock = lockedPackages("multicloud");
        for (const name of externals) assert.ok(lock[`node_modules/${name}`], `${name} is in multicloud/package-lock.json`);
    });

    // The bundle above cannot show it: the plugin's loader requires esbuild by a path it resolves at start, from the
    // package's folder first (loader/bundle.js, esbuildModule), and a plugin install has node_modules in that folder alone.
    it("name esbuild, which the plugin's loader bundles provider.ts with at start", () => {
        const manifest = JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, "package.json"), "utf8"));
        assert.ok(manifest.dependencies?.esbuild, "add esbuild to multicloud/package.json's dependencies (and its lockfile): the plugin's loader bundles with it");
        assert.ok(lockedPackages("multicloud")["node_modules/esbuild"], "esbuild is in multicloud/package-lock.json");
    });

    // docs/package.md says so, and the root's node_modules answers for the package's dependencies in the specs that
    // read their manifests (tests/program/nodeRuntime.spec.ts). Packages the root does not name are the package's own.
    it("pin each package the root also names at the root's version (policy/'s too)", () => {
        const manifestOf = (folder: string) => JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, folder, "package.json"), "utf8"));
        const root = manifestOf(".");
        const rootPins: Record<string, string> = { ...root.dependencies, ...root.devDependencies };
        for (const folder of ["multicloud", "policy"]) {
            const manifest = manifestOf(folder);
            const pins: Record<string, string> = { ...manifest.dependencies, ...manifest.devDependencies };
            const differ = Object.entries(pins).filter(([name, version]) => name in rootPins && rootPins[name] !== version);
            assert.deepStrictEqual(differ.map(([name, version]) => `${name} ${version}, the root ${rootPins[name]}`), [], `${folder}/package.json`);
        }
    });
});
