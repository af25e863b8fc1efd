/** The components' names in this program: the prefix of every child's name, and of the registries' names. */
export const COMPONENT_NAMES = { aws: "pipeline", gcp: "service" } as const;
