import { iamGrantRefusal } from "./googleIamResources";
import { SLEEP_DURATION } from "./serviceInputChecks";

/**
 * Google's eventual consistency for new service accounts, as a first `up` meets it: a bucket or secret grant naming an
 * account created moments before is refused until the account has had time to reach the services that check a
 * policy's members ("you might need to wait for 60 seconds or more", IAM docs, "Create service accounts"). Time here
 * is what the program waits for: a time.Sleep of at least that long, triggered by the account's member.
 */
export class FakeAccountPropagation {
    /** The members (`serviceAccount:<email>`) of accounts and service agents created in this update, which other services learn of late. */
    private readonly created = new Set<string>();
    /** For each such member, the names of the time.Sleeps that lasted WAIT_SECONDS and were triggered by it. */
    private readonly waitedFor = new Map<string, Set<string>>();

    static readonly WAIT_SECONDS = 60;

    accountCreated(member: string): void {
        this.created.add(member);
    }

    /** A time.Sleep created: a grant that depends on it may name the members among its triggers, once it lasted WAIT_SECONDS. */
    slept(name: string, inputs: Record<string, any>): void {
        if (durationSeconds(inputs.createDuration) < FakeAccountPropagation.WAIT_SECONDS) return;
        for (const value of Object.values(inputs.triggers ?? {})) {
            const sleeps = this.waitedFor.get(String(value)) ?? new Set<string>();
            this.waitedFor.set(String(value), sleeps.add(name));
        }
    }

    /**
     * The refusal of a grant naming an account created in this update, unless the grant depends (`dependsOn`, the URNs
     * the engine was given) on a time.Sleep that waited for it: the engine would otherwise make it as soon as the
     * account exists, whatever else waits. Google's 400 in the words a real first apply printed
     * (GoogleCloudPlatform/data-migration-tool#58), wrapped as the provider does (googleIamResources.ts). Undefined
     * when the grant goes through.
     */
    refusal(type: string, inputs: Record<string, any>, project: string, dependsOn: string[]): Error | undefined {
        const member = String(inputs.member ?? "");
        if (!this.created.has(member)) return undefined;
        const sleeps = this.waitedFor.get(member) ?? new Set<string>();
        if (dependsOn.some((urn) => urn.includes("time:index/sleep:Sleep::") && sleeps.has(urn.slice(urn.lastIndexOf("::") + 2)))) return undefined;
        // The reason googleapi prints after the message: Cloud Storage's JSON API lists one ("invalid"); the One
        // Platform APIs' answers carry none, and googleapi prints none (a Pub/Sub topic grant's refusal as printed,
        // Liscor/terraform_dataform_ga4_pipeline#1). Secret Manager is one of those: "Error setting IAM policy for
        // secretmanager secret \"projects/<project>/secrets/github\": googleapi: Error 400: Service account
        // service-<number>@gcp-sa-cloudbuild.iam.gserviceaccount.com does not exist." (a real apply's refusal as printed,
        // ObrienlabsDev/gcp-infrastructure-as-code README.md, under its heading Expected SA creation).
        // Resource Manager (project grants) and IAM (a service account's own policy) list one too, "badRequest":
        // "googleapi: Error 400: Service account ... does not exist., badRequest" (midl-dev/tezos-on-gke#45), as their
        // other 400s on setIamPolicy (hashicorp/terraform-provider-google#6854;
        // terraform-google-modules/terraform-google-kubernetes-engine#916, a service account's policy).
        const reason = type.startsWith("gcp:storage/") ? ", invalid" : /^gcp:(projects|serviceaccount)\//.test(type) ? ", badRequest" : "";
        return iamGrantRefusal(type, inputs, project, `googleapi: Error 400: Service account ${member.slice("serviceAccount:".length)} does not exist.${reason}`);
    }
}

/**
 * A duration as time.Sleep takes it (`60s`, `1.5m`: a number and one of ms, s, m, h, the provider's own pattern), in
 * seconds; 0 for anything else, which the provider refuses and which waits for nothing here (serviceInputChecks.ts,
 * SLEEP_DURATION).
 */
function durationSeconds(duration: unknown): number {
    const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
    const text = String(duration ?? "");
    const match = SLEEP_DURATION.exec(text);
    return match ? parseFloat(text) * units[match[2]] : 0;
}
