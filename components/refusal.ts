import * as pulumi from "@pulumi/pulumi";

/**
 * A deliberate refusal of a run, worded for the engineer with its remedy: Pulumi's Node language host prints a RunError's
 * message alone, and a ResourceError made with hideStack its message alone under the resource's URN; any other error
 * as "Running program '<path>' failed with an unhandled exception:" and its stack (@pulumi/pulumi cmd/run/run.js,
 * uncaughtHandler). Under `component` where one is at hand. A bug of this program stays a plain Error, its stack kept.
 */
export function refusal(message: string, component?: pulumi.Resource): Error {
    return component ? new pulumi.ResourceError(message, component, true) : new pulumi.RunError(message);
}
