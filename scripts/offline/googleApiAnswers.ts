import { FAKE_PROJECT_NUMBER } from "./fakeIds";

/**
 * The services' titles, as their SERVICE_DISABLED messages name them (`<title> API has not been used in project ...`):
 * each API's display name in the API Library (console.cloud.google.com/apis/library).
 */
export const GOOGLE_API_TITLES: Record<string, string> = {
    run: "Cloud Run Admin",
    artifactregistry: "Artifact Registry",
    storage: "Cloud Storage",
    iam: "Identity and Access Management (IAM)",
    monitoring: "Cloud Monitoring",
    secretmanager: "Secret Manager",
    cloudquotas: "Cloud Quotas",
    containeranalysis: "Container Analysis",
};

/**
 * The answer of a Google API the project has not enabled (or enabled moments ago), in its own words: 403
 * PERMISSION_DENIED with an ErrorInfo of reason SERVICE_DISABLED naming the service and the consumer project, and the
 * message the API writes (Google's API error model, cloud.google.com/apis/design/errors; the message as the APIs
 * return it, `<Title> API has not been used in project <number> before or it is disabled...`).
 */
export function serviceDisabled(title: string, service: string, options: { consumer?: string; legacyErrors?: boolean } = {}): Response {
    const consumer = options.consumer ?? `projects/${FAKE_PROJECT_NUMBER}`;
    const number = consumer.replace(/^projects\//, "");
    const message =
        `${title} API has not been used in project ${number} before or it is disabled. Enable it by visiting ` +
        `https://console.developers.google.com/apis/api/${service}/overview?project=${number} then retry. ` +
        "If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry.";
    const info = { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "SERVICE_DISABLED", domain: "googleapis.com", metadata: { service, consumer } };
    // The JSON APIs of the older generation (Cloud Storage's) also carry the v1 error list, `errors[]` of domain,
    // reason and message (the format cloud.google.com/storage/docs/json_api/v1/status-codes documents), where this is
    // reason `accessNotConfigured` in domain `usageLimits`, "Access Not Configured ..." (as answered in
    // cloudyr/googleCloudStorageR#5).
    const legacy = options.legacyErrors ? { errors: [{ message, domain: "usageLimits", reason: "accessNotConfigured", extendedHelp: "https://console.developers.google.com" }] } : {};
    return Response.json({ error: { code: 403, message, ...legacy, status: "PERMISSION_DENIED", details: [info] } }, { status: 403 });
}

/** A resource the API does not have: 404 NOT_FOUND, "Requested entity was not found." (Google's API error model). */
export function notFound(): Response {
    return Response.json({ error: { code: 404, message: "Requested entity was not found.", status: "NOT_FOUND" } }, { status: 404 });
}

/**
 * Google's own trouble: 503 UNAVAILABLE, "The service is currently unavailable." (Google's API error model,
 * cloud.google.com/apis/design/errors: UNAVAILABLE, "Service unavailable. Typically the server is down", retryable).
 */
export function unavailable(): Response {
    return Response.json({ error: { code: 503, message: "The service is currently unavailable.", status: "UNAVAILABLE" } }, { status: 503 });
}

/**
 * A rate quota used up: 429 RESOURCE_EXHAUSTED with an ErrorInfo of reason RATE_LIMIT_EXCEEDED naming the service and,
 * when given, a google.rpc.RetryInfo whose retryDelay is a Duration ("30s") (Google's API error model,
 * cloud.google.com/apis/design/errors: RESOURCE_EXHAUSTED, "Either out of resource quota or reaching rate limiting").
 */
export function quotaExceeded(service: string, retryDelay?: string): Response {
    const info = { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "RATE_LIMIT_EXCEEDED", domain: "googleapis.com", metadata: { service } };
    const retry = retryDelay ? [{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay }] : [];
    const message = `Quota exceeded for quota metric 'Requests' and limit 'Requests per minute' of service '${service}'`;
    return Response.json({ error: { code: 429, message, status: "RESOURCE_EXHAUSTED", details: [info, ...retry] } }, { status: 429 });
}
