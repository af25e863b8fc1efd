import { fakeUuid } from "./fakeIds";
import { GOOGLE_API_TITLES, serviceDisabled } from "./googleApiAnswers";

/** One image's scan as Artifact Analysis records it: the discovery's analysisStatus and its findings' effective severities. */
export interface FakeScan {
    /** The vulnerability scan's DISCOVERY occurrence (note projects/goog-analysis/notes/PACKAGE_VULNERABILITY); NONE: no discovery occurrence yet. */
    analysisStatus: string;
    /** The image's other DISCOVERY occurrence, the COMPLIANCE note's; unset: the same status as the vulnerability scan's. */
    complianceStatus?: string;
    /**
     * The findings: a severity alone is both the note provider's `severity` and the `effectiveSeverity`; a pair gives
     * them apart, as a distro's own assessment does: effective_severity is "The distro assigned severity for this
     * vulnerability when it is available, otherwise this is the note provider assigned severity", severity "The note
     * provider assigned severity of this vulnerability" (googleapis/googleapis grafeas/v1/vulnerability.proto,
     * VulnerabilityOccurrence).
     */
    severities?: (string | { severity: string; effectiveSeverity: string })[];
    /**
     * Set: Artifact Analysis archived the scan's occurrences at this time. The discovery occurrence carries it as
     * `archiveTime`, "The time occurrences related to this discovery occurrence were archived." (googleapis/googleapis
     * grafeas/v1/discovery.proto, DiscoveryOccurrence.archive_time, OUTPUT_ONLY), its analysisStatus unchanged (a
     * status that is "Currently for initial analysis only"). The archived VULNERABILITY occurrences are not listed:
     * Artifact Analysis archives metadata older than 90 days and it is then not available in the console, gcloud or
     * the API (Artifact Analysis, "Container scanning overview", read in its Japanese edition; a later edition says
     * archived metadata can be read only through the API, so whether occurrences.list still returns them is unsure:
     * the stand-in takes the answer that reads as "no findings").
     */
    archiveTime?: string;
}

/**
 * The Container Analysis API's `projects.occurrences.list` for Artifact Registry images, in its own words: the
 * DISCOVERY occurrence of an image (discovery.analysisStatus) and its VULNERABILITY occurrences
 * (vulnerability.effectiveSeverity), selected by the documented filter `kind="..." AND resourceUrl="..."`; an empty
 * list is `{}` (proto3 JSON leaves empty fields out); 403 PERMISSION_DENIED with reason SERVICE_DISABLED while
 * containeranalysis.googleapis.com is not enabled (Google's API error model). Sources: Container Analysis REST
 * reference (projects.occurrences.list, Occurrence, DiscoveryOccurrence, AnalysisStatus, VulnerabilityOccurrence)
 * and Artifact Analysis "Viewing vulnerabilities" (the filter). An image without an entry was scanned and found nothing;
 * a URL that names no image the registry holds (another repository, another digest) has no occurrences at all.
 * An image has two DISCOVERY occurrences, the COMPLIANCE note's listed first, then the PACKAGE_VULNERABILITY note's,
 * each an occurrence named by a UUID with createTime and updateTime (a real list as `gcloud container images describe`
 * printed it, GoogleContainerTools/config-sync#1233: "projects/<project>/occurrences/400738d4-d91e-46cc-abae-8bfb265a8f2e",
 * noteName "projects/goog-analysis/notes/COMPLIANCE", then ".../7272fdba-...", the PACKAGE_VULNERABILITY one); only the
 * latter is the vulnerability scan's ("Vulnerability discovery occurrences are always associated with the
 * PACKAGE_VULNERABILITY note in the "goog-analysis" GCP project", Google's sample
 * containeranalysis_poll_discovery_occurrence_finished).
 */
export class FakeContainerAnalysisApi {
    readonly scans = new Map<string, FakeScan>();
    readonly requests: { url: string; filter: string | null }[] = [];
    /**
     * Set: the occurrences come a page of at most this many at a time, the first page empty, as Google's list methods may
     * answer fewer results than requested, none included, with a nextPageToken while there are more (AIP-158,
     * Pagination). Unset: everything on one page.
     */
    pageLimit?: number;

    constructor(
        private readonly enabled: (project: string, api: string) => boolean,
        /** Whether Artifact Registry holds the image (`<region>-docker.pkg.dev/<project>/<repository>/<image>`, digest). */
        private readonly holds: (repository: string, digest: string) => boolean,
    ) {}

    answer(url: string): Response | undefined {
        const parsed = new URL(url);
        const match = /^\/v1\/projects\/([^/]+)\/occurrences$/.exec(parsed.pathname);
        if (parsed.hostname !== "containeranalysis.googleapis.com" || !match) return undefined;
        const filter = parsed.searchParams.get("filter");
        this.requests.push({ url, filter });
        const project = match[1];
        if (!this.enabled(project, "containeranalysis.googleapis.com")) {
            return serviceDisabled(GOOGLE_API_TITLES.containeranalysis, "containeranalysis.googleapis.com");
        }
        const kind = /kind="([A-Z_]+)"/.exec(filter ?? "")?.[1];
        const resourceUrl = /resourceUrl="([^"]+)"/.exec(filter ?? "")?.[1];
        const digest = /@(sha256:[0-9a-f]{64})$/.exec(resourceUrl ?? "")?.[1];
        if (!kind || !resourceUrl || !digest) {
            // Not a question the program asks: the stand-in refuses it as any Google API refuses a bad argument
            // (400 INVALID_ARGUMENT, Google's API error model); Container Analysis's own words for it are unknown here.
            return Response.json({ error: { code: 400, message: `Invalid filter: ${filter}`, status: "INVALID_ARGUMENT" } }, { status: 400 });
        }
        const image = resourceUrl.replace(/^https:\/\//, "").replace(/@sha256:[0-9a-f]{64}$/, "");
        if (!this.holds(image, digest)) return Response.json({});
        const scan = this.scans.get(digest) ?? { analysisStatus: "FINISHED_SUCCESS", severities: [] };
        const occurrence = (suffix: string, noteName: string, body: object) => ({
            name: `projects/${project}/occurrences/${fakeUuid(`${resourceUrl}/${suffix}`)}`,
            resourceUri: resourceUrl,
            noteName,
            kind,
            createTime: "2026-12-01T00:00:00.000000Z",
            updateTime: "2026-12-01T00:00:00.000000Z",
            ...body,
        });
        const discovery = (note: string, analysisStatus: string) =>
            occurrence(`discovery/${note}`, `projects/goog-analysis/notes/${note}`, { discovery: { analysisStatus, continuousAnalysis: "ACTIVE", ...(scan.archiveTime ? { archiveTime: scan.archiveTime } : {}) } });
        const occurrences =
            kind === "DISCOVERY"
                ? scan.analysisStatus === "NONE"
                    ? []
                    : [discovery("COMPLIANCE", scan.complianceStatus ?? scan.analysisStatus), discovery("PACKAGE_VULNERABILITY", scan.analysisStatus)]
                : DONE.has(scan.analysisStatus) && !scan.archiveTime
                  ? (scan.severities ?? []).map((given, i) => {
                        const { severity, effectiveSeverity } = typeof given === "string" ? { severity: given, effectiveSeverity: given } : given;
                        return occurrence(String(1000 + i), `projects/goog-vulnz/notes/CVE-2026-${1000 + i}`, { vulnerability: { severity, effectiveSeverity, packageIssue: [] } });
                    })
                  : [];
        if (this.pageLimit === undefined) return Response.json(occurrences.length ? { occurrences } : {});
        const token = parsed.searchParams.get("pageToken");
        const from = token === null ? 0 : Number(token);
        const size = token === null ? 0 : Math.min(this.pageLimit, Number(parsed.searchParams.get("pageSize") ?? this.pageLimit));
        const page = occurrences.slice(from, from + size);
        const more = from + size < occurrences.length;
        return Response.json({ ...(page.length ? { occurrences: page } : {}), ...(more ? { nextPageToken: String(from + size) } : {}) });
    }
}

const DONE = new Set(["FINISHED_SUCCESS", "COMPLETE"]);
