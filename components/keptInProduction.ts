/**
 * The resource options of a production stack's data and of what guards it: no delete may remove it (protect), and once
 * someone unprotects it on purpose, deleting it from the stack leaves it in the cloud (retainOnDelete).
 */
export function keptInProduction(isProduction: boolean): { protect: boolean; retainOnDelete: boolean } {
    return { protect: isProduction, retainOnDelete: isProduction };
}
