import * as pulumi from "@pulumi/pulumi";

export interface AliasRouting {
    functionVersion: pulumi.Output<string>;
    /** Present only while some weight goes to another version: see aliasRouting. */
    routingConfig?: pulumi.Output<{ additionalVersionWeights: Record<string, number> } | undefined>;
}

export interface AliasCanary {
    stableVersion?: string;
    weightPercent: number;
    /** The version the weight goes to; unset: the newest. */
    candidateVersion?: string;
}

/** Where the alias sends traffic, as plain values: the version it points at and the weights of any other. */
export interface AliasWeights {
    functionVersion: string;
    additionalVersionWeights?: Record<string, number>;
}

/**
 * Where the `live` alias sends traffic. No stable version: all of it to the version just published.
 * A stable version and a weight w: w = 0 holds (or rolls back) on the stable version, w = 100 promotes the
 * candidate, anything between sends w % to the candidate and the rest to the stable one. The candidate is the
 * recorded candidateVersion when a release set one, else the version just published: a release's candidate keeps
 * its share when an update from another checkout publishes a newer version, which gets no traffic. A recorded
 * candidate equal to the stable version (the worker, when a release did not change it) keeps everything there.
 */
export function aliasWeights(newVersion: string, canary?: AliasCanary): AliasWeights {
    if (!canary?.stableVersion) return { functionVersion: newVersion };
    const stable = canary.stableVersion;
    const candidate = canary.candidateVersion ?? newVersion;
    if (canary.weightPercent >= 100) return { functionVersion: candidate };
    if (canary.weightPercent <= 0 || candidate === stable) return { functionVersion: stable };
    return { functionVersion: stable, additionalVersionWeights: { [candidate]: canary.weightPercent / 100 } };
}

export function aliasRouting(newVersion: pulumi.Output<string>, canary?: AliasCanary): AliasRouting {
    // Known at preview whenever the split does not depend on the version this update publishes.
    const fixed = canary?.stableVersion !== undefined && (canary.weightPercent <= 0 || canary.candidateVersion !== undefined);
    const weights = fixed ? pulumi.output(aliasWeights("", canary)) : newVersion.apply((v) => aliasWeights(v, canary));
    const split = canary?.stableVersion !== undefined && canary.weightPercent > 0 && canary.weightPercent < 100;
    // No routing block at all when no weight is left (a candidate equal to the stable version): GetAlias answers no
    // RoutingConfig then, so an empty block sent would read back absent and show as a change on every later
    // preview and drift run (terraform-provider-aws lambda/alias.go: routing_config is Optional, not Computed, and
    // flattenAliasRoutingConfiguration turns a missing RoutingConfig into none; alias_test.go's
    // testAccCheckAliasRoutingDoesNotExistConfig expects none once the weights are cleared).
    const routingConfig = weights.apply((w) => (w.additionalVersionWeights ? { additionalVersionWeights: w.additionalVersionWeights } : undefined));
    return { functionVersion: weights.apply((w) => w.functionVersion), ...(split ? { routingConfig } : {}) };
}
