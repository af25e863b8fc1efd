import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as pulumi from "@pulumi/pulumi";
import { cloudWatchDashboardName, cloudWatchDashboardUrl, pipelineDashboardBody } from "./dashboardBody";

export interface PipelineDashboardArgs {
    environment: string;
    region: string;
    functions: { label: string; functionName: pulumi.Input<string>; http: boolean; reservedConcurrency?: pulumi.Input<number | undefined> }[];
    stateMachineArn: pulumi.Input<string>;
    healthCheckArn: pulumi.Input<string>;
    errorRatePercent: number;
    p95DurationMs: number;
    utilizationPercent: number;
}

/** One CloudWatch dashboard per stack with the checklist's figures and the alarms' thresholds; returns it and its console URL. */
export function createPipelineDashboard(name: string, args: PipelineDashboardArgs, parent: pulumi.Resource) {
    const dashboardName = cloudWatchDashboardName(pulumi.getProject(), args.environment);
    const functions = pulumi.all(
        args.functions.map((f) => pulumi.all([f.functionName, f.reservedConcurrency]).apply(([functionName, reservedConcurrency]) => ({ label: f.label, http: f.http, functionName, reservedConcurrency }))),
    );
    const body = pulumi.all([functions, args.stateMachineArn, args.healthCheckArn]).apply(([fns, stateMachineArn, healthCheckArn]) =>
        JSON.stringify(pipelineDashboardBody({ region: args.region, functions: fns, stateMachineArn, healthCheckArn, errorRatePercent: args.errorRatePercent, p95DurationMs: args.p95DurationMs, utilizationPercent: args.utilizationPercent })),
    );
    // Deleted before a replacement (a new aws:region) puts it again: the name is the account's, not the region's, and
    // PutDashboard overwrites, so a create-first replacement would put the new one over the old and then delete it.
    const dashboard = new cloudwatch.Dashboard(name, { dashboardName, dashboardBody: body }, { parent, deleteBeforeReplace: true });
    return { dashboard, url: dashboard.dashboardName.apply((n) => cloudWatchDashboardUrl(args.region, n)) };
}
