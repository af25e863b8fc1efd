#!/usr/bin/env bash
# image.yml: signs and attests one image by digest with the KMS key $COSIGN_KEY (cosign's tag-based .sig and .att,
# which `pulumi up` of prod and the promotion verify). Each step runs only when what it adds does not verify yet,
# so a re-run completes a half-signed image and a signed one is left alone.
#   scripts/image/sign.sh <repository>@sha256:<digest> <provenance.json> <sbom.spdx.json>
set -euo pipefail
ref="$1" provenance="$2" sbom="$3"
: "${COSIGN_KEY:?COSIGN_KEY must name the signing key (awskms:///alias/...)}"
# The signatures are checked against the KMS key alone; nothing goes to the public transparency log.
verify=(--key "$COSIGN_KEY" --insecure-ignore-tlog=true)
write=(--yes --key "$COSIGN_KEY" --tlog-upload=false)
if ! cosign verify "${verify[@]}" "$ref" > /dev/null 2>&1; then cosign sign "${write[@]}" "$ref"; fi
if ! cosign verify-attestation "${verify[@]}" --type slsaprovenance1 "$ref" > /dev/null 2>&1; then
    cosign attest "${write[@]}" --type slsaprovenance1 --predicate "$provenance" "$ref"
fi
if ! cosign verify-attestation "${verify[@]}" --type spdxjson "$ref" > /dev/null 2>&1; then
    cosign attest "${write[@]}" --type spdxjson --predicate "$sbom" "$ref"
fi
