/** The built server on S3 at `endpoint`, with storage deadlines short enough for a test to wait them out. */
export const FAULT_DEADLINE_MS = 1500;

export const faultEnv = (endpoint: string, bucket: string) => ({
    STORAGE_BACKEND: "s3",
    BUCKET_NAME: bucket,
    OBJECT_PREFIX: "input/",
    AWS_ENDPOINT_URL_S3: endpoint,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "S3RVER",
    AWS_SECRET_ACCESS_KEY: "S3RVER",
    STORAGE_ATTEMPT_TIMEOUT_MS: "300",
    STORAGE_MAX_ATTEMPTS: "3",
    STORAGE_DEADLINE_MS: String(FAULT_DEADLINE_MS),
});
