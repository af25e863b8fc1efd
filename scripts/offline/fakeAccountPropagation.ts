/**
 * Google's eventual consistency for new service accounts, as a first `up` meets it: a bucket or secret grant naming an
 * account created moments before is refused until the account has had time to reach the services that check a
 * policy's members ("you might need to wait for 60 seconds or more", IAM docs, "Create service accounts"). Time here
 * is what the program waits for: a time.Sleep of at least that long, triggered by the account's member.
 */
export class FakeAccountPropagation {
    /** The members (`serviceAccount:<email>`) of accounts created in this update that other services do not know yet. */
    private readonly unknownToServices = new Set<string>();

    static readonly WAIT_SECONDS = 60;

    created(member: string): void {
        this.unknownToServices.add(member);
    }

    /** A time.Sleep created: the members among its triggers are known once it has lasted WAIT_SECONDS. */
    slept(inputs: Record<string, any>): void {
        if (durationSeconds(inputs.createDuration) < FakeAccountPropagation.WAIT_SECONDS) return;
        for (const value of Object.values(inputs.triggers ?? {})) this.unknownToServices.delete(String(value));
    }

    /**
     * The refusal of a grant naming an account the service does not know yet, in the bridged provider's words: its IAM
     * read-modify-write wraps the updater's error, which wraps Google's 400 (terraform-provider-google
     * tpgiamresource/iam.go iamPolicyReadModifyWrite; services/storage/iam_storage_bucket.go and
     * services/secretmanager/iam_secret_manager_secret.go, DescribeResource and GetResourceId; the 400's text as a real
     * first apply printed it, GoogleCloudPlatform/data-migration-tool#58). Undefined when the grant goes through.
     */
    refusal(type: string, inputs: Record<string, any>, project: string): Error | undefined {
        const member = String(inputs.member ?? "");
        if (!this.unknownToServices.has(member)) return undefined;
        const described: Record<string, (i: Record<string, any>) => string> = {
            "gcp:storage/bucketIAMMember:BucketIAMMember": (i) => `storage bucket "b/${i.bucket}"`,
            "gcp:secretmanager/secretIamMember:SecretIamMember": (i) => `secretmanager secret "projects/${i.project ?? project}/secrets/${i.secretId}"`,
        };
        const resource = described[type]?.(inputs);
        if (!resource) return undefined;
        const email = member.slice("serviceAccount:".length);
        return new Error(
            `Error applying IAM policy for ${resource}: Error setting IAM policy for ${resource}: googleapi: Error 400: Service account ${email} does not exist., invalid`,
        );
    }
}

/** A Go duration as time.Sleep takes it ("60s", "1m30s"), in seconds; 0 when absent or unreadable. */
function durationSeconds(duration: unknown): number {
    const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
    let seconds = 0;
    for (const [, value, unit] of String(duration ?? "").matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) seconds += Number(value) * units[unit];
    return seconds;
}
