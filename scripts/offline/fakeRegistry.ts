import { createHash } from "crypto";
import { cosignTag } from "../../components/image/cosignSignature";
import { waitClock } from "../../components/waitClock";
import { OciArtifact, cosignAttestations, cosignSignature } from "./fakeCosign";
import { fakeDigest } from "./fakeIds";
import { fakeSigningKey } from "./fakeKms";

/**
 * What the fake cloud's registries (ECR repositories, Artifact Registry packages) hold: per repository, tags to
 * digests. `all`: every tag asked for is there, as for a stack whose image workflow has run (the offline plan's
 * default); `none`: nothing has been pushed yet, until a test (or the image workflow's stand-in) pushes it.
 * A digest is the hash of what was built, not of where it is: a copy to another repository keeps it.
 * A build (a push without a digest) is what image.yml pushes: the image, its cosign signature (`.sig`) and its
 * attestations (`.att`: SLSA provenance, SPDX SBOM), signed with the fake cloud's KMS key; they are OCI artifacts
 * whose manifests and blobs the registry stand-in serves (fakeOciRegistryApi.ts).
 */
export class FakeRegistry {
    private readonly repositories = new Map<string, Map<string, string>>();
    /**
     * The manifests each repository holds, by digest, tagged or not: the images of a multi-platform index are untagged,
     * as is an image whose mutable tag moved on, and a registry still serves and describes them by digest (distribution
     * registry/handlers/manifests.go GetManifest; ECR's DescribeImages lists untagged images, DescribeImagesFilter tagStatus).
     */
    private readonly held = new Map<string, Set<string>>();
    /** Manifests and blobs of the artifacts pushed, by digest (content-addressed: the same bytes in any repository). */
    private readonly contents = new Map<string, Buffer>();
    /** Pushes, in order: a test's view of who wrote what. */
    readonly pushes: { repository: string; tag: string; digest: string }[] = [];
    /**
     * When each digest was first pushed (Artifact Registry's version createTime); a test may set it earlier. Read on the
     * program's wait clock: a push during a run (image.yml while `up` waits) is at the time those waits stand for, the
     * time the scanner's "pushed over an hour ago" reads (containerAnalysisScan.ts).
     */
    readonly pushedAt = new Map<string, Date>();
    /** Pushes of signatures and attestations (`sha256-<hex>.sig` / `.att`), in order. */
    readonly artifactPushes: { repository: string; tag: string; digest: string }[] = [];

    /** Called on every lookup by tag, with what was found: a test's image workflow pushes from here. */
    onFind?: (repository: string, tag: string, found: string | undefined) => void;

    constructor(public mode: "all" | "none" = "all") {}

    private tagsIn(repository: string): Map<string, string> {
        let tags = this.repositories.get(repository);
        if (!tags) this.repositories.set(repository, (tags = new Map()));
        return tags;
    }

    /**
     * Pushes an image under a tag. ECR refuses to move a tag of an immutable repository (the program's ECR repositories
     * are, but for cosign's tags). The pushes here go through the registry API (docker push, skopeo copy, cosign),
     * where ECR answers the manifest PUT with the distribution error code TAG_INVALID and, since 2025, says "the tag"
     * where it said "the repository" (osscontainertools/kaniko#204 quotes the answer, GoogleContainerTools/kaniko#3481
     * the change; `ImageTagAlreadyExistsException` is the name of the same refusal in ECR's own PutImage API);
     * Artifact Registry's repositories here are mutable (components/gcp/imageRegistry.ts: immutableTags false), where
     * a push moves the tag.
     */
    push(repository: string, tag: string, digest?: string): string {
        if (digest === undefined) return this.build(repository, tag);
        const tags = this.tagsIn(repository);
        const existing = tags.get(tag);
        const immutable = !isArtifactRegistry(repository) && !COSIGN_TAG.test(tag);
        if (immutable && existing !== undefined && existing !== digest) {
            const name = repository.split("/").pop();
            throw Object.assign(
                new Error(`TAG_INVALID: The image tag '${tag}' already exists in the '${name}' repository and cannot be overwritten because the tag is immutable.`),
                { code: "TAG_INVALID" },
            );
        }
        tags.set(tag, digest);
        this.hold(repository, digest);
        this.pushes.push({ repository, tag, digest });
        return digest;
    }

    /** image.yml's push of a new build: the image, then `cosign sign` and `cosign attest` with the signing key. */
    private build(repository: string, tag: string): string {
        const digest = this.push(repository, tag, fakeDigest(`build of ${tag}`));
        const key = fakeSigningKey().privateKey;
        this.pushArtifact(repository, cosignTag(digest, "sig"), cosignSignature(repository, digest, key));
        this.pushArtifact(repository, cosignTag(digest, "att"), cosignAttestations(repository, digest, key));
        return digest;
    }

    /** Pushes an OCI artifact (its blobs, then its manifest under `tag`); returns the manifest's digest. */
    pushArtifact(repository: string, tag: string, artifact: OciArtifact): string {
        for (const [digest, bytes] of artifact.blobs) this.contents.set(digest, bytes);
        const digest = artifactDigest(artifact);
        this.contents.set(digest, artifact.manifest);
        this.tagsIn(repository).set(tag, digest);
        this.hold(repository, digest);
        // An index's images come with it, untagged.
        for (const image of indexEntries(artifact)) this.hold(repository, image.digest, this.pushedAt.get(digest));
        this.artifactPushes.push({ repository, tag, digest });
        return digest;
    }

    /** Records that the repository holds the digest, and when it was first pushed (`pushed`, unless known already). */
    private hold(repository: string, digest: string, pushed = new Date(waitClock.now())): void {
        if (!this.pushedAt.has(digest)) this.pushedAt.set(digest, pushed);
        let digests = this.held.get(repository);
        if (!digests) this.held.set(repository, (digests = new Set()));
        digests.add(digest);
    }

    /** Whether the repository holds a manifest of this digest, tagged or not. */
    holds(repository: string, digest: string): boolean {
        return this.held.get(repository)?.has(digest) ?? false;
    }

    /**
     * Removes a tag (what a test does to leave an image unsigned). In ECR the image goes with its last tag
     * (BatchDeleteImage, ECR API reference: "If the image has no other tags, the image is deleted"); Artifact Registry
     * keeps the untagged version until a cleanup policy deletes it.
     */
    untag(repository: string, tag: string): void {
        const digest = this.repositories.get(repository)?.get(tag);
        this.repositories.get(repository)?.delete(tag);
        if (digest && !isArtifactRegistry(repository) && this.tagsOf(repository, digest).length === 0) this.held.get(repository)?.delete(digest);
    }

    /** A manifest by tag, or by digest (the distribution spec's `<reference>` is either) when the repository holds it. */
    manifest(repository: string, reference: string): Buffer | undefined {
        const digest = reference.startsWith("sha256:") ? (this.holds(repository, reference) ? reference : undefined) : this.repositories.get(repository)?.get(reference);
        return digest ? this.contents.get(digest) : undefined;
    }

    /** A blob's bytes (undefined: BLOB_UNKNOWN). */
    blob(digest: string): Buffer | undefined {
        return this.contents.get(digest);
    }

    /** Replaces a stored blob's bytes, keeping its digest: a registry (or a man in the middle) serving other bytes. */
    corruptBlob(digest: string, bytes: Buffer): void {
        this.contents.set(digest, bytes);
    }

    hasRepository(repository: string): boolean {
        return this.repositories.has(repository);
    }

    /** Whether anything is stored under a path prefix (an Artifact Registry repository holds its images below it). */
    holdsAnythingUnder(prefix: string): boolean {
        return [...this.repositories.keys()].some((key) => key.startsWith(prefix));
    }

    /** The digest under a tag, or undefined when the tag is not there. */
    find(repository: string, tag: string): string | undefined {
        // "all" stands for the image workflow having run: its builds are there, and with them their signatures, never others.
        const built = this.mode === "all" && !COSIGN_TAG.test(tag);
        const found = this.repositories.get(repository)?.get(tag) ?? (built ? this.push(repository, tag) : undefined);
        this.onFind?.(repository, tag, found);
        return found;
    }

    /** The tags of an image in a repository, given by digest (none: the image is not there). */
    tagsOf(repository: string, digest: string): string[] {
        return [...(this.repositories.get(repository) ?? [])].filter(([, d]) => d === digest).map(([tag]) => tag);
    }
}

const COSIGN_TAG = /^sha256-[0-9a-f]{64}\.(sig|att)$/;
const isArtifactRegistry = (repository: string) => repository.includes("-docker.pkg.dev/");

/** The digest of `bytes` as a registry names a blob or manifest it holds (OCI image spec, descriptor.md: sha256). */
export function fakeDigestOfBytes(bytes: Buffer): string {
    return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

/** An artifact's digest, its manifest's: what pushArtifact stores it under. */
export const artifactDigest = (artifact: OciArtifact) => fakeDigestOfBytes(artifact.manifest);

/**
 * A single-platform image as a registry holds it: an OCI image manifest whose config names its os and architecture
 * (OCI image spec, config.md: `architecture`, `os`), and one layer.
 */
export function imageArtifact(platform: { os: string; architecture: string }): OciArtifact {
    const layer = Buffer.from(`layer of a ${platform.os}/${platform.architecture} image`);
    const config = Buffer.from(JSON.stringify({ ...platform, config: {}, rootfs: { type: "layers", diff_ids: [fakeDigestOfBytes(layer)] } }));
    const manifest = {
        schemaVersion: 2,
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        config: { mediaType: "application/vnd.oci.image.config.v1+json", size: config.length, digest: fakeDigestOfBytes(config) },
        layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", size: layer.length, digest: fakeDigestOfBytes(layer) }],
    };
    return { manifest: Buffer.from(JSON.stringify(manifest)), blobs: new Map([[fakeDigestOfBytes(config), config], [fakeDigestOfBytes(layer), layer]]) };
}

/**
 * A multi-platform image as a registry holds it: an OCI image index whose entries name each image's platform (OCI
 * image spec, image-index.md), with the images' manifests and blobs.
 */
export function imageIndex(platforms: { os: string; architecture: string; variant?: string }[]): OciArtifact {
    const images = platforms.map((platform) => ({ platform, image: imageArtifact(platform) }));
    const index = {
        schemaVersion: 2,
        mediaType: "application/vnd.oci.image.index.v1+json",
        manifests: images.map(({ platform, image }) => ({ mediaType: "application/vnd.oci.image.manifest.v1+json", size: image.manifest.length, digest: fakeDigestOfBytes(image.manifest), platform })),
    };
    const blobs = images.flatMap(({ image }) => [[fakeDigestOfBytes(image.manifest), image.manifest] as const, ...image.blobs]);
    return { manifest: Buffer.from(JSON.stringify(index)), blobs: new Map(blobs) };
}

/** The entries of an image index (OCI image spec, image-index.md): each image's digest and platform; none for an image. */
export function indexEntries(artifact: OciArtifact): { digest: string; platform: { os: string; architecture: string; variant?: string } }[] {
    const manifests = parsedManifest(artifact.manifest)?.manifests;
    return Array.isArray(manifests) ? manifests.filter((entry) => typeof entry?.digest === "string") : [];
}

/**
 * A manifest's JSON, or undefined where its bytes are not a JSON object: a test plants such a manifest (a registry or a
 * proxy serving other bytes than a push stored; a registry itself refuses to store one, distribution-spec MANIFEST_INVALID).
 */
export function parsedManifest(bytes: Buffer): { mediaType?: unknown; manifests?: any[] } | undefined {
    try {
        const parsed = JSON.parse(bytes.toString("utf8"));
        return parsed !== null && typeof parsed === "object" ? parsed : undefined;
    } catch {
        return undefined;
    }
}

/** The media type a manifest declares in its own JSON (`mediaType`), or undefined where it declares none that is a string. */
export function declaredMediaType(bytes: Buffer): string | undefined {
    const declared = parsedManifest(bytes)?.mediaType;
    return typeof declared === "string" ? declared : undefined;
}
