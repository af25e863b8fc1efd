import * as storage from "@pulumi/gcp/storage";
import * as pulumi from "@pulumi/pulumi";
import { CloudRunGcsServiceArgs, OBJECT_PREFIX } from "./args";

/**
 * The service's GCS bucket: uniform access, public access prevention enforced, versioned in production,
 * `events/` deleted after the retention period (in production its noncurrent copy a day later). The service account gets object access on this bucket only.
 */
export function createStorageBucket(
    name: string,
    args: Pick<CloudRunGcsServiceArgs, "project" | "region" | "labels" | "isProduction"> & { retentionDays: number; member: pulumi.Input<string> },
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
            lifecycleRules: [
                { action: { type: "Delete" }, condition: { age: args.retentionDays, matchesPrefixes: [OBJECT_PREFIX] } },
                // With versioning, that Delete only makes the live version noncurrent: its copy of events/ goes a day
                // later (the least the provider sends: a 0 would be dropped from the request), not another
                // retentionDays. Other noncurrent versions (overwritten or deleted objects) are kept retentionDays.
                ...(args.isProduction
                    ? [
                          { action: { type: "Delete" }, condition: { daysSinceNoncurrentTime: 1, withState: "ARCHIVED", matchesPrefixes: [OBJECT_PREFIX] } },
                          { action: { type: "Delete" }, condition: { daysSinceNoncurrentTime: args.retentionDays, withState: "ARCHIVED" } },
                      ]
                    : []),
            ],
            labels: args.labels,
        },
        // A production bucket holds the only copy of the objects: `pulumi destroy` refuses it, and removing it
        // from the program leaves it in the project.
        { ...opts, protect: args.isProduction, retainOnDelete: args.isProduction },
    );
    const access = new storage.BucketIAMMember(name, { bucket: bucket.name, role: "roles/storage.objectUser", member: args.member }, opts);
    return { bucket, access };
}
