import * as monitoring from "@pulumi/gcp/monitoring";
import * as pulumi from "@pulumi/pulumi";
import type * as inputs from "@pulumi/gcp/types/input";
import { Aggregation, INSTANCE_AGGREGATION, activeInstancesFilter, mergedPercentile, utilizationFilter } from "./dashboardJson";

export interface UtilizationAlertsArgs {
    project: string;
    /** The stack's title (stackTitle), which starts each policy's display name. */
    title: string;
    serviceName: pulumi.Output<string>;
    maxInstances: pulumi.Input<number>;
    /** Resource use that pages, in percent of each limit. */
    utilizationPercent: number;
    window: string;
    notificationChannels: pulumi.Input<string>[];
    /** Each policy's documentation (monitoring.ts): where to look and what to do. */
    documentation: pulumi.Input<inputs.monitoring.AlertPolicyDocumentation>;
    labels: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/**
 * The checklist's "resource use passes 90 %" on Cloud Run: CPU and memory utilization at the 99th percentile across
 * the service's instances (the distributions merged first, as the release's rollback reads them:
 * release/metrics/cloudMonitoring.ts), and the instances that serve against `maxInstances`, summed a minute at a time
 * as the dashboard draws them (activeInstancesFilter).
 * Each is one policy of one condition, so the page names the resource.
 */
export function createUtilizationAlerts(name: string, args: UtilizationAlertsArgs, opts: pulumi.CustomResourceOptions) {
    const share = args.utilizationPercent / 100;
    const policy = (suffix: string, conditionName: string, displayName: pulumi.Input<string>, filter: pulumi.Input<string>, aggregation: Aggregation, thresholdValue: pulumi.Input<number>) =>
        new monitoring.AlertPolicy(
            `${name}-${suffix}`,
            {
                project: args.project,
                displayName,
                combiner: "OR",
                conditions: [
                    {
                        displayName: conditionName,
                        conditionThreshold: {
                            filter,
                            aggregations: [aggregation],
                            comparison: "COMPARISON_GT",
                            thresholdValue,
                            duration: args.window,
                            // No data (no instance running) closes an open incident rather than keeping it.
                            evaluationMissingData: "EVALUATION_MISSING_DATA_INACTIVE",
                        },
                    },
                ],
                notificationChannels: args.notificationChannels,
                documentation: args.documentation,
                userLabels: args.labels,
            },
            opts,
        );
    const utilization = (resource: "cpu" | "memory") =>
        policy(
            `${resource}-utilization`,
            `container ${resource} utilization (p99)`,
            `${args.title}: container ${resource === "cpu" ? "CPU" : "memory"} utilization (p99) above ${args.utilizationPercent}%`,
            args.serviceName.apply((service) => utilizationFilter(service, resource)),
            mergedPercentile(args.window, 99),
            share,
        );
    const instances = pulumi.output(args.maxInstances);
    return {
        cpu: utilization("cpu"),
        memory: utilization("memory"),
        instances: policy(
            "instances",
            "instances",
            pulumi.interpolate`${args.title}: instances above ${args.utilizationPercent}% of the ${instances} maximum`,
            args.serviceName.apply(activeInstancesFilter),
            // Summed per minute (INSTANCE_AGGREGATION), and above the line for the whole window (`duration`).
            INSTANCE_AGGREGATION,
            instances.apply((max) => max * share),
        ),
    };
}
