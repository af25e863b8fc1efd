/**
 * The BuildKit and buildx that build an image, pinned like every action is.
 *
 * docker/setup-buildx-action creates a `docker-container` builder (its action.yml's default `driver`), whose BuildKit
 * daemon is the image buildx names in `driver-opts: image=...` or else buildx's own default, the moving
 * `moby/buildkit:buildx-stable-1` (docker/buildx driver/bkimage/bkimage.go, DefaultImage): two runs of one commit
 * could build with two BuildKits. Without `version` the action keeps the runner image's buildx, which moves with the
 * runner image (setup-buildx-action src/main.ts downloads one from GitHub Releases only when `version` is given).
 */
import type { PinnedUse } from "./pinnedActions";

const SETUP_BUILDX = "docker/setup-buildx-action";

/**
 * A release tag and the digest of its multi-arch index. The tag stays beside the digest: buildx (v0.36+, driver/image.go
 * VerifyImageRef) checks a moby/buildkit image against its built-in policy only when a tag names the release, and
 * passes an image pinned by digest alone unchecked.
 */
const PINNED_BUILDKIT = /^(?:docker\.io\/)?moby\/buildkit:v\d+\.\d+\.\d+@sha256:[0-9a-f]{64}$/;
const PINNED_BUILDX = /^v\d+\.\d+\.\d+$/;

/** The `image=` options of a `driver-opts` value: one option a line (the action reads it with ignoreComma). */
const images = (driverOpts: string | undefined) =>
    (driverOpts ?? "")
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => line.startsWith("image="))
        .map((line) => line.slice("image=".length));

/** Every setup-buildx-action step whose builder's BuildKit image or buildx is not pinned to one release, naming its file and line. */
export function buildkitPinProblems(uses: PinnedUse[]): string[] {
    const problems: string[] = [];
    for (const use of uses.filter((u) => u.action === SETUP_BUILDX)) {
        const at = `${use.file}:${use.line}`;
        const given = Object.fromEntries(Object.entries(use.given).map(([name, value]) => [name.toLowerCase(), value]));
        const driver = given["driver"] ?? "docker-container";
        if (driver !== "docker-container") {
            problems.push(`${at}: ${SETUP_BUILDX} with driver "${driver}" builds with a BuildKit that driver-opts' image does not choose: use the docker-container driver (the action's default) and pin its image`);
        } else {
            const image = images(given["driver-opts"]);
            if (image.length === 0) {
                problems.push(`${at}: ${SETUP_BUILDX} gives no driver-opts image, so its builder runs buildx's moving default moby/buildkit:buildx-stable-1: give \`driver-opts: image=moby/buildkit:vX.Y.Z@sha256:<its index digest>\``);
            } else if (!image.every((ref) => PINNED_BUILDKIT.test(ref))) {
                problems.push(`${at}: ${SETUP_BUILDX} runs BuildKit image "${image.join(", ")}", not one release pinned by tag and digest: give \`driver-opts: image=moby/buildkit:vX.Y.Z@sha256:<its index digest>\``);
            }
        }
        const version = given["version"];
        if (version === undefined || !PINNED_BUILDX.test(version)) {
            problems.push(`${at}: ${SETUP_BUILDX} ${version === undefined ? "gives no version, so it keeps the runner image's buildx" : `gives version "${version}"`}: give one release, \`version: vX.Y.Z\``);
        }
    }
    return problems;
}
