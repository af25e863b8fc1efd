import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { copyFileSync, cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";

const APP = path.join(__dirname, "..");
/** Long enough for tsx and three starts on two busy cores; before, the Lambda API's second call never ended. */
const HANG_GUARD_MS = 20_000;

// What the test helpers do in an app/ whose bundles were never built (the tests run without `npm run build` first):
// each start of a bundle must fail at once naming the missing file and the build. Before, the server's cases failed on
// "Cannot find module" in the process's output, and the Lambda API's second call waited for ever (a hung run).
describe("the test helpers in an app/ with no dist/ (not built)", () => {
    let app: string;
    before(() => {
        app = mkdtempSync(path.join(tmpdir(), "unbuilt-"));
        cpSync(path.join(APP, "tests"), path.join(app, "tests"), { recursive: true }); // a copy: its helpers look for ../dist beside it
        for (const shared of ["src", "node_modules"]) symlinkSync(path.join(APP, shared), path.join(app, shared), "dir");
        for (const file of ["package.json", "tsconfig.json"]) copyFileSync(path.join(APP, file), path.join(app, file));
        // Each start as a test starts it: the Lambda API called twice (as lambdaPayloadLimits.test.ts does), the server, the worker.
        writeFileSync(
            path.join(app, "tests", "startUnbuilt.ts"),
            `import { functionUrlEvent } from "./events";
import { startServer } from "./helpers";
import { invokeBundle } from "./invokeBundle";
import { startLambdaApi } from "./lambdaApi";
const failure = (start: () => Promise<unknown>) => start().then(() => "started", (e: Error) => e.message.split("\\n")[0]);
// Kept alive as a test run is (its other files' servers and timers): a call that never settles then waits, not exits.
const alive = setInterval(() => undefined, 60_000);
(async () => {
    const api = await failure(async () => {
        const lambda = startLambdaApi({ STORAGE_BACKEND: "memory" });
        try {
            await lambda.call(functionUrlEvent("GET", "/health")).catch(() => undefined);
            await lambda.call(functionUrlEvent("HEAD", "/health"));
        } finally {
            await lambda.stop();
        }
    });
    const server = await failure(() => startServer({ STORAGE_BACKEND: "memory" }));
    const worker = await failure(() => invokeBundle("worker", {}, {}));
    console.log(JSON.stringify({ api, server, worker }));
    clearInterval(alive);
})();
`,
        );
    });
    after(() => rmSync(app, { recursive: true, force: true }));

    it("each start fails at once, naming the missing bundle and `npm run build`", { timeout: HANG_GUARD_MS + 10_000 }, async () => {
        const child = spawn(process.execPath, ["--import", "tsx", path.join("tests", "startUnbuilt.ts")], { cwd: app, stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        child.stdout.on("data", (d) => (output += d));
        child.stderr.on("data", (d) => (output += d));
        const guard = setTimeout(() => child.kill("SIGKILL"), HANG_GUARD_MS);
        const [code, signal] = await once(child, "close");
        clearTimeout(guard);
        assert.equal(signal, null, `still running after ${HANG_GUARD_MS} ms (hung): ${output}`);
        assert.equal(code, 0, output);
        const dist = path.join(app, "dist");
        const missing = (entry: string) => `${path.join(dist, `${entry}.js`)} is missing: run \`npm run build\` in app/ first (npm test builds it; a test file run on its own does not)`;
        assert.deepEqual(JSON.parse(output), { api: missing("api"), server: missing("server"), worker: missing("worker") });
    });
});
