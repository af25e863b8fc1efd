import { perRun } from "../perRun";
import { isPlainObject } from "../../config/plainObject";
import { isLastGooglePage, nextPageGuard } from "../pageLimit";
import { refusal } from "../refusal";
import { GoogleApiCallOptions, getGoogleApi } from "./googleApiError";
import { unknownUntilReadAgain, unreadableAnswer } from "./unreadableAnswer";

/** Where Google lists the regions Cloud Run runs services in (Cloud Run docs, "Cloud Run locations"). */
const CLOUD_RUN_LOCATIONS_PAGE = "https://cloud.google.com/run/docs/locations";

/**
 * Cloud Run Admin API v1 `projects.locations.list` (cloud.google.com/run/docs/reference/rest/v1/projects.locations/list):
 * the locations Cloud Run offers the project, as terraform-provider-google's google_cloud_run_locations data source asks
 * them (cloudrun/data_source_cloud_run_locations.go: GET https://run.googleapis.com/v1/projects/{{project}}/locations,
 * reading each location's `locationId`). A ListLocationsResponse (googleapis google/cloud/location/locations.proto):
 * `locations[]` and `nextPageToken`.
 */
function cloudRunLocationsUrl(project: string, pageToken?: string): string {
    const url = `https://run.googleapis.com/v1/projects/${project}/locations`;
    return pageToken ? `${url}?pageToken=${encodeURIComponent(pageToken)}` : url;
}

interface ListLocationsResponse {
    locations?: { name?: string; locationId?: string }[];
    nextPageToken?: string;
}

const locationsOfProject = perRun<string[]>();

/**
 * The IDs of the locations Cloud Run offers the project, every page read; a failure throws (getGoogleApi words it), and
 * so does an answer that is no list of locations (pageLocationIds) or a next page token that would page for ever
 * (pageLimit.ts).
 * Read once a run for each project: each component constructed through the package checks its region before it
 * registers anything.
 */
export function cloudRunLocations(project: string, accessToken: string, options: GoogleApiCallOptions = {}): Promise<string[]> {
    return locationsOfProject(project, () => readCloudRunLocations(project, accessToken, options));
}

async function readCloudRunLocations(project: string, accessToken: string, options: GoogleApiCallOptions): Promise<string[]> {
    const ids: string[] = [];
    const endlessAt = nextPageGuard(`Cloud Run's locations list (projects.locations.list) for project ${project}`, "the program");
    let pageToken: string | undefined;
    do {
        const page = await getGoogleApi<ListLocationsResponse>(
            cloudRunLocationsUrl(project, pageToken),
            accessToken,
            {
                what: `could not list Cloud Run's locations for project ${project}`,
                whenDisabled: "the Cloud Run Admin API is still disabled in that project",
                whenRefused: "the deploying identity could not list them",
                project: { id: project },
            },
            options,
        );
        ids.push(...pageLocationIds(page, project));
        const next: unknown = page?.nextPageToken;
        const endless = isLastGooglePage(next) ? undefined : endlessAt(next);
        if (endless) throw refusal(`${endless}; ${unknownUntilReadAgain(`which regions Cloud Run offers project ${project}`, seeRegions(project))}`);
        pageToken = typeof next === "string" ? next : undefined;
    } while (pageToken);
    return ids;
}

/**
 * The location IDs of one page. proto3 JSON leaves out an empty `locations`, so a page without it names none; a
 * NOT_FOUND, or an answer that is no ListLocationsResponse, throws, quoting it: read as a page naming none it had a
 * region on that page refused as one Cloud Run does not offer.
 */
function pageLocationIds(page: ListLocationsResponse | undefined, project: string): string[] {
    const unknown = `which regions Cloud Run offers project ${project}`;
    const see = seeRegions(project);
    if (page === undefined) throw refusal(`Cloud Run answered its locations list for project ${project} NOT_FOUND (is ${project} the project's ID?), ${unknownUntilReadAgain(unknown, see)}`);
    const locations: unknown = isPlainObject(page) ? (page.locations ?? []) : undefined;
    const ids = Array.isArray(locations) ? locations.map((l: unknown) => (l as { locationId?: unknown } | null)?.locationId) : [undefined];
    if (!ids.every((id): id is string => typeof id === "string" && id !== "")) {
        throw unreadableAnswer({ answered: `Cloud Run answered its locations list for project ${project} with a page that is no list of locations with a locationId each`, answer: page, unknown, see });
    }
    return ids;
}

const seeRegions = (project: string) => `them with gcloud run regions list --project ${project}`;

/** What a region Cloud Run does not list for the project is told. */
export function regionWithoutCloudRun(region: string, project: string): string {
    return (
        `is ${region}, which Cloud Run does not offer project ${project} (its locations list, run.googleapis.com projects.locations.list, does not name it): ` +
        `the Artifact Registry repository, the bucket and the service would be refused there. Choose a region from ${CLOUD_RUN_LOCATIONS_PAGE} (gcloud run regions list)`
    );
}
