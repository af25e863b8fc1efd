import * as pulumi from "@pulumi/pulumi";
import { valueOf } from "../../scripts/offline/mockCloud";

// The SDK's own: how its language host renders an error it does not know (the stack, through util.inspect).
const { defaultErrorMessage } = require("@pulumi/pulumi/cmd/run/error") as { defaultErrorMessage: (err: unknown) => string };

/** A stack frame, as V8 prints one under an error's first line: what a refusal's printed text must not hold. */
export const FRAME = /\n\s+at /;

/** What `pulumi up` shows for an error of the program: its text, and the URN of the resource it is shown under (none: the stack's). */
export interface Printed {
    text: string;
    urn?: string;
}

/**
 * What Pulumi's Node language host prints for a rejection or exception of the program it catches: its uncaughtHandler
 * (@pulumi/pulumi cmd/run/run.js), with the SDK's own RunError.isInstance, ResourceError.isInstance and
 * defaultErrorMessage. A RunError: its message alone. A ResourceError: its message alone when made with hideStack,
 * else defaultErrorMessage, logged under its resource (log.error(message, err.resource)). A TSError or SyntaxError:
 * the part of its stack up to its message (left out here: a program that compiled raises neither). Anything else:
 * "Running program '<program>' failed with an unhandled exception:" and defaultErrorMessage, the stack included.
 */
export async function printedByLanguageHost(err: any, program = "/workspace/multicloud-service"): Promise<Printed> {
    if (pulumi.RunError.isInstance(err)) return { text: err.message };
    if (pulumi.ResourceError.isInstance(err)) {
        const error = err as pulumi.ResourceError;
        return { text: error.hideStack ? error.message : defaultErrorMessage(error), urn: error.resource ? await valueOf(error.resource.urn) : undefined };
    }
    return { text: `Running program '${program}' failed with an unhandled exception:\n${defaultErrorMessage(err)}` };
}
