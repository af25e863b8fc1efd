import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setImmediate as yieldToEvents } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import { builtDist } from "./builtBundles";
import { dockerfileStages } from "./dockerfileStages";

const APP = path.join(__dirname, "..");
/** What `npm run build` is run on in the image: what the Dockerfile's build stage copies (each COPY's sources). */
const BUILD_INPUTS = dockerfileStages()
    .find((stage) => stage.name === "build")!
    .instructions.filter((i) => i.keyword === "COPY")
    .flatMap((i) => i.args.split(/\s+/).slice(0, -1));

function filesUnder(dir: string, prefix = ""): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]));
}

/** `node build.mjs` in `app`, as `npm run build` starts it; resolves with its exit code. */
function build(app: string): { exited: Promise<number | null>; done: () => boolean } {
    let finished = false;
    const child = spawn(process.execPath, ["build.mjs"], { cwd: app, stdio: ["ignore", "inherit", "inherit"] });
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)).on("error", () => resolve(null))).finally(() => (finished = true));
    return { exited, done: () => finished };
}

// `npm test` builds once before any test; `npm run test:program` and the e2e specs rebuild stale bundles while other
// spec files may be starting them (tests/e2e/appBundles.ts). A build that emptied dist/ first left those readers
// without dist/server.js for the whole build.
describe("a rebuild while another process reads dist/", () => {
    let app: string;
    before(async () => {
        app = mkdtempSync(path.join(tmpdir(), "rebuild-"));
        assert.ok(BUILD_INPUTS.includes("build.mjs") && BUILD_INPUTS.includes("src"), `the build stage's COPY sources: ${BUILD_INPUTS.join(" ")}`);
        for (const input of BUILD_INPUTS) cpSync(path.join(APP, input), path.join(app, input), { recursive: true });
        symlinkSync(path.join(APP, "node_modules"), path.join(app, "node_modules"), "dir");
        // The build npm test made before any test (test:prepare) is the dist/ the rebuild replaces: a first build here
        // would make the same bytes again (about 3 s of esbuild's CPU). Were app/dist/ stale, the test says so below.
        cpSync(builtDist(), path.join(app, "dist"), { recursive: true });
    });
    after(() => rmSync(app, { recursive: true, force: true }));

    it("finds every bundle whole at every moment, and a file the build no longer makes is gone afterwards", async () => {
        const dist = path.join(app, "dist");
        const bundles = filesUnder(dist);
        assert.ok(bundles.includes("server.js") && bundles.includes("vendor/client-s3.js"), bundles.join(", "));
        const whole = new Map(bundles.map((f) => [f, readFileSync(path.join(dist, f))]));
        writeFileSync(path.join(dist, "stale.js"), "left by an older build");

        const rebuild = build(app);
        const seen = { reads: 0, missing: new Set<string>(), partial: new Set<string>() };
        while (!rebuild.done()) {
            for (const [file, content] of whole) {
                let read: Buffer;
                try {
                    read = readFileSync(path.join(dist, file));
                } catch {
                    seen.missing.add(file);
                    continue;
                }
                seen.reads++;
                // The same sources build the same bytes: anything else is a file caught while being written.
                if (!read.equals(content)) seen.partial.add(file);
            }
            await yieldToEvents();
        }
        assert.equal(await rebuild.exited, 0, "the rebuild");
        const stale = bundles.filter((f) => !existsSync(path.join(dist, f)) || !readFileSync(path.join(dist, f)).equals(whole.get(f)!));
        assert.deepEqual(stale, [], "app/dist/ is not what the build makes of the sources (a file read differing then says nothing): run `npm run build` in app/ first");
        assert.ok(seen.reads > whole.size, `read each bundle during the build (${seen.reads} reads)`);
        assert.deepEqual([...seen.missing], [], "bundles missing during the build");
        assert.deepEqual([...seen.partial], [], "bundles read half written");
        assert.deepEqual(filesUnder(dist).sort(), [...bundles].sort(), "dist/ holds what the build made, the stale file gone");
        assert.deepEqual(readdirSync(app).filter((f) => f.startsWith(".dist-next-")), [], "no build folder left behind");
    });
});
