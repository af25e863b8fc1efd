import { KeyObject } from "crypto";
import { SLSA_PROVENANCE_V1, SPDX_DOCUMENT, provenanceWorkflow, verifiedAttestations } from "./cosignAttestations";
import { cosignTag, signatureProblem } from "./cosignSignature";
import { OciRepository } from "./ociRegistry";
import { registryLocation } from "./registryLocation";
import { signingPublicKey } from "./signingKey";
import { perRun } from "../perRun";
import { Refusal } from "../refusal";

/** What a stack requires of the images it runs (`image.verify`); a production stack must set it. */
export interface ImageVerificationPolicy {
    /** The cosign key the image workflow signs with: `awskms:///alias/<name>` (see signingKey.ts). */
    signingKey: string;
    /** The only workflow whose provenance is accepted, as GitHub names it: `<owner>/<repo>/.github/workflows/image.yml@refs/heads/main`. */
    workflow: string;
    /** The KMS region of a key given by alias or id (the stack's aws:region); a key ARN names its own. */
    keyRegion: string;
    /** The least severe registry-scan finding that refuses an image: CRITICAL (default), HIGH, MEDIUM or LOW. */
    refuseSeverity?: string;
}

export class ImageVerificationError extends Refusal {
    constructor(image: string, digest: string, problems: string[]) {
        super(
            `image ${image}@${digest} does not verify, so it is not deployed:\n` +
                problems.map((p) => `  - ${p}`).join("\n") +
                "\nOnly images that .github/workflows/image.yml built, signed and attested (and the promotion copied with their .sig and .att) are deployed here.",
        );
        this.name = "ImageVerificationError";
    }
}

/**
 * Refuses an image unless it carries a cosign signature by the signing key over its digest, a SLSA provenance by
 * the expected workflow and an SPDX SBOM, both as attestations signed by that key and about that digest; other
 * envelopes in the `.att` that do not verify are left out, as cosign verify-attestation leaves them. Throws an
 * ImageVerificationError naming the image, the digest and every check that failed.
 */
export async function verifyImage(repo: OciRepository, digest: string, policy: ImageVerificationPolicy, key: KeyObject): Promise<void> {
    const problems = await supplyChainProblems(repo, digest, policy, key);
    if (problems.length > 0) throw new ImageVerificationError(`${repo.host}/${repo.name}`, digest, problems);
}

/** Prebuilt images verified in this run, by image and policy: the program's check and the component's share one reading. */
const verifiedPrebuilt = perRun<void>();

/**
 * Verifies a prebuilt image (`<repository>@<digest>`) where it is, read through `repositoryAt` (its registry's API):
 * its signature and attestations, once a run (an image that does not verify is not kept: whoever asks next reads again;
 * a registry's refusal of the reader is, perRun.ts). Its registry's
 * scan belongs to whoever owns that registry and is not read here.
 */
export function verifyPrebuiltImage(image: string, policy: ImageVerificationPolicy, repositoryAt: (host: string, name: string) => Promise<OciRepository>): Promise<void> {
    return verifiedPrebuilt(JSON.stringify([image, policy.signingKey, policy.keyRegion, policy.workflow]), async () => {
        const at = image.lastIndexOf("@");
        const { host, name } = registryLocation(image.slice(0, at));
        await verifyImage(await repositoryAt(host, name), image.slice(at + 1), policy, await signingPublicKey(policy.signingKey, policy.keyRegion));
    });
}

/** What verifyImage refuses an image for, one line per failed check; empty when it verifies. */
export async function supplyChainProblems(repo: OciRepository, digest: string, policy: ImageVerificationPolicy, key: KeyObject): Promise<string[]> {
    const problems: string[] = [];
    const signature = await signatureProblem(repo, digest, key);
    if (signature) problems.push(`signature: ${signature}`);

    const attestations = await verifiedAttestations(repo, digest, key);
    if (attestations.missing) {
        problems.push(`provenance: there are no attestations (${cosignTag(digest, "att")}: ${attestations.missing})`);
        return problems;
    }
    const provenance = attestations.verified.filter((a) => a.predicateType === SLSA_PROVENANCE_V1);
    const builders = provenance.map((p) => provenanceWorkflow(p.predicate) ?? "an unnamed workflow");
    const missing: string[] = [];
    if (provenance.length === 0) missing.push(`provenance: no verified ${SLSA_PROVENANCE_V1} attestation`);
    else if (!builders.includes(policy.workflow)) missing.push(`provenance: built by ${builders.join(", ")}, not ${policy.workflow}`);
    if (!attestations.verified.some((a) => a.predicateType === SPDX_DOCUMENT)) missing.push(`sbom: no verified ${SPDX_DOCUMENT} attestation`);
    // As cosign verify-attestation: an envelope that does not verify is left out, and counts against the image only
    // when what it needs is not among those that do; then each says why it did not count.
    if (missing.length > 0) problems.push(...attestations.rejected.map((r) => `attestation: ${r}`), ...missing);
    return problems;
}
