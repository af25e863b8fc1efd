import * as kms from "@pulumi/aws/kms";
import * as pulumi from "@pulumi/pulumi";
import { PolicyDocument, doc } from "../components/aws/iamPolicies";

/** The alias the stacks' `image.verify.signingKey` names (`awskms:///alias/<project>-image-signing`). */
export function imageSigningAlias(project: string): string {
    return `alias/${project}-image-signing`;
}

/** What Pulumi's default autonaming adds to a logical name, as an ArnLike pattern: `-` and 7 hex digits. */
const AUTONAME_SUFFIX = "-???????";

/** The roles createAwsOidc makes, by their logical names. */
export interface ProjectRoles {
    /** The image roles (`image-<stack>`): the only principals that sign. */
    signers: string[];
    /** Every role (deploy, image, promote, preview): none may rewrite the key's policy, grant its use or retire it. */
    all: string[];
    /** The ARN pattern of the service's stacks' roles in an account (`.../role/pipeline-*`): none of them may either. */
    workloadRoleArns: (accountId: string) => string;
}

/** What the key's policy lets none of the project's roles do: rewrite the policy, grant use, move or retire the key. */
export const GUARDED_ACTIONS = ["kms:PutKeyPolicy", "kms:CreateGrant", "kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:UpdateAlias", "kms:DeleteAlias", "kms:CreateAlias"];

/**
 * The signing key's policy. KMS's default policy (one statement: the account may use the key as its IAM policies
 * say; KMS Developer Guide, "Default key policy") is kept so that the account's administrators keep the key
 * manageable, and two denials are added, which no IAM policy can lift: kms:Sign by anyone but the image roles
 * (deploy roles hold PowerUserAccess, whose `NotAction: iam:*` includes kms:Sign, so without this deploy-review, whose
 * credentials a review stack's pull-request code runs with, could sign an image prod accepts), and the key's policy,
 * grants, aliases and deletion by any role this project made, or any of the service's stacks made.
 */
export function imageSigningKeyPolicy(accountId: string, roles: ProjectRoles): PolicyDocument {
    const arns = (names: string[]) => names.map((name) => `arn:aws:iam::${accountId}:role/${name}${AUTONAME_SUFFIX}`);
    return doc(
        { Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: "kms:*", Resource: "*" },
        {
            Sid: "OnlyTheImageWorkflowsSign",
            Effect: "Deny",
            Principal: { AWS: "*" },
            Action: "kms:Sign",
            Resource: "*",
            // No stack deployed on push, no image role: nobody signs. Said without a condition, since whether KMS takes a
            // condition with no values (`ArnNotLike` of `[]`) is not documented.
            ...(roles.signers.length > 0 ? { Condition: { ArnNotLike: { "aws:PrincipalArn": arns(roles.signers) } } } : {}),
        },
        {
            Sid: "ProjectRolesLeaveTheKeyAlone",
            Effect: "Deny",
            Principal: { AWS: "*" },
            Action: GUARDED_ACTIONS,
            Resource: "*",
            Condition: { ArnLike: { "aws:PrincipalArn": [...arns(roles.all), roles.workloadRoleArns(accountId)] } },
        },
    );
}

/**
 * The key image.yml signs the service image, its provenance and its SBOM with (`cosign sign|attest --key
 * awskms:///<alias>`): ECDSA P-256, the scheme cosign's signature spec requires; the private half never leaves KMS.
 * Only the image roles may sign (the key's policy); the promotion and the deployments read the public half.
 */
export function createImageSigningKey(project: string, accountId: pulumi.Input<string>, roles: ProjectRoles) {
    // Every signature in the registries, prod's running image and its rollback target included, verifies with this
    // key alone. Deleting it only schedules its deletion (terraform-provider-aws kms key delete: ScheduleKeyDeletion
    // with deletion_window_in_days), the alias goes at once, and the next `up` would make a new key under that alias:
    // every image signed before would stop verifying. So a `pulumi destroy` of deployments/ stops at it (protect) and
    // the next `up` points the alias at it again; unprotected on purpose, it is left in the account (retainOnDelete).
    const key = new kms.Key("image-signing", {
        description: `cosign: signs ${project}'s images in image.yml (docs/images.md)`,
        customerMasterKeySpec: "ECC_NIST_P256",
        keyUsage: "SIGN_VERIFY",
        deletionWindowInDays: 30,
        policy: pulumi.output(accountId).apply((account) => JSON.stringify(imageSigningKeyPolicy(account, roles))),
        tags: { project, environment: "all", "managed-by": "pulumi" },
    }, { protect: true, retainOnDelete: true });
    const alias = new kms.Alias("image-signing", { name: imageSigningAlias(project), targetKeyId: key.keyId });
    return { key, alias };
}
