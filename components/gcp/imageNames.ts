/** Every content tag starts with this (see components/image/contentTag.ts); cleanup policies match on it. */
export const CONTENT_TAG_PREFIX = "c-";
/** The service image's name in the stack's Artifact Registry repository. */
export const IMAGE_NAME = "service";
