import * as pulumi from "@pulumi/pulumi";
import { ecrRepositoryName } from "../names";
import { perRunMap } from "../perRun";
import { cloudWatchDashboardName } from "./dashboardBody";
import { refusal } from "../refusal";

/** In this run, the pipeline that took each dashboard name. */
const dashboardsTaken = perRunMap<string>();

/**
 * Refuses a second LambdaEcrPipeline of one `environment` in a run, before it registers anything: its dashboard name
 * (and its ECR repository's, unless it runs another stack's) is made from the project and `environment`, not from the
 * component's name. PutDashboard overwrites, so the second would take the first's dashboard over without an error.
 * Only what one program constructs is seen: the package's plugin gives each construct a runtime of its own.
 */
export function refuseSecondPipelineOf(name: string, environment: string): void {
    const pipelines = dashboardsTaken();
    const project = pulumi.getProject();
    const dashboard = cloudWatchDashboardName(project, environment);
    const first = pipelines.get(dashboard);
    if (first !== undefined && first !== name) {
        throw refusal(
            `LambdaEcrPipeline "${name}" has environment "${environment}", as LambdaEcrPipeline "${first}" has: both would name their CloudWatch dashboard ${dashboard} ` +
                `(and, without imageRegistriesOf, their ECR repository ${ecrRepositoryName(project, environment)}), names made from the project and environment, not the component's name. Give each its own environment`,
        );
    }
    pipelines.set(dashboard, name);
}
