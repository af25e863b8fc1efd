/**
 * deployments/ makes account-wide things (the IAM OIDC providers, the deploy roles, the workload boundary, the image
 * signing key) with the default aws provider, so in the account of whatever credentials the machine running it has
 * (AWS_PROFILE, keys, SSO): it is run by hand (docs/setup.md), and with another profile selected its `up` would make
 * all of them there, and the next `up` with the right one a second set. The provider refuses any account but
 * `aws:allowedAccountIds` when it is configured, before its first call of a preview or an up: terraform-provider-aws
 * internal/conns/config.go, ConfigureProvider, calls aws-sdk-go-base's VerifyAccountIDAllowed ("AWS account ID not
 * allowed: <id>"), and the engine configures a provider when it creates it, previews included (pulumi/pulumi
 * pkg/resource/deploy/providers/registry.go, Registry.Create). Unset, it checks nothing: the program requires it.
 */
import { refuseWhenAny } from "./refusal";

const HOW_TO_FIND =
    "with the credentials meant for it, `aws sts get-caller-identity --query Account --output text` prints it; write it, quoted, in deployments/Pulumi.<stack>.yaml as `aws:allowedAccountIds: [\"<account id>\"]` (docs/setup.md, step 3)";

/** `allowedAccountIds`: the stack's `aws:allowedAccountIds` as the aws package reads it (pulumi.Config#getObject). */
export function checkAccountNamed(allowedAccountIds: unknown): void {
    const problems: string[] = [];
    if (allowedAccountIds === undefined || (Array.isArray(allowedAccountIds) && allowedAccountIds.length === 0)) {
        problems.push(
            `aws:allowedAccountIds is not set, so the AWS provider would deploy the OIDC providers, roles, workload boundary and signing key into the account of whatever credentials this machine has: name the one account; ${HOW_TO_FIND}`,
        );
    } else if (!Array.isArray(allowedAccountIds) || !allowedAccountIds.every((id) => typeof id === "string" && /^\d{12}$/.test(id))) {
        // A number is not an account ID: YAML reads an unquoted 012345678901 as 12345678901.
        problems.push(`aws:allowedAccountIds must be a list of one 12-digit AWS account ID, as a quoted string (got ${JSON.stringify(allowedAccountIds)}); ${HOW_TO_FIND}`);
    } else if (allowedAccountIds.length > 1) {
        // IAM's names are the account's: a second account allowed is a second set of everything, in whichever one runs it.
        problems.push(`aws:allowedAccountIds names ${allowedAccountIds.length} accounts (${allowedAccountIds.join(", ")}): deployments/ manages one account's OIDC providers, roles and signing key, and with two allowed an up in the other would make a second set there; keep the one it deploys to`);
    }
    refuseWhenAny("deployments/ does not know which AWS account it is for", problems);
}
