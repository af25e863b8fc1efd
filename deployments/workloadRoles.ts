/**
 * What a deploy role may do in IAM: create and change the service's own roles (its functions', its state machines' and
 * the health check schedule's)
 * and nothing else. AWS's pattern for delegating role creation ("Permissions boundaries for IAM entities"): every role a
 * deploy role makes or changes must carry the workload boundary, which forbids IAM, role assumption, signing and key
 * management to whoever holds it, and only the service's roles (by the names its stacks give them) may be passed, to
 * Lambda, Step Functions and EventBridge Scheduler. A deploy role holding IAMFullAccess could instead rewrite any role's trust (a review
 * stack's code making itself prod's deployer) or make a role the signing key takes for image.yml's.
 *
 * The service's roles keep their names and path: a stack that ran before gets the boundary put on its roles in place.
 * A replaced role would be deleted, and a published Lambda version keeps the role it was published with, so the
 * stable version a release keeps serving would lose its role.
 */
import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import { PolicyDocument, ROLE_SERVICES, Statement, doc } from "../components/aws/iamPolicies";
import { COMPONENT_NAMES } from "../components/names";
import { GUARDED_ACTIONS } from "./imageSigningKey";

/** The identities deployments/ makes, by their names' beginnings: no deploy role touches them. */
const IDENTITY_ROLE_PREFIXES = ["deploy-", "image-", "promote-", "release-", "preview-"];

/** The beginning of the names the service's stacks give their roles (`pipeline-api-1a2b3c4`: the component's name, then Pulumi's). */
export const WORKLOAD_ROLE_PREFIX = `${COMPONENT_NAMES.aws}-`;
/**
 * The services the service's roles are passed to, each the principal of a role's trust: Lambda (the functions), Step
 * Functions (the state machines) and EventBridge Scheduler (the health check's schedule, whose CreateSchedule passes
 * its role). A service missing here fails that resource's create with AccessDenied on iam:PassRole; it is the list
 * the roles' trust names (components/aws/iamPolicies.ts, ROLE_SERVICES).
 */
export const WORKLOAD_ROLE_SERVICES = ROLE_SERVICES;
export const workloadRoleArns = (accountId: string) => `arn:aws:iam::${accountId}:role/${WORKLOAD_ROLE_PREFIX}*`;

/** IAM writes that give a role something, each taking iam:PermissionsBoundary (the role's boundary, or the one put). */
const BOUNDED_ROLE_WRITES = [
    "iam:CreateRole",
    "iam:UpdateRole",
    "iam:UpdateRoleDescription",
    "iam:UpdateAssumeRolePolicy",
    "iam:PutRolePolicy",
    "iam:AttachRolePolicy",
    "iam:PutRolePermissionsBoundary",
];
/** IAM writes that take something away: allowed on the service's roles by name, boundary or not (a stack that ran before it can still be destroyed). */
const ROLE_DELETES = ["iam:DeleteRole", "iam:DeleteRolePolicy", "iam:DetachRolePolicy"];

/**
 * The most a role of the service may ever do: anything its own policies allow, but no IAM, no role assumption, no
 * signing and no managing of keys (a key's policy, grants, aliases, retirement: how a role could undo the signing
 * key's fence, or point the alias prod verifies with at a key of its own).
 */
function workloadBoundaryPolicy(): PolicyDocument {
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

/**
 * A deploy role's IAM: the service's roles (by name), each carrying `boundaryArn`. Its denials hold whatever else the
 * role is given. An update of a role that changes its trust or description in the same update that first puts the
 * boundary on it is refused (the provider changes those before the boundary): put the boundary first.
 */
function delegatedIamPolicy(accountId: string, boundaryArn: string): PolicyDocument {
    const serviceRoles = workloadRoleArns(accountId);
    const statements: Statement[] = [
        {
            Sid: "ReadRoles",
            Effect: "Allow",
            Action: ["iam:GetRole", "iam:GetRolePolicy", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole", "iam:ListRoleTags", "iam:GetPolicy", "iam:GetPolicyVersion"],
            Resource: "*",
        },
        // For PutRolePermissionsBoundary the key is the boundary being put: how a role of a stack that ran before this
        // policy gets it, in place. Only the service's roles: any other role given the boundary would then be rewritable.
        { Sid: "WriteTheServicesBoundedRoles", Effect: "Allow", Action: BOUNDED_ROLE_WRITES, Resource: serviceRoles, Condition: { StringEquals: { "iam:PermissionsBoundary": boundaryArn } } },
        // Deletes by name alone, boundary or not (a tag would be no condition: the role may tag these roles itself).
        { Sid: "DeleteTheServicesRoles", Effect: "Allow", Action: ROLE_DELETES, Resource: serviceRoles },
        // TagRole takes no boundary condition: the service's roles by name.
        { Sid: "TagTheServicesRoles", Effect: "Allow", Action: ["iam:TagRole", "iam:UntagRole"], Resource: serviceRoles },
        {
            Sid: "PassTheServicesRolesToItsServices",
            Effect: "Allow",
            Action: "iam:PassRole",
            Resource: serviceRoles,
            Condition: { StringEquals: { "iam:PassedToService": [...WORKLOAD_ROLE_SERVICES] } },
        },
        { Sid: "NeverAnUnboundedRole", Effect: "Deny", Action: BOUNDED_ROLE_WRITES, Resource: "*", Condition: { StringNotEquals: { "iam:PermissionsBoundary": boundaryArn } } },
        { Sid: "NeverTakeTheBoundaryOff", Effect: "Deny", Action: "iam:DeleteRolePermissionsBoundary", Resource: "*" },
        { Sid: "NeverPassAnotherRole", Effect: "Deny", Action: "iam:PassRole", NotResource: serviceRoles },
        {
            Sid: "NeverTheIdentities",
            Effect: "Deny",
            Action: "iam:*",
            Resource: IDENTITY_ROLE_PREFIXES.flatMap((prefix) => [`arn:aws:iam::${accountId}:role/${prefix}*`, `arn:aws:iam::${accountId}:role/*/${prefix}*`]),
        },
    ];
    return doc(...statements);
}

/**
 * The workload boundary, one per account and service. A new description would replace the policy (terraform-provider-aws
 * iam/policy.go: `description` ForceNew), which cannot succeed: the new one is created first under the same name, and
 * IAM answers EntityAlreadyExists; deleting first instead meets the stacks' roles, which carry it as their boundary.
 * So a change to the description alone is ignored.
 *
 * Every role of every stack carries it, and its deploy roles may not take it off (NeverTakeTheBoundaryOff), while IAM
 * refuses to delete a policy that is any role's boundary (DeleteConflict: "Cannot delete a policy attached to
 * entities"; terraform-provider-aws iam/policy.go resourcePolicyDelete sends DeletePolicy without detaching it). So a
 * `pulumi destroy` of deployments/ while the stacks live would fail at it: it is protected, as the signing key is, and
 * `--exclude-protected` leaves it, in the state too, for the next `up`.
 */
export function createWorkloadBoundary(project: string): iam.Policy {
    return new iam.Policy(
        "workload-boundary",
        {
            name: `${project}-workload-boundary`,
            description: `The most any role of ${project}'s stacks may do (deployments/workloadRoles.ts)`,
            policy: JSON.stringify(workloadBoundaryPolicy()),
        },
        { ignoreChanges: ["description"], protect: true },
    );
}

/** The delegated IAM policy of a deploy role, as an inline policy. */
export function delegatedIamInlinePolicy(accountId: pulumi.Input<string>, boundary: iam.Policy) {
    return { name: "delegated-iam", policy: pulumi.all([accountId, boundary.arn]).apply(([id, arn]) => JSON.stringify(delegatedIamPolicy(id, arn))) };
}
