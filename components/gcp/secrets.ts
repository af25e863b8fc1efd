import * as secretmanager from "@pulumi/gcp/secretmanager";
import * as pulumi from "@pulumi/pulumi";
import { afterNewGrant } from "./grantPropagation";
import { keptInProduction } from "../keptInProduction";

export interface ContainerSecret {
    /** The environment variable the container reads it from. */
    env: string;
    secret: secretmanager.Secret;
    /**
     * The version this deployment wrote: the revision reads exactly it, so a new value is a new revision. Known only
     * once the accessor grant has had IAM's usual propagation time, when the secret is new.
     */
    version: pulumi.Output<string>;
}

/**
 * One secret in Secret Manager: the value (a secret output) as a version the container reads by number (never
 * `latest`: running instances and rollback revisions would then disagree about the value), and the accessor role
 * for the service account on this secret only.
 */
export function createContainerSecret(
    name: string,
    args: {
        project: string;
        secretId: string;
        env: string;
        value: pulumi.Input<string>;
        member: pulumi.Input<string>;
        /** When the member's account was made: a grant to a new account is new, on an old secret too. */
        memberCreatedAt: pulumi.Input<string>;
        labels: pulumi.Input<Record<string, pulumi.Input<string>>>;
        isProduction: boolean;
    },
    opts: pulumi.CustomResourceOptions,
): { secret: ContainerSecret; version: secretmanager.SecretVersion; access: secretmanager.SecretIamMember } {
    const secret = new secretmanager.Secret(
        name,
        { project: args.project, secretId: args.secretId, replication: { auto: {} }, labels: args.labels },
        { ...opts, ...keptInProduction(args.isProduction) },
    );
    // A new value replaces the version; the old one is left enabled (ABANDON), since earlier revisions, the rollback
    // targets, read it by number.
    const version = new secretmanager.SecretVersion(name, { secret: secret.id, secretData: pulumi.secret(args.value), deletionPolicy: "ABANDON" }, opts);
    const access = new secretmanager.SecretIamMember(
        name,
        { project: args.project, secretId: secret.secretId, role: "roles/secretmanager.secretAccessor", member: args.member },
        opts,
    );
    // Cloud Run checks that the revision's identity may read each secret when it creates the revision, and the
    // provider does not retry that refusal ("Permission denied on secret: ... for Revision service account"): the
    // first `up` would fail whenever the new grant had not reached Cloud Run yet. A secret or account created in this
    // update has a grant as new as itself, so the version is handed to the service once the grant has had IAM's usual
    // propagation time (an existing secret's grant to an existing account, and its new versions, wait for nothing).
    const readableVersion = afterNewGrant(version.version, [secret.createTime, args.memberCreatedAt], access, () => `Cloud Run reads ${args.secretId}: its accessor grant is new`, { name: `${name}-grant-made`, parent: opts.parent });
    return { secret: { env: args.env, secret, version: readableVersion }, version, access };
}
