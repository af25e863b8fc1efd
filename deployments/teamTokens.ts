import { createHash } from "crypto";

/** The team tokens Pulumi Deployments runs with. */
export const TEAM_TOKEN_KEYS = ["deployers", "releasers", "reviewers"] as const;
const HASH_LENGTH = 6;
/** CreateTeamToken: a name "cannot exceed 40 characters". */
const NAME_LIMIT = 40;

/**
 * A team token's name: Pulumi Cloud keeps it unique in the organization "including deleted tokens", and every input
 * of a TeamAccessToken replaces it. So the name carries a hash of what would replace it (the team, the description,
 * the generation that settings.tokenGeneration raises to rotate the tokens): a replacement gets a new name instead of
 * a refused create.
 */
export function teamTokenName(project: string, key: (typeof TEAM_TOKEN_KEYS)[number], replacedBy: (string | number)[]): string {
    return `${project}-${key}-${createHash("sha256").update(replacedBy.join("\n")).digest("hex").slice(0, HASH_LENGTH)}`;
}

/** The longest project name whose team tokens' names fit Pulumi Cloud's limit. */
export const MAX_PROJECT_FOR_TOKENS = NAME_LIMIT - Math.max(...TEAM_TOKEN_KEYS.map((key) => teamTokenName("", key, []).length));
