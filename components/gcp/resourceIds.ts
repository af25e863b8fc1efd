import { createHash } from "crypto";

/**
 * `base` when it fits in `max` characters, else its head and 6 hex digits of its sha256: IDs that differ only past
 * the limit (review stacks, one per pull request, all in dev's project, named alike up to the pull request's number)
 * stay distinct instead of being cut to the same one.
 */
export function boundedId(base: string, max: number): string {
    if (base.length <= max) return base;
    const hash = createHash("sha256").update(base).digest("hex").slice(0, 6);
    return `${base.slice(0, max - hash.length - 1).replace(/-+$/, "")}-${hash}`;
}

/** What Google accepts as a service account's ID: 6-30 of [a-z0-9-], starting with a letter, not ending with `-`. */
export const SERVICE_ACCOUNT_ID = /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/;

/**
 * The service account ID of `name` in `environment` (terraform-provider-google service_account: account_id,
 * validateRFC1035Name(6, 30); unique within the project).
 */
export function serviceAccountId(name: string, environment: string): string {
    return boundedId(`${name}-${environment}`.toLowerCase().replace(/[^a-z0-9-]+/g, "-"), 30);
}
