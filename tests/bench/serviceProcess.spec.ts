// The service figures of `npm run bench` (cold start, load, the limiter's cost) come from the service started as a
// process: on the Node its image runs, or they describe a runtime that never ships.
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ensureBundle } from "../../loader/bundle";
import { ROOT, SERVICE_NODE, freePort, startService, stop } from "../../scripts/bench/processes";

/** The Node major of app/Dockerfile's runtime stage (its last FROM: public.ecr.aws/lambda/nodejs:<major>@sha256:...). */
function imageNodeMajor(): string {
    const froms = fs.readFileSync(path.join(ROOT, "app", "Dockerfile"), "utf8").match(/^FROM .*$/gm) ?? [];
    const major = /nodejs:(\d+)@/.exec(froms[froms.length - 1] ?? "")?.[1];
    assert.ok(major, `no nodejs:<major> in app/Dockerfile's last FROM (${froms[froms.length - 1]})`);
    return major;
}

describe("bench: the service process", function () {
    this.timeout(30_000);

    it("runs on the Node major of the image's runtime stage", async function () {
        if (process.platform !== "linux") {
            console.log("      skipped: the process's executable is read from /proc, which only Linux has");
            this.skip();
        }
        const { child } = await startService(path.join(ROOT, "app", "dist", "server.js"), await freePort());
        try {
            const executable = fs.readlinkSync(`/proc/${child.pid}/exe`);
            const version = execFileSync(executable, ["--version"], { encoding: "utf8" }).trim();
            assert.strictEqual(version.replace(/^v(\d+)\..*$/, "$1"), imageNodeMajor(), `${executable} is ${version}`);
        } finally {
            await stop(child);
        }
    });

    it("is found from the bench's bundle too, which runs from bin/ (`npm run bench` starts scripts/build/run.js)", () => {
        // run.js bundles each tool under bin/ at the same depth as its source; a path taken from the module's own
        // folder there points into bin/.
        const { outfile } = ensureBundle("scripts/bench/processes.ts");
        const bundled: typeof import("../../scripts/bench/processes") = require(outfile);
        assert.strictEqual(bundled.SERVICE_NODE, SERVICE_NODE);
        assert.ok(fs.existsSync(bundled.SERVICE_NODE), `${bundled.SERVICE_NODE} exists`);
    });
});
