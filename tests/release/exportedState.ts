import type { Deployment } from "@pulumi/pulumi/automation";

/**
 * What `pulumi stack export` prints for a stack, parsed (secrets left encrypted): an UntypedDeployment,
 * `{ version: 3, deployment: { manifest, secrets_providers, resources, pending_operations } }`, with pending_operations
 * left out when there are none (pulumi/pulumi sdk/go/common/apitype/core.go, DeploymentV3 `omitempty`, OperationV2); a
 * resource's type is its own, the URN's qualified type past its parents' (ResourceV3.Type, resource.URN.Type).
 */
export function exportedState(pendingOperations: { urn: string; type: "creating" | "updating" | "deleting" | "reading" | "importing" }[] = []): Deployment {
    const stack = "urn:pulumi:prod::multicloud-service::pulumi:pulumi:Stack::multicloud-service-prod";
    const deployment: Record<string, unknown> = {
        manifest: { time: "2026-08-20T09:12:03.000Z", magic: "", version: "v3.276.0" },
        secrets_providers: { type: "service", state: { url: "https://api.pulumi.com", owner: "acme", project: "multicloud-service", stack: "prod" } },
        resources: [{ urn: stack, custom: false, type: "pulumi:pulumi:Stack", created: "2026-08-01T10:00:00.000Z", modified: "2026-08-20T09:12:03.000Z" }],
    };
    if (pendingOperations.length > 0) {
        deployment.pending_operations = pendingOperations.map(({ urn, type }) => ({
            resource: { urn, custom: true, type: urn.split("::")[2].split("$").pop(), parent: stack, provider: "" },
            type,
        }));
    }
    return { version: 3, deployment };
}
