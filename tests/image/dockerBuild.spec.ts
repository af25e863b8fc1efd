import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { dockerStreaming } from "../../scripts/image/dockerBuild";
import { scratchDir } from "../harness/tempDirs";

/**
 * A stand-in `docker` on PATH that writes BuildKit's plain progress to stderr over time, as `docker buildx build`
 * does where stderr is not a terminal (its `--progress=auto` is then `plain`: `#<n> <step>` lines, then `#<n> DONE`),
 * and ends with `exit`.
 */
function standInDocker(exit: number, lastLine: string): NodeJS.ProcessEnv {
    const bin = scratchDir("docker-build-stand-in");
    const script = ["#!/usr/bin/env bash", 'echo "#1 [internal] load build definition from Dockerfile" >&2', "sleep 0.4", `echo "${lastLine}" >&2`, `exit ${exit}`].join("\n");
    fs.writeFileSync(path.join(bin, "docker"), `${script}\n`, { mode: 0o755 });
    return { ...process.env, PATH: `${bin}:${process.env.PATH}` };
}

describe("the local build's docker output, as it comes", () => {
    // Before: the build's output was collected (execFile) and shown only on failure, so minutes passed in silence.
    it("hands each line over while docker still runs, and resolves on exit 0", async () => {
        const env = standInDocker(0, "#1 DONE 0.1s");
        const seen: { line: string; at: number }[] = [];
        const started = Date.now();
        await dockerStreaming(["buildx", "build", "."], { cwd: process.cwd(), env }, (line) => seen.push({ line, at: Date.now() - started }));
        const ended = Date.now() - started;
        assert.deepStrictEqual(seen.map((s) => s.line), ["#1 [internal] load build definition from Dockerfile", "#1 DONE 0.1s"]);
        assert.ok(seen[0].at < ended - 300, `the first line came ${seen[0].at} ms in, the run ended at ${ended} ms`);
    });

    it("a failure names the command, the exit code and docker's last lines", async () => {
        const env = standInDocker(1, "ERROR: failed to solve: process did not complete successfully: exit code: 1");
        await assert.rejects(
            dockerStreaming(["buildx", "build", "."], { cwd: process.cwd(), env }, () => {}),
            /^Error: docker buildx build failed \(exit 1\): #1 \[internal\] load build definition from Dockerfile \| ERROR: failed to solve: process did not complete successfully: exit code: 1$/,
        );
    });

    it("a client that cannot start is named", async () => {
        await assert.rejects(dockerStreaming(["buildx", "build", "."], { cwd: process.cwd(), env: { PATH: scratchDir("no-docker") } }, () => {}), /^Error: docker buildx build: spawn docker ENOENT$/);
    });
});
