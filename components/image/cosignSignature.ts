import { KeyObject, verify } from "crypto";
import { OciRepository, blob, manifestOrAbsence } from "./ociRegistry";
import { MalformedRegistryAnswer } from "./ociShapes";

/** sigstore/cosign specs/SIGNATURE_SPEC.md: the payload's media type, the signature's annotation, the payload's type. */
export const SIMPLE_SIGNING_MEDIA_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
export const SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
export const COSIGN_SIGNATURE_TYPE = "cosign container image signature";

/** Tag-based discovery (SIGNATURE_SPEC.md, "Storage"): `sha256:<hex>` becomes the tag `sha256-<hex>.<suffix>`. */
export function cosignTag(digest: string, suffix: "sig" | "att"): string {
    return `${digest.replace(":", "-")}.${suffix}`;
}

/**
 * Whether the image `digest` carries a cosign signature that the key verifies over a simple-signing payload naming
 * that digest. Returns undefined when one does; otherwise what was wrong, for the error (every layer's reason).
 */
export async function signatureProblem(repo: OciRepository, digest: string, key: KeyObject): Promise<string | undefined> {
    const tag = cosignTag(digest, "sig");
    const read = await manifestOrAbsence(repo, tag).catch(malformedAsTampered);
    if ("tampered" in read) return read.tampered;
    // The registry's own code: MANIFEST_UNKNOWN (no such tag) or NAME_UNKNOWN (no such repository).
    if ("absent" in read) return `unsigned: there is no signature (${tag}: ${read.absent})`;
    const { manifest } = read;
    const layers = (manifest.layers ?? []).filter((l) => l.mediaType === SIMPLE_SIGNING_MEDIA_TYPE);
    if (layers.length === 0) return `unsigned: ${tag} holds no ${SIMPLE_SIGNING_MEDIA_TYPE} layer`;
    const reasons: string[] = [];
    for (const layer of layers) {
        const signature = layer.annotations?.[SIGNATURE_ANNOTATION];
        if (!signature) {
            reasons.push(`a layer of ${tag} has no ${SIGNATURE_ANNOTATION} annotation`);
            continue;
        }
        let payload: Buffer;
        try {
            payload = await blob(repo, layer);
        } catch (err) {
            if ((err as Error).name !== "BlobMismatchError") throw err;
            reasons.push(`tampered: ${(err as Error).message}`);
            continue;
        }
        // ECDSA over SHA-256 of the payload bytes, the signature ASN.1 DER (SIGNATURE_SPEC.md, "Signature Schemes"; what KMS ECDSA_SHA_256 returns).
        if (!verify("sha256", payload, key, Buffer.from(signature, "base64"))) {
            reasons.push(`tampered or signed by another key: the signature in ${tag} does not verify with the signing key`);
            continue;
        }
        const named = signedDigest(payload);
        if (named !== digest) {
            reasons.push(`tampered: the signature in ${tag} is over ${named ?? "no image digest"}, not ${digest}`);
            continue;
        }
        return undefined;
    }
    return reasons.join("; ");
}

/** `critical.image.docker-manifest-digest` of a cosign simple-signing payload, when `critical.type` says it is one. */
function signedDigest(payload: Buffer): string | undefined {
    try {
        const { critical } = JSON.parse(payload.toString("utf8")) as { critical?: { type?: string; image?: Record<string, string> } };
        if (critical?.type !== COSIGN_SIGNATURE_TYPE) return undefined;
        return critical.image?.["docker-manifest-digest"];
    } catch {
        return undefined;
    }
}

/** A `.sig` or `.att` manifest that is not an OCI manifest is a reason the image does not verify, as other bytes in a blob are. */
export function malformedAsTampered(err: unknown): { tampered: string } {
    if (err instanceof MalformedRegistryAnswer) return { tampered: `tampered: ${err.message}` };
    throw err;
}
