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

/**
 * A name as part of a GCP ID: lowercase, each run of characters but [a-z0-9-] (and `keep`) one `-`, none at the end
 * (IDs end in a letter or digit). Pulumi's stack names may hold `.` and `_`, which service account IDs and Artifact
 * Registry repository IDs (lowercase letters, numbers and hyphens) refuse; secret IDs take `_` (`keep`).
 */
export function idPart(name: string, keep = ""): string {
    return name
        .toLowerCase()
        .replace(new RegExp(`[^a-z0-9${keep}-]+`, "g"), "-")
        .replace(/-+$/, "");
}

/** A GCP label value: lowercase letters, digits, `_` and `-`, at most 63 characters (Resource Manager, "Labels: requirements"). */
export function labelValue(value: string): string {
    return boundedId(value.toLowerCase().replace(/[^a-z0-9_-]/g, "-"), 63);
}

/** What Google accepts as a service account's ID: 6-30 of [a-z0-9-], starting with a letter, not ending with `-`. */
export const SERVICE_ACCOUNT_ID = /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/;

/**
 * The service account ID of `name` in `environment` (terraform-provider-google service_account: account_id,
 * validateRFC1035Name(6, 30); unique within the project).
 */
export function serviceAccountId(name: string, environment: string): string {
    return boundedId(idPart(`${name}-${environment}`), 30);
}
