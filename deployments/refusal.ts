import * as pulumi from "@pulumi/pulumi";

/**
 * Stops deployments/ before it registers anything, naming every problem one of its checks found under that check's
 * headline (`<headline>; nothing was deployed:` and one line each); does nothing when there are none.
 */
export function refuseWhenAny(headline: string, problems: readonly string[]): void {
    if (problems.length) refuse(headline, problems);
}

/** refuseWhenAny for problems already found. A RunError: the Pulumi CLI prints its message without a stack trace. */
export function refuse(headline: string, problems: readonly string[]): never {
    throw new pulumi.RunError(`${headline}; nothing was deployed:\n  - ${problems.join("\n  - ")}`);
}
