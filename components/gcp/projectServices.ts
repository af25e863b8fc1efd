import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { REQUIRED_APIS } from "./args";

/**
 * The Google APIs the service needs, enabled on the project. They stay enabled on destroy: other workloads in
 * the project may depend on them.
 */
export function enableProjectServices(name: string, project: string, parent: pulumi.Resource): gcp.projects.Service[] {
    return REQUIRED_APIS.map(
        (api) =>
            new gcp.projects.Service(
                `${name}-${api}`,
                { project, service: `${api}.googleapis.com`, disableOnDestroy: false, disableDependentServices: false },
                { parent },
            ),
    );
}
