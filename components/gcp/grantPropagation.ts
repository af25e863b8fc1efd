import * as pulumi from "@pulumi/pulumi";

/**
 * How long a new grant may stay unseen: IAM changes "typically propagate in 2 minutes, but could potentially take 7
 * minutes or longer" (IAM docs, "Access change propagation").
 */
export const GRANT_PROPAGATION_MS = 120_000;

/** What is left of the propagation window of a grant as new as `createTime` (RFC 3339; 0 when unknown or past). */
export function propagationWaitMs(createTime: string | undefined, now: number, windowMs = GRANT_PROPAGATION_MS): number {
    const created = createTime ? Date.parse(createTime) : NaN;
    return Number.isNaN(created) ? 0 : Math.max(0, created + windowMs - now);
}

/** The clock the waits read and sleep on; tests replace `sleep` to see a wait without spending it. */
export const propagationClock = {
    now: (): number => Date.now(),
    sleep: (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * `value` once `waitMs` has passed, with a progress line naming why (`reason`) on `resource`. A preview never waits:
 * it changes nothing a grant would have to reach.
 */
export async function afterPropagation<T>(value: T, waitMs: number, reason: string, resource: pulumi.Resource): Promise<T> {
    if (waitMs <= 0 || pulumi.runtime.isDryRun()) return value;
    await pulumi.log.info(`waiting ${Math.ceil(waitMs / 1000)} s before ${reason}, and IAM changes typically take 2 minutes to reach every service`, resource);
    await propagationClock.sleep(waitMs);
    return value;
}
