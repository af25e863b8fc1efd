import { FAKE_PROJECT_NUMBER } from "./fakeIds";

/**
 * The services' titles, as their SERVICE_DISABLED messages name them (`<title> API has not been used in project ...`):
 * each API's display name in the API Library (console.cloud.google.com/apis/library), which is the `title` of its
 * service configuration less " API" (googleapis/googleapis google/cloud/run/v2/run_v2.yaml "Cloud Run Admin API",
 * devtools/artifactregistry/v1/artifactregistry_v1.yaml, storage/v2/storage_v2.yaml "Cloud Storage API",
 * iam/admin/v1/iam.yaml, monitoring/v3/monitoring.yaml "Cloud Monitoring API", cloud/secretmanager/v1,
 * api/cloudquotas/v1, devtools/containeranalysis/v1).
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
 * PERMISSION_DENIED with an ErrorInfo of reason SERVICE_DISABLED, then the message again as a LocalizedMessage and the
 * activation page as a Help link (Google's API error model, cloud.google.com/apis/design/errors; the whole answer as a
 * Terraform log prints Compute Engine's, quoted in public READMEs: ErrorInfo metadata activationUrl, consumer,
 * containerInfo, service and serviceTitle, LocalizedMessage locale en-US, Help "Google developers console API
 * activation"). The metadata keys as googleapis/googleapis google/api/error_reason.proto documents SERVICE_DISABLED
 * (domain "googleapis.com", metadata { "consumer": "projects/123", "service": "pubsub.googleapis.com" }), with the three
 * more real answers carry, serviceTitle ("<title> API"), containerInfo (the project as named in consumer) and
 * activationUrl (google-gemini/gemini-cli#1343, Gemini for Google Cloud API's; lbjlaq/Antigravity-Manager#3058, Cloud
 * Code Private API's). Real answers name the consumer project by number or, as the request did, by ID; the stand-ins
 * use the number unless a test passes `consumer`.
 */
export function serviceDisabled(title: string, service: string, options: { consumer?: string; legacyErrors?: boolean } = {}): Response {
    const consumer = options.consumer ?? `projects/${FAKE_PROJECT_NUMBER}`;
    const project = consumer.replace(/^projects\//, "");
    const activationUrl = `https://console.developers.google.com/apis/api/${service}/overview?project=${project}`;
    const message =
        `${title} API has not been used in project ${project} before or it is disabled. Enable it by visiting ${activationUrl} then retry. ` +
        "If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry.";
    const details = [
        {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            reason: "SERVICE_DISABLED",
            domain: "googleapis.com",
            // consumer, service: error_reason.proto SERVICE_DISABLED; serviceTitle, activationUrl, containerInfo: gemini-cli#1343.
            metadata: { service, consumer, serviceTitle: `${title} API`, activationUrl, containerInfo: project },
        },
        { "@type": "type.googleapis.com/google.rpc.LocalizedMessage", locale: "en-US", message },
        { "@type": "type.googleapis.com/google.rpc.Help", links: [{ description: "Google developers console API activation", url: activationUrl }] },
    ];
    // The JSON APIs of the older generation (Cloud Storage's) also carry the v1 error list, `errors[]` of domain,
    // reason and message (the format cloud.google.com/storage/docs/json_api/v1/status-codes documents), where this is
    // reason `accessNotConfigured` in domain `usageLimits`, "Access Not Configured ..." (as answered in
    // cloudyr/googleCloudStorageR#5).
    const legacy = options.legacyErrors ? { errors: [{ message, domain: "usageLimits", reason: "accessNotConfigured", extendedHelp: "https://console.developers.google.com" }] } : {};
    return Response.json({ error: { code: 403, message, ...legacy, status: "PERMISSION_DENIED", details } }, { status: 403 });
}

/**
 * A client-based API's answer to a user's call (gcloud's application default credentials) that names no quota project,
 * in Google's words as a real answer gives them (golang/oauth2#702, orgpolicy.googleapis.com's, through
 * terraform-provider-google): 403 PERMISSION_DENIED, "Your application is authenticating by using local Application
 * Default Credentials. The <service> API requires a quota project, which is not set by default. To learn how to set
 * your quota project, see https://cloud.google.com/docs/authentication/adc-troubleshooting/user-creds .", ErrorInfo of
 * reason SERVICE_DISABLED, domain googleapis.com, metadata consumer projects/764086051850 (gcloud's ADC client's
 * project) and service.
 */
export function quotaProjectRequired(service: string): Response {
    const message =
        `Your application is authenticating by using local Application Default Credentials. The ${service} API requires a quota project, which is not set by default. ` +
        "To learn how to set your quota project, see https://cloud.google.com/docs/authentication/adc-troubleshooting/user-creds .";
    const details = [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "SERVICE_DISABLED", domain: "googleapis.com", metadata: { consumer: "projects/764086051850", service } }];
    return Response.json({ error: { code: 403, message, status: "PERMISSION_DENIED", details } }, { status: 403 });
}

/**
 * A resource the API does not have: 404 NOT_FOUND, with the API's own words where known, else the error model's
 * "Requested entity was not found." (Google's API error model).
 */
export function notFound(message = "Requested entity was not found."): Response {
    return Response.json({ error: { code: 404, message, status: "NOT_FOUND" } }, { status: 404 });
}

/**
 * A call the caller's roles do not allow, in Google's words (AIP-193: 403 PERMISSION_DENIED, ErrorInfo reason
 * IAM_PERMISSION_DENIED naming the permission). The message in IAM's words, "Permission '<permission>' denied on
 * resource '//<service>/<name>' (or it may not exist)." (as quoted in CrowdStrike/falcon-integration-gateway#98), or
 * without the resource, as IAM Credentials answers (google-github-actions/auth issue 340, DataDog/stratus-red-team
 * issue 299). ErrorInfo's metadata keys are `permission` and, where the message names one, `resource`, a relative name
 * without its `//<service>/` (googleapis/googleapis google/api/error_reason.proto, IAM_PERMISSION_DENIED: metadata
 * { "resource": "projects/123", "permission": "aiplatform.datasets.list" }, in its version at googleapis commit
 * f8291d2b). Its domain is the one real answers name: the called API (Artifact Registry's, quoted in
 * doughayden/answer-app docs/troubleshooting/known-issues.md: "artifactregistry.googleapis.com"), or
 * "iam.googleapis.com" for IAM Credentials' calls (google-github-actions/auth issue 340).
 */
export function permissionDenied(service: string, permission: string, resource?: string): Response {
    const on = resource ? ` '//${service}/${resource}'` : "";
    const metadata = { ...(resource ? { resource } : {}), permission };
    const details = [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "IAM_PERMISSION_DENIED", domain: service, metadata }];
    return Response.json({ error: { code: 403, message: `Permission '${permission}' denied on resource${on} (or it may not exist).`, status: "PERMISSION_DENIED", details } }, { status: 403 });
}

/**
 * Google's own trouble: 503 UNAVAILABLE, "The service is currently unavailable." (Google's API error model,
 * cloud.google.com/apis/design/errors: UNAVAILABLE, "Service unavailable. Typically the server is down", retryable).
 */
export function unavailable(): Response {
    return Response.json({ error: { code: 503, message: "The service is currently unavailable.", status: "UNAVAILABLE" } }, { status: 503 });
}

/**
 * A rate quota used up: 429 RESOURCE_EXHAUSTED with an ErrorInfo of reason RATE_LIMIT_EXCEEDED naming the quota and
 * the consumer, and, when given, a google.rpc.RetryInfo whose retryDelay is a Duration ("30s") (Google's API error
 * model, cloud.google.com/apis/design/errors: RESOURCE_EXHAUSTED). The message and metadata take the shape of real
 * answers captured from the YouTube Data and Gemini APIs ("Quota exceeded for quota metric '...' and limit '...' of
 * service '...' for consumer 'project_number:N'.", metadata quota_metric, quota_limit, quota_limit_value, quota_unit,
 * consumer, service); the metric and limit named here are placeholders, since each API names its own.
 */
export function quotaExceeded(service: string, retryDelay?: string): Response {
    const metadata = {
        service,
        consumer: `projects/${FAKE_PROJECT_NUMBER}`,
        quota_metric: `${service}/requests`,
        quota_limit: "RequestsPerMinutePerProject",
        quota_limit_value: "600",
        quota_unit: "1/min/{project}",
    };
    const info = { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "RATE_LIMIT_EXCEEDED", domain: "googleapis.com", metadata };
    const retry = retryDelay ? [{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay }] : [];
    const message = `Quota exceeded for quota metric 'Requests' and limit 'Requests per minute' of service '${service}' for consumer 'project_number:${FAKE_PROJECT_NUMBER}'.`;
    return Response.json({ error: { code: 429, message, status: "RESOURCE_EXHAUSTED", details: [info, ...retry] } }, { status: 429 });
}

/**
 * The answer of an API whose consumer project has no open billing account (none linked, or removed or closed since the
 * API was enabled), in Google's words: 403 PERMISSION_DENIED with a Help link to the billing page and an ErrorInfo of
 * reason BILLING_DISABLED naming the service and the consumer (the whole answer as quoted in
 * GoogleCloudPlatform/php-docs-samples#1235, Cloud Vision's: "This API method requires billing to be enabled. Please
 * enable billing on project #<number> by visiting https://console.developers.google.com/billing/enable?project=<number>
 * then retry. If you enabled billing for this project recently, wait a few minutes for the action to propagate to our
 * systems and retry.", Help "Google developers console billing"; googleapis/googleapis google/api/error_reason.proto,
 * BILLING_DISABLED: domain "googleapis.com", metadata consumer and service).
 */
export function billingDisabled(service: string): Response {
    const url = `https://console.developers.google.com/billing/enable?project=${FAKE_PROJECT_NUMBER}`;
    const message =
        `This API method requires billing to be enabled. Please enable billing on project #${FAKE_PROJECT_NUMBER} by visiting ${url} then retry. ` +
        "If you enabled billing for this project recently, wait a few minutes for the action to propagate to our systems and retry.";
    const details = [
        { "@type": "type.googleapis.com/google.rpc.Help", links: [{ description: "Google developers console billing", url }] },
        { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "BILLING_DISABLED", domain: "googleapis.com", metadata: { service, consumer: `projects/${FAKE_PROJECT_NUMBER}` } },
    ];
    return Response.json({ error: { code: 403, message, status: "PERMISSION_DENIED", details } }, { status: 403 });
}

/**
 * A call refused by a VPC Service Controls perimeter around the project (the caller, its network or identity, outside
 * every ingress rule for the service), in Google's words: 403 PERMISSION_DENIED "Request is prohibited by organization's
 * policy. vpcServiceControlsUniqueIdentifier: <id>", a PreconditionFailure of type VPC_SERVICE_CONTROLS and an ErrorInfo
 * of reason SECURITY_POLICY_VIOLATED naming the service, the same id (uid) and the consumer (the whole answer as quoted
 * in cloudquery/cloudquery#1062, Firestore's; googleapis/googleapis google/api/error_reason.proto,
 * SECURITY_POLICY_VIOLATED: metadata uid, consumer "projects/123", service "storage.googleapis.com").
 */
export function perimeterRefused(service: string, uid = "eYhDkfYCu-dOCjuj8X4Am9-spkxs0-kX5YnhAJmc3PZ7pmNNfSsqtQ"): Response {
    const details = [
        { "@type": "type.googleapis.com/google.rpc.PreconditionFailure", violations: [{ type: "VPC_SERVICE_CONTROLS", description: uid }] },
        { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "SECURITY_POLICY_VIOLATED", domain: "googleapis.com", metadata: { service, uid, consumer: `projects/${FAKE_PROJECT_NUMBER}` } },
    ];
    const message = `Request is prohibited by organization's policy. vpcServiceControlsUniqueIdentifier: ${uid}`;
    return Response.json({ error: { code: 403, message, status: "PERMISSION_DENIED", details } }, { status: 403 });
}

/**
 * A call with an access token past its expiry, in Google's words: 401 UNAUTHENTICATED "Request had invalid
 * authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See
 * https://developers.google.com/identity/sign-in/web/devconsole-project." with an ErrorInfo of reason
 * ACCESS_TOKEN_EXPIRED naming the service and method (as answered by Cloud KMS and Text-to-Speech, quoted in public
 * notes, and by Spanner in googleapis/python-api-core#384; googleapis/googleapis google/api/error_reason.proto,
 * ACCESS_TOKEN_EXPIRED: metadata service and method).
 */
export function accessTokenExpired(service: string, method: string): Response {
    const message =
        "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. " +
        "See https://developers.google.com/identity/sign-in/web/devconsole-project.";
    const details = [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "ACCESS_TOKEN_EXPIRED", domain: "googleapis.com", metadata: { service, method } }];
    return Response.json({ error: { code: 401, message, status: "UNAUTHENTICATED", details } }, { status: 401 });
}

/**
 * The answer to a token without the scope the API needs (a VM's default scopes rather than cloud-platform): 403
 * PERMISSION_DENIED "Request had insufficient authentication scopes.", the older format's insufficientPermissions beside
 * an ErrorInfo of reason ACCESS_TOKEN_SCOPE_INSUFFICIENT naming the service and method (the whole answer as quoted in
 * analogdotnow/Analog#296, Calendar's; google/api/error_reason.proto).
 */
export function scopeInsufficient(service: string, method: string): Response {
    const errors = [{ message: "Insufficient Permission", domain: "global", reason: "insufficientPermissions" }];
    const details = [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "ACCESS_TOKEN_SCOPE_INSUFFICIENT", domain: "googleapis.com", metadata: { service, method } }];
    return Response.json({ error: { code: 403, message: "Request had insufficient authentication scopes.", errors, status: "PERMISSION_DENIED", details } }, { status: 403 });
}

/**
 * What Google's front end answers for a URL no API maps (here: no stand-in serves), in its own words: 404 with its HTML
 * page, `<title>Error 404 (Not Found)!!1</title>` ... "The requested URL <code>/apis/serving.knative.dev/v1/namespaces/
 * projects/<project>/services?alt=json</code> was not found on this server." (run.googleapis.com's answer to a path it
 * does not map, as hashicorp/terraform-provider-google#10872 printed it; "That’s an error." and "That’s all we know."
 * around it, as that page reads). Not the APIs' JSON NOT_FOUND: the program reads that as "no such resource"
 * (getGoogleApi), so a URL it got wrong would pass offline as a tag or revision that is not there.
 */
export function frontEndNotFound(pathAndQuery: string): Response {
    const escaped = pathAndQuery.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    const page =
        '<!DOCTYPE html>\n<html lang=en>\n  <meta charset=utf-8>\n  <title>Error 404 (Not Found)!!1</title>\n' +
        `  <p><b>404.</b> <ins>That’s an error.</ins>\n  <p>The requested URL <code>${escaped}</code> was not found on this server.  <ins>That’s all we know.</ins>\n`;
    return new Response(page, { status: 404, headers: { "content-type": "text/html; charset=UTF-8" } });
}

/**
 * Google's front end's own 502, in its words: HTML, not the error model, `<title>Error 502 (Server Error)!!1</title>` ...
 * "The server encountered a temporary error and could not complete your request.<p>Please try again in 30 seconds."
 * (iamcredentials.googleapis.com's answer in googleapis/google-cloud-rust#4459; sheets.googleapis.com's in apache/hop#4391).
 */
export function frontEndServerError(): Response {
    const page =
        '<!DOCTYPE html>\n<html lang=en>\n  <meta charset=utf-8>\n  <title>Error 502 (Server Error)!!1</title>\n' +
        "  <p><b>502.</b> <ins>That’s an error.</ins>\n  <p>The server encountered a temporary error and could not complete your request.<p>Please try again in 30 seconds.  <ins>That’s all we know.</ins>\n";
    return new Response(page, { status: 502, headers: { "content-type": "text/html; charset=UTF-8" } });
}

/**
 * Google's OAuth token endpoint (oauth2.googleapis.com/token) in trouble, in its own words: 503 with an OAuth error
 * and no error_description, {"error": "internal_failure"} (the answer ueberauth/ueberauth_google#98 captured in
 * production). The endpoint words its refusals as OAuth errors, not in the APIs' error model (unavailable()).
 */
export function tokenEndpointInternalFailure(): Response {
    return Response.json({ error: "internal_failure" }, { status: 503 });
}
