/** The project's name (Pulumi.yaml `name:`): its config keys' namespace, and the project part of a stack reference. */
export const PROJECT_NAMESPACE = "multicloud-service";
