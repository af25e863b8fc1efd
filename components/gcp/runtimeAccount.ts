import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import * as pulumi from "@pulumi/pulumi";
import { accountWait } from "./accountPropagation";

/** The service's own identity, and the member and e-mail to name it by once the services that check members know it. */
export interface RuntimeAccount {
    account: serviceaccount.Account;
    /** `serviceAccount:<email>`, for grants. */
    member: pulumi.Output<string>;
    /** For Cloud Run's `serviceAccount`. */
    email: pulumi.Output<string>;
    /** When the account was made (or replaced, with a new member): a grant to it is no older. */
    createdAt: pulumi.Output<string>;
}

/**
 * The account, and its member and e-mail handed on only once ACCOUNT_PROPAGATION has passed since it was created
 * (accountPropagation.ts). The provider waits for three reads of the account and 10 s (terraform-provider-google
 * resource_google_service_account.go), but a bucket or secret grant made right after can still be refused. The wait
 * is triggered by the account's unique ID.
 */
export function createRuntimeAccount(name: string, args: serviceaccount.AccountArgs, opts: pulumi.CustomResourceOptions): RuntimeAccount {
    const account = new serviceaccount.Account(name, args, opts);
    const wait = accountWait(`${name}-propagation`, { uniqueId: account.uniqueId, member: account.member, email: account.email }, { parent: opts.parent });
    return { account, member: wait.after(account.member), email: wait.after(account.email), createdAt: wait.createdAt };
}
