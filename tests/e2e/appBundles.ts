import { spawnSync } from "child_process";
import { existsSync, readdirSync, statSync } from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/stackFile";

const APP = path.join(PROJECT_ROOT, "app");
/** What the image ships: app/build.mjs bundles each entry point here. */
export const BUNDLE_DIR = path.join(APP, "dist");
/** What the bundles are built from (see app/build.mjs and app/Dockerfile). */
const BUILD_INPUTS = ["src", "build.mjs", "buildOptions.mjs", "package.json", "package-lock.json", "tsconfig.json"];

function newestChange(file: string): number {
    const stat = statSync(file);
    if (!stat.isDirectory()) return stat.mtimeMs;
    return Math.max(stat.mtimeMs, ...readdirSync(file).map((entry) => newestChange(path.join(file, entry))));
}

/** Builds app/dist with app's own build command when a bundle is missing or older than what it is built from. */
export function ensureFreshBundles(files: string[]): "built" | "fresh" {
    const bundles = files.map((f) => path.join(BUNDLE_DIR, f));
    const inputsChanged = Math.max(...BUILD_INPUTS.map((f) => path.join(APP, f)).filter(existsSync).map(newestChange));
    if (bundles.every((b) => existsSync(b) && statSync(b).mtimeMs >= inputsChanged)) return "fresh";
    const build = spawnSync("npm", ["--prefix", APP, "run", "--silent", "build"], { encoding: "utf8" });
    if (build.status !== 0) throw new Error(`npm --prefix app run build failed (${build.status ?? build.signal}):\n${build.stdout}${build.stderr}`);
    const missing = bundles.filter((b) => !existsSync(b));
    if (missing.length) throw new Error(`the build wrote no ${missing.map((b) => path.relative(PROJECT_ROOT, b)).join(", ")}`);
    return "built";
}
