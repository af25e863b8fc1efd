import { Refusal } from "./refusal";

/**
 * A refusal that stands for the rest of the run: the service answered, and said no to these credentials for this
 * resource (a registry's 401 after its login, 403 DENIED). A run asks with one set of credentials throughout, and
 * nothing a run creates changes what the deployer may read, so asking again gets the same answer. A per-run cache
 * (perRun.ts) keeps it as it keeps a value; a failure to reach the service, or a transient answer (a timeout, 5xx,
 * 429), is not one, and is asked again.
 */
export class LastingRefusal extends Refusal {
    name = "LastingRefusal";
}

/**
 * Whether a failed read is an answer that lasts the run: a LastingRefusal, or AWS's AccessDeniedException (IAM's
 * "is not authorized to perform", named by the SDK's parse of the answer's `__type`, never by its message).
 */
export function isLastingRefusal(err: unknown): boolean {
    return err instanceof LastingRefusal || (err instanceof Error && err.name === "AccessDeniedException");
}
