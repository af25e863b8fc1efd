import { ResourceValidationPolicy } from "@pulumi/policy";
import { allowsPublicCloudRun, environmentConfigSchema, isProduction } from "./environment";
import { onlyFor } from "./applies";
import { judgeEach, known, knownElements } from "./known";
import { textOf } from "./textOf";
import { InPlaceOf, quoted } from "./quoted";

const PUBLIC_MEMBERS = ["allUsers", "allAuthenticatedUsers"];
const isPublic = (members: unknown[]) => members.some((m) => PUBLIC_MEMBERS.includes(textOf(m)));

export const gcsUniformAndPrivate: ResourceValidationPolicy = {
    name: "gcs-uniform-access-public-prevention",
    description: "GCS buckets use uniform bucket-level access and enforce public access prevention (CKV_GCP_29, CKV_GCP_114).",
    validateResource: (args, report) => {
        onlyFor(args, ["gcp:storage/bucket:Bucket"]);
        judgeEach([
            ["uniform bucket-level access", () => {
                if (args.props.uniformBucketLevelAccess !== true) report("uniformBucketLevelAccess must be true.");
            }],
            ["public access prevention", () => {
                if (args.props.publicAccessPrevention !== "enforced") report('publicAccessPrevention must be "enforced".');
            }],
        ]);
    },
};

// Type tokens as @pulumi/gcp 9.37.0 registers them (e.g. storage/bucketIAMPolicy.js, cloudrun/iamPolicy.js).
const PRIVATE_RESOURCE_IAM = [
    "gcp:storage/bucketIAMMember:BucketIAMMember",
    "gcp:storage/bucketIAMBinding:BucketIAMBinding",
    "gcp:storage/bucketIAMPolicy:BucketIAMPolicy",
    // A managed folder's grants reach the bucket's objects under it.
    "gcp:storage/managedFolderIamMember:ManagedFolderIamMember",
    "gcp:storage/managedFolderIamBinding:ManagedFolderIamBinding",
    "gcp:storage/managedFolderIamPolicy:ManagedFolderIamPolicy",
    "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember",
    "gcp:artifactregistry/repositoryIamBinding:RepositoryIamBinding",
    "gcp:artifactregistry/repositoryIamPolicy:RepositoryIamPolicy",
    // A secret's accessor role read by anyone is the secret published (before, a Secret Manager grant was not judged).
    "gcp:secretmanager/secretIamMember:SecretIamMember",
    "gcp:secretmanager/secretIamBinding:SecretIamBinding",
    "gcp:secretmanager/secretIamPolicy:SecretIamPolicy",
    "gcp:secretmanager/regionalSecretIamMember:RegionalSecretIamMember",
    "gcp:secretmanager/regionalSecretIamBinding:RegionalSecretIamBinding",
    "gcp:secretmanager/regionalSecretIamPolicy:RegionalSecretIamPolicy",
];
const CLOUD_RUN_IAM = [
    "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
    "gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding",
    "gcp:cloudrunv2/serviceIamPolicy:ServiceIamPolicy",
    // Cloud Run v1's resources grant on the same services.
    "gcp:cloudrun/iamMember:IamMember",
    "gcp:cloudrun/iamBinding:IamBinding",
    "gcp:cloudrun/iamPolicy:IamPolicy",
];
/** Cloud Run services whose invoker IAM check can be turned off, which lets anyone invoke them. */
const CLOUD_RUN_SERVICES = ["gcp:cloudrunv2/service:Service"];
/** A resource that sets a whole IAM policy (`policyData`), whatever the case of its type name (projects/iAMPolicy:IAMPolicy). */
const isIamPolicy = (type: string) => /iampolicy:[a-z0-9]*iampolicy$/i.test(type);

interface Grant {
    /** Reads the role: one not known yet in a preview throws the proxy's UnknownValueError (known.ts). */
    role: () => unknown;
    members: unknown[];
}

/** A finding's words for a role it cannot quote. */
const ROLE: InPlaceOf = { notKnownYet: "a role not known yet", absent: "a role it does not name", notText: "a role that is not text" };

/**
 * The roles a resource grants and to whom: a *IamMember or *IamBinding one role, a *IamPolicy each binding of its
 * policyData (a JSON string of `{ bindings: [{ role, members }] }`). What the engine does not know yet (a new service
 * account's email, a policyData built from other outputs, in a preview) is left out: it is not a literal allUsers, and
 * `pulumi up` judges again with every value known.
 */
function grants(type: string, props: Record<string, any>): Grant[] {
    if (isIamPolicy(type)) {
        const bindings = parsePolicyData(known(() => props.policyData)).bindings;
        return (Array.isArray(bindings) ? bindings : []).map((b: any) => ({ role: () => b?.role, members: [b?.members ?? []].flat() }));
    }
    const members = known(() => props.member) !== undefined ? [props.member] : knownElements<unknown>(() => props.members);
    return [{ role: () => props.role, members }];
}

function parsePolicyData(policyData: unknown): { bindings?: unknown } {
    if (typeof policyData !== "string") return {};
    try {
        return JSON.parse(policyData) ?? {};
    } catch {
        return {};
    }
}

/**
 * Cloud Storage's legacy ACLs publish a bucket or its objects as an IAM grant does (type tokens as @pulumi/gcp 9.37.0
 * registers them, storage/bucketACL.js etc.). The *ACL resources take `roleEntities`, "ROLE:entity" pairs the provider
 * splits at the colon and sends as they are (terraform-provider-google resource_storage_bucket_acl.go GetRoleEntityPair);
 * the *AccessControl resources one `entity` and `role`. Refused whatever the bucket's uniform bucket-level access: a
 * resource cannot see its bucket's setting, and a public ACL in code is a mistake either way (refused by the API on such
 * a bucket, or live on the bucket the day that setting is turned off).
 */
const ROLE_ENTITY_ACLS = ["gcp:storage/bucketACL:BucketACL", "gcp:storage/defaultObjectACL:DefaultObjectACL", "gcp:storage/objectACL:ObjectACL"];
const ENTITY_ACLS = [
    "gcp:storage/bucketAccessControl:BucketAccessControl",
    "gcp:storage/objectAccessControl:ObjectAccessControl",
    "gcp:storage/defaultObjectAccessControl:DefaultObjectAccessControl",
];
/**
 * The canned ACLs that grant allUsers or allAuthenticatedUsers: BucketACL's predefinedAcl (the API's bucket
 * predefinedAcl: authenticatedRead, private, projectPrivate, publicRead, publicReadWrite), its defaultAcl (the bucket's
 * predefinedDefaultObjectAcl) and ObjectACL's predefinedAcl (the provider accepts private, bucketOwnerRead,
 * bucketOwnerFullControl, projectPrivate, authenticatedRead, publicRead).
 */
const PUBLIC_CANNED_ACLS = ["publicread", "publicreadwrite", "authenticatedread"];
/**
 * Compared without case (and a canned name without gsutil's hyphens): no private entity or canned ACL is spelled so,
 * every other entity carries a user-, group-, domain- or project- prefix, so a misspelling the API may or may not fold
 * is refused at no cost.
 */
const isPublicEntity = (entity: unknown) => typeof entity === "string" && PUBLIC_MEMBERS.some((m) => m.toLowerCase() === entity.trim().toLowerCase());
const isPublicCannedAcl = (acl: unknown) => typeof acl === "string" && PUBLIC_CANNED_ACLS.includes(acl.replace(/[-_\s]/g, "").toLowerCase());

/** What a Cloud Storage ACL resource gives the public, one message each; what a preview does not know yet is left out. */
function publicAclGrants(type: string, props: Record<string, any>): string[] {
    const what = type.split(":")[1];
    const found: string[] = [];
    if (ENTITY_ACLS.includes(type)) {
        const entity = known(() => props.entity);
        if (isPublicEntity(entity)) found.push(`${what} grants ${quoted(() => props.role, { ...ROLE, absent: "access" })} to the public (ACL entity ${entity}).`);
    }
    if (ROLE_ENTITY_ACLS.includes(type)) {
        for (const pair of knownElements<unknown>(() => props.roleEntities)) {
            if (typeof pair !== "string") continue;
            const colon = pair.indexOf(":");
            const entity = pair.slice(colon + 1);
            if (isPublicEntity(entity)) found.push(`${what} grants ${colon > 0 ? pair.slice(0, colon) : "access"} to the public (ACL entity ${entity}).`);
        }
        const predefinedAcl = known(() => props.predefinedAcl);
        if (isPublicCannedAcl(predefinedAcl)) found.push(`${what}'s predefinedAcl ${predefinedAcl} grants the public access.`);
        const defaultAcl = known(() => props.defaultAcl);
        if (isPublicCannedAcl(defaultAcl)) found.push(`${what}'s defaultAcl ${defaultAcl} grants the public access to every new object.`);
    }
    return found;
}

export const noPublicMembers: ResourceValidationPolicy = {
    name: "no-public-iam-members",
    description:
        "No allUsers / allAuthenticatedUsers on buckets (by IAM or by a legacy ACL: an ACL entry or a public canned ACL), objects, registries or secrets; on Cloud Run (by such a member or by turning the invoker IAM check off) only outside production or with the explicit opt-in (CKV_GCP_28, CKV_GCP_102).",
    configSchema: environmentConfigSchema,
    validateResource: (args, report) => {
        onlyFor(args, [...PRIVATE_RESOURCE_IAM, ...CLOUD_RUN_IAM, ...CLOUD_RUN_SERVICES, ...ROLE_ENTITY_ACLS, ...ENTITY_ACLS]);
        if (ROLE_ENTITY_ACLS.includes(args.type) || ENTITY_ACLS.includes(args.type)) {
            for (const message of publicAclGrants(args.type, args.props)) report(message);
            return;
        }
        if (CLOUD_RUN_SERVICES.includes(args.type)) {
            if (known(() => args.props.invokerIamDisabled) === true && isProduction(args) && !allowsPublicCloudRun(args)) {
                report("a production Cloud Run service is invokable by the public (its invoker IAM check is off); set allowPublicCloudRun in the pack config only if that is intended.");
            }
            return;
        }
        const publicRoles = grants(args.type, args.props).filter((g) => isPublic(g.members)).map((g) => g.role);
        if (PRIVATE_RESOURCE_IAM.includes(args.type)) {
            for (const role of publicRoles) report(`${args.type.split(":")[1]} grants ${quoted(role, ROLE)} to the public.`);
        }
        if (CLOUD_RUN_IAM.includes(args.type) && publicRoles.length > 0 && isProduction(args) && !allowsPublicCloudRun(args)) {
            report("a production Cloud Run service is invokable by the public; set allowPublicCloudRun in the pack config only if that is intended.");
        }
    },
};

/** IAM resources that grant across a whole project, organization or folder (a folder's reach every project under it). */
const WIDE_IAM: Record<string, string> = {
    "gcp:projects/iAMMember:IAMMember": "project",
    "gcp:projects/iAMBinding:IAMBinding": "project",
    "gcp:projects/iAMPolicy:IAMPolicy": "project",
    "gcp:organizations/iAMMember:IAMMember": "organization",
    "gcp:organizations/iAMBinding:IAMBinding": "organization",
    "gcp:organizations/iAMPolicy:IAMPolicy": "organization",
    "gcp:folder/iAMMember:IAMMember": "folder",
    "gcp:folder/iAMBinding:IAMBinding": "folder",
    "gcp:folder/iAMPolicy:IAMPolicy": "folder",
};
const BASIC_ROLES = ["roles/owner", "roles/editor", "roles/viewer"];

export const noBroadRoles: ResourceValidationPolicy = {
    name: "no-basic-or-project-storage-admin-roles",
    description: "No basic roles (owner, editor, viewer) anywhere, and no project-wide storage admin (CKV_GCP_117, CKV_GCP_41).",
    validateResource: (args, report) => {
        // An IamMemberRemove (gcp:projects/iamMemberRemove) takes a role away: reading it as a grant refused the hardening it is.
        onlyFor(args, (type) => type.startsWith("gcp:") && /IAMMember|IAMBinding|IAMPolicy/i.test(type) && !/MemberRemove/i.test(type));
        for (const role of new Set(grants(args.type, args.props).map((g) => textOf(known(g.role) ?? "")))) {
            if (BASIC_ROLES.includes(role)) report(`${role} is a basic role: grant a predefined role on the resource instead.`);
            const scope = WIDE_IAM[args.type];
            if (scope && /^roles\/storage\.(admin|objectAdmin)$/.test(role)) {
                report(`${role} granted ${scope}-wide: grant object access on the one bucket instead.`);
            }
        }
    },
};

export const noServiceAccountKeys: ResourceValidationPolicy = {
    name: "no-service-account-keys",
    description: "No service-account keys: workloads use their attached identity, CI uses workload identity federation (CKV_GCP_44 spirit).",
    validateResource: (args, report) => {
        // A Cloud Storage HMAC key is a service account's key too: a secret that signs its requests until deleted
        // (@pulumi/gcp storage/hmacKey.d.ts: "HMAC keys can be used as credentials for service accounts").
        onlyFor(args, ["gcp:serviceaccount/key:Key", "gcp:storage/hmacKey:HmacKey"]);
        report("service-account keys are long-lived credentials; use the attached service account or workload identity federation.");
    },
};

export const gcpPolicies = [gcsUniformAndPrivate, noPublicMembers, noBroadRoles, noServiceAccountKeys];
