#!/usr/bin/env bash
# image.yml: signs and attests, by digest, an image this run built, with the KMS key $COSIGN_KEY (cosign's tag-based
# .sig and .att, which `pulumi up` of prod and the promotion verify). It signs nothing it did not build: a tag already
# in the registry was pushed by someone else (an earlier run that stopped halfway, or anyone who may push to dev's
# registries, review stacks included), and signing it would vouch for bytes this run never built. Such an image is
# only checked (--check): it must already verify.
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
judge() {
    local code=0
    cosign_said=$(cosign "$@" 2>&1 > /dev/null) || code=$?
    if ((code == 0)); then return 0; fi
    if ((code == 10 || code == 12)) || [[ "$cosign_said" == *"no matching attestations"* || "$cosign_said" == *"none of the attestations matched the predicate type"* ]]; then return 10; fi
    return 1
}

if [[ "${1:-}" == "--check" ]]; then
    ref="${2:-}"
    [[ -n "$ref" ]] || { echo "::error::no image to check: the registry holds nothing under this run's tag" >&2; exit 1; }
    # The key first: cosign fetches a KMS key only when it verifies with it, and then reports a key it cannot read
    # (a denied kms:GetPublicKey, a throttle) as signatures that do not match (sigstore's KMS client; cosign's
    # verifySignatures). `public-key` fails on the key itself, so a verdict below is one on the image.
    if ! cosign_said=$(cosign public-key --key "$COSIGN_KEY" 2>&1 > /dev/null); then
        echo "::error::could not check $ref: cosign could not read the signing key (${cosign_said//$'\n'/ }). Check this job's AWS credentials (kms:GetPublicKey and kms:DescribeKey on $COSIGN_KEY), then run the workflow again; do not delete the image for this." >&2
        exit 1
    fi
    for check in "verify" "verify-attestation --type slsaprovenance1" "verify-attestation --type spdxjson"; do
        read -ra words <<< "$check"
        verdict=0
        judge "${words[0]}" "${verify[@]}" "${words[@]:1}" "$ref" || verdict=$?
        if ((verdict == 10)); then
            echo "::error::$ref was in the registry before this run and its signature or attestations do not verify (cosign $check: ${cosign_said//$'\n'/ }). image.yml signs only images it built itself; delete that image from the repository and run this workflow again, which builds and signs it." >&2
            exit 1
        elif ((verdict != 0)); then
            echo "::error::could not check $ref: cosign $check failed without a verdict on the image (${cosign_said//$'\n'/ }). Check this job's registry login and AWS credentials (kms:GetPublicKey on $COSIGN_KEY), then run the workflow again; do not delete the image for this." >&2
            exit 1
        fi
    done
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
