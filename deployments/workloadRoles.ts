/**
 * What a deploy role may do in IAM: create and change the service's own roles (its functions' and its state machine's)
 * and nothing else. AWS's pattern for delegating role creation ("Permissions boundaries for IAM entities"): every role a
 * deploy role makes must carry the workload boundary, which forbids IAM, role assumption and image signing to whoever
 * holds it, and lives under the service's path, the only roles a deploy role may tag or pass. A deploy role holding
 * IAMFullAccess could instead rewrite any role's trust (a review stack's code making itself prod's deployer) or make a
 * role the image signing key takes for image.yml's.
 */
import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import { PolicyDocument, Statement, doc } from "../components/aws/iamPolicies";
import { GUARDED_ACTIONS } from "./imageSigningKey";

/** The identities deployments/ makes, by their names' beginnings: no deploy role touches them. */
export const IDENTITY_ROLE_PREFIXES = ["deploy-", "image-", "promote-", "release-", "preview-"];

/** Where the service's roles live: what a deploy role may tag and pass. */
export const workloadRolePath = (project: string) => `/${project}/`;

/**
 * The most a role of the service may ever do: anything its own policies allow, but no IAM, no role assumption, no
 * signing and no managing of keys (a key's policy, grants, aliases, retirement: how a role could undo the signing
 * key's fence, or point the alias prod verifies with at a key of its own).
 */
export function workloadBoundaryPolicy(): PolicyDocument {
    return doc(
        { Sid: "WhatTheRolesOwnPoliciesAllow", Effect: "Allow", Action: "*", Resource: "*" },
        {
            Sid: "NeverIdentitiesSigningOrKeys",
            Effect: "Deny",
            Action: ["iam:*", "sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML", "organizations:*", "account:*", "kms:Sign", ...GUARDED_ACTIONS],
            Resource: "*",
        },
    );
}

/** A deploy role's IAM: the service's roles, each carrying `boundaryArn`, under `workloadRolePath(project)`. */
export function delegatedIamPolicy(accountId: string, project: string, boundaryArn: string): PolicyDocument {
    const roles = `arn:aws:iam::${accountId}:role${workloadRolePath(project)}*`;
    const anyRole = `arn:aws:iam::${accountId}:role/*`;
    const bounded = { StringEquals: { "iam:PermissionsBoundary": boundaryArn } };
    const statements: Statement[] = [
        {
            Sid: "ReadRoles",
            Effect: "Allow",
            Action: ["iam:GetRole", "iam:GetRolePolicy", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole", "iam:ListRoleTags", "iam:GetPolicy", "iam:GetPolicyVersion"],
            Resource: "*",
        },
        {
            Sid: "WriteTheServicesBoundedRoles",
            Effect: "Allow",
            Action: [
                "iam:CreateRole",
                "iam:DeleteRole",
                "iam:UpdateRole",
                "iam:UpdateRoleDescription",
                "iam:UpdateAssumeRolePolicy",
                "iam:PutRolePolicy",
                "iam:DeleteRolePolicy",
                "iam:AttachRolePolicy",
                "iam:DetachRolePolicy",
                "iam:PutRolePermissionsBoundary",
            ],
            Resource: roles,
            Condition: bounded,
        },
        // TagRole and PassRole take no iam:PermissionsBoundary condition: the path is what holds only bounded roles.
        { Sid: "TagTheServicesRoles", Effect: "Allow", Action: ["iam:TagRole", "iam:UntagRole"], Resource: roles },
        {
            Sid: "PassTheServicesRolesToItsServices",
            Effect: "Allow",
            Action: "iam:PassRole",
            Resource: roles,
            Condition: { StringEquals: { "iam:PassedToService": ["lambda.amazonaws.com", "states.amazonaws.com"] } },
        },
        // The roles an earlier program made at the root path, before the boundary: replaced at the next `up`, whose
        // deletes this allows (deleting gives nothing).
        {
            Sid: "RetireTheServicesUnboundedRoles",
            Effect: "Allow",
            Action: ["iam:DeleteRole", "iam:DeleteRolePolicy", "iam:DetachRolePolicy"],
            Resource: anyRole,
            Condition: { StringEquals: { "aws:ResourceTag/project": project, "aws:ResourceTag/managed-by": "pulumi" } },
        },
        {
            Sid: "NeverTheIdentities",
            Effect: "Deny",
            Action: "iam:*",
            Resource: IDENTITY_ROLE_PREFIXES.flatMap((prefix) => [`arn:aws:iam::${accountId}:role/${prefix}*`, `arn:aws:iam::${accountId}:role/*/${prefix}*`]),
        },
    ];
    return doc(...statements);
}

/** The workload boundary, one per account and service. */
export function createWorkloadBoundary(project: string): iam.Policy {
    return new iam.Policy("workload-boundary", {
        name: `${project}-workload-boundary`,
        description: `The most any role of ${project}'s stacks may do (deployments/workloadRoles.ts)`,
        policy: JSON.stringify(workloadBoundaryPolicy()),
    });
}

/** The delegated IAM policy of a deploy role, as an inline policy. */
export function delegatedIamInlinePolicy(accountId: pulumi.Input<string>, project: string, boundary: iam.Policy) {
    return { name: "delegated-iam", policy: pulumi.all([accountId, boundary.arn]).apply(([id, arn]) => JSON.stringify(delegatedIamPolicy(id, project, arn))) };
}
