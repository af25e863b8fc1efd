import { sign } from "crypto";
import { cosignTag, SIGNATURE_ANNOTATION, SIMPLE_SIGNING_MEDIA_TYPE } from "../../components/image/cosignSignature";
import { DSSE_MEDIA_TYPE, IN_TOTO_PAYLOAD_TYPE, preAuthEncoding } from "../../components/image/cosignAttestations";
import { OciRepository } from "../../components/image/ociRegistry";
import { FAKE_ECR_PASSWORD, FakeOciRegistryApi } from "../../scripts/offline/fakeOciRegistryApi";
import { FakeRegistry, fakeDigestOfBytes } from "../../scripts/offline/fakeRegistry";
import { fakeSigningKey } from "../../scripts/offline/fakeKms";

/** An ECR repository of the registry stand-in (fakeOciRegistryApi.ts), read with ECR's Basic login, and an image digest in it. */
export const HOSTILE_HOST = "210987654321.dkr.ecr.eu-west-1.amazonaws.com";
export const HOSTILE_REPOSITORY = "hostile/service";
export const HOSTILE_DIGEST = `sha256:${"a".repeat(64)}`;
export const hostileRepository = (): OciRepository => ({ host: HOSTILE_HOST, name: HOSTILE_REPOSITORY, credentials: async () => ({ user: "AWS", password: FAKE_ECR_PASSWORD }) });
export const HOSTILE_POLICY = { signingKey: "awskms:///alias/image-signing", keyRegion: "eu-west-1", workflow: "o/r/.github/workflows/image.yml@refs/heads/main" };

export const bytesOf = (value: unknown) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value));

/** A manifest (OCI image spec, manifest.md) whose layers are `layers`, with anything the caller puts over it. */
export const manifestOf = (layers: unknown, over: object = {}) => bytesOf({ schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json", layers, ...over });
export const descriptorOf = (mediaType: string, bytes: Buffer, annotations?: unknown) => ({ mediaType, digest: fakeDigestOfBytes(bytes), size: bytes.length, annotations });

/** A `.sig` layer whose simple-signing payload `payload` the fake KMS key signed (sigstore/cosign SIGNATURE_SPEC.md). */
export function signedSignatureLayer(payload: Buffer) {
    return descriptorOf(SIMPLE_SIGNING_MEDIA_TYPE, payload, { [SIGNATURE_ANNOTATION]: sign("sha256", payload, fakeSigningKey().privateKey).toString("base64") });
}

/** A DSSE envelope over `statement`, signed by the fake KMS key (secure-systems-lab/dsse protocol.md PAE). */
export function signedEnvelope(statement: Buffer): Buffer {
    const sig = sign("sha256", preAuthEncoding(IN_TOTO_PAYLOAD_TYPE, statement), fakeSigningKey().privateKey).toString("base64");
    return bytesOf({ payloadType: IN_TOTO_PAYLOAD_TYPE, payload: statement.toString("base64"), signatures: [{ sig }] });
}
export const dsseLayer = (envelope: Buffer) => descriptorOf(DSSE_MEDIA_TYPE, envelope);

/**
 * The registry stand-in holding what a test plants: `.sig` and `.att` manifests of HOSTILE_DIGEST, a manifest under
 * `tags`, and `blobs` (content-addressed). Its `fetch` answers in the registries' words.
 */
export function hostileRegistry(planted: { sig?: Buffer; att?: Buffer; tags?: Record<string, Buffer>; blobs?: Buffer[] }) {
    const registry = new FakeRegistry("none");
    const blobs = new Map((planted.blobs ?? []).map((b) => [fakeDigestOfBytes(b), b]));
    const manifests: [string, Buffer | undefined][] = [[cosignTag(HOSTILE_DIGEST, "sig"), planted.sig], [cosignTag(HOSTILE_DIGEST, "att"), planted.att], ...Object.entries(planted.tags ?? {})];
    registry.pushArtifact(HOSTILE_REPOSITORY, "unrelated", { manifest: bytesOf({ schemaVersion: 2, layers: [] }), blobs });
    for (const [tag, manifest] of manifests) if (manifest) registry.pushArtifact(HOSTILE_REPOSITORY, tag, { manifest, blobs });
    return new FakeOciRegistryApi(() => registry).fetch;
}
