import { KeyObject, createHash, sign } from "crypto";
import { DSSE_MEDIA_TYPE, IN_TOTO_PAYLOAD_TYPE, SLSA_PROVENANCE_V1, SPDX_DOCUMENT, preAuthEncoding } from "../../components/image/cosignAttestations";
import { COSIGN_SIGNATURE_TYPE, SIGNATURE_ANNOTATION, SIMPLE_SIGNING_MEDIA_TYPE } from "../../components/image/cosignSignature";
import { slsaProvenance } from "../image/provenance";

/** The workflow the stacks' `image.verify.workflow` names: image.yml on main of the repository deployments/ trusts. */
export const IMAGE_WORKFLOW_REF = "my-github-org/multicloud-service/.github/workflows/image.yml@refs/heads/main";

/** An OCI artifact as a registry stores it: the manifest's bytes and the blobs it references, by digest. */
export interface OciArtifact {
    manifest: Buffer;
    blobs: Map<string, Buffer>;
}

const sha256 = (bytes: Buffer) => `sha256:${createHash("sha256").update(bytes).digest("hex")}`;

/**
 * An OCI image manifest whose layers are the given blobs, as cosign writes its `.sig` and `.att` objects
 * (sigstore/cosign specs/SIGNATURE_SPEC.md "OCI Image Manifest V1", ATTESTATION_SPEC.md "Overall Layout").
 */
export function artifact(layers: { mediaType: string; bytes: Buffer; annotations: Record<string, string> }[]): OciArtifact {
    const config = Buffer.from(JSON.stringify({ architecture: "", os: "", config: {}, rootfs: { type: "layers", diff_ids: layers.map((l) => sha256(l.bytes)) } }));
    const blobs = new Map([[sha256(config), config], ...layers.map((l) => [sha256(l.bytes), l.bytes] as [string, Buffer])]);
    const manifest = {
        schemaVersion: 2,
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        config: { mediaType: "application/vnd.oci.image.config.v1+json", size: config.length, digest: sha256(config) },
        layers: layers.map((l) => ({ mediaType: l.mediaType, size: l.bytes.length, digest: sha256(l.bytes), annotations: l.annotations })),
    };
    return { manifest: Buffer.from(JSON.stringify(manifest)), blobs };
}

/** The simple-signing payload `cosign sign` signs (SIGNATURE_SPEC.md "Simple Signing"). */
export function simpleSigningPayload(repository: string, digest: string): Buffer {
    return Buffer.from(
        JSON.stringify({ critical: { identity: { "docker-reference": repository }, image: { "docker-manifest-digest": digest }, type: COSIGN_SIGNATURE_TYPE }, optional: null }),
    );
}

/** What `cosign sign --key awskms:///...` pushes as `sha256-<hex>.sig`: the payload, its ECDSA signature as the layer's annotation. */
export function cosignSignature(repository: string, digest: string, key: KeyObject, options: { payload?: Buffer; signedBytes?: Buffer } = {}): OciArtifact {
    const payload = options.payload ?? simpleSigningPayload(repository, digest);
    const signature = sign("sha256", options.signedBytes ?? payload, key).toString("base64");
    return artifact([{ mediaType: SIMPLE_SIGNING_MEDIA_TYPE, bytes: payload, annotations: { [SIGNATURE_ANNOTATION]: signature } }]);
}

/** An in-toto statement about `digest`, in a DSSE envelope signed over its PAE, as `cosign attest` writes each attestation. */
export function dsseAttestation(repository: string, digest: string, predicateType: string, predicate: object, key: KeyObject) {
    const statement = { _type: "https://in-toto.io/Statement/v0.1", predicateType, subject: [{ name: repository, digest: { sha256: digest.slice("sha256:".length) } }], predicate };
    const payload = Buffer.from(JSON.stringify(statement));
    const sig = sign("sha256", preAuthEncoding(IN_TOTO_PAYLOAD_TYPE, payload), key).toString("base64");
    const envelope = { payloadType: IN_TOTO_PAYLOAD_TYPE, payload: payload.toString("base64"), signatures: [{ keyid: "", sig }] };
    return { mediaType: DSSE_MEDIA_TYPE, bytes: Buffer.from(JSON.stringify(envelope)), annotations: { [SIGNATURE_ANNOTATION]: "", predicateType } };
}

/** The provenance image.yml writes (`npm run image -- provenance`) for a push to main of `workflowRef`. */
export function provenanceOf(workflowRef = IMAGE_WORKFLOW_REF): object {
    const repository = workflowRef.split("/").slice(0, 2).join("/");
    return slsaProvenance({ GITHUB_REPOSITORY: repository, GITHUB_WORKFLOW_REF: workflowRef, GITHUB_RUN_ID: "1", GITHUB_EVENT_NAME: "push", GITHUB_SHA: "0".repeat(40), GITHUB_REF: "refs/heads/main" });
}

/**
 * A minimal SPDX 2.3 document, as syft (scripts/image/sbom.sh) writes one for the image: its creators an organization and
 * the tool with its version (syft/format/common/spdxhelpers/to_format_model.go: "Organization: Anchore, Inc" and
 * "Tool: syft-<version>"), its namespace the document's name, `:` and `#` as `-`, and a UUID
 * (syft/format/internal/spdxutil/helpers/document_namespace.go, cleanName; document_namespace_test.go:
 * https://anchore.com/syft/image/<name>-<uuid>).
 * The version and the UUID are the stand-in's own. No package list: nothing here reads one (review/image/packageChanges.ts
 * reads the lockfile and the Dockerfile).
 */
export function spdxOf(repository: string): object {
    return {
        spdxVersion: "SPDX-2.3",
        dataLicense: "CC0-1.0",
        SPDXID: "SPDXRef-DOCUMENT",
        name: repository,
        documentNamespace: `https://anchore.com/syft/image/${repository.replace(/[#:]/g, "-")}-6f1c2b8e-3d4a-4e5f-9a7b-1c2d3e4f5a6b`,
        creationInfo: { creators: ["Organization: Anchore, Inc", "Tool: syft-1.33.0"], created: "2026-12-01T00:00:00Z" },
        packages: [],
    };
}

/** What image.yml's `cosign attest` steps push as `sha256-<hex>.att`: the SLSA provenance and the SPDX SBOM. */
export function cosignAttestations(repository: string, digest: string, key: KeyObject, options: { workflowRef?: string } = {}): OciArtifact {
    return artifact([
        dsseAttestation(repository, digest, SLSA_PROVENANCE_V1, provenanceOf(options.workflowRef), key),
        dsseAttestation(repository, digest, SPDX_DOCUMENT, spdxOf(repository), key),
    ]);
}
