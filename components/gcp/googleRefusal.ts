import type { GoogleApiError } from "./googleApiError";

/**
 * A 403 for billing is no permission a role would grant: the project the call was billed to (ErrorInfo's consumer) has
 * no open billing account, linked never, removed or closed (google/api/error_reason.proto, BILLING_DISABLED).
 */
function billingHint(error: GoogleApiError): string {
    return `${error.consumer ?? "the project the call was billed to"} has no open billing account, not a missing permission: link one to it (Billing in the console), then run pulumi up again`;
}

/**
 * A VPC Service Controls perimeter around the project refuses a caller its ingress rules leave out, whatever its roles,
 * 403 SECURITY_POLICY_VIOLATED "Request is prohibited by organization's policy. vpcServiceControlsUniqueIdentifier: <id>"
 * (google/api/error_reason.proto), the id the denial's audit log entry holds (VpcServiceControlAuditMetadata).
 */
function perimeterHint(error: GoogleApiError): string {
    return (
        "a VPC Service Controls perimeter refused the call, not IAM: no role lets it through. Its ingress rules must admit the identity asking, from where it runs " +
        `(Pulumi Deployments' and GitHub's runners are outside it), to ${error.service ?? "this API"}; the identifier below finds the denial in the project's audit logs`
    );
}

/**
 * 401 UNAUTHENTICATED is about the token, before any permission is checked (ACCESS_TOKEN_EXPIRED, CREDENTIALS_MISSING,
 * ACCESS_TOKEN_TYPE_UNSUPPORTED: google/api/error_reason.proto).
 */
const TOKEN_REFUSED =
    "Google did not accept the access token (expired, or not one), not a missing permission: run again with fresh credentials (ESC's gcp-login hands out one that lasts an hour)";

/**
 * A refusal in no words of Google's error model (googleApiError's notGoogle): a proxy or firewall between this machine
 * and googleapis.com answered, and the identity's roles are not what it weighed.
 */
const NOT_GOOGLE =
    "the answer is no Google API error (no {\"error\": {...}} JSON), so something other than the API refused the call (a proxy or firewall that inspects HTTPS, HTTPS_PROXY), " +
    "not IAM: no role mends it. Check that this machine reaches googleapis.com directly or through a proxy that lets it through, then run this again";

/**
 * What to mend for a failure other than a disabled API (SERVICE_DISABLED, of any project). The caller's `whenRefused` names a permission, so
 * it is said only of IAM's refusal: a 403 of reason IAM_PERMISSION_DENIED, or of none (the older APIs give none). Every
 * other reason is one no role mends, and Google's message, which closes the error, names it.
 */
export function refusalHint(error: GoogleApiError, whenRefused: string): string {
    if (error.reason === "BILLING_DISABLED") return billingHint(error);
    if (error.reason === "SECURITY_POLICY_VIOLATED") return perimeterHint(error);
    if (error.notGoogle && (error.httpStatus === 401 || error.httpStatus === 403)) return NOT_GOOGLE;
    if (error.httpStatus === 401) return TOKEN_REFUSED;
    if (error.httpStatus !== 403) return "";
    if (error.reason === undefined || error.reason === "IAM_PERMISSION_DENIED") return whenRefused;
    return `Google's reason is ${error.reason}, which no role on the resource mends: its message says what does`;
}
