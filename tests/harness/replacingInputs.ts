/**
 * The inputs the provider replaces a resource on (Terraform's `ForceNew: true`, magic-modules' `immutable: true`),
 * per type: for the fixed-name types the program names itself, and for the types it protects (keptInProduction,
 * `protect:` in components/ and deployments/). `name` is the input the type is named by when the program names it
 * (empty when the provider or Pulumi's autonaming does); `scope` is what that name is unique within, so a change there
 * gives a different name (another project's or location's); `replacing` are the other replacing inputs. A region is the
 * provider's and is in no input. `source` is where each was read.
 */
export interface ReplacingInputsRow {
    name: string;
    scope: string[];
    replacing: string[];
    source: string;
}

export const FORCE_NEW: Record<string, ReplacingInputsRow> = {
    "aws:ecr/repository:Repository": {
        name: "name",
        scope: [],
        replacing: ["encryptionConfigurations"],
        source: "terraform-provider-aws internal/service/ecr/repository.go: name, encryption_configuration (encryption_type, kms_key) ForceNew",
    },
    "aws:cloudwatch/dashboard:Dashboard": {
        name: "dashboardName",
        scope: [],
        replacing: [],
        source: "terraform-provider-aws internal/service/cloudwatch/dashboard.go: dashboard_name ForceNew",
    },
    "gcp:serviceaccount/account:Account": {
        name: "accountId",
        scope: ["project"],
        replacing: [],
        source: "terraform-provider-google google/services/resourcemanager/resource_google_service_account.go: account_id, project ForceNew",
    },
    "gcp:secretmanager/secret:Secret": {
        name: "secretId",
        scope: ["project"],
        replacing: ["replication", "tags"],
        source: "magic-modules mmv1/products/secretmanager/Secret.yaml: secretId, replication, tags immutable",
    },
    "gcp:artifactregistry/repository:Repository": {
        name: "repositoryId",
        scope: ["project", "location"],
        replacing: ["format", "kmsKeyName", "mode", "remoteRepositoryConfig", "mavenConfig"],
        source: "magic-modules mmv1/products/artifactregistry/Repository.yaml: repository_id, location, format, kmsKeyName, mode, remoteRepositoryConfig, mavenConfig (allowSnapshotOverwrites, versionPolicy) immutable",
    },
    // Protected in production (components/gcp/storageBucket.ts keptInProduction). Named by Pulumi's autonaming, which
    // the mocks do not see: `name` is recorded only when the program sets it.
    "gcp:storage/bucket:Bucket": {
        name: "name",
        scope: ["project"],
        replacing: ["location", "enableObjectRetention", "customPlacementConfig", "hierarchicalNamespace"],
        source:
            "terraform-provider-google google/services/storage/resource_storage_bucket.go: name, location, project, enable_object_retention, " +
            "custom_placement_config.data_locations, hierarchical_namespace(.enabled) ForceNew; retention_policy.0.is_locked ForceNewIfChange " +
            "(location's StateFunc upper-cases it: a case-only change is no replace)",
    },
    // Protected in production (components/aws/pipelineBucket.ts keptInProduction); autonamed.
    "aws:s3/bucket:Bucket": {
        name: "bucket",
        scope: [],
        replacing: ["bucketPrefix", "objectLockEnabled", "objectLockConfiguration"],
        source: "terraform-provider-aws internal/service/s3/bucket.go: bucket, bucket_prefix, object_lock_enabled, object_lock_configuration.object_lock_enabled ForceNew",
    },
    // The image-signing key (deployments/imageSigningKey.ts: protect and retainOnDelete always); autonamed (a key ID).
    "aws:kms/key:Key": {
        name: "",
        scope: [],
        replacing: ["customerMasterKeySpec", "keyUsage", "multiRegion", "customKeyStoreId", "xksKeyId"],
        source: "terraform-provider-aws internal/service/kms/key.go: custom_key_store_id, customer_master_key_spec, key_usage, multi_region, xks_key_id ForceNew",
    },
};

/**
 * Types the program protects whose replacing inputs were not read here (the bucket's sub-resources of
 * components/aws/pipelineBucket.ts, and the admin token's secret): their values are not recorded, so a change to them is
 * not caught. Add a row, read in the provider's source, to cover one.
 */
export const UNREAD_PROTECTED_TYPES = [
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "aws:s3/bucketVersioning:BucketVersioning",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:s3/bucketPolicy:BucketPolicy",
    "aws:secretsmanager/secret:Secret",
];

/** Every replacing input of a row: its name, scope and the rest (an empty name is the provider's, no input). */
export const replacingKeys = (row: ReplacingInputsRow) => [row.name, ...row.scope, ...row.replacing].filter((k) => k);
