import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { backendStandIns } from "./backendStandIns";
import { startServer } from "./helpers";

// Node compiles every byte of each file it loads, and a start that loaded every cloud SDK spent about half of its
// time to /ready on code it never ran (the GCS client on Lambda, S3's on Cloud Run, Step Functions' before any run).
// build.mjs bundles the SDKs apart (dist/vendor/); this checks which files a started server has loaded.

const BUCKET = "loaded-on-demand";
const DIST = path.join(__dirname, "..", "dist");
const work = mkdtempSync(path.join(tmpdir(), "loaded-on-demand-"));
const PRELOAD = path.join(work, "report-loaded.js");
// Writes, as the process exits, the bundle files it loaded (CommonJS's module cache).
writeFileSync(PRELOAD, `process.on("exit", () => require("fs").writeFileSync(process.env.LOADED_FILES_REPORT, JSON.stringify(Object.keys(require.cache))));\n`);

async function filesLoadedBy(env: Record<string, string>, report: string, use?: (url: string) => Promise<void>): Promise<string[]> {
    const server = await startServer({ ...env, NODE_OPTIONS: `--require ${PRELOAD}`, LOADED_FILES_REPORT: report });
    await use?.(server.url);
    assert.equal(await server.stop(), 0);
    const loaded: string[] = JSON.parse(readFileSync(report, "utf8"));
    return loaded.filter((f) => f.startsWith(DIST)).map((f) => path.relative(DIST, f)).sort();
}

describe("the server loads the cloud SDKs it uses, and no other (dist/vendor/)", () => {
    const standIns = backendStandIns(BUCKET);
    after(() => rmSync(work, { recursive: true, force: true }));

    const upload = async (url: string) => assert.equal((await fetch(`${url}/objects/a.txt`, { method: "PUT", body: "a" })).status, 201);

    it("memory: its own file only", async () => {
        assert.deepEqual(await filesLoadedBy({}, path.join(work, "memory.json"), upload), ["server.js"]);
    });

    it("s3 (an upload): the S3 client, not Google's, nor Step Functions' or Secrets Manager's", async () => {
        assert.deepEqual(await filesLoadedBy(standIns.env("s3"), path.join(work, "s3.json"), upload), ["server.js", "vendor/client-s3.js"]);
    });

    it("gcs (an upload): the GCS client only", async () => {
        assert.deepEqual(await filesLoadedBy(standIns.env("gcs"), path.join(work, "gcs.json"), upload), ["server.js", "vendor/google-cloud-storage.js"]);
    });
});
