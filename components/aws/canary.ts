import * as pulumi from "@pulumi/pulumi";

export interface AliasRouting {
    functionVersion: pulumi.Output<string>;
    routingConfig?: { additionalVersionWeights: pulumi.Output<Record<string, number>> };
}

/**
 * Where the `live` alias sends traffic. No stable version: all of it to the version just published.
 * A stable version and a weight w: w = 0 holds (or rolls back) on the stable version, w = 100 promotes the new
 * one, anything between sends w % to the new version and the rest to the stable one.
 */
export function aliasRouting(newVersion: pulumi.Output<string>, canary?: { stableVersion?: string; weightPercent: number }): AliasRouting {
    if (!canary?.stableVersion || canary.weightPercent >= 100) return { functionVersion: newVersion };
    const stable = canary.stableVersion;
    if (canary.weightPercent <= 0) return { functionVersion: pulumi.output(stable) };
    return {
        functionVersion: pulumi.output(stable),
        routingConfig: { additionalVersionWeights: newVersion.apply((v) => (v === stable ? {} : { [v]: canary.weightPercent / 100 })) },
    };
}
