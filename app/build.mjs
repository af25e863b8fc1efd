// Bundles each entry point into dist/, and each cloud SDK into dist/vendor/ (see buildOptions.mjs): the image ships
// these files and nothing else from node_modules.
import { build } from "esbuild";
import { rmSync } from "node:fs";
import { COMMON_OPTIONS, VENDORED, vendoredOnDemand } from "./buildOptions.mjs";

rmSync("dist", { recursive: true, force: true });
await Promise.all([
    build({ ...COMMON_OPTIONS, entryPoints: ["src/api.ts", "src/worker.ts", "src/server.ts"], outdir: "dist", plugins: [vendoredOnDemand] }),
    ...Object.entries(VENDORED).map(([pkg, file]) => build({ ...COMMON_OPTIONS, entryPoints: [pkg], outfile: `dist/vendor/${file}.js` })),
]);
