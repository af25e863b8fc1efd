/**
 * How the bridged Google provider names a resource in its IAM errors, for the grant types this program writes: its
 * IAM read-modify-write wraps the updater's error as "Error applying IAM policy for <resource>: Error setting IAM
 * policy for <resource>: <googleapi error>" (terraform-provider-google tpgiamresource/iam.go iamPolicyReadModifyWrite;
 * each updater's DescribeResource and GetResourceId: services/storage/iam_storage_bucket.go,
 * services/secretmanager/iam_secret_manager_secret.go, services/cloudrunv2/iam_cloud_run_v2_service.go,
 * services/artifactregistry/iam_artifact_registry_repository.go). `reason`: what googleapi prints after the message,
 * Cloud Storage's JSON API's reason ("invalid"); the One Platform APIs' answers carry none, and googleapi prints none
 * (a Pub/Sub topic grant's refusal as printed, Liscor/terraform_dataform_ga4_pipeline#1).
 */
const DESCRIBED: Record<string, { resource: (inputs: Record<string, any>, project: string) => string; reason: string }> = {
    "gcp:storage/bucketIAMMember:BucketIAMMember": { resource: (i) => `storage bucket "b/${i.bucket}"`, reason: ", invalid" },
    "gcp:secretmanager/secretIamMember:SecretIamMember": { resource: (i, p) => `secretmanager secret "projects/${i.project ?? p}/secrets/${i.secretId}"`, reason: ", invalid" },
    "gcp:cloudrunv2/serviceIamMember:ServiceIamMember": { resource: (i, p) => `cloudrunv2 service "projects/${i.project ?? p}/locations/${i.location}/services/${i.name}"`, reason: "" },
    "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember": {
        resource: (i, p) => `artifactregistry repository "projects/${i.project ?? p}/locations/${i.location}/repositories/${i.repository}"`,
        reason: "",
    },
};

/** The provider's refusal of a grant, with Google's 400 message; undefined for a type not described here. */
export function iamGrantRefusal(type: string, inputs: Record<string, any>, project: string, googleMessage: string): Error | undefined {
    const described = DESCRIBED[type];
    if (!described) return undefined;
    const resource = described.resource(inputs, project);
    return new Error(`Error applying IAM policy for ${resource}: Error setting IAM policy for ${resource}: googleapi: Error 400: ${googleMessage}${described.reason}`);
}
