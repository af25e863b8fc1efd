import * as storage from "@pulumi/gcp/storage";
import * as pulumi from "@pulumi/pulumi";
import { CloudRunGcsServiceArgs, OBJECT_PREFIX } from "./args";
import { keptInProduction } from "../keptInProduction";
import { afterNewGrant } from "./grantPropagation";

/** GCS's default soft-delete window, and its least when on (Bucket.softDeletePolicy: 604800-7776000 s, or 0 for off). */
const SEVEN_DAYS = 7 * 24 * 3600;

/**
 * The service's GCS bucket: uniform access, public access prevention enforced, versioned in production,
 * `events/` deleted after the retention period (in production its noncurrent copy a day later). The service account gets object access on this bucket only.
 * Soft delete keeps what is deleted, lifecycle deletions included, recoverable and billed for its window (GCS
 * "Soft delete"; 7 days on a bucket that does not set it): production keeps that 7-day window for the only copy of
 * its objects, other stacks turn it off (0), so that what they delete, or `pulumi destroy` empties, is gone.
 */
export function createStorageBucket(
    name: string,
    args: Pick<CloudRunGcsServiceArgs, "project" | "region" | "labels" | "isProduction"> & { retentionDays: number; member: pulumi.Input<string>; memberCreatedAt: pulumi.Input<string> },
    opts: pulumi.CustomResourceOptions,
) {
    const bucket = new storage.Bucket(
        name,
        {
            project: args.project,
            location: args.region,
            uniformBucketLevelAccess: true,
            publicAccessPrevention: "enforced",
            versioning: { enabled: args.isProduction },
            forceDestroy: !args.isProduction,
            softDeletePolicy: { retentionDurationSeconds: args.isProduction ? SEVEN_DAYS : 0 },
            lifecycleRules: [
                { action: { type: "Delete" }, condition: { age: args.retentionDays, matchesPrefixes: [OBJECT_PREFIX] } },
                // With versioning, that Delete only makes the live version noncurrent: its copy of events/ goes a day
                // later (a day to recover it), not another retentionDays. Other noncurrent versions (overwritten or
                // deleted objects) are kept retentionDays.
                ...(args.isProduction
                    ? [
                          { action: { type: "Delete" }, condition: { daysSinceNoncurrentTime: 1, withState: "ARCHIVED", matchesPrefixes: [OBJECT_PREFIX] } },
                          { action: { type: "Delete" }, condition: { daysSinceNoncurrentTime: args.retentionDays, withState: "ARCHIVED" } },
                      ]
                    : []),
            ],
            labels: args.labels,
        },
        // A production bucket holds the only copy of the objects: any delete of it is refused (protect), and once
        // someone unprotects it on purpose, deleting it from the stack leaves it in the project (retainOnDelete).
        { ...opts, ...keptInProduction(args.isProduction) },
    );
    const access = new storage.BucketIAMMember(name, { bucket: bucket.name, role: "roles/storage.objectUser", member: args.member }, opts);
    // The service's first revision lists the bucket in its startup probe (/ready), which gives it 240 s; a grant that
    // has not reached Cloud Storage by then fails the revision, and the provider does not retry that ("Revision ... is
    // not ready and cannot serve traffic"). A bucket or account created in this update has a grant as new as itself, so
    // the name is handed to the service once the grant has had IAM's usual propagation time; an existing bucket's grant
    // to an existing account waits for nothing.
    const readableName = afterNewGrant(bucket.name, [bucket.timeCreated, args.memberCreatedAt], access, (bucketName) => `Cloud Run's first revision lists ${bucketName}: its object grant is new`, { name: `${name}-grant-made`, parent: opts.parent });
    return { bucket, access, readableName };
}
