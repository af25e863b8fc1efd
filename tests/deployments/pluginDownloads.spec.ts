import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/stackFile";
import { PLUGIN_DOWNLOAD_URL_OVERRIDES } from "../../deployments/pluginDownloads";

/** A resource package's plugin source and version, as its package.json tells the CLI (the `pulumi` field). */
function pluginOf(pkg: string): { name: string; server?: string; version: string } {
    const manifest = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "node_modules", pkg, "package.json"), "utf8"));
    return { name: manifest.pulumi?.name, server: manifest.pulumi?.server, version: String(manifest.pulumi?.version ?? manifest.version).replace(/^v/, "") };
}

/**
 * Where the CLI would fetch a plugin with these overrides: pulumi/pulumi sdk/go/common/workspace/plugins.go, as
 * pluginDownloadOverrideArray.get (the first `regexp=URL` pair whose regexp matches the source's URL) and
 * httpSource.Download (`<URL with ${VERSION}>/pulumi-resource-<name>-v<version>-<os>-<arch>.tar.gz`) do it.
 */
function downloadUrl(overrides: string, source: string, plugin: { name: string; version: string }): string | undefined {
    for (const pair of overrides.split(",")) {
        const at = pair.indexOf("=");
        if (!new RegExp(pair.slice(0, at)).test(source)) continue;
        return `${pair.slice(at + 1).replace("${VERSION}", plugin.version)}/pulumi-resource-${plugin.name}-v${plugin.version}-linux-amd64.tar.gz`;
    }
    return undefined;
}

describe("plugins from GitHub come from their release assets, not GitHub's rate-limited releases API", () => {
    const dependencies = (file: string) => Object.keys(JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8")).dependencies);

    it("every resource package of the program and the component package whose plugin GitHub hosts outside Pulumi's own organization has an override to its asset URL", () => {
        const fromGithub = [...new Set([...dependencies("package.json"), ...dependencies("multicloud/package.json")])]
            .map((pkg) => ({ pkg, ...pluginOf(pkg) }))
            .filter((p) => p.server?.startsWith("github://") && !p.server.startsWith("github://api.github.com/pulumi/"));
        assert.deepStrictEqual(fromGithub.map((p) => p.pkg), ["@pulumiverse/time"]);
        for (const plugin of fromGithub) {
            assert.strictEqual(
                downloadUrl(PLUGIN_DOWNLOAD_URL_OVERRIDES, plugin.server!, plugin),
                `https://github.com/pulumiverse/pulumi-time/releases/download/v${plugin.version}/pulumi-resource-time-v${plugin.version}-linux-amd64.tar.gz`,
            );
        }
    });

    it("the overrides touch no other plugin (Pulumi's own keep their direct download, then get.pulumi.com)", () => {
        for (const source of ["github://api.github.com/pulumi/pulumi-aws", "github://api.github.com/pulumiverse/pulumi-time-extra", "https://get.pulumi.com/releases/plugins"]) {
            assert.strictEqual(downloadUrl(PLUGIN_DOWNLOAD_URL_OVERRIDES, source, { name: "x", version: "1.0.0" }), undefined, source);
        }
    });
});
