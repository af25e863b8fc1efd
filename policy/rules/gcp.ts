import { ResourceValidationPolicy } from "@pulumi/policy";
import { allowsPublicCloudRun, environmentConfigSchema, isProduction } from "./environment";
import { onlyFor } from "./applies";
import { known } from "./known";

const PUBLIC_MEMBERS = ["allUsers", "allAuthenticatedUsers"];
const isPublic = (members: unknown) => [members].flat().some((m) => PUBLIC_MEMBERS.includes(String(m)));

export const gcsUniformAndPrivate: ResourceValidationPolicy = {
    name: "gcs-uniform-access-public-prevention",
    description: "GCS buckets use uniform bucket-level access and enforce public access prevention (CKV_GCP_29, CKV_GCP_114).",
    validateResource: (args, report) => {
        onlyFor(args, ["gcp:storage/bucket:Bucket"]);
        if (args.props.uniformBucketLevelAccess !== true) report("uniformBucketLevelAccess must be true.");
        if (args.props.publicAccessPrevention !== "enforced") report('publicAccessPrevention must be "enforced".');
    },
};

const BUCKET_AND_REGISTRY_IAM = [
    "gcp:storage/bucketIAMMember:BucketIAMMember",
    "gcp:storage/bucketIAMBinding:BucketIAMBinding",
    "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember",
    "gcp:artifactregistry/repositoryIamBinding:RepositoryIamBinding",
];
const CLOUD_RUN_IAM = ["gcp:cloudrunv2/serviceIamMember:ServiceIamMember", "gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding"];

export const noPublicMembers: ResourceValidationPolicy = {
    name: "no-public-iam-members",
    description: "No allUsers / allAuthenticatedUsers on buckets or registries; on Cloud Run only outside production or with the explicit opt-in (CKV_GCP_28, CKV_GCP_102).",
    configSchema: environmentConfigSchema,
    validateResource: (args, report) => {
        onlyFor(args, [...BUCKET_AND_REGISTRY_IAM, ...CLOUD_RUN_IAM]);
        // A member not known yet (a new service account's email, in a preview) is not a literal allUsers.
        const members = known(() => args.props.member) ?? known(() => args.props.members);
        if (BUCKET_AND_REGISTRY_IAM.includes(args.type) && isPublic(members)) {
            report(`${args.type.split(":")[1]} grants ${args.props.role} to the public.`);
        }
        if (CLOUD_RUN_IAM.includes(args.type) && isPublic(members) && isProduction(args) && !allowsPublicCloudRun(args)) {
            report("a production Cloud Run service is invokable by the public; set allowPublicCloudRun in the pack config only if that is intended.");
        }
    },
};

const PROJECT_IAM = ["gcp:projects/iAMMember:IAMMember", "gcp:projects/iAMBinding:IAMBinding", "gcp:organizations/iAMMember:IAMMember", "gcp:organizations/iAMBinding:IAMBinding"];
const BASIC_ROLES = ["roles/owner", "roles/editor", "roles/viewer"];

export const noBroadRoles: ResourceValidationPolicy = {
    name: "no-basic-or-project-storage-admin-roles",
    description: "No basic roles (owner, editor, viewer) anywhere, and no project-wide storage admin (CKV_GCP_117, CKV_GCP_41).",
    validateResource: (args, report) => {
        onlyFor(args, (type) => /IAMMember|IAMBinding|IamMember|IamBinding/i.test(type));
        const role = String(args.props.role ?? "");
        if (BASIC_ROLES.includes(role)) report(`${role} is a basic role: grant a predefined role on the resource instead.`);
        if (PROJECT_IAM.includes(args.type) && /^roles\/storage\.(admin|objectAdmin)$/.test(role)) {
            report(`${role} granted project-wide: grant object access on the one bucket instead.`);
        }
    },
};

export const noServiceAccountKeys: ResourceValidationPolicy = {
    name: "no-service-account-keys",
    description: "No service-account keys: workloads use their attached identity, CI uses workload identity federation (CKV_GCP_44 spirit).",
    validateResource: (args, report) => {
        onlyFor(args, ["gcp:serviceaccount/key:Key"]);
        report("service-account keys are long-lived credentials; use the attached service account or workload identity federation.");
    },
};

export const gcpPolicies = [gcsUniformAndPrivate, noPublicMembers, noBroadRoles, noServiceAccountKeys];
