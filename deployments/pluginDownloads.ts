/**
 * Where the CLI downloads the time provider's plugin (@pulumiverse/time, whose pluginDownloadURL is
 * github://api.github.com/pulumiverse/pulumi-time): from the release's asset URL on github.com, as the CLI itself
 * does for Pulumi's own plugins because it "doesn't count at the rate limit", rather than through GitHub's releases
 * API, which the CLI asks for any other organization's plugin and which allows 60 anonymous requests an hour per
 * address: shared by every run on Pulumi Deployments' or a CI provider's egress addresses. (pulumi/pulumi
 * sdk/go/common/workspace/plugins.go: githubSource.Download; pluginDownloadOverrideArray, the
 * PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES variable's `regexp=URL` pairs; httpSource.Download, which fetches
 * `<URL>/pulumi-resource-<name>-v<version>-<os>-<arch>.tar.gz` with ${VERSION} filled in.)
 * Every run of the CLI on this program sets it: the Deployments settings here, and the workflows' steps.
 */
export const PLUGIN_DOWNLOAD_URL_OVERRIDES = "^github://api.github.com/pulumiverse/pulumi-time$=https://github.com/pulumiverse/pulumi-time/releases/download/v${VERSION}";
