// Bundles each entry point into dist/, and each cloud SDK into dist/vendor/ (see buildOptions.mjs): the image ships
// these files and nothing else from node_modules.
import { build } from "esbuild";
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { COMMON_OPTIONS, VENDORED, vendoredOnDemand } from "./buildOptions.mjs";

/**
 * Makes `target` hold exactly what `source` holds, each file moved with a rename (atomic on one file system): a file in
 * both is replaced in one step, a new one appears, and one only in `target` is deleted last. A process reading dist/
 * meanwhile (a test starting dist/server.js while another rebuilds stale bundles) finds every file whole, in its old
 * or its new form, never missing or half written, as it would if the build emptied dist/ first.
 */
function replaceFolderContents(target, source) {
    mkdirSync(target, { recursive: true });
    const built = new Set();
    for (const entry of readdirSync(source, { withFileTypes: true })) {
        built.add(entry.name);
        if (entry.isDirectory()) replaceFolderContents(path.join(target, entry.name), path.join(source, entry.name));
        else renameSync(path.join(source, entry.name), path.join(target, entry.name));
    }
    for (const stale of readdirSync(target)) {
        if (!built.has(stale)) rmSync(path.join(target, stale), { recursive: true, force: true });
    }
}

// Beside dist/, so that the renames stay on one file system.
const next = mkdtempSync(".dist-next-");
try {
    await Promise.all([
        build({ ...COMMON_OPTIONS, entryPoints: ["src/api.ts", "src/worker.ts", "src/server.ts"], outdir: next, plugins: [vendoredOnDemand] }),
        ...Object.entries(VENDORED).map(([pkg, file]) => build({ ...COMMON_OPTIONS, entryPoints: [pkg], outfile: `${next}/vendor/${file}.js` })),
    ]);
    replaceFolderContents("dist", next);
} finally {
    rmSync(next, { recursive: true, force: true });
}
