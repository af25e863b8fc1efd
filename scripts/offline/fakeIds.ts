import { createHash } from "crypto";

/** Stable fake identifiers, so that an offline plan (and a test) prints the same thing on every run. */
export const FAKE_ACCOUNT_ID = "123456789012";
export const FAKE_PROJECT_NUMBER = "987654321098";

export function shortHash(text: string, length = 7): string {
    return createHash("sha256").update(text).digest("hex").slice(0, length);
}

export function fakeDigest(text: string): string {
    return `sha256:${createHash("sha256").update(text).digest("hex")}`;
}

/** What a provider's auto-naming would produce: the logical name and a random-looking suffix. */
export function autoName(name: string): string {
    return `${name}-${shortHash(name)}`;
}

/**
 * The name a bridged resource gets from its `namePrefix`: the prefix, a UTC timestamp to 4 digits of fractional
 * seconds without its dot (`Format("20060102150405.0000")`), and an 8-hex-digit counter: 26 characters after the
 * prefix (terraform-plugin-sdk helper/id PrefixedUniqueId, which create.Name calls when only a prefix is set); a fixed
 * time and the name's hash here.
 */
export function prefixedUniqueId(prefix: string, name: string): string {
    return `${prefix}202612010000000000${shortHash(name, 8)}`;
}

/** ECR's words for a repository the account's registry does not have (DescribeImages' RepositoryNotFoundException). */
export function ecrRepositoryNotFound(repository: string): string {
    return `The repository with name '${repository}' does not exist in the registry with id '${FAKE_ACCOUNT_ID}'`;
}
