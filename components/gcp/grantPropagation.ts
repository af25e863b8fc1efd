import * as pulumi from "@pulumi/pulumi";
import { Static } from "@pulumiverse/time/static";
import { waitClock } from "../waitClock";

/**
 * How long a new grant may stay unseen: IAM changes "typically propagate in 2 minutes, but could potentially take 7
 * minutes or longer" (IAM docs, "Access change propagation").
 */
export const GRANT_PROPAGATION_MS = 120_000;

/**
 * A resource created this recently was created by this update (a create and the grants after it take minutes, not a
 * quarter of an hour), and so is a grant made with it. An `up` run again within the quarter hour waits again.
 */
export const NEW_RESOURCE_MS = 15 * 60_000;

/**
 * The wait before using a grant made with a resource Google says was created at `createTime` (RFC 3339): the whole
 * propagation window when that is within NEW_RESOURCE_MS of this machine's clock, either way; none when it is older
 * or unknown. Not what is left of the window counted from `createTime`: Google's clock against this machine's, which
 * may run minutes fast (a VM without NTP, WSL after a sleep) and would end the wait before it began.
 */
export function propagationWaitMs(createTime: string | undefined, now: number): number {
    const created = createTime ? Date.parse(createTime) : NaN;
    return !Number.isNaN(created) && Math.abs(now - created) < NEW_RESOURCE_MS ? GRANT_PROPAGATION_MS : 0;
}

/**
 * `value` once `waitMs` has passed, with a progress line naming why (`reason`) on `resource`. A preview never waits:
 * it changes nothing a grant would have to reach.
 */
export async function afterPropagation<T>(value: T, waitMs: number, reason: string, resource: pulumi.Resource): Promise<T> {
    if (waitMs <= 0 || pulumi.runtime.isDryRun()) return value;
    await pulumi.log.info(`waiting ${Math.ceil(waitMs / 1000)} s before ${reason}, and IAM changes typically take 2 minutes to reach every service`, resource);
    await waitClock.sleep(waitMs);
    return value;
}

/**
 * `value` once `grant` is made and has had IAM's usual propagation time when it is new: when it, or any of what it
 * joins (the resource, the member's account), was created at a `createdAt` this recent (propagationWaitMs: none when
 * an earlier update made them all); `reason` names what waits on it.
 *
 * A grant has no creation time of its own, so `madeAt` (a time.Static named `<madeAtName>`, replaced whenever the
 * grant's ID changes) records the `up` that made it: a first `up` that stopped before its grants (the deployer lacked
 * setIamPolicy; another resource failed while the account's wait ran, and the engine starts nothing new then) leaves
 * the resource and the account old, and the `up` that makes the grant later must still wait. Its rfc3339 is its
 * creation time (terraform-provider-time resource_time_static.go, Create).
 */
export function afterNewGrant<T>(
    value: pulumi.Input<T>,
    createdAt: pulumi.Input<string | undefined>[],
    grant: pulumi.CustomResource,
    reason: (value: T) => string,
    madeAt: { name: string; parent: pulumi.Resource | undefined },
): pulumi.Output<T> {
    const grantMadeAt = new Static(madeAt.name, { triggers: { grant: grant.id } }, { parent: madeAt.parent }).rfc3339;
    // A preview never waits (afterPropagation), and a Static it would create has no time yet: read in a preview, it
    // would make the value unknown there and show whatever takes it as changing.
    const times = pulumi.runtime.isDryRun() ? createdAt : [...createdAt, grantMadeAt];
    return pulumi.all([value, pulumi.all(times), grant.id]).apply(([v, times]) => {
        const waitMs = Math.max(0, ...times.map((created) => propagationWaitMs(created, waitClock.now())));
        return afterPropagation(v as T, waitMs, reason(v as T), grant);
    }) as pulumi.Output<T>;
}
