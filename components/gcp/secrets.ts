import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

export interface ContainerSecret {
    /** The environment variable the container reads it from. */
    env: string;
    secret: gcp.secretmanager.Secret;
}

/**
 * One secret in Secret Manager: the value (a secret output) as its first version, and the accessor role for
 * the service account on this secret only.
 */
export function createContainerSecret(
    name: string,
    args: {
        project: string;
        secretId: string;
        env: string;
        value: pulumi.Input<string>;
        member: pulumi.Input<string>;
        labels: pulumi.Input<Record<string, pulumi.Input<string>>>;
        isProduction: boolean;
    },
    opts: pulumi.CustomResourceOptions,
): { secret: ContainerSecret; version: gcp.secretmanager.SecretVersion; access: gcp.secretmanager.SecretIamMember } {
    const secret = new gcp.secretmanager.Secret(
        name,
        { project: args.project, secretId: args.secretId, replication: { auto: {} }, labels: args.labels },
        { ...opts, protect: args.isProduction, retainOnDelete: args.isProduction },
    );
    const version = new gcp.secretmanager.SecretVersion(name, { secret: secret.id, secretData: pulumi.secret(args.value) }, opts);
    const access = new gcp.secretmanager.SecretIamMember(
        name,
        { project: args.project, secretId: secret.secretId, role: "roles/secretmanager.secretAccessor", member: args.member },
        opts,
    );
    return { secret: { env: args.env, secret }, version, access };
}
