import * as s3 from "@pulumi/aws/s3";
import * as pulumi from "@pulumi/pulumi";
import { PREFIXES, Tags } from "./args";
import { tlsOnlyBucketPolicy } from "./iamPolicies";
import { keptInProduction } from "../keptInProduction";

export interface PipelineBucketArgs {
    isProduction: boolean;
    retentionDays: number;
    tags: Tags;
}

/**
 * The pipeline's S3 bucket: inputs under `input/`, results under `results/`. Private, encrypted, TLS-only,
 * versioned in production, results expiring after the retention period.
 */
export function createPipelineBucket(name: string, args: PipelineBucketArgs, parent: pulumi.Resource) {
    // A production bucket holds the only copy of uploads: any delete of it is refused (protect), and once someone
    // unprotects it on purpose, deleting it from the stack leaves it in the account (retainOnDelete). Its settings are resources of their own, which Pulumi would go on deleting
    // around a refused bucket (a destroy or an up without a preview continues past a protected resource), leaving it
    // with versioning suspended and no TLS-only policy or public access block: they are kept with it.
    const opts = { parent, ...keptInProduction(args.isProduction) };
    const bucket = new s3.Bucket(name, { forceDestroy: !args.isProduction, tags: args.tags }, opts);
    const publicAccessBlock = new s3.BucketPublicAccessBlock(
        name,
        { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        opts,
    );
    new s3.BucketServerSideEncryptionConfiguration(
        name,
        { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" }, bucketKeyEnabled: true }] },
        opts,
    );
    new s3.BucketOwnershipControls(name, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, opts);
    // The public access block must exist first, or a policy could briefly be evaluated as public.
    new s3.BucketPolicy(name, { bucket: bucket.id, policy: bucket.arn.apply((arn) => JSON.stringify(tlsOnlyBucketPolicy(arn))) }, { ...opts, dependsOn: [publicAccessBlock] });
    if (args.isProduction) {
        new s3.BucketVersioning(name, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, opts);
    }
    new s3.BucketLifecycleConfiguration(
        name,
        {
            bucket: bucket.id,
            rules: [
                { id: "expire-results", status: "Enabled", filter: { prefix: PREFIXES.results }, expiration: { days: args.retentionDays } },
                { id: "abort-incomplete-uploads", status: "Enabled", filter: { prefix: "" }, abortIncompleteMultipartUpload: { daysAfterInitiation: 1 } },
                // With versioning, expire-results only makes the current version noncurrent (behind a delete marker): its
                // copy goes a day later, not another retentionDays (of overlapping expirations S3 honours the shorter,
                // "How Amazon S3 handles conflicts in lifecycle configurations"); other noncurrent versions stay retentionDays.
                ...(args.isProduction
                    ? [
                          { id: "expire-old-results", status: "Enabled", filter: { prefix: PREFIXES.results }, noncurrentVersionExpiration: { noncurrentDays: 1 } },
                          { id: "expire-old-versions", status: "Enabled", filter: { prefix: "" }, noncurrentVersionExpiration: { noncurrentDays: args.retentionDays } },
                      ]
                    : []),
            ],
        },
        opts,
    );
    return bucket;
}
