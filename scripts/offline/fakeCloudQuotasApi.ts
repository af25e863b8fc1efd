import { FAKE_PROJECT_NUMBER } from "./fakeIds";
import { GOOGLE_API_TITLES, notFound, permissionDenied, quotaProjectRequired, serviceDisabled } from "./googleApiAnswers";

/** A gibibyte in bytes, the unit of MemAllocPerProjectRegion's limits as people read them. */
export const GiB = 1024 ** 3;

export interface RegionalRunQuota {
    /** CpuAllocPerProjectRegion, in milli-vCPU. */
    cpuMilli: number;
    /** MemAllocPerProjectRegion, in bytes. */
    memoryBytes: number;
}

/**
 * What a new project is allowed in a region: 20 vCPU and 40 GiB, as Cloud Run's refusals quote them
 * ("Quota violated: CpuAllocPerProjectRegion requested: 32000 allowed: 20000", "MemAllocPerProjectRegion requested:
 * 51539607552 allowed: 42949672960").
 */
export const NEW_PROJECT_RUN_QUOTA: RegionalRunQuota = { cpuMilli: 20_000, memoryBytes: 40 * GiB };
const OTHER_REGIONS = ["asia-northeast1", "asia-southeast1", "europe-west1", "us-central1", "us-east1"];

/**
 * The Cloud Quotas API's `projects.locations.services.quotaInfos.get` for Cloud Run's two allocation quotas, in its
 * own words (cloud.google.com/docs/quotas/reference/rest/v1/projects.locations.services.quotaInfos#QuotaInfo): one
 * DimensionsInfo per region with a value of its own, one for every other region (no `region` dimension), int64
 * values as JSON strings (proto3 JSON); 404 NOT_FOUND for another quota ID; 403 PERMISSION_DENIED with reason
 * SERVICE_DISABLED until cloudquotas.googleapis.com serves the project (Google's API error model).
 */
export class FakeCloudQuotasApi {
    readonly requests: { url: string; authorization: string | null; quotaProject?: string; reason?: string }[] = [];
    /** Regions whose quota differs from a new project's. */
    readonly regions = new Map<string, RegionalRunQuota>();
    /** The project a SERVICE_DISABLED names as its consumer when it is not the stack's (the caller's quota project). */
    otherConsumer?: string;
    /** The caller lacks cloudquotas.quotas.get: every read is 403 PERMISSION_DENIED. */
    denied = false;
    /**
     * The token is a user's from `gcloud auth application-default login`: Cloud Quotas is client-based (its setup page,
     * cloud.google.com/docs/quotas/development-environment, calls it with x-goog-user-project; the provider's own quota
     * resource fails under ADC, hashicorp/terraform-provider-google#18337), so a read naming no quota project is refused.
     */
    userCredentials = false;

    constructor(private readonly serves: (project: string, api: string) => boolean) {}

    answer(url: string, authorization: string | null, quotaProject?: string): Response | undefined {
        const match = /^https:\/\/cloudquotas\.googleapis\.com\/v1\/projects\/([^/]+)\/locations\/global\/services\/([^/]+)\/quotaInfos\/([^/?]+)$/.exec(url);
        if (!match) return undefined;
        const request: (typeof this.requests)[number] = { url, authorization, ...(quotaProject ? { quotaProject } : {}) };
        this.requests.push(request);
        const [, project, service, quotaId] = match;
        if (this.userCredentials && !quotaProject) {
            request.reason = "SERVICE_DISABLED";
            return quotaProjectRequired("cloudquotas.googleapis.com");
        }
        if (!this.serves(project, "cloudquotas.googleapis.com")) {
            request.reason = "SERVICE_DISABLED";
            return serviceDisabled(GOOGLE_API_TITLES.cloudquotas, "cloudquotas.googleapis.com", { consumer: this.otherConsumer });
        }
        if (this.denied) return quotaReadDenied(project, service, quotaId);
        const quota = service === "run.googleapis.com" ? QUOTAS[quotaId] : undefined;
        if (!quota) return notFound();
        const value = (q: RegionalRunQuota) => String(q[quota.field]);
        const own = [...this.regions].map(([region, q]) => ({ dimensions: { region }, details: { value: value(q) }, applicableLocations: [region] }));
        const rest = { details: { value: value(NEW_PROJECT_RUN_QUOTA) }, applicableLocations: OTHER_REGIONS.filter((r) => !this.regions.has(r)) };
        return Response.json({
            name: `projects/${FAKE_PROJECT_NUMBER}/locations/global/services/run.googleapis.com/quotaInfos/${quotaId}`,
            quotaId,
            metric: quota.metric,
            service: "run.googleapis.com",
            isPrecise: true,
            containerType: "PROJECT",
            dimensions: ["region"],
            metricDisplayName: quota.metricDisplayName,
            quotaDisplayName: quota.quotaDisplayName,
            quotaIncreaseEligibility: { isEligible: true },
            // No isConcurrent: an allocation quota's is_concurrent is false (cloudquotas v1 resources.proto), and proto3's
            // JSON leaves a field at its default out.
            dimensionsInfos: [...own, rest],
        });
    }
}

/**
 * The quotas' display names in real answers' words: CpuAllocPerProjectRegion's quotaDisplayName "Total CPU allocation,
 * in milli vCPU, per project per region" (a real quotaInfos list printed in a public runbook, "Cloud Run quota —
 * self-service via `gcloud beta quotas`"); MemAllocPerProjectRegion's "Total memory allocation, in
 * bytes, per project per region" (the console's quota name, quoted in a public guide to raising it); the metrics' display
 * names "Total CPU allocation" (Service Usage's, quoted in a public quota-increase request for run.googleapis.com/cpu_allocation)
 * and "Total memory allocation" (the console filter that guide names). No real answer showing metricUnit or isConcurrent
 * was found: metricUnit is left out, isConcurrent at its default.
 */
const QUOTAS: Record<string, { field: keyof RegionalRunQuota; metric: string; metricDisplayName: string; quotaDisplayName: string }> = {
    CpuAllocPerProjectRegion: {
        field: "cpuMilli",
        metric: "run.googleapis.com/cpu_allocation",
        metricDisplayName: "Total CPU allocation",
        quotaDisplayName: "Total CPU allocation, in milli vCPU, per project per region",
    },
    MemAllocPerProjectRegion: {
        field: "memoryBytes",
        metric: "run.googleapis.com/mem_allocation",
        metricDisplayName: "Total memory allocation",
        quotaDisplayName: "Total memory allocation, in bytes, per project per region",
    },
};

/**
 * A caller without the permission the Cloud Quotas reference names for quotaInfos.get (permissionDenied). No answer of
 * Cloud Quotas' own was found: its domain and resource follow the pattern of other services' answers.
 */
function quotaReadDenied(project: string, service: string, quotaId: string): Response {
    return permissionDenied("cloudquotas.googleapis.com", "cloudquotas.quotas.get", `projects/${project}/locations/global/services/${service}/quotaInfos/${quotaId}`);
}
