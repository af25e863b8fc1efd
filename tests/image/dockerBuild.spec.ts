import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { buildFailureRemedy } from "../../scripts/image/buildFailure";
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

    // BuildKit's plain output of a failed build (docker writes it to stderr), ending as it does: the Dockerfile's lines
    // around the failed instruction, then "ERROR: failed to build: failed to solve: ...".
    const failedBuild = (lines: string[]) => dockerStandIn(`cat >&2 <<'OUTPUT'\n${lines.join("\n")}\nOUTPUT\nexit 1`);
    const BASE = "public.ecr.aws/lambda/nodejs:24@sha256:486431faaa8a45cc6b23c06ce5281670ed98faa7a45f06411121c33b7247df49";
    const MANIFEST = "https://public.ecr.aws/v2/lambda/nodejs/manifests/sha256:486431faaa8a45cc6b23c06ce5281670ed98faa7a45f06411121c33b7247df49";

    // Before: the failure said 429 and nothing of why or what to do. ECR Public's anonymous quota is the IP address's
    // (its service quotas: 1 unauthenticated pull a second, 500 GB a month); signed in, 10 a second. The words are
    // BuildKit's for ECR Public's 429, as tenstorrent/tt-metal#27457 shows them ("Rate exceeded": aws/aws-cdk#16927).
    it("ECR Public's 429 for the base image says to log the client in to ECR Public, with the command", async () => {
        const env = failedBuild([
            "#1 [internal] load build definition from Dockerfile",
            "#1 DONE 0.0s",
            `#2 [internal] load metadata for ${BASE}`,
            `#2 ERROR: failed to copy: httpReadSeeker: failed open: unexpected status from GET request to ${MANIFEST}: 429 Too Many Requests`,
            "toomanyrequests: Rate exceeded",
            "------",
            ` > [internal] load metadata for ${BASE}:`,
            "------",
            `ERROR: failed to build: failed to solve: ${BASE}: failed to resolve source metadata for ${BASE}: failed to copy: httpReadSeeker: failed open: unexpected status from GET request to ${MANIFEST}: 429 Too Many Requests`,
            "toomanyrequests: Rate exceeded",
        ]);
        await assert.rejects(dockerStreaming(["buildx", "build", "."], { cwd: process.cwd(), env }, () => {}), (err: Error) => {
            assert.match(err.message, /^docker buildx build failed \(exit 1\): .*429 Too Many Requests \| toomanyrequests: Rate exceeded\. public\.ecr\.aws, the registry of app\/Dockerfile's base image, refused an anonymous pull/);
            assert.ok(err.message.endsWith("`aws ecr-public get-login-password --region us-east-1 | docker login --username AWS --password-stdin public.ecr.aws`"), err.message);
            return true;
        });
    });

    // Before: the failure named only the Dockerfile's lines and "did not complete successfully", the last 5 lines; npm's
    // own code, above them, was gone. Behind a proxy that inspects TLS the build's npm ci fails so, in npm's words
    // (huggingface/chat-ui#1283: "npm error errno SELF_SIGNED_CERT_IN_CHAIN", "self-signed certificate in certificate
    // chain"), and BuildKit ends as Cloud-CV/EvalAI#4715 shows.
    it("npm ci failing on the proxy's certificate inside the build names npm's code and what to do", async () => {
        const env = failedBuild([
            "#9 [build 4/7] RUN npm ci --no-audit --no-fund",
            "#9 1.020 npm error code SELF_SIGNED_CERT_IN_CHAIN",
            "#9 1.020 npm error errno SELF_SIGNED_CERT_IN_CHAIN",
            "#9 1.026 npm error request to https://registry.npmjs.org/hono/-/hono-4.9.0.tgz failed, reason: self-signed certificate in certificate chain",
            "#9 1.036 npm error A complete log of this run can be found in: /root/.npm/_logs/2025-07-03T10_00_50_586Z-debug-0.log",
            '#9 ERROR: process "/bin/sh -c npm ci --no-audit --no-fund" did not complete successfully: exit code: 1',
            "------",
            "Dockerfile:12",
            "--------------------",
            "  11 |     COPY package.json package-lock.json ./",
            "  12 | >>> RUN npm ci --no-audit --no-fund",
            "  13 |     COPY tsconfig.json build.mjs buildOptions.mjs ./",
            "--------------------",
            'ERROR: failed to build: failed to solve: process "/bin/sh -c npm ci --no-audit --no-fund" did not complete successfully: exit code: 1',
        ]);
        await assert.rejects(
            dockerStreaming(["buildx", "build", "."], { cwd: process.cwd(), env }, () => {}),
            /did not complete successfully: exit code: 1\. the build's `npm ci` \(app\/Dockerfile, build stage\) does not trust the certificate it was shown \(SELF_SIGNED_CERT_IN_CHAIN\), .* let image\.yml build it \(`gh workflow run image\.yml`\)$/,
        );
    });

    // npm's code names whichever verification failed: a proxy that signs with a CA of its own gives the first three, one
    // that shows a certificate of its own the last (components/noAnswer.ts lists them as Node's codes).
    it("each of Node's untrusted-issuer codes in npm's words gets the remedy, in npm 10+'s words and older npm's", () => {
        for (const code of ["SELF_SIGNED_CERT_IN_CHAIN", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "DEPTH_ZERO_SELF_SIGNED_CERT"]) {
            for (const line of [`#9 1.020 npm error code ${code}`, `#9 1.020 npm ERR! code ${code}`]) {
                assert.match(buildFailureRemedy(line) ?? "", new RegExp(`does not trust the certificate it was shown \\(${code}\\)`), line);
            }
        }
    });

    // The build pushes (--push): a 429 from the stack's own registry is that registry's quota, which no ECR Public login
    // lifts. containerd's words for it are the same as for the base image's (remotes/errors ErrUnexpectedStatus).
    it("a 429 from another registry than ECR Public is not given the ECR Public login", () => {
        const push = "#12 ERROR: failed to push asia-northeast1-docker.pkg.dev/p/r/service:c-1: unexpected status from PUT request to https://asia-northeast1-docker.pkg.dev/v2/p/r/service/blobs/uploads/: 429 Too Many Requests";
        assert.strictEqual(buildFailureRemedy(push), undefined);
    });

    it("a client that cannot start is named", async () => {
        await assert.rejects(dockerStreaming(["buildx", "build", "."], { cwd: process.cwd(), env: { PATH: scratchDir("no-docker") } }, () => {}), /^Error: docker buildx build: spawn docker ENOENT$/);
    });
});
