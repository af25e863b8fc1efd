import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { SLSA_PROVENANCE_V1, SPDX_DOCUMENT } from "../../components/image/cosignAttestations";
import { PROJECT_ROOT } from "../../config/stackFile";
import { recordedCalls } from "../harness/recordedCalls";
import { scratchDir } from "../harness/tempDirs";

const SCRIPT = path.join(PROJECT_ROOT, "scripts", "image", "sign.sh");
const DIGEST = `sha256:${"a".repeat(64)}`;
const REF = `123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/multicloud-service-dev@${DIGEST}`;

/**
 * What cosign v2.4.1 answers, on stderr (cobra's "Error: " line, then main.go's "error during command execution")
 * and in its exit code (cmd/cosign/main.go; cmd/cosign/errors/exit_code_lookup.go):
 * - `verify` of an image nobody signed: "no signatures found", exit 10 (pkg/cosign/verify.go ErrNoSignaturesFound).
 * - `verify-attestation` with no attestation: "no matching attestations: ", exit 1, since only `verify` maps its
 *   errors to exit codes (pkg/cosign/verify.go ErrNoMatchingAttestations; cmd/cosign/cli/verify/verify.go WrapError).
 * - when the KMS key cannot be read: loading an awskms:// key makes no call (sigstore pkg/signature/kms/aws/client.go:
 *   the key is fetched, GetPublicKey then DescribeKey, when first used, and that error reads "getting public key: " and
 *   the AWS SDK for Go's error). So `verify` tries each signature with a key it cannot get and answers "no matching
 *   signatures: " with that error, exit 12 (pkg/cosign/verify.go verifySignatures, ErrNoMatchingSignatures), and
 *   `verify-attestation` "no matching attestations: " (the DSSE verifier skips a verifier that fails and reports the
 *   threshold unmet), exit 1: the same words as an image that is not signed by the key. Only `public-key` fails
 *   on the key itself: that error, exit 1 (cmd/cosign/cli/publickey/public_key.go, PublicKeyPem).
 * - `attest --predicate <file>` when the file cannot be opened: "getting predicate reader: open <file>: no such file
 *   or directory", exit 1 (cmd/cosign/cli/attest/attest.go, predicateReader's os.Open), after any earlier command of
 *   the script has already signed.
 * - any verify of what image.yml wrote (`--tlog-upload=false`: no Rekor bundle on the signature or the attestations)
 *   without --insecure-ignore-tlog: cosign looks the signature up in Rekor and finds nothing (pkg/cosign/verify.go
 *   verifyInternal, then tlogValidateEntry; pkg/cosign/tlog.go FindTlogEntry: "signature not found in transparency
 *   log", Rekor answering an empty list for an entry it does not hold, sigstore/rekor pkg/api/entries.go
 *   SearchLogQueryHandler). `verify` answers "no matching signatures: " with it, exit 12 (verifySignatures);
 *   `verify-attestation` "no matching attestations: " with it once per attestation, joined by "\n ", exit 1
 *   (VerifyImageAttestation, through VerifyImageAttestations).
 * - `verify-attestation --type <t>` when the attestations verify but none has t's predicate type: "none of the
 *   attestations matched the predicate type: <t>, found: <the types it found, joined by ",">", exit 1
 *   (cmd/cosign/cli/verify/verify_attestation.go VerifyAttestationCommand.Exec; pkg/policy/attestation.go
 *   AttestationToPayloadJSON; cmd/cosign/cli/options/predicate.go PredicateTypeMap for the types).
 */
// KMS's AccessDeniedException names the key's ARN (IAM's "on resource: <ARN>", as a real answer quoted in
// ecadlabs/signatory#388 has it; scripts/offline/fakeIds.ts iamNotAuthorized).
const KMS_DENIED =
    "getting public key: operation error KMS: GetPublicKey, https response error StatusCode: 400, RequestID: 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0, api error AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/image-dev/GitHubActions is not authorized to perform: kms:GetPublicKey on resource: arn:aws:kms:ap-northeast-1:123456789012:key/6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b because no identity-based policy allows the kms:GetPublicKey action";
const NOT_IN_REKOR = "signature not found in transparency log";
// A registry that refuses the read: cosign returns go-containerregistry's transport error unmapped, exit 1 ("error during
// command execution: GET https://<registry>/v2/<repository>/manifests/<reference>: UNAUTHORIZED: ...", as quoted in
// sigstore/cosign#1440), here with ECR's words for an expired login (tests/image/sbomScript.spec.ts SYFT_REFUSED).
const registryDenied = (suffix: "sig" | "att") =>
    `GET https://123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/v2/multicloud-service-dev/manifests/sha256-${"a".repeat(64)}.${suffix}: DENIED: Your authorization token has expired. Reauthenticate and try again.`;
// A signature another key made: sigstore's ECDSA verifier's words (sigstore/sigstore pkg/signature/ecdsa.go
// VerifySignature), under cosign's ErrNoMatchingSignatures, exit 12 (cmd/cosign/errors/exit_codes.go NoMatchingSignature).
const OTHER_KEY = "no matching signatures: invalid signature when validating ASN.1 encoded signature";
const COSIGN_ANSWERS = {
    unsigned: { verify: [10, "no signatures found"], "verify-attestation": [1, "no matching attestations: "] },
    registryDenied: { verify: [1, registryDenied("sig")], "verify-attestation": [1, registryDenied("att")] },
    kmsDenied: {
        verify: [12, `no matching signatures: ${KMS_DENIED}`],
        "verify-attestation": [1, "no matching attestations: failed to verify signature: could not verify envelope: accepted signatures do not match threshold, Found: 0, Expected 1"],
        "public-key": [1, KMS_DENIED],
    },
} as const;
/** The predicate types image.yml attests, as `--type` names them and as cosign maps them (PredicateTypeMap). */
const PREDICATE_TYPES = { slsaprovenance1: SLSA_PROVENANCE_V1, spdxjson: SPDX_DOCUMENT } as const;
type Attestation = keyof typeof PREDICATE_TYPES;

function cosignAnswer(exit: number, message: string): string {
    return `echo "Error: ${message}" >&2; echo "error during command execution: ${message}" >&2; exit ${exit}`;
}

/**
 * What cosign v2.4.1 prints on stderr around a verification, besides an error: first, whenever --insecure-ignore-tlog
 * is given, its warning (cmd/cosign/cli/verify.go, ignoreTLogMessage, through internal/ui Warnf's "WARNING: " prefix),
 * "signature" for `verify` and "attestation" for `verify-attestation`; then, when it verified with a key and no log,
 * the header (cmd/cosign/cli/verify/verify.go PrintVerificationHeader: the claims were validated, the key checked).
 * The verified payloads it prints on stdout, which sign.sh does not read, are left out.
 */
const tlogWarning = (what: string) => `WARNING: Skipping tlog verification is an insecure practice that lacks of transparency and auditability verification for the ${what}.`;
const verifiedHeader = (ref: string) =>
    ["", `Verification for ${ref} --`, "The following checks were performed on each of these signatures:", "  - The cosign claims were validated", "  - The signatures were verified against the specified public key"].join("\n");
/** What a DSSE envelope no verifier accepts reads as (the kmsDenied words above): an attestation another key made. */
const ENVELOPE_UNVERIFIED = COSIGN_ANSWERS.kmsDenied["verify-attestation"][1];

/** What the registry holds for the image: image.yml's signature and attestations, or another key's. */
type Held = "signature" | "another key's signature" | Attestation | `another key's ${Attestation}`;
/** What `cosign sign` and `cosign attest` write when they answer 0: as the KMS key signs, as another key does, or nothing. */
type Writes = "with the key" | "with another key" | "nothing";

/**
 * scripts/image/sign.sh as image.yml runs it, in a workspace holding the predicates the workflow's earlier steps write
 * (provenance.json, sbom.spdx.json), with a stand-in `cosign` first on PATH that records its arguments and answers as
 * the comments above say. The registry is a file of what it holds for the image, a line each, which `sign` and `attest`
 * add to (`writes`) and the verify commands read. `holds`: what is there before the run, without a Rekor entry (as
 * image.yml writes: the signature, its attestations in the order attested), or all of it; `denied`: every verify
 * fails to read the KMS key, or the registry refuses every verify's read. "nothing" is not an answer cosign is known to give; it stands for whatever leaves a registry
 * without what a sign wrote.
 */
function runSign(args: string[], holds: boolean | Held[], denied: "nothing" | "the KMS key" | "the registry" = "nothing", writes: Writes = "with the key") {
    const bin = scratchDir("cosign-bin");
    const log = path.join(bin, "calls.log");
    const registry = path.join(bin, "registry");
    const { unsigned } = COSIGN_ANSWERS;
    fs.writeFileSync(registry, (holds === true ? ["signature", "slsaprovenance1", "spdxjson"] : holds || []).map((h) => `${h}\n`).join(""));
    const ignoresTlog = `[[ " $* " == *" --insecure-ignore-tlog=true "* ]]`;
    const written = (what: string) => (writes === "nothing" ? "" : `echo "${writes === "with the key" ? "" : "another key's "}${what}" >> "${registry}"`);
    fs.writeFileSync(
        path.join(bin, "cosign"),
        [
            "#!/usr/bin/env bash",
            `echo "$*" >> "${log}"`,
            `holds() { grep -qxF "$1" "${registry}"; }`,
            `if [[ "$1" == verify ]]; then ${ignoresTlog} && echo "${tlogWarning("signature")}" >&2; fi`,
            `if [[ "$1" == verify-attestation ]]; then ${ignoresTlog} && echo "${tlogWarning("attestation")}" >&2; fi`,
            ...(["verify", "verify-attestation", "public-key"] as const).map((command) => {
                const [exit, message] = COSIGN_ANSWERS.kmsDenied[command];
                return `if [[ "$1" == ${command} && -n "$KMS_DENIED" ]]; then ${cosignAnswer(exit, message)}; fi`;
            }),
            ...(["verify", "verify-attestation"] as const).map((command) => {
                const [exit, message] = COSIGN_ANSWERS.registryDenied[command];
                return `if [[ "$1" == ${command} && -n "$REGISTRY_DENIED" ]]; then ${cosignAnswer(exit, message)}; fi`;
            }),
            `if [[ "$1" == public-key ]]; then printf -- '-----BEGIN PUBLIC KEY-----\\nMFkw\\n-----END PUBLIC KEY-----\\n'; exit 0; fi`,
            `if [[ "$1" == verify ]]; then`,
            `    if holds signature; then`,
            `        ${ignoresTlog} || { ${cosignAnswer(12, `no matching signatures: ${NOT_IN_REKOR}`)}; }`,
            `        echo "${verifiedHeader("${*: -1}")}" >&2; exit 0`,
            "    fi",
            `    holds "another key's signature" && { ${cosignAnswer(12, OTHER_KEY)}; }`,
            `    ${cosignAnswer(...unsigned.verify)}`,
            "fi",
            `if [[ "$1" == verify-attestation ]]; then`,
            // The predicate types of the attestations the key verifies, in the order attested.
            "    found=()",
            `    while read -r held; do case "$held" in ${Object.entries(PREDICATE_TYPES).map(([type, uri]) => `${type}) found+=(${uri}) ;;`).join(" ")} esac; done < "${registry}"`,
            "    if ((${#found[@]} == 0)); then",
            `        grep -q "^another key's " "${registry}" && { ${cosignAnswer(1, ENVELOPE_UNVERIFIED)}; }`,
            `        ${cosignAnswer(...unsigned["verify-attestation"])}`,
            "    fi",
            `    for _ in "\${found[@]}"; do unlogged+="\${unlogged:+$'\\n '}${NOT_IN_REKOR}"; done`,
            `    ${ignoresTlog} || { ${cosignAnswer(1, "no matching attestations: $unlogged")}; }`,
            `    type=$(sed -E 's/.*--type ([^ ]+).*/\\1/' <<< "$*")`,
            `    holds "$type" || { ${cosignAnswer(1, `none of the attestations matched the predicate type: $type, found: $(IFS=,; echo "\${found[*]}")`)}; }`,
            `    echo "${verifiedHeader("${*: -1}")}" >&2; exit 0`,
            "fi",
            `if [[ "$1" == attest ]]; then predicate=$(sed -E 's/.*--predicate ([^ ]+).*/\\1/' <<< "$*"); [[ -r "$predicate" ]] || { ${cosignAnswer(1, "getting predicate reader: open $predicate: no such file or directory")}; }; fi`,
            `if [[ "$1" == sign ]]; then ${written("signature") || ":"}; fi`,
            `if [[ "$1" == attest ]]; then type=$(sed -E 's/.*--type ([^ ]+).*/\\1/' <<< "$*"); ${written("$type") || ":"}; fi`,
            "exit 0",
        ].join("\n"),
        { mode: 0o755 },
    );
    const workspace = scratchDir("image-workspace");
    fs.writeFileSync(path.join(workspace, "provenance.json"), JSON.stringify({ buildDefinition: { buildType: "https://actions.github.io/buildtypes/workflow/v1" } }));
    fs.writeFileSync(path.join(workspace, "sbom.spdx.json"), JSON.stringify({ spdxVersion: "SPDX-2.3", packages: [] }));
    const run = spawnSync("bash", [SCRIPT, ...args], {
        cwd: workspace,
        encoding: "utf8",
        env: {
            PATH: `${bin}:${process.env.PATH}`,
            COSIGN_KEY: "awskms:///alias/multicloud-service-image-signing",
            KMS_DENIED: denied === "the KMS key" ? "1" : "",
            REGISTRY_DENIED: denied === "the registry" ? "1" : "",
        },
    });
    const calls = recordedCalls(log);
    return { status: run.status, stdout: run.stdout, stderr: run.stderr, signed: calls.filter((c) => /^(sign|attest) /.test(c)), verified: calls.filter((c) => /^verify/.test(c)) };
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
        // Then read back as prod's `pulumi up` and the promotion read it: the same key reference, no transparency log.
        const key = "--key awskms:///alias/multicloud-service-image-signing --insecure-ignore-tlog=true";
        assert.deepStrictEqual(run.verified, [`verify ${key} ${REF}`, `verify-attestation ${key} --type slsaprovenance1 ${REF}`, `verify-attestation ${key} --type spdxjson ${REF}`]);
        assert.strictEqual(run.stdout, `${REF}: signed and attested by this run; the signature and both attestations verify with awskms:///alias/multicloud-service-image-signing\n`);
    });

    // Before: sign.sh ended at its last `cosign attest`, so what it wrote was first verified by the promotion or prod's
    // `pulumi up`, days later, when the run that signed was gone.
    it("a signature this run made that does not verify with the key (another key signed): the run fails, saying prod would refuse it", () => {
        const run = runSign([REF, DIGEST, "provenance.json", "sbom.spdx.json"], false, "nothing", "with another key");
        assert.strictEqual(run.status, 1);
        assert.match(
            run.stderr,
            /^::error::this run signed and attested \S+@sha256:a+, and what the registry holds for it does not verify with awskms:\/\/\/alias\/multicloud-service-image-signing \(cosign verify: Error: no matching signatures: invalid signature when validating ASN\.1 encoded signature error during command execution: .*\): prod's `pulumi up` and the promotion verify with that key and would refuse it/m,
        );
        assert.match(run.stderr, /delete the image from the repository and run this workflow again, which builds and signs it\.$/m);
        assert.strictEqual(run.signed.length, 3);
    });

    it("a sign and attests that answered 0 but left the registry nothing: the run fails on cosign's \"no signatures found\"", () => {
        const run = runSign([REF, DIGEST, "provenance.json", "sbom.spdx.json"], false, "nothing", "nothing");
        assert.strictEqual(run.status, 1);
        assert.match(run.stderr, /^::error::this run signed and attested \S+, and what the registry holds for it does not verify with \S+ \(cosign verify: Error: no signatures found error during command execution: no signatures found\)/m);
    });

    it("what this run signed, when cosign cannot read the key to verify it: says so and never tells anyone to delete the image", () => {
        const run = runSign([REF, DIGEST, "provenance.json", "sbom.spdx.json"], false, "the KMS key");
        assert.strictEqual(run.status, 1);
        assert.match(run.stderr, /^::error::could not verify what this run signed for \S+: cosign public-key failed without a verdict on the image \(Error: getting public key: .*AccessDeniedException.*\)\. Its signature and attestations are written/m);
        assert.doesNotMatch(run.stderr, /delete the image from/);
    });

    it("an image that was in the registry before the run, unsigned (pushed by someone else), is refused, never signed", () => {
        const run = runSign(["--check", REF], false);
        assert.strictEqual(run.status, 1);
        assert.match(run.stderr, /was in the registry before this run and its signature or attestations do not verify \(cosign verify: Error: no signatures found.*\)\. image\.yml signs only images it built itself; delete that image/);
        assert.deepStrictEqual(run.signed, []);
    });

    it("an image an earlier run signed but stopped before attesting (no provenance, no SBOM) is refused too", () => {
        const run = runSign(["--check", REF], ["signature"]);
        assert.strictEqual(run.status, 1);
        assert.match(run.stderr, /its signature or attestations do not verify \(cosign verify-attestation --type slsaprovenance1: Error: no matching attestations/);
        assert.deepStrictEqual(run.signed, []);
    });

    it("an image signed with another key (cosign's exit 12) is refused as not verifying, never signed", () => {
        const run = runSign(["--check", REF], ["another key's signature", "slsaprovenance1", "spdxjson"]);
        assert.strictEqual(run.status, 1);
        assert.match(run.stderr, /its signature or attestations do not verify \(cosign verify: Error: no matching signatures: invalid signature when validating ASN\.1 encoded signature.*\)\. image\.yml signs only images it built itself; delete that image/);
        assert.deepStrictEqual(run.signed, []);
    });

    it("a check cosign could not make (the KMS key unreadable): says so and never tells anyone to delete the image", () => {
        const run = runSign(["--check", REF], true, "the KMS key");
        assert.strictEqual(run.status, 1);
        assert.match(run.stderr, /could not check .*: cosign could not read the signing key \(Error: getting public key: .*AccessDeniedException/);
        assert.match(run.stderr, /kms:GetPublicKey and kms:DescribeKey on awskms:\/\/\/alias\/multicloud-service-image-signing/);
        assert.doesNotMatch(run.stderr, /delete that image/);
        assert.deepStrictEqual(run.signed, []);
    });

    // cosign's exit 1 on a read it could not make is no verdict on the image: deleting the image would not help.
    it("a verify the registry refuses (an expired login), before or after signing: says so and never tells anyone to delete the image", () => {
        const check = runSign(["--check", REF], true, "the registry");
        assert.strictEqual(check.status, 1);
        assert.match(check.stderr, /^::error::could not check \S+: cosign verify failed without a verdict on the image \(Error: GET \S+\.sig: DENIED: Your authorization token has expired\./m);
        const signed = runSign([REF, DIGEST, "provenance.json", "sbom.spdx.json"], false, "the registry");
        assert.strictEqual(signed.status, 1);
        assert.match(signed.stderr, /^::error::could not verify what this run signed for \S+: cosign verify failed without a verdict on the image \(Error: GET \S+\.sig: DENIED: .*\)\. Its signature and attestations are written/m);
        for (const run of [check, signed]) assert.doesNotMatch(run.stderr, /delete (that|the) image from/);
    });

    it("nothing under the run's tag: refused, saying so", () => {
        for (const args of [["--check", ""], ["", DIGEST, "provenance.json", "sbom.spdx.json"]]) {
            const run = runSign(args, false);
            assert.strictEqual(run.status, 1);
            assert.match(run.stderr, /holds nothing under this run's tag/);
            assert.deepStrictEqual(run.signed, []);
        }
    });

    it("an image an earlier run built and signed passes the check, which skips the transparency log image.yml never wrote to", () => {
        const run = runSign(["--check", REF], true);
        assert.strictEqual(run.status, 0, run.stderr);
        assert.match(run.stdout, /built and signed by an earlier run/);
        assert.deepStrictEqual(run.signed, []);
        const key = "--key awskms:///alias/multicloud-service-image-signing --insecure-ignore-tlog=true";
        assert.deepStrictEqual(run.verified, [`verify ${key} ${REF}`, `verify-attestation ${key} --type slsaprovenance1 ${REF}`, `verify-attestation ${key} --type spdxjson ${REF}`]);
    });

    it("an image an earlier run signed and gave its provenance but stopped before the SBOM is refused", () => {
        const run = runSign(["--check", REF], ["signature", "slsaprovenance1"]);
        assert.strictEqual(run.status, 1);
        assert.match(run.stderr, /do not verify \(cosign verify-attestation --type spdxjson: Error: none of the attestations matched the predicate type: spdxjson, found: https:\/\/slsa\.dev\/provenance\/v1 /);
        assert.deepStrictEqual(run.signed, []);
    });

    it("a predicate an earlier step failed to write (no SBOM, no provenance): nothing is signed, naming the file", () => {
        for (const [provenance, sbom, missing] of [
            ["provenance.json", "sbom-aws.spdx.json", "sbom-aws.spdx.json"],
            ["missing-provenance.json", "sbom.spdx.json", "missing-provenance.json"],
        ]) {
            const run = runSign([REF, DIGEST, provenance, sbom], false);
            assert.strictEqual(run.status, 1);
            assert.match(run.stderr, new RegExp(`${missing.replace(/\./g, "\\.")} is missing or empty: the step that writes it failed; nothing is signed`));
            assert.deepStrictEqual(run.signed, [], "a signature without both attestations is never written");
        }
    });

    // `npm run --silent image -- provenance > provenance.json` leaves an empty file when the command fails: the shell
    // creates it before the command runs. cosign opens a predicate only when it attests, after `sign` has written.
    it("an empty predicate (a step whose redirection ran but whose command failed): nothing is signed, naming the file", () => {
        const empty = path.join(scratchDir("empty-predicate"), "provenance.json");
        fs.writeFileSync(empty, "");
        const run = runSign([REF, DIGEST, empty, "sbom.spdx.json"], false);
        assert.strictEqual(run.status, 1);
        assert.match(run.stderr, /provenance\.json is missing or empty: the step that writes it failed; nothing is signed/);
        assert.deepStrictEqual(run.signed, [], "a signature without both attestations is never written");
    });

    it("when the registry holds another digest under the run's tag than the one the run pushed, nothing is signed", () => {
        const run = runSign([REF, `sha256:${"b".repeat(64)}`, "provenance.json", "sbom.spdx.json"], false);
        assert.strictEqual(run.status, 1);
        assert.match(run.stderr, /not sha256:b+, the digest this run pushed/);
        assert.deepStrictEqual(run.signed, []);
    });
});
