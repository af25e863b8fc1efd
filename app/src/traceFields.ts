import type { Context } from "hono";

/**
 * The fields that tie a request's log lines to its trace on Cloud Run: Cloud Logging files a JSON line's
 * `logging.googleapis.com/trace` (`projects/<project>/traces/<trace id>`) as the entry's trace, which Logs Explorer
 * groups under the request log Cloud Run writes for the same request (Cloud Logging, "Special JSON fields in messages";
 * Cloud Run, "Writing container logs"). Cloud Run hands the trace in `X-Cloud-Trace-Context: <trace id>/<span id>;o=1`
 * and in W3C `traceparent: 00-<trace id>-<span id>-<flags>`. Nothing without GOOGLE_CLOUD_PROJECT (the program sets it;
 * Cloud Run does not) or without a well-formed header.
 */
export function traceFields(c: Context, project: string | undefined): Record<string, string> {
    if (!project) return {};
    const trace = traceId(c.req.header("x-cloud-trace-context"), CLOUD_TRACE) ?? traceId(c.req.header("traceparent"), TRACEPARENT);
    return trace ? { "logging.googleapis.com/trace": `projects/${project}/traces/${trace}` } : {};
}

const CLOUD_TRACE = /^([0-9a-f]{32})(?:\/\d+)?(?:;o=[01])?$/i;
/**
 * W3C Trace Context's traceparent: lower-case hex only (a header with upper-case hex is invalid and ignored); version
 * 00 has exactly four fields; a later version may add fields after them, and its trace id is still read; version ff
 * is invalid, and so is an all-zero parent id.
 */
const TRACEPARENT = /^(?!ff|00-.*-.*-.*-)[0-9a-f]{2}-([0-9a-f]{32})-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}(?:-.*)?$/;
/** W3C Trace Context: an all-zero trace id is invalid. */
const ZERO_TRACE = /^0{32}$/;

/** The header's trace id (its first group), lower case; undefined when the header is absent, malformed or all zeros. */
function traceId(header: string | undefined, form: RegExp): string | undefined {
    const id = header && form.exec(header.trim())?.[1];
    return id && !ZERO_TRACE.test(id) ? id.toLowerCase() : undefined;
}
