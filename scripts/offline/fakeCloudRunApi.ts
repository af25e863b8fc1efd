import { FAKE_PROJECT_NUMBER, fakeDigest } from "./fakeIds";
import { GOOGLE_API_TITLES, notFound, serviceDisabled } from "./googleApiAnswers";

/**
 * Cloud Run's words for a revision whose startup probe never passed, as much of them as the provider's own acceptance
 * test still pins (terraform-provider-google cloudrunv2 resource_cloud_run_v2_service_test.go, ExpectError "The
 * user-provided container failed the configured startup probe checks"; commit c7eaf0507c, "Fix Cloud Run V2 tests",
 * 2026-04-20, dropped the "Revision '...' is not ready and cannot serve traffic." it expected before, so Cloud Run's
 * message around these words is not known here): a failed service's terminal condition, a not-ready revision's Ready.
 */
const STARTUP_PROBE_FAILED = "The user-provided container failed the configured startup probe checks";

/**
 * The regions Cloud Run offers, as the Cloud Run docs page "Cloud Run locations" lists them (Tier 1 and Tier 2 pricing;
 * cloud.google.com/run/docs/locations, the snapshot the search tool holds): what the fake's locations list answers.
 */
export const CLOUD_RUN_REGIONS = [
    // Tier 1
    ...["asia-east1", "asia-northeast1", "asia-northeast2", "europe-north1", "europe-southwest1", "europe-west1", "europe-west4", "europe-west8", "europe-west9"],
    ...["me-west1", "us-central1", "us-east1", "us-east4", "us-east5", "us-south1", "us-west1"],
    // Tier 2
    ...["africa-south1", "asia-east2", "asia-northeast3", "asia-southeast1", "asia-southeast2", "asia-south1", "asia-south2", "australia-southeast1"],
    ...["australia-southeast2", "europe-central2", "europe-west10", "europe-west12", "europe-west2", "europe-west3", "europe-west6", "me-central1", "me-central2"],
    ...["northamerica-northeast1", "northamerica-northeast2", "southamerica-east1", "southamerica-west1", "us-west2", "us-west3", "us-west4"],
];

/**
 * The revisions (and the locations list) the fake Cloud Run Admin API knows: any name is a revision running an image
 * of its own, unless deleted; 403 PERMISSION_DENIED with reason SERVICE_DISABLED while the project has not enabled
 * run.googleapis.com (Google's API error model, as every Google API answers before it is enabled).
 */
export class FakeCloudRunApi {
    /** The regions the locations list names (a test adds one Google opened after that page, or takes one out). */
    readonly locations = new Set<string>(CLOUD_RUN_REGIONS);
    /** The locations list's requests, apart from the revision reads in `requests`. */
    readonly locationRequests: { url: string; authorization: string | null }[] = [];
    readonly deletedRevisions = new Set<string>();
    /**
     * Revisions Cloud Run has but reports not ready: status.conditions' Ready is "False" with a message (every other
     * revision answers Ready "True"). Knative's condition form (`type`, `status` "True"/"False"/"Unknown", `message`) is
     * the one terraform-provider-google cloudrun/cloudrun_polling.go reads from this API (KnativeStatus); the message
     * is STARTUP_PROBE_FAILED, the one this fake gives for a revision whose startup probe never passed. The
     * `reason` Cloud Run gives with it is not known here, so none is given.
     */
    readonly unreadyRevisions = new Set<string>();
    readonly requests: { url: string; authorization: string | null }[] = [];
    /**
     * Set: each service's newest revision failed to start, as the provider reads the service back on the `up` after the
     * one that failed (that `up` sends Cloud Run nothing when no setting changed). `earlierReady`: a revision before it
     * is ready and still serves; unset, the service is new and serves nothing.
     */
    newestRevisionFailed?: { earlierReady: boolean; stillRollingOut?: boolean };

    constructor(private readonly isEnabled: (project: string, api: string) => boolean) {}

    /** The revision fields of a Cloud Run v2 service as the provider reads them back; `revisions` is the service's path plus `/revisions/`. */
    serviceRevisions(service: string, revisions: string): Record<string, unknown> {
        const first = `${revisions}${service}-00001-abc`;
        if (!this.newestRevisionFailed) {
            return { latestCreatedRevision: first, latestReadyRevision: first, reconciling: false, terminalConditions: [{ type: "Ready", state: "CONDITION_SUCCEEDED", message: "", reason: "" }] };
        }
        const failed = this.newestRevisionFailed.earlierReady ? `${service}-00002-xyz` : `${service}-00001-abc`;
        return {
            latestCreatedRevision: `${revisions}${failed}`,
            latestReadyRevision: this.newestRevisionFailed.earlierReady ? first : "",
            // A failed reconciliation leaves traffic_statuses at "the state of the last serving revision, or empty for
            // newly created Services" (googleapis google/cloud/run/v2/service.proto, Service.reconciling): a new service
            // that never served has none, so no tagged URL either. (With an earlier ready revision the fake keeps the
            // requested targets, which is that last state only when the failed update did not change the traffic.)
            ...(this.newestRevisionFailed.earlierReady || this.newestRevisionFailed.stillRollingOut ? {} : { trafficStatuses: [] }),
            // A rollout still under way (a read during a deploy from elsewhere): the revisions differ, nothing failed yet.
            // `reconciling` and the Condition.State values are the Cloud Run Admin API v2's (Service, Condition reference).
            reconciling: this.newestRevisionFailed.stillRollingOut === true,
            terminalConditions: [
                {
                    type: "Ready",
                    state: this.newestRevisionFailed.stillRollingOut ? "CONDITION_RECONCILING" : "CONDITION_FAILED",
                    message: STARTUP_PROBE_FAILED,
                    reason: "",
                },
            ],
        };
    }

    /** The digest of the image a revision runs. */
    static digestOf(revision: string): string {
        return fakeDigest(`image of revision ${revision}`);
    }

    /**
     * Answers v1 `projects.locations.list` (GET https://run.googleapis.com/v1/projects/{project}/locations, Cloud Run
     * Admin API reference "Method: projects.locations.list"; the URL terraform-provider-google's google_cloud_run_locations
     * reads) with a ListLocationsResponse (googleapis google/cloud/location/locations.proto): each Location's `name`
     * ("projects/example-project/locations/us-east1", its example) and `locationId` ("us-east1"), all on one page, so
     * no nextPageToken. The displayName and labels real answers may carry are not known here and are left out.
     * SERVICE_DISABLED while run.googleapis.com is off, as the API's other reads.
     */
    answerLocations(url: string, authorization: string | null): Response | undefined {
        const match = /^https:\/\/run\.googleapis\.com\/v1\/projects\/([^/?]+)\/locations(?:\?.*)?$/.exec(url);
        if (!match) return undefined;
        this.locationRequests.push({ url, authorization });
        const [, project] = match;
        if (!this.isEnabled(project, "run.googleapis.com")) return serviceDisabled(GOOGLE_API_TITLES.run, "run.googleapis.com");
        return Response.json({ locations: [...this.locations].map((id) => ({ name: `projects/${project}/locations/${id}`, locationId: id })) });
    }

    /** Answers `namespaces.revisions.get` on a regional endpoint as the real API does; undefined for any other URL. */
    answer(url: string, authorization: string | null): Response | undefined {
        const locations = this.answerLocations(url, authorization);
        if (locations) return locations;
        const match = /^https:\/\/([a-z0-9-]+)-run\.googleapis\.com\/apis\/serving\.knative\.dev\/v1\/namespaces\/([^/]+)\/revisions\/([^/?]+)$/.exec(url);
        if (!match) return undefined;
        this.requests.push({ url, authorization });
        const [, region, project, revision] = match;
        if (!this.isEnabled(project, "run.googleapis.com")) return serviceDisabled(GOOGLE_API_TITLES.run, "run.googleapis.com");
        // 404 NOT_FOUND, in the form gcloud passes on from this API for a missing service ("Resource '<name>' of kind
        // 'SERVICE' in region '<region>' in project '<project>' does not exist.", quoted in public issues), here of kind
        // REVISION, as a Cloud Run emulator's tests also expect. The program decides by the status alone.
        if (this.deletedRevisions.has(revision)) return notFound(`Resource '${revision}' of kind 'REVISION' in region '${region}' in project '${project}' does not exist.`);
        const image = `${region}-docker.pkg.dev/${project}/revisions/service@${FakeCloudRunApi.digestOf(revision)}`;
        const ready = this.unreadyRevisions.has(revision)
            ? { type: "Ready", status: "False", message: STARTUP_PROBE_FAILED }
            : { type: "Ready", status: "True" };
        // metadata.namespace is the project's NUMBER whichever way the URL named it: Cloud Run's v1 objects answer
        // `"namespace": "<12-digit project number>"` (a real service as `gcloud run deploy --format json` printed it,
        // google-github-actions/deploy-cloudrun#556; likewise in a `gcloud run services describe` YAML,
        // google-github-actions/setup-gcloud#192).
        return Response.json({ apiVersion: "serving.knative.dev/v1", kind: "Revision", metadata: { name: revision, namespace: FAKE_PROJECT_NUMBER }, spec: { containers: [{ image }] }, status: { imageDigest: image, conditions: [ready] } });
    }
}
