import * as pulumi from "@pulumi/pulumi";

/**
 * How alarms, alert policies and dashboards name the stack they watch, e.g. `multicloud-service (prod)`: dev, the
 * review stacks and prod share a GCP project or an AWS account, and a page must say which stack it is about.
 */
export function stackTitle(environment: string): string {
    return `${pulumi.getProject()} (${environment})`;
}
