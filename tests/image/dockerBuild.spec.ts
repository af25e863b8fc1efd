import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { dockerStreaming } from "../../scripts/image/dockerBuild";
import { dockerStandIn } from "../harness/dockerStandIn";
import { scratchDir } from "../harness/tempDirs";

/**
 * A stand-in `docker` on PATH that writes BuildKit's plain progress to stderr, as `docker buildx build` does where
 * stderr is not a terminal (its `--progress=auto` is then `plain`: `#<n> <step>` lines, then `#<n> DONE`), runs
 * `between` after its first line, and ends with `exit`.
 */
function buildStandIn(exit: number, lastLine: string, between = ""): NodeJS.ProcessEnv {
    return dockerStandIn(['echo "#1 [internal] load build definition from Dockerfile" >&2', between, `echo "${lastLine}" >&2`, `exit ${exit}`].join("\n"));
}

describe("the local build's docker output, as it comes", () => {
    // Before: the build's output was collected (execFile) and shown only on failure, so minutes passed in silence.
    it("hands each line over while docker still runs, and resolves on exit 0", async () => {
        // The stand-in writes its last line only once the first has been handed over (the handler makes a file): a client
        // that held the lines until docker exits never hands it, and the stand-in gives up (exit 3) after 5 s.
        const handed = JSON.stringify(path.join(scratchDir("docker-build-handed"), "first-line"));
        const env = buildStandIn(0, "#1 DONE 0.1s", `for _ in $(seq 100); do [ -e ${handed} ] && break; sleep 0.05; done\n[ -e ${handed} ] || { echo "the first line was not handed over while docker ran" >&2; exit 3; }`);
        const seen: string[] = [];
        await dockerStreaming(["buildx", "build", "."], { cwd: process.cwd(), env }, (line) => {
            seen.push(line);
            if (seen.length === 1) fs.writeFileSync(JSON.parse(handed), "");
        });
        assert.deepStrictEqual(seen, ["#1 [internal] load build definition from Dockerfile", "#1 DONE 0.1s"]);
    });

    it("a failure names the command, the exit code and docker's last lines", async () => {
        const env = buildStandIn(1, "ERROR: failed to solve: process did not complete successfully: exit code: 1");
        await assert.rejects(
            dockerStreaming(["buildx", "build", "."], { cwd: process.cwd(), env }, () => {}),
            /^Error: docker buildx build failed \(exit 1\): #1 \[internal\] load build definition from Dockerfile \| ERROR: failed to solve: process did not complete successfully: exit code: 1$/,
        );
    });

    // Any exit but 0 is a failure, not only buildx's 1: the docker CLI exits 125 when it refuses the command itself, as
    // for a flag it does not know (docker/cli cli/cobra.go FlagErrorFunc, StatusCode 125, and cmd/docker/docker.go,
    // which prints it to stderr; the "docker run" reference: 125 means the error is with Docker daemon itself).
    it("an exit other than 1 (docker's own 125) is a failure naming its code", async () => {
        const refused = ["unknown flag: --bogus", "", "Usage:  docker [OPTIONS] COMMAND [ARG...]", "", "Run 'docker --help' for more information"];
        const env = dockerStandIn([...refused.map((line) => `echo "${line}" >&2`), "exit 125"].join("\n"));
        await assert.rejects(
            dockerStreaming(["buildx", "build", "."], { cwd: process.cwd(), env }, () => {}),
            /^Error: docker buildx build failed \(exit 125\): unknown flag: --bogus \|  \| Usage:  docker \[OPTIONS\] COMMAND \[ARG\.\.\.\] \|  \| Run 'docker --help' for more information$/,
        );
    });

    it("a client that cannot start is named", async () => {
        await assert.rejects(dockerStreaming(["buildx", "build", "."], { cwd: process.cwd(), env: { PATH: scratchDir("no-docker") } }, () => {}), /^Error: docker buildx build: spawn docker ENOENT$/);
    });
});
