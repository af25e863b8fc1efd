/** Where the AWS SDK clients here take their default credentials from, as a message names them. */
export const SDK_DEFAULT_CREDENTIALS = "the environment's keys, AWS_PROFILE or AWS_DEFAULT_PROFILE, the machine's role";

/**
 * An AWS SDK client's `profile` option that names the profile the AWS provider takes from the environment where the
 * JS SDK would take another: AWS_DEFAULT_PROFILE without AWS_PROFILE. The provider's SDK reads AWS_PROFILE, else
 * AWS_DEFAULT_PROFILE (aws-sdk-go-v2 config env_config.go, profileEnvKeys in NewEnvConfig; hashicorp/aws-sdk-go-base
 * getCredentialsProvider loads it with config.LoadDefaultConfig); the JS SDK reads AWS_PROFILE alone and falls back to
 * [default] (@smithy/core config getProfileName), so the program's reads were of another profile than the deployment,
 * or had no credentials where the provider had. Go's chain takes an environment key pair, then a web identity token
 * file, before a profile the environment names (resolveCredentialChain), and the JS SDK, given a profile, skips both
 * (@aws-sdk/credential-provider-node defaultProvider): with either set, nothing, and both take the same.
 */
export function profileAsTheProviderReadsIt(env: NodeJS.ProcessEnv = process.env): { profile?: string } {
    const profile = env.AWS_DEFAULT_PROFILE;
    if (!profile || env.AWS_PROFILE) return {};
    if ((env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) || env.AWS_WEB_IDENTITY_TOKEN_FILE) return {};
    return { profile };
}

/** The profile the AWS SDK clients here read, as a message names it: AWS_PROFILE's, else profileAsTheProviderReadsIt's. */
export function profileTheReadsTake(env: NodeJS.ProcessEnv = process.env): string | undefined {
    return env.AWS_PROFILE || profileAsTheProviderReadsIt(env).profile;
}
