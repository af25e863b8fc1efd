import type { MiddlewareHandler } from "hono";

/**
 * What every answer of the service carries, success and error alike. The service answers JSON and stored bytes,
 * never a page: the CSP allows nothing to load, run or frame it, and `sandbox` keeps even a stored HTML body
 * opened in a browser from running scripts or reaching the origin.
 *
 * HSTS is always sent because both platforms only reach the service over HTTPS: a Cloud Run run.app URL is
 * HTTPS (HTTP is redirected; https://cloud.google.com/run/docs/triggering/https-request) and Lambda function
 * URLs are HTTPS endpoints (https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html). No
 * includeSubDomains: the service does not own the parent domain of a custom domain mapped to it.
 *
 * Hono's own `secureHeaders` would do for the app, but the Function URL handler answers a malformed event, and the
 * Cloud Run server a request target it cannot build a request from, before the app sees them; one record here serves all three.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "strict-transport-security": "max-age=31536000",
    "cross-origin-resource-policy": "same-origin",
    // No cache on the way keeps an answer (OWASP REST Security Cheat Sheet, "Security Headers"): a 200 or 404 without
    // it may be stored heuristically (RFC 9111 4.2.2) and replayed after the object changed, and the admin routes'
    // X-Admin-Token is not the Authorization header that keeps shared caches off (RFC 9111 3.5).
    "cache-control": "no-store",
};

/** An error answer the service makes outside the app (before a request reaches it): its headers and a JSON body. */
export const JSON_ERROR_HEADERS: Readonly<Record<string, string>> = { ...SECURITY_HEADERS, "content-type": "application/json" };

/** Sets SECURITY_HEADERS on the answer, whichever route, error handler or not-found handler produced it. */
export const securityHeaders: MiddlewareHandler = async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(name, value);
};
