import * as pulumi from "@pulumi/pulumi";

/**
 * The components' type tokens. Served by the package (multicloud/), a component's token must be
 * `multicloud:index:<Class>`: the provider constructs only that form, and the URN the class registers must be of
 * the type the caller asked for. index.ts uses the same classes, so its instances carry the new token too, with
 * the token they had before as an alias: the engine finds each existing resource, the component and through it
 * every child, under its old URN, and replaces nothing (tests/package/urns.spec.ts checks the dev and prod programs).
 * One token per class, rather than the old one kept for index.ts only, so that a stack can move between this
 * program and the package without a second alias.
 */
export const COMPONENT_TOKENS = {
    LambdaEcrPipeline: { token: "multicloud:index:LambdaEcrPipeline", former: "multicloud:aws:LambdaEcrPipeline" },
    CloudRunGcsService: { token: "multicloud:index:CloudRunGcsService", former: "multicloud:gcp:CloudRunGcsService" },
} as const;

/** The caller's options plus an alias for the token the component had before. */
export function aliasFormerToken(former: string, opts: pulumi.ComponentResourceOptions = {}): pulumi.ComponentResourceOptions {
    return { ...opts, aliases: [...(opts.aliases ?? []), { type: former }] };
}
