import { FAKE_PROJECT_NUMBER } from "./fakeIds";
import { GOOGLE_API_TITLES, notFound, serviceDisabled } from "./googleApiAnswers";

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
 * SERVICE_DISABLED until the project enabled cloudquotas.googleapis.com (Google's API error model).
 */
export class FakeCloudQuotasApi {
    readonly requests: { url: string; authorization: string | null }[] = [];
    /** Regions whose quota differs from a new project's. */
    readonly regions = new Map<string, RegionalRunQuota>();
    /** The project a SERVICE_DISABLED names as its consumer when it is not the stack's (the caller's quota project). */
    otherConsumer?: string;
    /** The caller lacks cloudquotas.quotas.get: every read is 403 PERMISSION_DENIED. */
    denied = false;

    constructor(private readonly isEnabled: (project: string, api: string) => boolean) {}

    answer(url: string, authorization: string | null): Response | undefined {
        const match = /^https:\/\/cloudquotas\.googleapis\.com\/v1\/projects\/([^/]+)\/locations\/global\/services\/([^/]+)\/quotaInfos\/([^/?]+)$/.exec(url);
        if (!match) return undefined;
        this.requests.push({ url, authorization });
        const [, project, service, quotaId] = match;
        if (!this.isEnabled(project, "cloudquotas.googleapis.com")) {
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
            metricDisplayName: quota.displayName,
            quotaDisplayName: quota.displayName,
            quotaIncreaseEligibility: { isEligible: true },
            // No isConcurrent: an allocation quota's is_concurrent is false (cloudquotas v1 resources.proto), and proto3's
            // JSON leaves a field at its default out.
            dimensionsInfos: [...own, rest],
        });
    }
}

const QUOTAS: Record<string, { field: keyof RegionalRunQuota; metric: string; displayName: string }> = {
    CpuAllocPerProjectRegion: { field: "cpuMilli", metric: "run.googleapis.com/cpu_allocation", displayName: "CPU allocation" },
    MemAllocPerProjectRegion: { field: "memoryBytes", metric: "run.googleapis.com/mem_allocation", displayName: "Memory allocation" },
};

/**
 * Google's error model for a denied call (AIP-193: 403 PERMISSION_DENIED, ErrorInfo reason IAM_PERMISSION_DENIED
 * naming the permission), with the permission the Cloud Quotas reference names for quotaInfos.get. The message in
 * IAM's words, "Permission '<permission>' denied on resource '//<service>/<name>' (or it may not exist)." (as quoted in
 * CrowdStrike/falcon-integration-gateway#98). ErrorInfo's metadata keys are exactly `resource` and `permission`, the
 * resource a relative name without its `//<service>/` (googleapis/googleapis google/api/error_reason.proto,
 * IAM_PERMISSION_DENIED: metadata { "resource": "projects/123", "permission": "aiplatform.datasets.list" }). Its domain
 * is the called service, as a real answer has it (Artifact Registry's, quoted in doughayden/answer-app
 * docs/troubleshooting/known-issues.md: domain "artifactregistry.googleapis.com", metadata permission
 * "artifactregistry.repositories.create", resource "projects/my-project-id/locations/us-central1"; the proto's own example
 * says "googleapis.com"). No answer of Cloud Quotas' own was found: its domain and resource follow that pattern.
 */
function quotaReadDenied(project: string, service: string, quotaId: string): Response {
    const name = `projects/${project}/locations/global/services/${service}/quotaInfos/${quotaId}`;
    const resource = `//cloudquotas.googleapis.com/${name}`;
    return Response.json(
        {
            error: {
                code: 403,
                message: `Permission 'cloudquotas.quotas.get' denied on resource '${resource}' (or it may not exist).`,
                status: "PERMISSION_DENIED",
                // Metadata resource and permission: google/api/error_reason.proto, IAM_PERMISSION_DENIED (see above).
                details: [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "IAM_PERMISSION_DENIED", domain: "cloudquotas.googleapis.com", metadata: { resource: name, permission: "cloudquotas.quotas.get" } }],
            },
        },
        { status: 403 },
    );
}
