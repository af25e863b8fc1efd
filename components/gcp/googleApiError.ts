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
    /** The older error format's errors[0].reason (Cloud Storage's JSON API: accessNotConfigured, ...). */
    legacyReason?: string;
    message: string;
}

const ERROR_INFO = "type.googleapis.com/google.rpc.ErrorInfo";

export async function googleApiError(res: Response): Promise<GoogleApiError> {
    const text = await res.text();
    try {
        const { error } = JSON.parse(text) as {
            error?: { status?: string; message?: string; details?: { "@type"?: string; reason?: string; metadata?: { consumer?: string } }[]; errors?: { reason?: string }[] };
        };
        const info = error?.details?.find((d) => d["@type"] === ERROR_INFO);
        return {
            httpStatus: res.status,
            status: error?.status,
            reason: info?.reason,
            consumer: info?.metadata?.consumer,
            legacyReason: error?.errors?.[0]?.reason,
            message: (error?.message ?? text).slice(0, 300),
        };
    } catch {
        return { httpStatus: res.status, message: text.slice(0, 300) };
    }
}

/** An error naming what was asked and what the API answered, with its status and reason. */
export function describeFailure(what: string, e: GoogleApiError, hint = ""): Error {
    return new Error(`${what}: HTTP ${e.httpStatus}${e.status ? ` ${e.status}` : ""}${e.reason ? ` (${e.reason})` : ""}${hint ? `; ${hint}` : ""}. ${e.message}`);
}

export interface GoogleApiCallOptions {
    fetch?: typeof fetch;
    sleep?: (ms: number) => Promise<void>;
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
 * number, or names a number while the project's is not known. Any other consumer is another project (the caller's
 * quota project), which no wait here enables.
 */
export function consumerMayBe(consumer: string | undefined, project: ApiProject | undefined): boolean {
    if (consumer === undefined || project === undefined) return true;
    const named = consumer.replace(/^projects\//, "");
    if (named === project.id || named === project.number) return true;
    return project.number === undefined && /^\d+$/.test(named);
}

const SERVICE_DISABLED_RETRIES = 6;
const SERVICE_DISABLED_DELAY_MS = 10_000;

/**
 * GET of a Google API resource with the provider's access token: its JSON, or undefined when the API answers
 * NOT_FOUND. An API enabled moments ago answers 403 SERVICE_DISABLED until the change has reached every Google
 * system, so that answer is asked again (6 x 10 s) while it may be about the project read; any other error throws,
 * naming what was asked.
 */
export async function getGoogleApi<T>(url: string | URL, accessToken: string, failure: GoogleApiFailureText, options: GoogleApiCallOptions = {}): Promise<T | undefined> {
    const fetchImpl = options.fetch ?? ((...a: Parameters<typeof fetch>) => fetch(...a));
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    for (let attempt = 1; ; attempt++) {
        const res = await fetchImpl(url, { headers: { authorization: `Bearer ${accessToken}` } });
        if (res.ok) return (await res.json()) as T;
        const error = await googleApiError(res);
        if (error.status === "NOT_FOUND") return undefined;
        const disabled = error.reason === "SERVICE_DISABLED";
        const ours = disabled && consumerMayBe(error.consumer, failure.project);
        if (ours && attempt < SERVICE_DISABLED_RETRIES) {
            await sleep(SERVICE_DISABLED_DELAY_MS);
            continue;
        }
        const elsewhere = `the API is disabled in ${error.consumer}, the project the call was billed to (the deploying identity's quota project), not in ${failure.project?.id}: enable it there`;
        throw describeFailure(failure.what, error, !disabled ? failure.whenRefused : ours ? failure.whenDisabled : elsewhere);
    }
}
