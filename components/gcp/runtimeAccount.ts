import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import * as pulumi from "@pulumi/pulumi";
import { Sleep } from "@pulumiverse/time/sleep";

/**
 * How long a new service account may stay unknown to the services that check a grant's members: "After you create a
 * service account, you might need to wait for 60 seconds or more before you use the service account" (IAM docs,
 * "Create service accounts").
 */
export const ACCOUNT_PROPAGATION = "60s";

/** The service's own identity, and the member and e-mail to name it by once the services that check members know it. */
export interface RuntimeAccount {
    account: serviceaccount.Account;
    /** `serviceAccount:<email>`, for grants. */
    member: pulumi.Output<string>;
    /** For Cloud Run's `serviceAccount`. */
    email: pulumi.Output<string>;
}

/**
 * The account, and its member and e-mail handed on only once ACCOUNT_PROPAGATION has passed since it was created.
 * The provider waits for three reads of the account and 10 s (terraform-provider-google
 * resource_google_service_account.go), but a bucket or secret grant made right after can still be refused with
 * "googleapi: Error 400: Service account … does not exist., invalid", which it does not retry: the retry for that
 * answer (transport/error_retry_predicates.go, IamServiceAccountNotFound) expects a bare googleapi.Error, and the
 * storage and Secret Manager IAM updaters hand it on wrapped. The wait is a time.Sleep triggered by the account's
 * unique ID: made once with the account (on the stack's first `up`, or when the account is replaced), never again.
 */
export function createRuntimeAccount(name: string, args: serviceaccount.AccountArgs, opts: pulumi.CustomResourceOptions): RuntimeAccount {
    const account = new serviceaccount.Account(name, args, opts);
    const known = new Sleep(
        `${name}-propagation`,
        { createDuration: ACCOUNT_PROPAGATION, triggers: { uniqueId: account.uniqueId, member: account.member, email: account.email } },
        { parent: opts.parent },
    );
    // The account's own value once the wait is over. The wait's triggers carry it too, but are empty after an import
    // of the wait, or when a targeted `up` skipped creating it.
    const afterWait = (value: pulumi.Output<string>) => pulumi.all([value, known.triggers]).apply(([v]) => v);
    return { account, member: afterWait(account.member), email: afterWait(account.email) };
}
