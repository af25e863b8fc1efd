import { keptApart, nameDigest } from "../names";

/**
 * A service account's display name of `text`: IAM takes "100 UTF-8 bytes" at most (ServiceAccount.display_name; the
 * provider does not check it, so the API refuses a longer one at create). A longer one keeps its head, whole
 * characters only, and 6 hex digits of the whole, so two long names stay apart. A component's name may be any text.
 */
export function serviceAccountDisplayName(text: string): string {
    const max = 100;
    if (Buffer.byteLength(text) <= max) return text;
    const suffix = `-${nameDigest(text)}`;
    let head = "";
    for (const character of text) {
        if (Buffer.byteLength(head + character) + suffix.length > max) break;
        head += character;
    }
    return `${head}${suffix}`;
}

/**
 * `base` when it fits in `max` characters, else its head and 6 hex digits of its sha256: IDs that differ only past
 * the limit (review stacks, one per pull request, all in dev's project, named alike up to the pull request's number)
 * stay distinct instead of being cut to the same one.
 */
export function boundedId(base: string, max: number): string {
    if (base.length <= max) return base;
    const hash = nameDigest(base);
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

/**
 * `name` as part of a GCP ID (idPart), with a digest of `name` when idPart changed it (keptApart): `prod.eu`,
 * `prod_eu` and `Prod-eu` would all be `prod-eu`, one ID for the stacks that share a project.
 */
export function distinctIdPart(name: string, keep = ""): string {
    return keptApart(idPart(name, keep), name);
}

/**
 * A Secret Manager secret ID made of `base`: kept apart (distinctIdPart, keeping `_`) and at most 255 characters, as
 * CreateSecretRequest.secret_id takes (Secret Manager API reference); the provider does not check it, so the API would
 * refuse a longer one at create.
 */
export function secretId(base: string): string {
    return boundedId(distinctIdPart(base, "_"), 255);
}

/** A GCP label value: lowercase letters, digits, `_` and `-`, at most 63 characters (Resource Manager, "Labels: requirements"). */
export function labelValue(value: string): string {
    return boundedId(value.toLowerCase().replace(/[^a-z0-9_-]/g, "-"), 63);
}

/** What Google accepts as a service account's ID: 6-30 of [a-z0-9-], starting with a letter, not ending with `-`. */
export const SERVICE_ACCOUNT_ID = /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/;

/**
 * The service account ID made of `base`, valid and its own: kept apart (distinctIdPart) and at most 30 characters
 * (boundedId). IAM takes 6-30 of [a-z0-9-], a letter first, and refuses a second account of one ID in a project
 * (terraform-provider-google service_account: account_id, validateRFC1035Name(6, 30)).
 */
export function serviceAccountId(base: string): string {
    const id = boundedId(distinctIdPart(base), 30);
    // Shorter than IAM's 6 (a package caller's `ab` in `qa`): its base's digest makes it long enough, and its own.
    return id.length >= 6 ? id : `${id}-${nameDigest(base)}`;
}

/**
 * A service account member (`serviceAccount:<id>@<project>.iam.gserviceaccount.com`) as part of a grant's logical
 * name: `<id>-at-<project>`. The whole address: two projects' accounts may share an ID.
 */
export function memberNamePart(member: string): string {
    return member.slice("serviceAccount:".length).replace(".iam.gserviceaccount.com", "").replace("@", "-at-");
}
