import * as pulumi from "@pulumi/pulumi";

/**
 * For a `dependsOn` output: adds `resources` without holding them in its value, which is empty. They come with it as the
 * resources it was made from (their URNs'), which `dependsOn` adds as well (@pulumi/pulumi runtime/dependsOn.js
 * gatherExplicitDependencies). Each output made from an output walks every object its value reaches (output.js
 * containsUnknowns), and the SDK makes several from a resource's `dependsOn` output (resource.js mergeOptions,
 * gatherExplicitDependencies): a value holding resources walked their parents', providers' and outputs' objects each time.
 */
export function dependsOnResources(resources: readonly pulumi.Resource[]): pulumi.Output<pulumi.Resource[]> {
    return pulumi.all(resources.map((r) => r.urn)).apply((): pulumi.Resource[] => []);
}
