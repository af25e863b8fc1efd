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

if [[ "${1:-}" == "--check" ]]; then
    ref="${2:-}"
    [[ -n "$ref" ]] || { echo "::error::no image to check: the registry holds nothing under this run's tag" >&2; exit 1; }
    if cosign verify "${verify[@]}" "$ref" > /dev/null 2>&1 &&
        cosign verify-attestation "${verify[@]}" --type slsaprovenance1 "$ref" > /dev/null 2>&1 &&
        cosign verify-attestation "${verify[@]}" --type spdxjson "$ref" > /dev/null 2>&1; then
        echo "$ref: built and signed by an earlier run"
        exit 0
    fi
    echo "::error::$ref was in the registry before this run and its signature or attestations do not verify. image.yml signs only images it built itself; delete that image from the repository and run this workflow again, which builds and signs it." >&2
    exit 1
fi

ref="$1" built="$2" provenance="$3" sbom="$4"
[[ -n "$ref" ]] || { echo "::error::the registry holds nothing under this run's tag after its push of $built; nothing is signed" >&2; exit 1; }
if [[ "$ref" != *"@$built" ]]; then
    echo "::error::the registry holds $ref under this run's tag, not $built, the digest this run pushed: something else pushed there meanwhile; nothing is signed" >&2
    exit 1
fi
cosign sign "${write[@]}" "$ref"
cosign attest "${write[@]}" --type slsaprovenance1 --predicate "$provenance" "$ref"
cosign attest "${write[@]}" --type spdxjson --predicate "$sbom" "$ref"
