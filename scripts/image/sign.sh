#!/usr/bin/env bash
# image.yml: signs and attests, by digest, an image this run built, with the KMS key $COSIGN_KEY (cosign's tag-based
# .sig and .att, which `pulumi up` of prod and the promotion verify). It signs nothing it did not build: a tag already
# in the registry was pushed by someone else (an earlier run that stopped halfway, or anyone who may push to dev's
# registries, review stacks included), and signing it would vouch for bytes this run never built. Such an image is
# only checked (--check): it must already verify. What it signs is verified right after, as --check verifies, so a
# signature or attestation prod would refuse fails this run, not the promotion or prod's `pulumi up` days later.
#   scripts/image/sign.sh <repository>@sha256:<digest> <digest this run pushed> <provenance.json> <sbom.spdx.json>
#   scripts/image/sign.sh --check <repository>@sha256:<digest>
set -euo pipefail
: "${COSIGN_KEY:?COSIGN_KEY must name the signing key (awskms:///alias/...)}"
# The signatures are checked against the KMS key alone; nothing goes to the public transparency log.
verify=(--key "$COSIGN_KEY" --insecure-ignore-tlog=true)
write=(--yes --key "$COSIGN_KEY" --tlog-upload=false)

# One cosign verify command, judged: 0 it verifies; 10 cosign's answer is that it does not (exit 10 "no signatures
# found" and 12 "no matching signatures", cmd/cosign/errors/exit_codes.go; an attestation check keeps exit 1 and says
# "no matching attestations" or "none of the attestations matched the predicate type", pkg/cosign/verify.go and
# cmd/cosign/cli/verify/verify_attestation.go); 1 it could not check at all (credentials, the KMS key, the registry,
# the network: any other failure exits 1). cosign's own words are left in $cosign_said.
# With --insecure-ignore-tlog cosign first warns, on every verify, "WARNING: Skipping tlog verification is an insecure
# practice that lacks of transparency and auditability verification for the signature." (or "attestation";
# cmd/cosign/cli/verify.go, ignoreTLogMessage): image.yml never writes to the log, so that line is left out of $cosign_said.
judge() {
    local code=0
    cosign_said=$(cosign "$@" 2>&1 > /dev/null) || code=$?
    cosign_said=$(grep -v '^WARNING: Skipping tlog verification ' <<< "$cosign_said" || true)
    if ((code == 0)); then return 0; fi
    if ((code == 10 || code == 12)) || [[ "$cosign_said" == *"no matching attestations"* || "$cosign_said" == *"none of the attestations matched the predicate type"* ]]; then return 10; fi
    return 1
}

# Whether $1 verifies with $COSIGN_KEY, as prod's `pulumi up` and the promotion check it (components/image/
# imageVerification.ts: the signature, the SLSA provenance and the SPDX SBOM, each by that key). 0 it does; 10 cosign's
# answer is that it does not; 2 cosign could not read the key; 1 a check cosign could not make. $failed_check names
# the cosign command that failed, $cosign_said its words on one line.
verify_image() {
    local check words verdict
    # The key first: cosign fetches a KMS key only when it verifies with it, and then reports a key it cannot read
    # (a denied kms:GetPublicKey, a throttle) as signatures that do not match (sigstore's KMS client; cosign's
    # verifySignatures). `public-key` fails on the key itself, so a verdict below is one on the image.
    if ! cosign_said=$(cosign public-key --key "$COSIGN_KEY" 2>&1 > /dev/null); then
        failed_check=public-key cosign_said="${cosign_said//$'\n'/ }"
        return 2
    fi
    for check in "verify" "verify-attestation --type slsaprovenance1" "verify-attestation --type spdxjson"; do
        read -ra words <<< "$check"
        verdict=0
        judge "${words[0]}" "${verify[@]}" "${words[@]:1}" "$1" || verdict=$?
        if ((verdict != 0)); then
            failed_check=$check cosign_said="${cosign_said//$'\n'/ }"
            return "$verdict"
        fi
    done
}

if [[ "${1:-}" == "--check" ]]; then
    ref="${2:-}"
    [[ -n "$ref" ]] || { echo "::error::no image to check: the registry holds nothing under this run's tag" >&2; exit 1; }
    verdict=0
    verify_image "$ref" || verdict=$?
    if ((verdict == 2)); then
        echo "::error::could not check $ref: cosign could not read the signing key ($cosign_said). Check this job's AWS credentials (kms:GetPublicKey and kms:DescribeKey on $COSIGN_KEY), then run the workflow again; do not delete the image for this." >&2
        exit 1
    elif ((verdict == 10)); then
        echo "::error::$ref was in the registry before this run and its signature or attestations do not verify (cosign $failed_check: $cosign_said). image.yml signs only images it built itself; delete that image from the repository and run this workflow again, which builds and signs it." >&2
        exit 1
    elif ((verdict != 0)); then
        echo "::error::could not check $ref: cosign $failed_check failed without a verdict on the image ($cosign_said). Check this job's registry login and AWS credentials (kms:GetPublicKey on $COSIGN_KEY), then run the workflow again; do not delete the image for this." >&2
        exit 1
    fi
    echo "$ref: built and signed by an earlier run"
    exit 0
fi

ref="$1" built="$2" provenance="$3" sbom="$4"
[[ -n "$ref" ]] || { echo "::error::the registry holds nothing under this run's tag after its push of $built; nothing is signed" >&2; exit 1; }
if [[ "$ref" != *"@$built" ]]; then
    echo "::error::the registry holds $ref under this run's tag, not $built, the digest this run pushed: something else pushed there meanwhile; nothing is signed" >&2
    exit 1
fi
# Both predicates first: cosign reads a predicate only when it attests, after the signature is written, so a failed
# SBOM step would otherwise leave the image signed and half attested (cosign's attest opens the file only then).
for predicate in "$provenance" "$sbom"; do
    [[ -s "$predicate" ]] || { echo "::error::$predicate is missing or empty: the step that writes it failed; nothing is signed. $ref stays unsigned, which prod refuses: delete it from the repository and run this workflow again, which builds and signs it." >&2; exit 1; }
done
cosign sign "${write[@]}" "$ref"
cosign attest "${write[@]}" --type slsaprovenance1 --predicate "$provenance" "$ref"
cosign attest "${write[@]}" --type spdxjson --predicate "$sbom" "$ref"
# What was written is checked now, as prod's `pulumi up` and the promotion check it days later, when this run is gone:
# the same key reference (image.yml's COSIGN_KEY is prod's image.verify.signingKey), read back from the registry.
verdict=0
verify_image "$ref" || verdict=$?
if ((verdict == 10)); then
    echo "::error::this run signed and attested $ref, and what the registry holds for it does not verify with $COSIGN_KEY (cosign $failed_check: $cosign_said): prod's \`pulumi up\` and the promotion verify with that key and would refuse it, and the next run only checks its tag and refuses it too. Find the cause in cosign's words (the key the alias names, what the registry kept), then delete the image from the repository and run this workflow again, which builds and signs it." >&2
    exit 1
elif ((verdict != 0)); then
    echo "::error::could not verify what this run signed for $ref: cosign $failed_check failed without a verdict on the image ($cosign_said). Its signature and attestations are written: check this job's registry login and AWS credentials (kms:GetPublicKey and kms:DescribeKey on $COSIGN_KEY), then run the workflow again, whose check of this image verifies them; do not delete the image for this." >&2
    exit 1
fi
echo "$ref: signed and attested by this run; the signature and both attestations verify with $COSIGN_KEY"
