import * as monitoring from "@pulumi/gcp/monitoring";
import * as pulumi from "@pulumi/pulumi";
import { stackTitle } from "../stackTitle";
import { monitoringDashboardUrl, serviceDashboardJson } from "./dashboardJson";

export interface ServiceDashboardArgs {
    project: string;
    environment: string;
    serviceName: pulumi.Input<string>;
    errorRatePercent: number;
    p95LatencyMs: number;
    utilizationPercent: number;
    maxInstances: pulumi.Input<number>;
}

/** One Cloud Monitoring dashboard per stack with the checklist's figures and the alerts' thresholds; returns it and its console URL. */
export function createServiceDashboard(name: string, args: ServiceDashboardArgs, opts: pulumi.CustomResourceOptions) {
    const dashboardJson = pulumi.all([args.serviceName, args.maxInstances]).apply(([serviceName, maxInstances]) =>
        JSON.stringify(
            serviceDashboardJson({
                displayName: `${stackTitle(args.environment)}: Cloud Run ${serviceName}`,
                serviceName,
                errorRatePercent: args.errorRatePercent,
                p95LatencyMs: args.p95LatencyMs,
                utilizationPercent: args.utilizationPercent,
                maxInstances,
            }),
        ),
    );
    const dashboard = new monitoring.Dashboard(name, { project: args.project, dashboardJson }, opts);
    return { dashboard, url: dashboard.id.apply((id) => monitoringDashboardUrl(id, args.project)) };
}
