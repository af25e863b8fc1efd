import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import { Tags } from "./args";
import { assumeRolePolicy } from "./iamPolicies";

export interface ServiceRoleArgs {
    accountId: pulumi.Input<string>;
    /** The boundary a deploy role that may only write bounded roles requires (deployments/workloadRoles.ts). */
    permissionsBoundary?: string;
    tags: Tags;
}

/** A role of the service that only `service`, in this account, may assume; its permissions are a RolePolicy beside it. */
export function createServiceRole(name: string, service: Parameters<typeof assumeRolePolicy>[0], args: ServiceRoleArgs, opts: pulumi.CustomResourceOptions): iam.Role {
    return new iam.Role(
        name,
        {
            assumeRolePolicy: pulumi.output(args.accountId).apply((id) => JSON.stringify(assumeRolePolicy(service, id))),
            permissionsBoundary: args.permissionsBoundary,
            tags: args.tags,
        },
        opts,
    );
}
