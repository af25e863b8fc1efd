/** A key as the CLI keys it: one without a namespace is the project's (`service` is `<project>:service`). */
export function namespacedKey(projectName: string, key: string): string {
    return key.includes(":") ? key : `${projectName}:${key}`;
}

/** project.go configKeyIsNamespacedByProject. */
export function isProjectKey(projectName: string, key: string): boolean {
    return !key.includes(":") || key.startsWith(`${projectName}:`);
}
