import { fakeDigest, shortHash } from "./fakeIds";

/**
 * The images the fake cloud's registries (ECR, Artifact Registry) hold. `all`: every tag is there, as for a
 * stack whose image workflow has run (the offline plan's default); `none`: nothing has been pushed yet, until a
 * test pushes it.
 */
export class FakeRegistry {
    private readonly pushed = new Map<string, string>();

    constructor(public mode: "all" | "none" = "all") {}

    push(repository: string, tag: string): string {
        const digest = fakeDigest(`${repository}:${tag}`);
        this.pushed.set(`${repository}:${tag}`, digest);
        return digest;
    }

    /** The digest under a tag, or undefined when the tag is not there. */
    find(repository: string, tag: string): string | undefined {
        if (this.mode === "all") return this.push(repository, tag);
        return this.pushed.get(`${repository}:${tag}`);
    }

    /** The tags of an image given by digest (digests are unique, so the repository is not needed to find them). */
    tagsOf(digest: string): string[] {
        const tags = [...this.pushed].filter(([, d]) => d === digest).map(([key]) => key.slice(key.lastIndexOf(":") + 1));
        if (tags.length === 0 && this.mode === "all") return [`c-${shortHash(digest, 24)}`];
        return tags;
    }
}

/** A failed invoke as the engine reports it: the SDK rethrows the gRPC error's `details` as the message. */
export function notFound(what: string): Error {
    const message = `${what} was not found (offline registry)`;
    return Object.assign(new Error(message), { details: message });
}
