/** For each resource type, the few inputs a reviewer of a plan wants to see on its line. */
type Summary = (inputs: Record<string, any>) => Record<string, unknown>;

const lambdaSummary: Summary = (i) => ({
    image: shortImage(i.imageUri),
    command: i.imageConfig?.commands?.join(" "),
    memory: i.memorySize,
    timeout: i.timeout,
    arch: i.architectures?.join(","),
    reserved: i.reservedConcurrentExecutions,
    tracing: i.tracingConfig?.mode,
});

const summaries: Record<string, Summary> = {
    "pulumiservice:index:Environment": (i) => ({ name: `${i.project}/${i.name}` }),
    "pulumiservice:index:DeploymentSettings": (i) => ({ stack: i.stack, deployCommits: i.github?.deployCommits, previewPullRequests: i.github?.previewPullRequests, pullRequestTemplate: i.github?.pullRequestTemplate }),
    "pulumiservice:index:DriftSchedule": (i) => ({ stack: i.stack, schedule: i.scheduleCron, autoRemediate: i.autoRemediate }),
    "pulumiservice:index:OidcIssuer": (i) => ({ url: i.url }),
    "aws:ecr/repository:Repository": (i) => ({ tags: i.imageTagMutability, scanOnPush: i.imageScanningConfiguration?.scanOnPush, forceDelete: i.forceDelete }),
    "aws:lambda/function:Function": lambdaSummary,
    "aws:lambda/alias:Alias": (i) => ({ version: i.functionVersion, routing: i.routingConfig?.additionalVersionWeights }),
    "aws:lambda/functionUrl:FunctionUrl": (i) => ({ auth: i.authorizationType, cors: i.cors?.allowOrigins }),
    "aws:cloudwatch/logGroup:LogGroup": (i) => ({ name: i.name, retentionDays: i.retentionInDays }),
    "aws:cloudwatch/metricAlarm:MetricAlarm": (i) => ({ threshold: i.threshold, comparison: i.comparisonOperator }),
    "aws:cloudwatch/dashboard:Dashboard": (i) => {
        const body = parsedJson(i.dashboardBody);
        const widgets: any[] = body?.widgets ?? [];
        return { name: i.dashboardName, widgets: body && widgets.length, lines: lineLabels(widgets.flatMap((w) => w.properties?.annotations?.horizontal ?? [])) };
    },
    "aws:s3/bucket:Bucket": (i) => ({ forceDestroy: i.forceDestroy }),
    "aws:s3/bucketVersioning:BucketVersioning": (i) => ({ status: i.versioningConfiguration?.status }),
    "aws:sfn/stateMachine:StateMachine": (i) => ({ tracing: i.tracingConfiguration?.enabled, logLevel: i.loggingConfiguration?.level }),
    "gcp:cloudrunv2/service:Service": (i) => {
        const c = i.template?.containers?.[0] ?? {};
        return {
            image: shortImage(c.image),
            cpu: c.resources?.limits?.cpu,
            memory: c.resources?.limits?.memory,
            instances: `${i.scaling?.minInstanceCount ?? 0}-${i.scaling?.maxInstanceCount ?? "?"}`,
            ingress: i.ingress,
            public: i.invokerIamDisabled || undefined,
            traffic: i.traffics?.map((t: any) => `${t.percent}%${t.revision ? `@${t.revision}` : "@latest"}`).join(","),
            deletionProtection: i.deletionProtection,
        };
    },
    "gcp:storage/bucket:Bucket": (i) => ({ versioning: i.versioning?.enabled, publicAccessPrevention: i.publicAccessPrevention, forceDestroy: i.forceDestroy }),
    "gcp:storage/bucketIAMMember:BucketIAMMember": (i) => ({ role: i.role, member: i.member }),
    "gcp:projects/service:Service": (i) => ({ service: i.service }),
    "gcp:monitoring/dashboard:Dashboard": (i) => {
        const tiles: any[] = parsedJson(i.dashboardJson)?.mosaicLayout?.tiles ?? [];
        return { widgets: tiles.length || undefined, lines: lineLabels(tiles.flatMap((t) => t.widget?.xyChart?.thresholds ?? [])) };
    },
    "gcp:cloudrunv2/serviceIamMember:ServiceIamMember": (i) => ({ role: i.role, member: i.member }),
    "gcp:secretmanager/secretIamMember:SecretIamMember": (i) => ({ role: i.role }),
};

/** `key=value` pairs for a plan line; unset values are left out. */
export function summarize(type: string, inputs: Record<string, any>): string {
    const summary = summaries[type]?.(inputs) ?? {};
    return Object.entries(summary)
        .filter(([, v]) => v !== undefined && v !== null && v !== "")
        .map(([k, v]) => `${k}=${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
        .join(" ");
}

/** A JSON input as an object; undefined while it is not known yet (a preview of outputs to come). */
function parsedJson(value: unknown): any {
    return typeof value === "string" ? JSON.parse(value) : undefined;
}

/** The lines a dashboard draws, each once, e.g. "alarm: > 5 %, target: < 1 %". */
function lineLabels(lines: { label?: string }[]): string | undefined {
    return [...new Set(lines.map((l) => l.label).filter(Boolean))].join(", ") || undefined;
}

function shortImage(ref: unknown): string | undefined {
    if (typeof ref !== "string") return undefined;
    const at = ref.indexOf("@sha256:");
    return at < 0 ? ref : `${ref.slice(0, at).split("/").pop()}@sha256:${ref.slice(at + 8, at + 20)}…`;
}
