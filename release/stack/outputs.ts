/** The stack outputs a release reads (index.ts exports them): what each cloud runs after an update. */
import { Cloud, DeployedTarget } from "../types";

/** `aws` and `gcp` outputs as plain values, e.g. from `Stack.outputs()` with each `.value` taken. */
export function deployedFromOutputs(outputs: Record<string, unknown>): Partial<Record<Cloud, DeployedTarget>> {
    const result: Partial<Record<Cloud, DeployedTarget>> = {};
    const aws = asRecord(outputs.aws);
    if (aws) {
        // The API's, the worker's and the state machine's alarms are all gates.
        const alarmOutputs: Record<string, string> = {};
        for (const key of ["apiAlarmNames", "pipelineAlarmNames"]) {
            const names = aws[key];
            if (Array.isArray(names)) for (const name of names) alarmOutputs[String(name)] = `aws.${key}`;
        }
        result.aws = {
            cloud: "aws",
            version: requireString(aws, "apiVersion", "aws"),
            service: requireString(aws, "apiFunctionName", "aws"),
            alarms: Object.keys(alarmOutputs),
            alarmOutputs,
        };
        if (typeof aws.alarmTopicArn === "string" && aws.alarmTopicArn !== "") result.aws.alarmTopicArn = aws.alarmTopicArn;
        // arn:aws:states:<region>:<account>:stateMachine:<name>
        const [region, account] = typeof aws.stateMachineArn === "string" ? aws.stateMachineArn.split(":").slice(3, 5) : [];
        if (region) result.aws.location = { region, ...(account ? { account } : {}) };
        // A stack last updated by an older program has no worker outputs: its worker is then not released.
        if (typeof aws.workerFunctionName === "string" && typeof aws.workerVersion === "string" && aws.workerVersion !== "") {
            result.aws.worker = { service: aws.workerFunctionName, version: aws.workerVersion };
        }
    }
    const gcp = asRecord(outputs.gcp);
    if (gcp) {
        // Cloud Run v2 reports the full resource name, projects/.../services/<service>/revisions/<revision>.
        const revision = requireString(gcp, "latestRevision", "gcp");
        result.gcp = { cloud: "gcp", version: revision.slice(revision.lastIndexOf("/") + 1), service: requireString(gcp, "serviceName", "gcp"), alarms: [] };
        const place = /^projects\/([^/]+)\/locations\/([^/]+)\//.exec(revision);
        if (place) result.gcp.location = { project: place[1], region: place[2] };
        // Set while a stable revision is kept (the `candidate` tag); the probe says so when it is missing.
        if (typeof gcp.candidateUrl === "string" && gcp.candidateUrl !== "") result.gcp.candidateUrl = gcp.candidateUrl;
        if (typeof gcp.serviceUrl === "string" && gcp.serviceUrl !== "") result.gcp.serviceUrl = gcp.serviceUrl;
        if (typeof gcp.alertChannel === "string" && gcp.alertChannel !== "") result.gcp.alertChannel = gcp.alertChannel;
    }
    return result;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
}

function requireString(outputs: Record<string, unknown>, key: string, cloud: Cloud): string {
    const value = outputs[key];
    if (typeof value !== "string" || value === "") {
        throw new Error(`stack output ${cloud}.${key} is missing: update the stack with this version of the program first (pulumi up)`);
    }
    return value;
}
