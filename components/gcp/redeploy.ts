/**
 * `redeploy`: a template annotation whose new value makes Cloud Run deploy the same settings as a new revision, the way
 * to start again a revision that failed for a cause that has passed (an `up` with unchanged settings sends Cloud Run
 * nothing; see revisionReadiness.ts). Unset, no annotation is sent.
 */
export const REDEPLOY_ANNOTATION = "multicloud-service/redeploy";
/** What a `redeploy` value may be: short and plain, as the time one is usually set to. */
export const REDEPLOY_VALUE = /^[A-Za-z0-9._:+-]{1,63}$/;
export const REDEPLOY_VALUE_RULE = "must be 1-63 letters, digits, '.', '_', ':', '+' or '-' (e.g. the time: 20261204T153000Z)";
