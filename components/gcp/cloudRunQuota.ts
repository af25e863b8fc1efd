import * as pulumi from "@pulumi/pulumi";
import { isPlainObject } from "../../config/plainObject";
import { perRun } from "../perRun";
import { CloudRunGcsServiceArgs } from "./args";
import { GoogleApiCallOptions, getGoogleApi } from "./googleApiError";
import { Refusal } from "../refusal";
import { unreadableAnswer } from "./unreadableAnswer";

/*
 * Cloud Run refuses a revision whose max instances times its CPU or memory exceeds the project's regional quota
 * ("Max instances must be set to N or fewer to set the requested total CPU. Quota violated: CpuAllocPerProjectRegion
 * requested: ... allowed: ..."), halfway through `pulumi up`. The quotas (cloud.google.com/run/docs/configuring/max-instances-limits):
 * run.googleapis.com/cpu_allocation (quota CpuAllocPerProjectRegion, in milli-vCPU) and run.googleapis.com/mem_allocation
 * (MemAllocPerProjectRegion, in bytes), read through the Cloud Quotas API's QuotaInfo
 * (cloud.google.com/docs/quotas/reference/rest/v1/projects.locations.services.quotaInfos/get).
 */
export const CLOUD_RUN_QUOTAS = { cpu: "CpuAllocPerProjectRegion", memory: "MemAllocPerProjectRegion" } as const;
type QuotaId = (typeof CLOUD_RUN_QUOTAS)[keyof typeof CLOUD_RUN_QUOTAS];

const API = "https://cloudquotas.googleapis.com/v1";

/** QuotaInfo, as far as the check reads it: one DimensionsInfo per region with its own value, and one for the rest. */
export interface QuotaInfo {
    quotaId?: string;
    dimensionsInfos?: { dimensions?: Record<string, string>; details?: { value?: string | number }; applicableLocations?: string[] }[];
}

export function quotaInfoUrl(project: string, quotaId: QuotaId): string {
    return `${API}/projects/${project}/locations/global/services/run.googleapis.com/quotaInfos/${quotaId}`;
}

/** An answer the check cannot read as a QuotaInfo's regional values: what is missing or wrong in it. */
export interface UnreadableQuotaInfo {
    unreadable: string;
}

/**
 * The quota's value in a region: its own DimensionsInfo, else the one for every region without one of its own; undefined
 * when neither applies to the region. A value below zero is no cap: Cloud Quotas writes an unlimited value as -1 (its
 * QuotaConfig.preferredValue: "If set to -1, it means the value is unlimited", as terraform-provider-google's quota
 * preference quotes it; Service Usage's overrides alike), and read as a cap it refused every max instances.
 * QuotaDetails.value is an int64 (googleapis google/api/cloudquotas/v1/resources.proto), a JSON string in proto3 JSON,
 * which leaves out a field at its default: `"details": {}` is a value of 0. An answer that is no QuotaInfo (null, no
 * dimensionsInfos: a regional quota has at least the one for every region), a DimensionsInfo without details or a
 * value that is no integer is unreadable: read as "no value for the region" it skipped the check.
 */
export function regionalQuota(info: unknown, region: string): number | undefined | UnreadableQuotaInfo {
    const infos: unknown = isPlainObject(info) ? info.dimensionsInfos : undefined;
    if (!Array.isArray(infos) || infos.length === 0) return { unreadable: "no dimensionsInfos" };
    const all = infos as NonNullable<QuotaInfo["dimensionsInfos"]>;
    const own = all.find((d) => d?.dimensions?.region === region);
    const rest = all.find((d) => d?.dimensions?.region === undefined && (d?.applicableLocations === undefined || d.applicableLocations.includes(region)));
    const applies = own ?? rest;
    if (!applies) return undefined;
    const value = int64Value(applies.details);
    if (value === undefined) return { unreadable: `no integer value in the DimensionsInfo for ${region}` };
    return value >= 0 ? value : undefined;
}

/** QuotaDetails' int64 value: a decimal string or a number; absent is proto3's default, 0. */
function int64Value(details: unknown): number | undefined {
    if (typeof details !== "object" || details === null) return undefined;
    const value: unknown = (details as { value?: unknown }).value;
    if (value === undefined) return 0;
    if (typeof value === "string" && /^-?\d+$/.test(value)) return Number(value);
    return typeof value === "number" && Number.isInteger(value) ? value : undefined;
}

/** A Cloud Run CPU limit ("1", "0.5", "500m") in milli-vCPU, the CPU quota's unit. */
export function cpuMilli(cpu: string): number {
    const milli = /^(\d+)m$/.exec(cpu);
    const value = milli ? Number(milli[1]) : Number(cpu) * 1000;
    if (!Number.isFinite(value) || value <= 0) throw new Error(`cpu "${cpu}" is not a CPU limit such as "1" or "500m"`);
    return value;
}

/** A Cloud Run memory limit ("512Mi", "2Gi") in bytes, the memory quota's unit. */
export function memoryBytes(memory: string): number {
    const match = /^([1-9][0-9]*)(Mi|Gi)$/.exec(memory);
    if (!match) throw new Error(`memory "${memory}" is not a memory limit such as "512Mi" or "2Gi"`);
    return Number(match[1]) * (match[2] === "Gi" ? 1024 ** 3 : 1024 ** 2);
}

export interface MaxInstancesRequest {
    project: string;
    /** The project's number, which a SERVICE_DISABLED answer names: one about another project is not waited out. */
    projectNumber?: string;
    region: string;
    maxInstances: number;
    cpu: string;
    memory: string;
}

/**
 * Refuses, before the service is registered, max instances the region's quota cannot hold: max instances times the
 * instance's CPU and memory against CpuAllocPerProjectRegion and MemAllocPerProjectRegion. A quota the API does not
 * list for the region is Cloud Run's to check; an answer that is no QuotaInfo (regionalQuota) stops the deployment,
 * quoting it. A SERVICE_DISABLED answer (the API was enabled moments ago) is asked
 * again for about a minute; any other failure stops the deployment, naming the permission.
 */
export async function checkMaxInstances(
    request: MaxInstancesRequest,
    accessToken: string,
    options: GoogleApiCallOptions = {},
): Promise<number> {
    const cpu = cpuMilli(request.cpu);
    const memory = memoryBytes(request.memory);
    const [cpuQuota, memoryQuota] = await Promise.all([
        readRegionalQuota(request, CLOUD_RUN_QUOTAS.cpu, accessToken, options),
        readRegionalQuota(request, CLOUD_RUN_QUOTAS.memory, accessToken, options),
    ]);
    const fits = [cpuQuota === undefined ? Infinity : Math.floor(cpuQuota / cpu), memoryQuota === undefined ? Infinity : Math.floor(memoryQuota / memory)];
    const most = Math.min(...fits);
    if (request.maxInstances > most) {
        const over = [
            ...(request.maxInstances > fits[0] ? [`${(request.maxInstances * cpu) / 1000} vCPU of the ${cpuQuota! / 1000} vCPU ${CLOUD_RUN_QUOTAS.cpu} allows`] : []),
            ...(request.maxInstances > fits[1] ? [`${formatGiB(request.maxInstances * memory)} of the ${formatGiB(memoryQuota!)} ${CLOUD_RUN_QUOTAS.memory} allows`] : []),
        ];
        throw new QuotaRefusal(
            `max instances ${request.maxInstances} of ${request.cpu} CPU and ${request.memory} each would need ${over.join(", and ")} ` +
                `in ${request.region} (project ${request.project}), which Cloud Run refuses: set at most ${most} max instances, ` +
                `or ask for a higher Cloud Run quota (Cloud Quotas, service run.googleapis.com)`,
        );
    }
    return request.maxInstances;
}

const checkedPerRun = perRun<number>();

/**
 * checkMaxInstances, once a run for one request: the program's check before anything is registered and the component's
 * share an answer that holds (a refusal ends the run; a read that failed is not kept, so the component asks again,
 * waiting out what the program's `once` did not).
 */
export function checkMaxInstancesOnceARun(request: MaxInstancesRequest, accessToken: string, options: Pick<GoogleApiCallOptions, "once"> = {}): Promise<number> {
    const key = [request.project, request.region, request.maxInstances, request.cpu, request.memory].join("/");
    return checkedPerRun(key, () => checkMaxInstances(request, accessToken, options));
}

/** Max instances the region's Cloud Run quota cannot hold, as Cloud Run would refuse the revision. */
export class QuotaRefusal extends Refusal {
    name = "QuotaRefusal";
}

async function readRegionalQuota(request: MaxInstancesRequest, quotaId: QuotaId, accessToken: string, options: GoogleApiCallOptions): Promise<number | undefined> {
    const info = await getGoogleApi<QuotaInfo>(
        quotaInfoUrl(request.project, quotaId),
        accessToken,
        {
            what: `could not read Cloud Run's ${quotaId} quota of project ${request.project}`,
            whenDisabled: "the Cloud Quotas API is still disabled in that project",
            whenRefused: "the deploying identity needs cloudquotas.quotas.get (roles/cloudquotas.viewer)",
            project: { id: request.project, number: request.projectNumber },
        },
        options,
    );
    if (info === undefined) return undefined;
    const quota = regionalQuota(info, request.region);
    if (typeof quota !== "object") return quota;
    throw unreadableAnswer({
        answered: `Cloud Quotas answered Cloud Run's ${quotaId} quota of project ${request.project} with ${quota.unreadable}`,
        answer: info,
        neither: "a QuotaInfo",
        unknown: `whether max instances ${request.maxInstances} fits in ${request.region}`,
        see: `the quota with gcloud quotas info describe ${quotaId} --service=run.googleapis.com --project=${request.project}`,
    });
}

function formatGiB(bytes: number): string {
    return `${Math.round((bytes / 1024 ** 3) * 100) / 100} GiB`;
}

/**
 * The max instances to register the service with, once the quota allows them: asked only when the Cloud Quotas
 * API exists in the project (`ready`), with the provider's own token.
 */
export function checkedMaxInstances(
    args: Pick<CloudRunGcsServiceArgs, "project" | "region" | "maxInstances" | "cpu" | "memory"> & {
        projectNumber: pulumi.Input<string>;
        ready: pulumi.Input<string>;
        accessToken: pulumi.Output<string>;
    },
): pulumi.Output<number> {
    return pulumi
        .all([args.maxInstances, args.cpu, args.memory, args.projectNumber, args.ready, pulumi.unsecret(args.accessToken)])
        .apply(([maxInstances, cpu, memory, projectNumber, , token]) => checkMaxInstancesOnceARun({ project: args.project, projectNumber, region: args.region, maxInstances, cpu, memory }, token));
}
