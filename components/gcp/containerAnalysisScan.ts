import type { ScanResult, VulnerabilityScanner } from "../image";
import { isPlainObject } from "../../config/plainObject";
import { RepositoryRef, apiProjectOf, versionCreateTime } from "./artifactRegistryTags";
import { GoogleApiCallOptions, getGoogleApi } from "./googleApiError";
import { unknownUntilReadAgain, unreadableAnswer } from "./unreadableAnswer";
import { artifactRegistryPath } from "./imageNames";
import { isLastGooglePage, nextPageGuard } from "../pageLimit";
import { refusal } from "../refusal";
import { WaitClock, waitClock } from "../waitClock";

const API = "https://containeranalysis.googleapis.com/v1";
/** Discovery's analysisStatus values after which no findings will come (Container Analysis REST reference, AnalysisStatus). */
const NEVER = new Set(["FINISHED_FAILED", "FINISHED_UNSUPPORTED"]);
const DONE = new Set(["FINISHED_SUCCESS", "COMPLETE"]);
/**
 * The note of the vulnerability scan's DISCOVERY occurrence: "Vulnerability discovery occurrences are always associated
 * with the PACKAGE_VULNERABILITY note in the "goog-analysis" GCP project" (Google's sample
 * containeranalysis_poll_discovery_occurrence_finished). An image has other DISCOVERY occurrences, the COMPLIANCE note's
 * listed first (GoogleContainerTools/config-sync#1233), whose status says nothing of the vulnerability scan.
 */
const VULNERABILITY_DISCOVERY_NOTE = "projects/goog-analysis/notes/PACKAGE_VULNERABILITY";

interface Occurrence {
    kind?: string;
    noteName?: string;
    discovery?: { analysisStatus?: string; analysisStatusError?: { message?: string }; archiveTime?: string };
    vulnerability?: { effectiveSeverity?: string };
}

/**
 * How long after a push its DISCOVERY occurrence may still be missing: Artifact Analysis scans an image when it is
 * pushed (and records the discovery as the scan starts), so an image pushed longer ago than this without one was
 * pushed before the Container Scanning API was on, or its scan was archived: Artifact Analysis stops updating an
 * image's scan 30 days after it was last pushed or pulled and archives it after 90, when it is no longer in the API
 * (Artifact Analysis, "Container scanning overview"). No scan will come for it.
 */
export const DISCOVERY_EXPECTED_WITHIN_MS = 60 * 60_000;

/**
 * Artifact Analysis' scan of an image in Artifact Registry (automatic scanning: containerscanning.googleapis.com),
 * read as the project's occurrences for the image's URL (`projects.occurrences.list`, Container Analysis API):
 * the DISCOVERY occurrence of the PACKAGE_VULNERABILITY note says whether the scan finished; the VULNERABILITY
 * occurrences are counted by `effectiveSeverity`. No such discovery occurrence yet is a scan still to come (it appears
 * shortly after the push),
 * unless the image was pushed more than DISCOVERY_EXPECTED_WITHIN_MS ago (the version's createTime).
 */
export function containerAnalysisScanner(
    args: Omit<RepositoryRef, "projectNumber"> & { imageName: string },
    accessToken: () => Promise<string>,
    options: GoogleApiCallOptions & { clock?: Pick<WaitClock, "now"> } = {},
    /** The project's number, once known (RepositoryRef.projectNumber). */
    projectNumber: Promise<string | undefined> = Promise.resolve(undefined),
): VulnerabilityScanner {
    const clock = options.clock ?? waitClock;
    const ref = async (): Promise<RepositoryRef> => ({ ...args, projectNumber: await projectNumber });
    const seeOccurrences = `its occurrences with gcloud artifacts docker images list ${artifactRegistryPath(args)}/${args.imageName} --show-occurrences`;
    const list = async (filter: string): Promise<Occurrence[]> => {
        const occurrences: Occurrence[] = [];
        const endlessAt = nextPageGuard(`Artifact Analysis' occurrences list (projects.occurrences.list) of ${args.project}`, "the program");
        let pageToken = "";
        do {
            const url = new URL(`${API}/projects/${args.project}/occurrences`);
            url.searchParams.set("filter", filter);
            url.searchParams.set("pageSize", "1000");
            if (pageToken) url.searchParams.set("pageToken", pageToken);
            const failure = {
                what: `could not list the scan occurrences of ${args.project}`,
                whenDisabled: "the Container Analysis API is still disabled in that project",
                whenRefused: "the deploying identity needs containeranalysis.occurrences.list (roles/containeranalysis.occurrences.viewer)",
                project: apiProjectOf(await ref()),
            };
            const page = await getGoogleApi<{ occurrences?: Occurrence[]; nextPageToken?: string }>(url, await accessToken(), failure, options);
            if (page === undefined) throw refusal(`${failure.what}: NOT_FOUND (is ${args.project} the project's ID?)`);
            // proto3 JSON leaves out an empty `occurrences`; anything else that is no page of occurrences is no answer to count.
            const listed: unknown = isPlainObject(page) ? (page.occurrences ?? []) : undefined;
            if (!Array.isArray(listed)) {
                throw unreadableAnswer({
                    answered: `${failure.what}: Artifact Analysis answered with no list of occurrences`,
                    answer: page,
                    neither: "a page of them",
                    unknown: "the scan's state",
                    see: seeOccurrences,
                });
            }
            occurrences.push(...(listed as Occurrence[]));
            const next: unknown = page.nextPageToken;
            const endless = isLastGooglePage(next) ? undefined : endlessAt(next);
            if (endless) throw refusal(`${failure.what}: ${endless}; ${unknownUntilReadAgain("the scan's state", seeOccurrences)}`);
            pageToken = typeof next === "string" ? next : "";
        } while (pageToken);
        return occurrences;
    };
    return {
        description: `Artifact Analysis' scan in ${args.project}`,
        scan: async (digest): Promise<ScanResult> => {
            const resourceUrl = `https://${artifactRegistryPath(args)}/${args.imageName}@${digest}`;
            const discovery = (await list(`kind="DISCOVERY" AND resourceUrl="${resourceUrl}"`)).find((o) => o.noteName === VULNERABILITY_DISCOVERY_NOTE);
            const status = discovery?.discovery?.analysisStatus;
            if (!status) {
                const pushed = await versionCreateTime(await ref(), args.imageName, digest, await accessToken(), options);
                if (pushed && clock.now() - pushed.getTime() > DISCOVERY_EXPECTED_WITHIN_MS) {
                    return {
                        status: "failed",
                        detail:
                            `no DISCOVERY occurrence for an image pushed ${pushed.toISOString()}, and none will come: it was pushed before the Container Scanning API was on, ` +
                            "or Artifact Analysis archived its scan (90 days after its last push or pull); deploy a new build, which is scanned as it is pushed",
                    };
                }
                return { status: "in progress", detail: "no DISCOVERY occurrence yet" };
            }
            if (NEVER.has(status)) return { status: "failed", detail: `${status}${discovery.discovery?.analysisStatusError?.message ? `: ${discovery.discovery.analysisStatusError.message}` : ""}` };
            if (!DONE.has(status)) return { status: "in progress", detail: status };
            // archiveTime: "The time occurrences related to this discovery occurrence were archived." (grafeas/v1
            // discovery.proto); analysisStatus is for the initial analysis only and stays FINISHED_SUCCESS. Archived
            // findings are no longer listed, so what the list says is not the scan's answer.
            const archived = discovery.discovery?.archiveTime;
            if (archived) {
                return {
                    status: "failed",
                    detail: `${status}, but Artifact Analysis archived the scan's occurrences at ${archived} (90 days after the image's last push or pull), so its findings are no longer listed; pull the image to have it scanned again, or deploy a new build`,
                };
            }
            const counts: Record<string, number> = {};
            for (const o of await list(`kind="VULNERABILITY" AND resourceUrl="${resourceUrl}"`)) {
                const severity = o.vulnerability?.effectiveSeverity ?? "SEVERITY_UNSPECIFIED";
                counts[severity] = (counts[severity] ?? 0) + 1;
            }
            return { status: "complete", counts };
        },
    };
}
