import * as cloudrunv2 from "@pulumi/gcp/cloudrunv2";
import * as pulumi from "@pulumi/pulumi";
import { refusal } from "../refusal";
const LATEST = "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST";

/** `projects/.../revisions/<name>` as Cloud Run Admin API v2 names revisions, shortened to `<name>`. */
const revisionName = (path: string) => path.split("/").pop() ?? path;

/**
 * The service's newest revision once it serves, or an error when the service sends it traffic (a LATEST target above
 * 0 %) and Cloud Run never made it ready.
 *
 * The provider keeps a service whose revision failed to start (it stores the ID before waiting on the operation), and
 * the next `up` with the same settings sends Cloud Run nothing: its update returns at once when no field changed
 * ("Only client-side changes detected", terraform-provider-google resourceCloudRunV2ServiceUpdate). That `up` would
 * report success while Cloud Run routes LATEST to the last ready revision (none on a new service). Read back, the
 * failure is a service no longer reconciling whose `latestCreatedRevision` differs from `latestReadyRevision` ("If
 * reconciliation succeeded, the following fields will match: ... latestReadyRevision and latestCreatedRevision", the
 * provider's schema); while a rollout is still under way (a read during someone else's deploy) they differ too.
 */
export function servingLatestRevision(service: cloudrunv2.Service): pulumi.Output<string> {
    return pulumi
        .all([service.project, service.name, service.traffics, service.latestCreatedRevision, service.latestReadyRevision, service.reconciling, service.terminalConditions])
        .apply(([project, name, traffics, created, ready, reconciling, conditions]) => {
            const sendsLatest = (traffics ?? []).some((t) => t.type === LATEST && (t.percent ?? 0) > 0);
            if (!sendsLatest || pulumi.runtime.isDryRun() || reconciling || !created || created === ready) return ready;
            const failed = (conditions ?? []).find((c) => c.state === "CONDITION_FAILED")?.message;
            const why = failed ? (/[.!?]$/.test(failed) ? failed : `${failed}.`) : "Cloud Run gives no reason.";
            const serving = ready ? `requests still go to ${revisionName(ready)}` : "the service serves nothing yet";
            throw refusal(
                `Cloud Run's newest revision of ${name}, ${revisionName(created)}, is not ready, so ${serving}: ${why} ` +
                    "Running `pulumi up` again with the same settings does not deploy it again (the provider sends Cloud Run only what changed). " +
                    `Fix what stopped it (its logs: gcloud logging read 'resource.type="cloud_run_revision" AND resource.labels.revision_name="${revisionName(created)}"' --project ${project}), ` +
                    "then have Cloud Run deploy the same settings as a new revision with a new `redeploy` value: in this program's stacks " +
                    '`pulumi config set --path multicloud-service:gcp.redeploy "$(date -u +%Y%m%dT%H%M%SZ)"`, then `pulumi up`.',
                service,
            );
        });
}
