/**
 * Where a stack deploys when its stack file names no region (`aws:region`, `gcp:region`): the settings schema's
 * defaults, and what every reader of a stack file's regions (deployments/, the price refresh, the mock cloud) takes
 * for a file without one. Its own file so that those readers need not load the schema (and zod) for two names.
 */
export const DEFAULT_REGIONS = { aws: "ap-northeast-1", gcp: "asia-northeast1" } as const;
