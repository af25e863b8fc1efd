import * as pulumi from "@pulumi/pulumi";

/**
 * A refusal's `stack` is its own "<name>: <message>" line, no frames: a package caller's engine shows what the SDK's
 * provider server logs for an unhandled rejection, `log.error(err.stack || err.message || "" + err)`, whatever its
 * class (@pulumi/pulumi provider/server.js, main), and cmd/run-plugin prints err.stack to the plugin's stderr too.
 * Read when asked, as V8 builds an error's stack line: the SDK prefixes the message with `error serializing property
 * "<k>": ` as it serializes a resource's inputs (runtime/rpc.js), and a subclass sets its name after super().
 */
function withoutFrames<E extends Error>(err: E): E {
    Object.defineProperty(err, "stack", {
        configurable: true,
        get: () => `${err.name}: ${err.message}`,
        // One who sets it (the SDK sets e.stack = undefined on errors of its own) gets what it set.
        set: (value: unknown) => Object.defineProperty(err, "stack", { value, writable: true, configurable: true }),
    });
    return err;
}

/**
 * The base of the components' refusal classes (NoAnswer, LastingRefusal, ImageVerificationError, QuotaRefusal, ...):
 * a RunError, so Pulumi's Node language host prints its message alone (@pulumi/pulumi cmd/run/run.js,
 * uncaughtHandler), with no frames in its stack, so the package's plugin prints its message alone too.
 */
export class Refusal extends pulumi.RunError {
    constructor(message?: string, options?: ErrorOptions) {
        super(message, options);
        withoutFrames(this);
    }
}

/**
 * A deliberate refusal of a run, worded for the engineer with its remedy: Pulumi's Node language host prints a RunError's
 * message alone, and a ResourceError made with hideStack its message alone under the resource's URN; any other error
 * as "Running program '<path>' failed with an unhandled exception:" and its stack (@pulumi/pulumi cmd/run/run.js,
 * uncaughtHandler). Under `component` where one is at hand. Either has no frames in its stack, for the package's
 * plugin (withoutFrames). A bug of this program stays a plain Error, its stack kept.
 */
export function refusal(message: string, component?: pulumi.Resource): Error {
    return component ? withoutFrames(new pulumi.ResourceError(message, component, true)) : new Refusal(message);
}

/** A cloud's reason for a state, as a refusal quotes it: its code and its text, whichever it gave, else "no reason given". */
export function reasonGiven(...parts: (string | undefined)[]): string {
    return parts.filter(Boolean).join(": ") || "no reason given";
}
