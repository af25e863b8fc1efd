import type { ArgProblem } from "../argChecks";
import { known } from "../argChecks";

/**
 * A GCP region ID as Google's locations lists name it, lower-case (`locationId`, "The canonical id for this location.
 * For example: \"us-east1\"", google.cloud.location.Location). terraform-provider-google passes a Cloud Run v2 service's
 * and an Artifact Registry repository's `location` into their URLs as given (no StateFunc or case DiffSuppressFunc in
 * cloudrunv2/resource_cloud_run_v2_service.go or artifactregistry/resource_artifact_registry_repository.go, where the
 * bucket's is upper-cased by its StateFunc), and the component compares the region exactly: Cloud Run's locations list,
 * its quota's applicableLocations.
 */
export const GCP_REGION_ID = /^[a-z]+-[a-z]+[0-9]+$/;

/** What a value that is no GCP region ID is told, by the stacks' settings schema and the component alike. */
export const NOT_A_GCP_REGION = "must be a Google Cloud region such as asia-northeast1";

/** A component's region that is not a GCP region ID; an upper-case one is told its lower-case form. */
export function gcpRegionIdProblem(propertyPath: string, region: unknown): ArgProblem | undefined {
    if (!known(region) || (typeof region === "string" && GCP_REGION_ID.test(region))) return undefined;
    const lower = typeof region === "string" ? region.toLowerCase() : undefined;
    if (lower !== undefined && GCP_REGION_ID.test(lower)) {
        return { propertyPath, reason: `must be lower-case, as Google's locations lists name regions: pass "${lower}" (got ${JSON.stringify(region)})` };
    }
    return { propertyPath, reason: `${NOT_A_GCP_REGION} (got ${JSON.stringify(region)})` };
}
