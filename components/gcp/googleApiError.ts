import { isPlainObject } from "../../config/plainObject";
import { boundedFetch, isTransient, retryAfterMs } from "../httpAttempt";
import { refusal } from "../refusal";
import { waitClock } from "../waitClock";
import { googleAnswerBody } from "./googleAnswerBody";
import { refusalHint } from "./googleRefusal";
import { callerQuotaProject, disabledElsewhereHint, googleReadHeaders, isGcloudClientProject } from "./quotaProject";

/**
 * A Google API's error answer, as its documented error model gives it (cloud.google.com/apis/design/errors):
 * `{"error": {"code", "message", "status", "details": [{"@type": ".../google.rpc.ErrorInfo", "reason", ...}]}}`.
 * Callers decide by `status` and ErrorInfo's `reason` (NOT_FOUND, SERVICE_DISABLED), never by the message.
 */
export interface GoogleApiError {
    httpStatus: number;
    status?: string;
    reason?: string;
    /** ErrorInfo's metadata.consumer (`projects/<number>`): whose API it is, for SERVICE_DISABLED. */
    consumer?: string;
    /** ErrorInfo's metadata.service (`artifactregistry.googleapis.com`): the API that answered. */
    service?: string;
    /** The older error format's errors[0].reason (Cloud Storage's JSON API: accessNotConfigured, ...). */
    legacyReason?: string;
    /** How long the API asks to be left alone before the next try: RetryInfo's retryDelay ("30s"), else Retry-After. */
    retryDelayMs?: number;
    message: string;
    /**
     * The body is no `{"error": {...}}` of Google's error model (a proxy's or firewall's HTML page, an empty body):
     * what refused is not an API of Google's, so no IAM role mends it.
     */
    notGoogle?: true;
}

const ERROR_INFO = "type.googleapis.com/google.rpc.ErrorInfo";
const RETRY_INFO = "type.googleapis.com/google.rpc.RetryInfo";

/** A protobuf Duration as JSON ("30s", "1.500s") in milliseconds. */
function durationMs(duration: string | undefined): number | undefined {
    const seconds = /^(\d+(?:\.\d+)?)s$/.exec(duration ?? "")?.[1];
    return seconds === undefined ? undefined : Math.round(Number(seconds) * 1000);
}

export async function googleApiError(res: Response): Promise<GoogleApiError> {
    const text = await res.text();
    const notGoogle = { httpStatus: res.status, retryDelayMs: retryAfterMs(res), message: text.slice(0, 300), notGoogle: true } as const;
    try {
        const { error } = JSON.parse(text) as {
            error?: { status?: string; message?: string; details?: { "@type"?: string; reason?: string; metadata?: { consumer?: string; service?: string }; retryDelay?: string }[]; errors?: { reason?: string }[] };
        };
        if (!isPlainObject(error)) return notGoogle;
        const info = error?.details?.find((d) => d["@type"] === ERROR_INFO);
        return {
            httpStatus: res.status,
            status: error?.status,
            reason: info?.reason,
            consumer: info?.metadata?.consumer,
            service: info?.metadata?.service,
            legacyReason: error?.errors?.[0]?.reason,
            retryDelayMs: durationMs(error?.details?.find((d) => d["@type"] === RETRY_INFO)?.retryDelay) ?? retryAfterMs(res),
            message: (error?.message ?? text).slice(0, 300),
        };
    } catch {
        return notGoogle;
    }
}

/** An error naming what was asked and what the API answered, with its status and reason. */
export function describeFailure(what: string, e: GoogleApiError, hint = ""): Error {
    return refusal(`${what}: HTTP ${e.httpStatus}${e.status ? ` ${e.status}` : ""}${e.reason ? ` (${e.reason})` : ""}${hint ? `; ${hint}` : ""}. ${e.message}`);
}

export interface GoogleApiCallOptions {
    /** Each attempt is bounded by CALL_ATTEMPT (../httpAttempt.ts) whatever fetch is given. */
    fetch?: typeof fetch;
    sleep?: (ms: number) => Promise<void>;
    /**
     * Ask once: neither a just-enabled API's SERVICE_DISABLED nor a busy answer (429, 5xx) is waited out, and the first
     * failure throws. For a read whose caller can leave the question to a later one that waits.
     */
    once?: boolean;
}

/** What a failed read says: what was asked, and what to check when the API stays disabled or the identity lacks a permission. */
export interface GoogleApiFailureText {
    what: string;
    whenDisabled: string;
    whenRefused: string;
    /** The project whose API the read needs, where known: a SERVICE_DISABLED about another one is not waited out. */
    project?: ApiProject;
}

/** A project as SERVICE_DISABLED may name it: ErrorInfo's consumer is `projects/<number>` (sometimes the ID). */
export interface ApiProject {
    id: string;
    number?: string;
}

/**
 * Whether a SERVICE_DISABLED answer may be about `project`: it names no consumer, or names the project by ID or
 * number, or names a number while the project's is not known and not one of gcloud's own. Any other consumer is
 * another project (the caller's quota project), which no wait here enables.
 */
export function consumerMayBe(consumer: string | undefined, project: ApiProject | undefined): boolean {
    if (isGcloudClientProject(consumer)) return false;
    if (consumer === undefined || project === undefined) return true;
    const named = consumer.replace(/^projects\//, "");
    if (named === project.id || named === project.number) return true;
    return project.number === undefined && /^\d+$/.test(named);
}

const SERVICE_DISABLED_RETRIES = 6;
const SERVICE_DISABLED_DELAY_MS = 10_000;

/**
 * Answers that say "not now" rather than "no": quota (429) and Google's own failures (500, 502, 503, 504). Google's
 * advice (Service Usage, "How do I perform a retry on API errors?"): retry with growing waits, at least 30 s after a
 * 429 and 1 s after a 500 or 503; the bridged provider retries the same codes. Here: 4 more tries, after RetryInfo's
 * delay when the answer gives one (at least 1, 2, 4, 8 s), else 30 s after a 429 and 1, 2, 4, 8 s after the others (isTransient: ../httpAttempt.ts).
 */
const TRANSIENT_ATTEMPTS = 5;
const QUOTA_RETRY_MS = 30_000;
const LONGEST_RETRY_MS = 60_000;

/**
 * RetryInfo's delay is a floor over the 1, 2, 4, 8 s, as the AWS SDK takes a Retry-After (@smithy/core retry,
 * StandardRetryStrategy: `Math.max(delayFromErrorType, ...)`): Google writes it in whole seconds, down, so a quota that
 * frees within the second says "0s" (Gemini API 429s: "Please retry in 8.386476ms." with retryDelay "0s"), which taken
 * as given spent every try at once.
 */
function transientDelayMs(error: GoogleApiError, attempt: number): number {
    const backoff = 1000 * 2 ** (attempt - 1);
    const fallback = error.httpStatus === 429 ? QUOTA_RETRY_MS : backoff;
    return Math.min(error.retryDelayMs === undefined ? fallback : Math.max(error.retryDelayMs, backoff), LONGEST_RETRY_MS);
}

/**
 * GET of a Google API resource with the provider's access token, naming the caller's quota project where the provider
 * or Google's client libraries would (quotaProject.ts): its JSON, or undefined when the API answers
 * NOT_FOUND. An API enabled moments ago answers 403 SERVICE_DISABLED until the change has reached every Google
 * system, so that answer is asked again (6 tries, 10 s apart) while it may be about the project read; a quota or
 * server answer is asked again too (isTransient), unless `once`; any other error throws, naming what was asked,
 * and so does an attempt that gets no answer within CALL_ATTEMPT, or a 200 that is no API's answer (googleAnswerBody).
 */
export async function getGoogleApi<T>(url: string | URL, accessToken: string, failure: GoogleApiFailureText, options: GoogleApiCallOptions = {}): Promise<T | undefined> {
    // The program's wait clock, as its other waits: under mocks a SERVICE_DISABLED or 429 is waited out at once and seen in the run's waits.
    const sleep = options.sleep ?? ((ms: number) => waitClock.sleep(ms));
    let disabledTries = 0;
    let transientTries = 0;
    const quota = callerQuotaProject(failure.project?.id);
    for (;;) {
        // An attempt nobody answers throws, as one that cannot reach Google does: neither is an answer to retry.
        const res = await boundedFetch(url, { headers: googleReadHeaders(accessToken, quota) }, { what: failure.what, fetch: options.fetch });
        if (res.ok) return googleAnswerBody<T>(res, failure.what);
        const error = await googleApiError(res);
        if (error.status === "NOT_FOUND") return undefined;
        if (isTransient(error.httpStatus)) {
            if (++transientTries < TRANSIENT_ATTEMPTS && !options.once) {
                await sleep(transientDelayMs(error, transientTries));
                continue;
            }
            throw describeFailure(failure.what, error, `Google answered ${transientTries} tries in a row this way (quota or Google's own trouble, not a permission): run pulumi up again`);
        }
        const disabled = error.reason === "SERVICE_DISABLED";
        const ours = disabled && consumerMayBe(error.consumer, failure.project);
        if (ours && !options.once && ++disabledTries < SERVICE_DISABLED_RETRIES) {
            await sleep(SERVICE_DISABLED_DELAY_MS);
            continue;
        }
        const elsewhere = disabledElsewhereHint(error.consumer, failure.project?.id, quota);
        throw describeFailure(failure.what, error, !disabled ? refusalHint(error, failure.whenRefused) : ours ? failure.whenDisabled : elsewhere);
    }
}
