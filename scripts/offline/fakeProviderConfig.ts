/**
 * The Google provider's own check of its settings, which every preview and update runs before any resource: it
 * refuses these when empty, with "expected a non-empty string" (terraform-provider-google provider/provider.go,
 * ValidateEmptyStrings, and `credentials`' ValidateCredentials, "reject empty strings", in provider/provider_validators.go;
 * fwprovider/framework_provider.go, NonEmptyStringValidator). The engine's wording around it is not reproduced here: the
 * answer names the setting and the provider's reason.
 */
const GCP_NON_EMPTY = ["credentials", "accessToken", "impersonateServiceAccount", "project", "billingProject", "region", "zone"];

/** The provider's refusal of its settings, or undefined when it takes them. */
export function providerConfigRefusal(type: string, inputs: Record<string, unknown>): Error | undefined {
    if (type !== "pulumi:providers:gcp") return undefined;
    const empty = GCP_NON_EMPTY.filter((key) => inputs[key] === "");
    return empty.length > 0 ? new Error(empty.map((key) => `gcp:${key}: expected a non-empty string`).join("; ")) : undefined;
}
