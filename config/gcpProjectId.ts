/**
 * A Google Cloud project ID, unanchored, for building the patterns that hold one: "6 to 30 lowercase ASCII letters,
 * digits, or hyphens. It must start with a letter. Trailing hyphens are prohibited." (Resource Manager API v3,
 * Project.projectId). A domain-scoped project (`example.com:my-project`) is not one of these; gcr.io writes it
 * `example.com/my-project`, which the patterns for gcr.io references add around it.
 */
export const GCP_PROJECT_ID_PART = "[a-z][a-z0-9-]{4,28}[a-z0-9]";

/** A whole value that is a Google Cloud project ID. */
export const GCP_PROJECT_ID = new RegExp(`^${GCP_PROJECT_ID_PART}$`);
