/** Never rate-limited: Cloud Run's probes and uptime checks must always get an answer (the release's probe counts on it too). */
export const UNLIMITED_PATHS: ReadonlySet<string> = new Set(["/health", "/ready"]);
