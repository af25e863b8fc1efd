// Bundles each entry point into dist/: the image ships these files and nothing else from node_modules.
import { build } from "esbuild";
import { rmSync } from "node:fs";

rmSync("dist", { recursive: true, force: true });
await build({
    entryPoints: ["src/api.ts", "src/worker.ts", "src/server.ts"],
    outdir: "dist",
    bundle: true,
    platform: "node",
    target: "node24",
    format: "cjs",
    minify: true,
    sourcemap: false,
    legalComments: "none",
    logLevel: "warning",
});
