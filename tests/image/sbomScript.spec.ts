import * as assert from "assert";
import { spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/stackFile";
import { spdxOf } from "../../scripts/offline/fakeCosign";
import { recordedCalls } from "../harness/recordedCalls";
import { scratchDir } from "../harness/tempDirs";

const SCRIPT = path.join(PROJECT_ROOT, "scripts", "image", "sbom.sh");
const REPOSITORY = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/multicloud-service-dev";
const REF = `${REPOSITORY}@sha256:${"a".repeat(64)}`;
const ARCHIVE_URL = "https://github.com/anchore/syft/releases/download/v1.42.3/syft_1.42.3_linux_amd64.tar.gz";
const PINNED_SHA256 = "0d6be741479eddd2c8644a288990c04f3df0d609bbc1599a005532a9dff63509";
const SBOM = `${JSON.stringify(spdxOf(REPOSITORY))}\n`;
// A registry refusal as syft prints it (its source resolution error with each provider's answer, as a real run's log
// quotes it in oneuptime/oneuptime's syft helper test: "ERROR could not determine source: errors occurred attempting to
// resolve '<ref>':\n  - oci-registry: GET ...: <the registry's code>: ..."); ECR's code for a pull without a login.
const SYFT_REFUSED = `[0001] ERROR could not determine source: errors occurred attempting to resolve 'registry:${REF}':\n  - oci-registry: GET https://123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/v2/multicloud-service-dev/manifests/sha256:${"a".repeat(64)}: DENIED: Your authorization token has expired. Reauthenticate and try again.`;

type Syft = "writes" | "fails" | "failsHalfway" | "writesNothing";

/**
 * scripts/image/sbom.sh as image.yml runs it, with stand-ins first on PATH: `curl` serves a release archive holding a
 * stand-in `syft` (which records its arguments and environment, and writes the SBOM to stdout as syft does), `uname`
 * answers a GitHub-hosted runner's Linux/x86_64 (or `machine`), and `sha256sum` answers, in coreutils' words
 * ("<sum>  <file>"), the pinned sum unless `realSum` leaves the real one to judge the stand-in archive. `runnerTemp`:
 * the job's RUNNER_TEMP, shared by the steps of one job (a folder of its own otherwise).
 */
function runSbom(args: string[], options: { syft?: Syft; realSum?: boolean; machine?: string; debug?: boolean; runnerTemp?: string } = {}) {
    const bin = scratchDir("sbom-bin");
    const log = path.join(bin, "calls.log");
    const release = scratchDir("syft-release");
    fs.writeFileSync(
        path.join(release, "syft"),
        [
            "#!/usr/bin/env bash",
            `echo "syft $* SYFT_CHECK_FOR_APP_UPDATE=$SYFT_CHECK_FOR_APP_UPDATE" >> "${log}"`,
            `echo "[0000]  INFO syft version: 1.42.3" >&2`,
            options.syft === "fails" ? `echo "${SYFT_REFUSED}" >&2; exit 1` : "",
            options.syft === "failsHalfway" ? `printf '{"spdxVersion":'; echo "${SYFT_REFUSED}" >&2; exit 1` : "",
            options.syft === "writesNothing" ? "exit 0" : "",
            `cat <<'SPDX'\n${SBOM}SPDX`,
        ].filter((line) => line !== "").join("\n"),
        { mode: 0o755 },
    );
    const archive = path.join(scratchDir("syft-archive"), "syft.tar.gz");
    assert.strictEqual(spawnSync("tar", ["-czf", archive, "-C", release, "syft"]).status, 0);
    const stand = (name: string, body: string) => fs.writeFileSync(path.join(bin, name), `#!/usr/bin/env bash\n${body}\n`, { mode: 0o755 });
    stand("curl", `echo "curl $*" >> "${log}"\nwhile (($#)); do [[ "$1" != --output ]] || out="$2"; shift; done\ncp "${archive}" "$out"`);
    stand("uname", `case "$1" in -s) echo Linux ;; -m) echo "${options.machine ?? "x86_64"}" ;; esac`);
    if (!options.realSum) stand("sha256sum", `echo "${PINNED_SHA256}  $1"`);
    const workspace = scratchDir("image-workspace");
    const run = spawnSync("bash", [SCRIPT, ...args], {
        cwd: workspace,
        encoding: "utf8",
        env: { PATH: `${bin}:${process.env.PATH}`, RUNNER_TEMP: options.runnerTemp ?? scratchDir("runner-temp"), ...(options.debug ? { RUNNER_DEBUG: "1" } : {}) },
    });
    const calls = recordedCalls(log);
    return { ...run, workspace, archiveSha256: createHash("sha256").update(fs.readFileSync(archive)).digest("hex"), curl: calls.filter((c) => c.startsWith("curl ")), syft: calls.filter((c) => c.startsWith("syft ")) };
}

describe("scripts/image/sbom.sh: image.yml's SBOM, by syft v1.42.3 from its checked release archive", function () {
    if (spawnSync("bash", ["--version"]).status !== 0 || spawnSync("tar", ["--version"]).status !== 0) {
        before(function () {
            console.log("      skipped: no bash or tar on this machine to run scripts/image/sbom.sh");
            this.skip();
        });
    }

    it("downloads the one release over https, and writes syft's stdout whole as the file sign.sh attests, run as sbom-action ran it", () => {
        const run = runSbom([REF, "sbom-aws.spdx.json"]);
        assert.strictEqual(run.status, 0, run.stderr);
        assert.strictEqual(run.curl.length, 1);
        assert.match(run.curl[0], /^curl --fail --silent --show-error --location --proto =https --tlsv1\.2 --retry 3 --output \S+\/syft_1\.42\.3_linux_amd64\.tar\.gz\.download (\S+)$/);
        assert.strictEqual(run.curl[0].split(" ").at(-1), ARCHIVE_URL);
        // sbom-action v0.24.0 (src/github/SyftGithubAction.ts executeSyft) for `image: registry:<ref>`, `format: spdx-json`,
        // no registry-username: `syft scan registry:<ref> -o spdx-json`, SYFT_CHECK_FOR_APP_UPDATE=false.
        assert.deepStrictEqual(run.syft, [`syft scan registry:${REF} -o spdx-json SYFT_CHECK_FOR_APP_UPDATE=false`]);
        assert.strictEqual(fs.readFileSync(path.join(run.workspace, "sbom-aws.spdx.json"), "utf8"), SBOM);
        assert.deepStrictEqual(fs.readdirSync(run.workspace), ["sbom-aws.spdx.json"]);
        assert.match(run.stderr, /INFO syft version: 1\.42\.3/, "syft's log stays in the step's log");
    });

    // Before: each SBOM step downloaded syft again, so a run that built both clouds' images downloaded it twice.
    it("downloads syft once a job: the other cloud's SBOM step finds the archive in RUNNER_TEMP, checked again, and scans", () => {
        const runnerTemp = scratchDir("runner-temp");
        const aws = runSbom([REF, "sbom-aws.spdx.json"], { runnerTemp });
        const gcp = runSbom([REF, "sbom-gcp.spdx.json"], { runnerTemp });
        for (const run of [aws, gcp]) assert.strictEqual(run.status, 0, run.stderr);
        assert.deepStrictEqual([aws.curl.length, gcp.curl.length], [1, 0], "the second step downloads nothing");
        // The syft that ran is the first step's stand-in (it logs to that step's calls): its SBOM is the evidence.
        assert.strictEqual(fs.readFileSync(path.join(gcp.workspace, "sbom-gcp.spdx.json"), "utf8"), SBOM);
    });

    // The kept archive is judged as a downloaded one is: its sum, every step (here the stand-in archive's real one).
    it("an archive kept in RUNNER_TEMP whose sha256 is not the pinned one: the later step refuses it, runs no syft and removes it", function () {
        if (spawnSync("sha256sum", ["--version"]).status !== 0) this.skip();
        const runnerTemp = scratchDir("runner-temp");
        const aws = runSbom([REF, "sbom-aws.spdx.json"], { runnerTemp });
        assert.strictEqual(aws.status, 0, aws.stderr);
        const gcp = runSbom([REF, "sbom-gcp.spdx.json"], { runnerTemp, realSum: true });
        assert.strictEqual(gcp.status, 1);
        assert.ok(gcp.stderr.includes(`::error::${ARCHIVE_URL} has sha256 ${aws.archiveSha256}, not ${PINNED_SHA256} (scripts/image/sbom.sh): syft is not run`), gcp.stderr);
        assert.deepStrictEqual([gcp.curl, gcp.syft], [[], []]);
        assert.deepStrictEqual(fs.readdirSync(gcp.workspace), []);
        // Refused bytes are not kept: a step run again downloads the release rather than find them.
        const again = runSbom([REF, "sbom-gcp.spdx.json"], { runnerTemp });
        assert.strictEqual(again.status, 0, again.stderr);
        assert.strictEqual(again.curl.length, 1, "the refused archive was kept and taken");
    });

    it("passes -vv when the run has debug logging (RUNNER_DEBUG=1), as sbom-action does (core.isDebug())", () => {
        const run = runSbom([REF, "sbom-gcp.spdx.json"], { debug: true });
        assert.strictEqual(run.status, 0, run.stderr);
        assert.deepStrictEqual(run.syft, [`syft scan -vv registry:${REF} -o spdx-json SYFT_CHECK_FOR_APP_UPDATE=false`]);
    });

    it("an archive whose sha256 is not the pinned one: syft never runs and no SBOM is written, naming both sums", function () {
        if (spawnSync("sha256sum", ["--version"]).status !== 0) this.skip();
        const run = runSbom([REF, "sbom-aws.spdx.json"], { realSum: true });
        assert.strictEqual(run.status, 1);
        assert.ok(run.stderr.includes(`::error::${ARCHIVE_URL} has sha256 ${run.archiveSha256}, not ${PINNED_SHA256} (scripts/image/sbom.sh): syft is not run`), run.stderr);
        assert.deepStrictEqual(run.syft, []);
        assert.deepStrictEqual(fs.readdirSync(run.workspace), []);
    });

    it("a scan syft fails, before or after it began writing: no SBOM file at all, so sign.sh signs nothing; syft's words stay in the log", () => {
        for (const syft of ["fails", "failsHalfway"] as const) {
            const run = runSbom([REF, "sbom-aws.spdx.json"], { syft });
            assert.strictEqual(run.status, 1, syft);
            assert.ok(run.stderr.includes("DENIED: Your authorization token has expired"), run.stderr);
            assert.match(run.stderr, /::error::syft could not write the SBOM of .*@sha256:a+ \(its error is above\); sbom-aws\.spdx\.json is not written, so the image is not signed/);
            assert.deepStrictEqual(fs.readdirSync(run.workspace), [], syft);
        }
    });

    // Not an answer syft is known to give (its scan writes the whole document to stdout, or fails): the stand-in exits 0
    // with nothing, the case sbom.sh's own empty-file check is for, as sbom-action wrote its output-file only with output.
    it("a scan that succeeds with no output: no SBOM file and no partial one left, so sign.sh signs nothing", () => {
        const run = runSbom([REF, "sbom-aws.spdx.json"], { syft: "writesNothing" });
        assert.strictEqual(run.status, 1);
        assert.match(run.stderr, /::error::syft wrote no SBOM for .*@sha256:a+; sbom-aws\.spdx\.json is not written, so the image is not signed/);
        assert.deepStrictEqual(fs.readdirSync(run.workspace), []);
    });

    // Before (mutant M04): without the file argument syft was downloaded and run, and its SBOM left as `.partial`.
    it("no SBOM file named, nothing under the run's tag, or a runner that is not x86_64 Linux: refused before anything is downloaded", () => {
        const unnamed = runSbom([REF]);
        assert.strictEqual(unnamed.status, 1);
        assert.match(unnamed.stderr, /^::error::usage: scripts\/image\/sbom\.sh <repository>@sha256:<digest> <sbom\.spdx\.json>$/m);
        assert.deepStrictEqual(fs.readdirSync(unnamed.workspace), []);
        const empty = runSbom(["", "sbom-aws.spdx.json"]);
        assert.strictEqual(empty.status, 1);
        assert.match(empty.stderr, /no image for sbom-aws\.spdx\.json: the registry holds nothing under this run's tag/);
        const arm = runSbom([REF, "sbom-aws.spdx.json"], { machine: "aarch64" });
        assert.strictEqual(arm.status, 1);
        assert.match(arm.stderr, /installs syft's linux_amd64 release, and this runner is Linux\/aarch64/);
        for (const run of [unnamed, empty, arm]) assert.deepStrictEqual([...run.curl, ...run.syft], []);
    });
});
