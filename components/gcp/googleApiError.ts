/**
 * A Google API's error answer, as its documented error model gives it (cloud.google.com/apis/design/errors):
 * `{"error": {"code", "message", "status", "details": [{"@type": ".../google.rpc.ErrorInfo", "reason", ...}]}}`.
 * Callers decide by `status` and ErrorInfo's `reason` (NOT_FOUND, SERVICE_DISABLED), never by the message.
 */
export interface GoogleApiError {
    httpStatus: number;
    status?: string;
    reason?: string;
    message: string;
}

const ERROR_INFO = "type.googleapis.com/google.rpc.ErrorInfo";

export async function googleApiError(res: Response): Promise<GoogleApiError> {
    const text = await res.text();
    try {
        const { error } = JSON.parse(text) as { error?: { status?: string; message?: string; details?: { "@type"?: string; reason?: string }[] } };
        const info = error?.details?.find((d) => d["@type"] === ERROR_INFO);
        return { httpStatus: res.status, status: error?.status, reason: info?.reason, message: (error?.message ?? text).slice(0, 300) };
    } catch {
        return { httpStatus: res.status, message: text.slice(0, 300) };
    }
}

/** An error naming what was asked and what the API answered, with its status and reason. */
export function describeFailure(what: string, e: GoogleApiError, hint = ""): Error {
    return new Error(`${what}: HTTP ${e.httpStatus}${e.status ? ` ${e.status}` : ""}${e.reason ? ` (${e.reason})` : ""}${hint ? `; ${hint}` : ""}. ${e.message}`);
}
