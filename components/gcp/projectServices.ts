import * as projects from "@pulumi/gcp/projects";
import * as pulumi from "@pulumi/pulumi";

/**
 * The Google APIs the service needs (`apis`: REQUIRED_APIS, and image scanning's where image.verify is set), enabled
 * on the project, in that order. They stay enabled on destroy: other workloads in the project may depend on them.
 */
export function enableProjectServices(name: string, project: string, parent: pulumi.Resource, apis: readonly string[], dependsOn?: pulumi.Input<pulumi.Resource[]>): projects.Service[] {
    return apis.map(
        (api) =>
            new projects.Service(
                `${name}-${api}`,
                { project, service: `${api}.googleapis.com`, disableOnDestroy: false, disableDependentServices: false },
                { parent, dependsOn },
            ),
    );
}
