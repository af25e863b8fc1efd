import * as pulumi from "@pulumi/pulumi";

/**
 * Stops deployments/ before it registers anything, naming every problem one of its checks found under that check's
 * headline (`<headline>; nothing was deployed:` and one line each); does nothing when there are none.
 */
export function refuseWhenAny(headline: string, problems: readonly string[]): void {
    if (problems.length) throw new pulumi.RunError(`${headline}; nothing was deployed:\n  - ${problems.join("\n  - ")}`);
}
