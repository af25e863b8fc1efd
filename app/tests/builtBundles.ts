import { existsSync } from "node:fs";
import * as path from "node:path";

/** What `npm run build` (build.mjs) writes. npm test builds it first (test:prepare); a test file run on its own does not. */
const DIST = path.join(__dirname, "..", "dist");
const ENTRIES = ["server", "api", "worker"] as const;
type Entry = (typeof ENTRIES)[number];

/**
 * `dist/<entry>.js`, there to be started. Without it a process started from it dies loading it, and a test failed on the
 * "Cannot find module" in its output, or waited for ever on an answer (a hung run): this fails at once instead.
 */
export function builtBundle(entry: Entry): string {
    const bundle = path.join(DIST, `${entry}.js`);
    if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run \`npm run build\` in app/ first (npm test builds it; a test file run on its own does not)`);
    return bundle;
}

/** dist/ with every entry's bundle in it, for a test that copies the build as an image would hold it. */
export function builtDist(): string {
    for (const entry of ENTRIES) builtBundle(entry);
    return DIST;
}
