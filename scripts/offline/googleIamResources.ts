/**
 * How the bridged Google provider names a resource in its IAM errors, for the grant types this program writes: its
 * IAM read-modify-write wraps the updater's error as "Error applying IAM policy for <resource>: Error setting IAM
 * policy for <resource>: <googleapi error>" (terraform-provider-google tpgiamresource/iam.go iamPolicyReadModifyWrite;
 * each updater's DescribeResource and GetResourceId: services/storage/iam_storage_bucket.go,
 * services/secretmanager/iam_secret_manager_secret.go, services/cloudrunv2/iam_cloud_run_v2_service.go,
 * services/cloudrun/iam_cloud_run_service.go, services/artifactregistry/iam_artifact_registry_repository.go,
 * services/resourcemanager/iam_project.go and iam_service_account.go).
 */
const DESCRIBED: Record<string, (inputs: Record<string, any>, project: string) => string> = {
    "gcp:storage/bucketIAMMember:BucketIAMMember": (i) => `storage bucket "b/${i.bucket}"`,
    "gcp:secretmanager/secretIamMember:SecretIamMember": (i, p) => `secretmanager secret "projects/${i.project ?? p}/secrets/${i.secretId}"`,
    "gcp:cloudrunv2/serviceIamMember:ServiceIamMember": (i, p) => `cloudrunv2 service "projects/${i.project ?? p}/locations/${i.location}/services/${i.name}"`,
    "gcp:cloudrun/iamMember:IamMember": (i, p) => `cloudrun service "v1/projects/${i.project ?? p}/locations/${i.location}/services/${i.service}"`,
    "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember": (i, p) => `artifactregistry repository "projects/${i.project ?? p}/locations/${i.location}/repositories/${i.repository}"`,
    "gcp:projects/iAMMember:IAMMember": (i, p) => `project "${i.project ?? p}"`,
    "gcp:serviceaccount/iAMMember:IAMMember": (i) => `service account '${i.serviceAccountId}'`,
};

/**
 * Project grants are batched by the provider (IamWithBatching): one request's failure reaches each grant in it wrapped
 * once more, "Request `Create IAM Members <role> <member> for <resource>` returned error: ..." (tpgiamresource
 * resource_iam_member.go resourceIamMemberCreate, transport/batcher.go SendRequestWithTimeout).
 */
const BATCHED = new Set(["gcp:projects/iAMMember:IAMMember"]);

/** The provider's refusal of a grant, ending with googleapi's rendering of Google's answer; undefined for a type not described here. */
export function iamGrantRefusal(type: string, inputs: Record<string, any>, project: string, googleapiError: string): Error | undefined {
    const describe = DESCRIBED[type];
    if (!describe) return undefined;
    const resource = describe(inputs, project);
    const refusal = `Error applying IAM policy for ${resource}: Error setting IAM policy for ${resource}: ${googleapiError}`;
    return new Error(BATCHED.has(type) ? `Request \`Create IAM Members ${inputs.role} ${inputs.member} for ${resource}\` returned error: ${refusal}` : refusal);
}
