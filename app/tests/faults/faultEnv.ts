import { s3rverServiceEnv } from "../s3rver";

/** The built server on S3 at `endpoint`, with storage deadlines short enough for a test to wait them out. */
export const FAULT_DEADLINE_MS = 1500;

export const faultEnv = (endpoint: string, bucket: string) => ({
    ...s3rverServiceEnv(endpoint, bucket),
    STORAGE_ATTEMPT_TIMEOUT_MS: "300",
    STORAGE_MAX_ATTEMPTS: "3",
    STORAGE_DEADLINE_MS: String(FAULT_DEADLINE_MS),
});
