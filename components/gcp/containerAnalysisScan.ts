import type { ScanResult, VulnerabilityScanner } from "../image";
import { describeFailure, googleApiError } from "./googleApiError";

const API = "https://containeranalysis.googleapis.com/v1";
/** Discovery's analysisStatus values after which no findings will come (Container Analysis REST reference, AnalysisStatus). */
const NEVER = new Set(["FINISHED_FAILED", "FINISHED_UNSUPPORTED"]);
const DONE = new Set(["FINISHED_SUCCESS", "COMPLETE"]);
const SERVICE_DISABLED_RETRIES = 6;
const SERVICE_DISABLED_DELAY_MS = 10_000;

interface Occurrence {
    kind?: string;
    discovery?: { analysisStatus?: string; analysisStatusError?: { message?: string } };
    vulnerability?: { effectiveSeverity?: string };
}

/**
 * Artifact Analysis' scan of an image in Artifact Registry (automatic scanning: containerscanning.googleapis.com),
 * read as the project's occurrences for the image's URL (`projects.occurrences.list`, Container Analysis API):
 * the DISCOVERY occurrence says whether the scan finished; the VULNERABILITY occurrences are counted by
 * `effectiveSeverity`. No discovery occurrence yet is a scan still to come (it appears shortly after the push).
 */
export function containerAnalysisScanner(
    args: { project: string; region: string; repositoryId: string; imageName: string },
    accessToken: () => Promise<string>,
    options: { fetch?: typeof fetch; sleep?: (ms: number) => Promise<void> } = {},
): VulnerabilityScanner {
    const fetchImpl = options.fetch ?? ((...a: Parameters<typeof fetch>) => fetch(...a));
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    const list = async (filter: string): Promise<Occurrence[]> => {
        const occurrences: Occurrence[] = [];
        let pageToken = "";
        for (let attempt = 1; ; ) {
            const url = new URL(`${API}/projects/${args.project}/occurrences`);
            url.searchParams.set("filter", filter);
            url.searchParams.set("pageSize", "1000");
            if (pageToken) url.searchParams.set("pageToken", pageToken);
            const res = await fetchImpl(url, { headers: { authorization: `Bearer ${await accessToken()}` } });
            if (!res.ok) {
                const error = await googleApiError(res);
                // An API enabled moments ago answers SERVICE_DISABLED until the change reaches every Google system.
                if (error.reason === "SERVICE_DISABLED" && attempt++ < SERVICE_DISABLED_RETRIES) {
                    await sleep(SERVICE_DISABLED_DELAY_MS);
                    continue;
                }
                throw describeFailure(`could not list the scan occurrences of ${args.project}`, error, "the deploying identity needs containeranalysis.occurrences.list (roles/containeranalysis.occurrences.viewer)");
            }
            const page = (await res.json()) as { occurrences?: Occurrence[]; nextPageToken?: string };
            occurrences.push(...(page.occurrences ?? []));
            pageToken = page.nextPageToken ?? "";
            if (!pageToken) break;
        }
        return occurrences;
    };
    return {
        description: `Artifact Analysis' scan in ${args.project}`,
        scan: async (digest): Promise<ScanResult> => {
            const resourceUrl = `https://${args.region}-docker.pkg.dev/${args.project}/${args.repositoryId}/${args.imageName}@${digest}`;
            const [discovery] = await list(`kind="DISCOVERY" AND resourceUrl="${resourceUrl}"`);
            const status = discovery?.discovery?.analysisStatus;
            if (!status) return { status: "in progress", detail: "no DISCOVERY occurrence yet" };
            if (NEVER.has(status)) return { status: "failed", detail: `${status}${discovery.discovery?.analysisStatusError?.message ? `: ${discovery.discovery.analysisStatusError.message}` : ""}` };
            if (!DONE.has(status)) return { status: "in progress", detail: status };
            const counts: Record<string, number> = {};
            for (const o of await list(`kind="VULNERABILITY" AND resourceUrl="${resourceUrl}"`)) {
                const severity = o.vulnerability?.effectiveSeverity ?? "SEVERITY_UNSPECIFIED";
                counts[severity] = (counts[severity] ?? 0) + 1;
            }
            return { status: "complete", counts };
        },
    };
}
