import { fakeDigest } from "./fakeIds";

/**
 * What the fake cloud's registries (ECR repositories, Artifact Registry packages) hold: per repository, tags to
 * digests. `all`: every tag asked for is there, as for a stack whose image workflow has run (the offline plan's
 * default); `none`: nothing has been pushed yet, until a test (or the image workflow's stand-in) pushes it.
 * A digest is the hash of what was built, not of where it is: a copy to another repository keeps it.
 */
export class FakeRegistry {
    private readonly repositories = new Map<string, Map<string, string>>();
    /** Pushes, in order: a test's view of who wrote what. */
    readonly pushes: { repository: string; tag: string; digest: string }[] = [];

    /** Called on every lookup by tag, with what was found: a test's image workflow pushes from here. */
    onFind?: (repository: string, tag: string, found: string | undefined) => void;

    constructor(public mode: "all" | "none" = "all") {}

    private tagsIn(repository: string): Map<string, string> {
        let tags = this.repositories.get(repository);
        if (!tags) this.repositories.set(repository, (tags = new Map()));
        return tags;
    }

    /**
     * Pushes an image under a tag. ECR refuses to move a tag of an immutable repository, in these words (ECR API
     * reference, PutImage: ImageTagAlreadyExistsException); the same tag and digest again is a no-op, as in ECR.
     */
    push(repository: string, tag: string, digest = fakeDigest(`build of ${tag}`)): string {
        const tags = this.tagsIn(repository);
        const existing = tags.get(tag);
        if (existing !== undefined && existing !== digest) {
            const name = repository.split("/").pop();
            throw Object.assign(
                new Error(`The image tag '${tag}' already exists in the '${name}' repository and cannot be overwritten because the repository is immutable.`),
                { name: "ImageTagAlreadyExistsException" },
            );
        }
        tags.set(tag, digest);
        this.pushes.push({ repository, tag, digest });
        return digest;
    }

    /** The digest under a tag, or undefined when the tag is not there. */
    find(repository: string, tag: string): string | undefined {
        const found = this.repositories.get(repository)?.get(tag) ?? (this.mode === "all" ? this.push(repository, tag) : undefined);
        this.onFind?.(repository, tag, found);
        return found;
    }

    /** The tags of an image in a repository, given by digest (none: the image is not there). */
    tagsOf(repository: string, digest: string): string[] {
        return [...(this.repositories.get(repository) ?? [])].filter(([, d]) => d === digest).map(([tag]) => tag);
    }
}
