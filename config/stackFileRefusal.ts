/**
 * A stack file, or the Pulumi.yaml beside it, that the offline readers refuse: not YAML, or config the Pulumi CLI
 * refuses or reads otherwise than written. Its message names the file and what to change. A class of its own so that
 * a caller can tell it from a bug (deployments/stackTargets.ts refuses the run with it, as a RunError, without a
 * stack trace).
 */
export class StackFileRefusal extends Error {}
