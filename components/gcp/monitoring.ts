import * as monitoring from "@pulumi/gcp/monitoring";
import * as pulumi from "@pulumi/pulumi";
import type * as inputs from "@pulumi/gcp/types/input";
import { warnWhenNoOneReads } from "../alertAddress";
import { dependsOnResources } from "../dependsOnResources";
import { stackTitle } from "../stackTitle";
import { warnWhileUnverified } from "./channelVerification";
import { mergedPercentile, revisionFilter, summedRate } from "./dashboardJson";
import { afterNewGrant } from "./grantPropagation";
import { createUtilizationAlerts } from "./utilizationAlerts";

export interface ServiceMonitoringArgs {
    project: string;
    /** The stack, named in every policy's, check's and channel's display name (stackTitle). */
    environment: string;
    serviceName: pulumi.Output<string>;
    serviceUrl: pulumi.Output<string>;
    projectNumber: pulumi.Input<string>;
    errorRatePercent: number;
    p95LatencyMs: number;
    /** Requests in the window below which the 5xx ratio and p95 latency page no one (requestFloor.ts). */
    minRequests: number;
    /** Resource use that pages: CPU, memory and instances above this share of their limits, in percent. */
    utilizationPercent: number;
    maxInstances: pulumi.Input<number>;
    email?: string;
    /** What to do, last in every policy's documentation. */
    runbook?: string;
    /** The stack's Cloud Monitoring dashboard (dashboard.ts), which every policy's documentation points to. */
    dashboardUrl: pulumi.Input<string>;
    /**
     * Set where Google's uptime checkers can reach the service (ingress `all`), with the grant that lets Monitoring's
     * service agent invoke it: the check waits for that grant, or its first probes are refused with 403 and the uptime
     * alert can fire on the first deploy. A new service (`serviceCreateTime`) has a new grant.
     */
    uptimeCheck?: { invokerGrant: pulumi.CustomResource; serviceCreateTime: pulumi.Output<string> };
    labels: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

const WINDOW = "300s";
const UPTIME_PERIOD_SECONDS = 60;
/** Failed rounds of uptime checks in a row that page someone: the runbook's "health fails 3 times". */
const UPTIME_FAILED_ROUNDS = 3;

/**
 * The go-live runbook's alerts: 5xx responses above a share of all requests, p95 request latency above a
 * threshold, resource use above a share of its limits (utilizationAlerts.ts), and an uptime check on /health (authenticated with an OIDC token, as the service is private) where the
 * checkers can reach it.
 */
export function createServiceMonitoring(name: string, args: ServiceMonitoringArgs, opts: pulumi.CustomResourceOptions & { dependsOn: pulumi.Input<pulumi.Resource[]> }) {
    const title = stackTitle(args.environment);
    const channels = args.email
        ? [new monitoring.NotificationChannel(`${name}-email`, { project: args.project, displayName: `${title} on-call`, type: "email", labels: { email_address: args.email }, userLabels: args.labels }, opts)]
        : [];
    if (args.email) {
        warnWhenNoOneReads(args.email, "gcp.alerts.email", channels[0]);
        warnWhileUnverified(channels[0], args.email);
    }
    const notificationChannels = channels.map((c) => c.name);
    const documentation = pageDocumentation(title, args);
    const requests = args.serviceName.apply((service) => revisionFilter(service, "run.googleapis.com/request_count"));
    // The second condition of the ratio's and the latency's policies: AND opens an incident "only if all the conditions
    // are met simultaneously" (Monitoring v3 AlertPolicy.ConditionCombinerType). A metric threshold compares only GT or
    // LT, so "at least minRequests" is a count (ALIGN_DELTA, summed) above one fewer. The uptime check's probes count.
    const enoughRequests = {
        displayName: `at least ${args.minRequests} requests`,
        conditionThreshold: {
            filter: requests,
            aggregations: [{ alignmentPeriod: WINDOW, perSeriesAligner: "ALIGN_DELTA", crossSeriesReducer: "REDUCE_SUM" }],
            comparison: "COMPARISON_GT",
            thresholdValue: args.minRequests - 1,
            duration: WINDOW,
            evaluationMissingData: "EVALUATION_MISSING_DATA_INACTIVE",
        },
    };

    const errorRate = new monitoring.AlertPolicy(
        `${name}-5xx-ratio`,
        {
            project: args.project,
            displayName: `${title}: 5xx above ${args.errorRatePercent}% of requests`,
            combiner: "AND",
            conditions: [
                {
                    displayName: "5xx ratio",
                    conditionThreshold: {
                        filter: pulumi.interpolate`${requests} AND metric.labels.response_code_class = "5xx"`,
                        denominatorFilter: requests,
                        aggregations: [summedRate(WINDOW)],
                        denominatorAggregations: [summedRate(WINDOW)],
                        comparison: "COMPARISON_GT",
                        thresholdValue: args.errorRatePercent / 100,
                        duration: WINDOW,
                        // No 5xx at all leaves the numerator without data: that closes an open incident instead of
                        // keeping it (the default, EVALUATION_MISSING_DATA_UNSPECIFIED, is NO_OP).
                        evaluationMissingData: "EVALUATION_MISSING_DATA_INACTIVE",
                    },
                },
                enoughRequests,
            ],
            notificationChannels,
            documentation,
            userLabels: args.labels,
        },
        opts,
    );
    const latency = new monitoring.AlertPolicy(
        `${name}-p95-latency`,
        {
            project: args.project,
            displayName: `${title}: p95 latency above ${args.p95LatencyMs} ms`,
            combiner: "AND",
            conditions: [
                {
                    displayName: "p95 request latency",
                    conditionThreshold: {
                        filter: args.serviceName.apply((service) => revisionFilter(service, "run.googleapis.com/request_latencies")),
                        aggregations: [mergedPercentile(WINDOW, 95)],
                        comparison: "COMPARISON_GT",
                        thresholdValue: args.p95LatencyMs,
                        duration: WINDOW,
                        evaluationMissingData: "EVALUATION_MISSING_DATA_INACTIVE",
                    },
                },
                enoughRequests,
            ],
            notificationChannels,
            documentation,
            userLabels: args.labels,
        },
        opts,
    );
    const utilization = createUtilizationAlerts(
        name,
        { project: args.project, title, serviceName: args.serviceName, maxInstances: args.maxInstances, utilizationPercent: args.utilizationPercent, window: WINDOW, notificationChannels, documentation, labels: args.labels },
        opts,
    );
    if (!args.uptimeCheck) return { errorRate, latency, utilization, channels };
    // The checkers start probing when the check is created. A new service's grant is new too: its check is created
    // once the grant has had IAM's usual propagation time, counted from the grant's creation (its id is known once it
    // is created), so the alert's 3 failed rounds cover a grant up to 4 minutes slow (the docs' "could potentially
    // take 7 minutes or longer" would still page once). An older service's check waits for nothing, unless its grant is
    // new (a service switched to ingress `all` later).
    const { invokerGrant, serviceCreateTime } = args.uptimeCheck;
    const host = afterNewGrant(
        pulumi.output(args.serviceUrl).apply((url) => new URL(url).host),
        [serviceCreateTime],
        invokerGrant,
        () => "the uptime check's first probe: Monitoring's invoker grant is new",
        { name: `${name}-invoker-grant-made`, parent: opts.parent },
    );
    const uptime = new monitoring.UptimeCheckConfig(
        `${name}-health`,
        {
            project: args.project,
            displayName: `${title}: /health`,
            period: `${UPTIME_PERIOD_SECONDS}s`,
            timeout: "10s",
            httpCheck: { path: "/health", port: 443, useSsl: true, validateSsl: true, serviceAgentAuthentication: { type: "OIDC_TOKEN" } },
            monitoredResource: { type: "uptime_url", labels: { host, project_id: args.project } },
            userLabels: args.labels,
        },
        { ...opts, dependsOn: pulumi.output(opts.dependsOn).apply((list) => dependsOnResources([...list, invokerGrant])) },
    );
    const uptimeAlert = new monitoring.AlertPolicy(
        `${name}-uptime`,
        {
            project: args.project,
            displayName: `${title}: /health failing`,
            combiner: "OR",
            conditions: [
                {
                    displayName: "uptime check failing",
                    conditionThreshold: {
                        filter: pulumi.interpolate`resource.type = "uptime_url" AND metric.type = "monitoring.googleapis.com/uptime_check/check_passed" AND metric.labels.check_id = "${uptime.uptimeCheckId}"`,
                        aggregations: [{ alignmentPeriod: "300s", perSeriesAligner: "ALIGN_NEXT_OLDER", crossSeriesReducer: "REDUCE_COUNT_FALSE", groupByFields: ["resource.label.host"] }],
                        comparison: "COMPARISON_GT",
                        // A round fails when more than one checker location fails it (REDUCE_COUNT_FALSE counts the
                        // locations whose check failed): every check runs from at least three (Cloud Monitoring, "Uptime
                        // checks overview"), and one location's own network trouble is not the service's.
                        thresholdValue: 1,
                        // Three failed rounds a minute apart span 120 s from the first to the third, and a condition
                        // must hold for its whole duration: 180 s would page at the fourth failed round.
                        duration: `${(UPTIME_FAILED_ROUNDS - 1) * UPTIME_PERIOD_SECONDS}s`,
                    },
                },
            ],
            notificationChannels,
            documentation,
            userLabels: args.labels,
        },
        opts,
    );
    return { errorRate, latency, utilization, uptime, uptimeAlert, channels };
}

/**
 * A policy's documentation, which Monitoring puts in its notifications (an e-mail's "Policy Documentation"; the display
 * name says what broke): which stack and service, where to look, what to do. Markdown of at most 10,240 bytes (v3
 * AlertPolicy.Documentation.content), with no `${`, which Monitoring would read as one of its variables.
 */
function pageDocumentation(title: string, args: ServiceMonitoringArgs): pulumi.Output<inputs.monitoring.AlertPolicyDocumentation> {
    return pulumi.all([args.serviceName, args.dashboardUrl]).apply(([service, dashboardUrl]) => ({
        mimeType: "text/markdown",
        content: [
            `${title}: Cloud Run service \`${service}\` in project \`${args.project}\`.`,
            `Dashboard: ${dashboardUrl}`,
            `Logs: Logs Explorer, \`resource.type="cloud_run_revision" AND resource.labels.service_name="${service}"\``,
            ...(args.runbook ? [args.runbook] : []),
        ].join("\n\n"),
    }));
}
