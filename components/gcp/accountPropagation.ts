import * as pulumi from "@pulumi/pulumi";
import { Sleep } from "@pulumiverse/time/sleep";

/**
 * How long a new service account may stay unknown to the services that check a grant's members: "After you create a
 * service account, you might need to wait for 60 seconds or more before you use the service account" (IAM docs,
 * "Create service accounts"). A service agent that Service Usage's generateServiceIdentity has just made is no
 * different (terraform-provider-google#21931: a grant to Monitoring's agent, right after, refused with the 400 below).
 */
export const ACCOUNT_PROPAGATION = "60s";

/**
 * A wait of ACCOUNT_PROPAGATION after an account is created, and a way to hand a value on only once it is over.
 * A grant made right after the account can be refused with "googleapi: Error 400: Service account … does not
 * exist.", which the bridged provider does not retry: its retry for that answer (transport/error_retry_predicates.go,
 * IamServiceAccountNotFound) expects a bare googleapi.Error, and the IAM updaters (storage, Secret Manager, Cloud Run,
 * Artifact Registry) hand it on wrapped ("Error setting IAM policy for …: %w"). The wait is a time.Sleep triggered by
 * what identifies the account: made once with it (on the stack's first `up`, or when the account is replaced), never
 * again. `triggers` must hold the member the grants name (`serviceAccount:<email>`).
 */
export function waitForNewAccount(name: string, triggers: Record<string, pulumi.Input<string>>, opts: pulumi.CustomResourceOptions): <T>(value: pulumi.Input<T>) => pulumi.Output<T> {
    return accountWait(name, triggers, opts).after;
}

/**
 * waitForNewAccount's wait, with when it was made: a time.Sleep's ID is the time of its creation (terraform-provider-time
 * resource_time_sleep.go), and it is made once with the account, so that is when the account was made or replaced.
 */
export function accountWait(name: string, triggers: Record<string, pulumi.Input<string>>, opts: pulumi.CustomResourceOptions) {
    const known = newAccountWait(name, triggers, opts);
    // The value itself once the wait is over. The wait's triggers carry it too, but are empty after an import of the
    // wait, or when a targeted `up` skipped creating it.
    const after = <T>(value: pulumi.Input<T>) => pulumi.all([value, known.triggers]).apply(([v]) => v as T);
    return { after, createdAt: known.id as pulumi.Output<string> };
}

/**
 * The wait alone, for grants to depend on (`dependsOn`) where their inputs must stay known in a preview: a value
 * handed on through the wait is unknown while the wait is still to be made, which a preview shows as a replacement
 * of every grant naming it (the member is ForceNew) when the wait is added to accounts that already exist.
 */
export function newAccountWait(name: string, triggers: Record<string, pulumi.Input<string>>, opts: pulumi.CustomResourceOptions): Sleep {
    return new Sleep(name, { createDuration: ACCOUNT_PROPAGATION, triggers }, opts);
}
