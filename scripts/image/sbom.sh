#!/usr/bin/env bash
# image.yml: writes the SPDX SBOM of an image this run pushed, which sign.sh then attests (cosign attest --type
# spdxjson). syft is one release, from its release archive, checked against its sha256 before it runs: this job holds
# the KMS signing key's AWS session and the GCP credentials. anchore/sbom-action, which this replaces, downloads
# syft's install.sh from its main branch and runs it with sh on every run (v0.24.0 src/github/SyftGithubAction.ts,
# downloadSyft), whatever its syft-version says.
#   scripts/image/sbom.sh <repository>@sha256:<digest> <sbom.spdx.json>
set -euo pipefail

# Raised by hand (Dependabot reads only `uses:`): a release of https://github.com/anchore/syft/releases and the sha256
# of its syft_<version>_linux_amd64.tar.gz in that release's syft_<version>_checksums.txt.
SYFT_VERSION=1.42.3
# From syft_1.42.3_checksums.txt as other public repositories pin it (not downloaded here; at least eight unrelated
# ones name this value for syft_1.42.3_linux_amd64.tar.gz). The version anchore/sbom-action v0.24.0 ran
# (src/SyftVersion.ts).
SYFT_SHA256=0d6be741479eddd2c8644a288990c04f3df0d609bbc1599a005532a9dff63509

ref="${1:-}" out="${2:-}"
[[ -n "$out" ]] || { echo "::error::usage: scripts/image/sbom.sh <repository>@sha256:<digest> <sbom.spdx.json>" >&2; exit 1; }
[[ -n "$ref" ]] || { echo "::error::no image for $out: the registry holds nothing under this run's tag; no SBOM is written" >&2; exit 1; }
if [[ "$(uname -s)/$(uname -m)" != Linux/x86_64 ]]; then
    echo "::error::scripts/image/sbom.sh installs syft's linux_amd64 release, and this runner is $(uname -s)/$(uname -m): run image.yml on ubuntu-24.04 (x86_64)" >&2
    exit 1
fi

# One download a job: the archive is kept in the runner's temporary folder, which GitHub empties at the beginning and
# end of each job (GitHub Actions, "Default environment variables": RUNNER_TEMP), so the second cloud's SBOM step finds
# it there. Its sha256 is checked on every use, the kept archive's too: what runs is always the pinned release.
# Without RUNNER_TEMP (not a runner) nothing is kept: each call downloads into a folder of its own.
if [[ -n "${RUNNER_TEMP:-}" ]]; then
    kept="$RUNNER_TEMP/syft-$SYFT_VERSION"
    mkdir -p "$kept"
else
    kept=$(mktemp -d "${TMPDIR:-/tmp}/syft.XXXXXX")
fi
archive="$kept/syft_${SYFT_VERSION}_linux_amd64.tar.gz"
url="https://github.com/anchore/syft/releases/download/v${SYFT_VERSION}/syft_${SYFT_VERSION}_linux_amd64.tar.gz"
if [[ ! -f "$archive" ]]; then
    # https only, redirects included (the release asset is served from another host). Written beside the archive and
    # moved into place whole, so a download cut short is never taken for it by the next step.
    curl --fail --silent --show-error --location --proto '=https' --tlsv1.2 --retry 3 --output "$archive.download" "$url"
    mv "$archive.download" "$archive"
fi
actual=$(sha256sum "$archive")
actual="${actual%% *}"
if [[ "$actual" != "$SYFT_SHA256" ]]; then
    # Not kept: the next step downloads again rather than find these bytes.
    rm -f "$archive"
    echo "::error::$url has sha256 $actual, not $SYFT_SHA256 (scripts/image/sbom.sh): syft is not run and no SBOM is written. Do not change the pinned sum to this one: compare it with the release's syft_${SYFT_VERSION}_checksums.txt first" >&2
    exit 1
fi
# Extracted afresh from the checked archive for every scan, into a folder of its own.
tool=$(mktemp -d "$kept/syft.XXXXXX")
tar --extract --gzip --file "$archive" --directory "$tool" syft

# As sbom-action v0.24.0 runs it for image.yml's inputs (src/github/SyftGithubAction.ts, executeSyft): `syft scan
# <image input> -o <format>`, stdout is the SBOM, written whole to output-file; -vv when the run has debug logging
# (core.isDebug(): RUNNER_DEBUG=1); the job's own environment plus SYFT_CHECK_FOR_APP_UPDATE=false. No registry-username
# was given, so syft reads the registry with the runner's Docker logins (ECR's, gcloud's credential helper).
# registry: syft reads the image from the registry, not through the Docker daemon, which holds no arm64 image and would
# describe its own re-serialized copy, not the digest signed.
args=(scan)
[[ "${RUNNER_DEBUG:-}" != 1 ]] || args+=(-vv)
args+=("registry:$ref" -o spdx-json)
# Written beside the SBOM and moved into place only when syft succeeded with output, as sbom-action writes the file
# only then: sign.sh refuses a missing file, so a failed scan leaves the image unsigned, never half attested.
partial="$out.partial"
if ! SYFT_CHECK_FOR_APP_UPDATE=false "$tool/syft" "${args[@]}" > "$partial"; then
    rm -f "$partial"
    echo "::error::syft could not write the SBOM of $ref (its error is above); $out is not written, so the image is not signed" >&2
    exit 1
fi
if [[ ! -s "$partial" ]]; then
    rm -f "$partial"
    echo "::error::syft wrote no SBOM for $ref; $out is not written, so the image is not signed" >&2
    exit 1
fi
mv "$partial" "$out"
