/** The `sha256:` digest an image reference pins (`<repository>@sha256:<64 hex>`), or undefined for a tag-only one. */
export function digestOf(imageRef: string): string | undefined {
    return /@(sha256:[0-9a-f]{64})$/.exec(imageRef)?.[1];
}
