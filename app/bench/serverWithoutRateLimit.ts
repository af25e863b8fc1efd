/**
 * The baseline for the rate limiter's cost in `npm run bench`: the server bundle built with build.mjs's options,
 * twice: once as is (the control, "with the limiter") and once with app.ts's `./rateLimit` resolved to a
 * pass-through middleware, so the limiter is never consulted (no client key, no counter). A bench-only bundle
 * rather than a setting that turns the limit off: no deployed service can be told to run without it. So that the
 * two differ in the limiter alone, and the control is what ships, it also reports whether the control is
 * byte-identical to dist/server.js (run `npm run build` first; the bench refuses to measure when it is not).
 * Prints one JSON line: { "withLimiter": <path>, "withoutLimiter": <path>, "sameAsShipped": <boolean> }.
 *   node --import tsx bench/serverWithoutRateLimit.ts --outdir <directory>
 */
import { build, type BuildOptions, type Plugin } from "esbuild";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { COMMON_OPTIONS, vendoredOnDemand } from "../buildOptions.mjs";

const APP = path.join(__dirname, "..");
const SHIPPED = path.join(APP, "dist", "server.js");

const { values } = parseArgs({ options: { outdir: { type: "string" } } });
if (!values.outdir) {
    process.stderr.write("usage: node --import tsx bench/serverWithoutRateLimit.ts --outdir <directory>\n");
    process.exit(2);
}
const outdir = path.resolve(values.outdir);

/**
 * build.mjs's options for the server entry, from the same module (buildOptions.mjs). The SDKs stay in dist/vendor/,
 * required at run time relative to the bundle: the bench runs the memory store, which loads none of them.
 */
const serverBuild = (out: string, plugins: Plugin[] = []): BuildOptions => ({
    ...(COMMON_OPTIONS as BuildOptions),
    absWorkingDir: APP,
    entryPoints: ["src/server.ts"],
    outdir: out,
    plugins: [vendoredOnDemand as Plugin, ...plugins],
});

/** Same signature as src/rateLimit.ts's `rateLimit`; esbuild fails the build if app.ts stops importing that name. */
const passThrough: Plugin = {
    name: "rate-limit-pass-through",
    setup(b) {
        b.onResolve({ filter: /^\.\/rateLimit$/ }, (args) =>
            path.resolve(args.importer) === path.join(APP, "src", "app.ts") ? { path: "rateLimit", namespace: "bench-pass-through" } : undefined,
        );
        b.onLoad({ filter: /.*/, namespace: "bench-pass-through" }, () => ({
            contents: "export const rateLimit = () => async (_c, next) => next();",
            loader: "js",
        }));
    },
};

async function main() {
    const control = path.join(outdir, "with-limiter", "server.js");
    const baseline = path.join(outdir, "without-limiter", "server.js");
    await build(serverBuild(path.dirname(control)));
    await build(serverBuild(path.dirname(baseline), [passThrough]));
    if (readFileSync(baseline).equals(readFileSync(control))) throw new Error("the pass-through did not replace src/rateLimit.ts: both bundles are the same");
    const sameAsShipped = existsSync(SHIPPED) && readFileSync(SHIPPED).equals(readFileSync(control));
    console.log(JSON.stringify({ withLimiter: control, withoutLimiter: baseline, sameAsShipped }));
}

main().catch((err) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
});
