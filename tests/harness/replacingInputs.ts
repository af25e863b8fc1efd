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
    // The workload boundary (deployments/workloadRoles.ts: protect always, as every stack's role carries it), named by
    // the program.
    "aws:iam/policy:Policy": {
        name: "name",
        scope: [],
        replacing: ["namePrefix", "path"],
        source: "terraform-provider-aws internal/service/iam/policy.go: name, name_prefix, path, description ForceNew (description is in the program's ignoreChanges, so the engine never diffs it)",
    },
    // The bucket's settings (components/aws/pipelineBucket.ts: kept with it in production). Each is named by its bucket
    // (the provider's ID is the bucket's name), so no input of theirs is a name. Read in the newest versions the code
    // index holds (the S3 ones stamped "Copyright IBM Corp. 2014, 2026" where noted); @pulumi/aws 7.48.0's .d.ts gives
    // the same deprecation texts for expectedBucketOwner.
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": {
        name: "",
        scope: [],
        replacing: ["bucket"],
        source: "terraform-provider-aws internal/service/s3/bucket_ownership_controls.go (SDKv2, aws-sdk-go-v2 version): bucket ForceNew; rule.object_ownership updated in place",
    },
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": {
        name: "",
        scope: [],
        replacing: ["bucket"],
        source:
            "terraform-provider-aws internal/service/s3/bucket_public_access_block.go (SDKv2, aws-sdk-go-v2 version): bucket ForceNew; the four block/ignore/restrict " +
            "flags updated in place (skip_destroy, newer, not read in the source)",
    },
    "aws:s3/bucketVersioning:BucketVersioning": {
        name: "",
        scope: [],
        replacing: ["bucket", "expectedBucketOwner"],
        source:
            "terraform-provider-aws internal/service/s3/bucket_versioning.go (SDKv2): bucket, expected_bucket_owner ForceNew (the version read predates " +
            "expected_bucket_owner's deprecation, which @pulumi/aws 7.48.0 shows; the deprecated version was not read)",
    },
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": {
        name: "",
        scope: [],
        replacing: ["bucket", "expectedBucketOwner"],
        source:
            "terraform-provider-aws internal/service/s3/bucket_server_side_encryption_configuration.go (2026, identity v1): bucket ForceNew; expected_bucket_owner " +
            "(deprecated) forced new by CustomizeDiff on any change except unset -> the provider's own account ID",
    },
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": {
        name: "",
        scope: [],
        replacing: ["bucket", "expectedBucketOwner"],
        source:
            "terraform-provider-aws internal/service/s3/bucket_lifecycle_configuration.go (Plugin Framework, schema version 1): bucket, expected_bucket_owner " +
            "stringplanmodifier.RequiresReplace(); rules and transition_default_minimum_object_size updated in place",
    },
    "aws:s3/bucketPolicy:BucketPolicy": {
        name: "",
        scope: [],
        replacing: ["bucket"],
        source: "terraform-provider-aws internal/service/s3/bucket_policy.go (2026, @IdentityAttribute(\"bucket\")): bucket ForceNew; policy updated in place",
    },
    // The admin token's secret (components/aws/lambdaEcrPipeline.ts createAdminToken: keptInProduction); autonamed.
    "aws:secretsmanager/secret:Secret": {
        name: "name",
        scope: [],
        replacing: ["namePrefix", "type"],
        source:
            "terraform-provider-aws internal/service/secretsmanager/secret.go: name, name_prefix ForceNew. type (newer than the source read) from @pulumi/aws " +
            "7.48.0 secretsmanager/secret.d.ts: \"This attribute cannot be changed after creation.\"",
    },
};

/**
 * Types the program protects whose replacing inputs were not read here: their values are not recorded, so a change to
 * them is not caught. Add a row, read in the provider's source, to cover one.
 */
export const UNREAD_PROTECTED_TYPES: string[] = [
];

/** Every replacing input of a row: its name, scope and the rest (an empty name is the provider's, no input). */
export const replacingKeys = (row: ReplacingInputsRow) => [row.name, ...row.scope, ...row.replacing].filter((k) => k);

/** Unset (undefined in a program's inputs, null in a record) is one value. */
export const sameInput = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Whether a resource of `row`'s type keeps the name the program gives it, and that name's scope, from inputs `was` to
 * `now`: then a replace, new one first, creates it beside the old one under the same name ("already exists") unless
 * it is deleted first. False for a type the provider or Pulumi's autonaming names (no name input set).
 */
export function keepsName(row: ReplacingInputsRow, was: Record<string, unknown>, now: Record<string, unknown>): boolean {
    return row.name !== "" && now[row.name] !== undefined && [row.name, ...row.scope].every((k) => sameInput(was[k], now[k]));
}
