/**
 * Where a stack deploys when its stack file names no region (`aws:region`, `gcp:region`): the settings schema's
 * defaults, and what every reader of a stack file's regions (deployments/, the price refresh, the mock cloud) takes
 * for a file without one. Its own file so that those readers need not load the schema (and zod) for two names.
 */
export const DEFAULT_REGIONS = { aws: "ap-northeast-1", gcp: "asia-northeast1" } as const;

/** The regions a stack file's config names, each cloud's default where it names none. */
export function stackFileRegions(config: Record<string, unknown>): { aws: string; gcp: string } {
    const named = (key: string) => (typeof config[key] === "string" ? (config[key] as string) : undefined);
    return { aws: named("aws:region") ?? DEFAULT_REGIONS.aws, gcp: named("gcp:region") ?? DEFAULT_REGIONS.gcp };
}
