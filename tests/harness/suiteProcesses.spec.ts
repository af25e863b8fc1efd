import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/stackFile";
import { scratchDir } from "./tempDirs";

const MOCHA = require.resolve("mocha/bin/mocha.js");

describe("startedBeforeStoppedAfter: a suite whose start outlives its before hook", () => {
    it("stops what the start started once it ends, so that mocha exits with the hook's timeout as its failure", function () {
        this.timeout(60_000);
        const dir = scratchDir("suite-processes");
        const spec = path.join(dir, "slowStart.spec.js");
        const record = path.join(dir, "server.txt");
        // The start is still sleeping when its 1 s hook times out, then starts a server process: what the end-to-end
        // specs' starts do on a busy machine.
        fs.writeFileSync(
            spec,
            `const { spawn } = require("child_process");
             const fs = require("fs");
             const { startedBeforeStoppedAfter } = require(${JSON.stringify(path.join(__dirname, "suiteProcesses.ts"))});
             describe("a suite that starts a server", function () {
                 this.timeout(1000);
                 let server;
                 startedBeforeStoppedAfter(
                     async () => {
                         await new Promise((resolve) => setTimeout(resolve, 1500));
                         server = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
                         fs.writeFileSync(${JSON.stringify(record)}, String(server.pid));
                     },
                     async () => {
                         if (!server) return;
                         server.kill("SIGKILL");
                         await new Promise((resolve) => server.once("exit", resolve));
                         fs.appendFileSync(${JSON.stringify(record)}, " stopped");
                     },
                 );
                 it("uses the server", () => {});
             });`,
        );
        const started = Date.now();
        // A mocha the server keeps alive fails this test by spawnSync's timeout instead of hanging it.
        const run = spawnSync(process.execPath, [MOCHA, "--no-config", "--require", path.join(__dirname, "transpile.js"), "--reporter", "dot", spec], {
            cwd: PROJECT_ROOT,
            encoding: "utf8",
            timeout: 30_000,
        });
        const [pid, stopped] = fs.existsSync(record) ? fs.readFileSync(record, "utf8").split(" ") : [];
        const running = pid !== undefined && isRunning(Number(pid));
        if (running) process.kill(Number(pid), "SIGKILL");
        assert.strictEqual(run.signal, null, `mocha was still running after ${(Date.now() - started) / 1000} s, kept alive by the server:\n${run.stdout}${run.stderr}`);
        assert.strictEqual(run.status, 1, run.stdout + run.stderr);
        assert.match(run.stdout, /"before all" hook.*\n.*Timeout of 1000ms exceeded/);
        assert.ok(pid, "the start went on after its hook's timeout and started the server");
        assert.strictEqual(stopped, "stopped", "the after hook stopped it");
        assert.strictEqual(running, false, `server ${pid} is still running`);
    });
});

function isRunning(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}
