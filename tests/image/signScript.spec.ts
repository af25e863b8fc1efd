import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/stackFile";
import { scratchDir } from "../harness/tempDirs";

const SCRIPT = path.join(PROJECT_ROOT, "scripts", "image", "sign.sh");
const DIGEST = `sha256:${"a".repeat(64)}`;
const REF = `123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/multicloud-service-dev@${DIGEST}`;

/**
 * scripts/image/sign.sh as image.yml runs it, with a stand-in `cosign` first on PATH that records its arguments. Its
 * verify answers as cosign v2.4.1 does for an image nobody signed: "Error: no signatures found" on stderr and exit
 * code 10 (sigstore/cosign pkg/cosign/verify.go ErrNoSignaturesFound; cmd/cosign/errors/exit_codes.go
 * ImageWithoutSignature). `verifies`: which of its verify commands pass (`verify`, `verify-attestation`), or all of them.
 */
function runSign(args: string[], verifies: boolean | string[]) {
    const bin = scratchDir("cosign-bin");
    const log = path.join(bin, "calls.log");
    fs.writeFileSync(
        path.join(bin, "cosign"),
        `#!/usr/bin/env bash\necho "$*" >> "${log}"\nif [[ "$1" == verify* && " $VERIFIES " != *" $1 "* ]]; then echo "Error: no signatures found" >&2; exit 10; fi\nexit 0\n`,
        { mode: 0o755 },
    );
    const run = spawnSync("bash", [SCRIPT, ...args], {
        encoding: "utf8",
        env: { PATH: `${bin}:${process.env.PATH}`, COSIGN_KEY: "awskms:///alias/multicloud-service-image-signing", VERIFIES: (verifies === true ? ["verify", "verify-attestation"] : verifies || []).join(" ") },
    });
    const calls = fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : [];
    return { status: run.status, stdout: run.stdout, stderr: run.stderr, signed: calls.filter((c) => /^(sign|attest) /.test(c)) };
}

describe("scripts/image/sign.sh: image.yml signs only what it built", function () {
    if (spawnSync("bash", ["--version"]).status !== 0) {
        before(function () {
            console.log("      skipped: no bash on this machine to run scripts/image/sign.sh");
            this.skip();
        });
    }

    it("an image this run pushed is signed and attested (provenance, SBOM) with the KMS key, by digest", () => {
        const run = runSign([REF, DIGEST, "provenance.json", "sbom.spdx.json"], false);
        assert.strictEqual(run.status, 0, run.stderr);
        assert.deepStrictEqual(run.signed, [
            `sign --yes --key awskms:///alias/multicloud-service-image-signing --tlog-upload=false ${REF}`,
            `attest --yes --key awskms:///alias/multicloud-service-image-signing --tlog-upload=false --type slsaprovenance1 --predicate provenance.json ${REF}`,
            `attest --yes --key awskms:///alias/multicloud-service-image-signing --tlog-upload=false --type spdxjson --predicate sbom.spdx.json ${REF}`,
        ]);
    });

    it("an image that was in the registry before the run, unsigned (pushed by someone else), is refused, never signed", () => {
        const run = runSign(["--check", REF], false);
        assert.strictEqual(run.status, 1);
        assert.match(run.stderr, /was in the registry before this run and its signature or attestations do not verify\. image\.yml signs only images it built itself; delete that image/);
        assert.deepStrictEqual(run.signed, []);
    });

    it("an image an earlier run signed but stopped before attesting (no provenance, no SBOM) is refused too", () => {
        const run = runSign(["--check", REF], ["verify"]);
        assert.strictEqual(run.status, 1);
        assert.match(run.stderr, /its signature or attestations do not verify/);
        assert.deepStrictEqual(run.signed, []);
    });

    it("nothing under the run's tag: refused, saying so", () => {
        for (const args of [["--check", ""], ["", DIGEST, "provenance.json", "sbom.spdx.json"]]) {
            const run = runSign(args, false);
            assert.strictEqual(run.status, 1);
            assert.match(run.stderr, /holds nothing under this run's tag/);
            assert.deepStrictEqual(run.signed, []);
        }
    });

    it("an image an earlier run built and signed passes the check", () => {
        const run = runSign(["--check", REF], true);
        assert.strictEqual(run.status, 0, run.stderr);
        assert.match(run.stdout, /built and signed by an earlier run/);
        assert.deepStrictEqual(run.signed, []);
    });

    it("when the registry holds another digest under the run's tag than the one the run pushed, nothing is signed", () => {
        const run = runSign([REF, `sha256:${"b".repeat(64)}`, "provenance.json", "sbom.spdx.json"], false);
        assert.strictEqual(run.status, 1);
        assert.match(run.stderr, /not sha256:b+, the digest this run pushed/);
        assert.deepStrictEqual(run.signed, []);
    });
});
