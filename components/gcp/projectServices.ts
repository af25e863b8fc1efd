import * as projects from "@pulumi/gcp/projects";
import * as pulumi from "@pulumi/pulumi";
import { REQUIRED_APIS } from "./args";

/**
 * The Google APIs the service needs, enabled on the project. They stay enabled on destroy: other workloads in
 * the project may depend on them. `extra`: APIs only some stacks need (image scanning where image.verify is set).
 */
export function enableProjectServices(name: string, project: string, parent: pulumi.Resource, extra: readonly string[] = []): projects.Service[] {
    return [...REQUIRED_APIS, ...extra].map(
        (api) =>
            new projects.Service(
                `${name}-${api}`,
                { project, service: `${api}.googleapis.com`, disableOnDestroy: false, disableDependentServices: false },
                { parent },
            ),
    );
}
