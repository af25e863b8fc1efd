import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/stackFile";
import { pinnedCliVersion } from "../../deployments/executorImage";
import { selectLocalStack } from "../../release/stack/automationStack";
import { EnvironmentChanges, withProcessEnvironment } from "../../scripts/offline/environment";
import { scratchDir } from "../harness/tempDirs";

const PINNED = pinnedCliVersion();

/**
 * A `pulumi` that answers `version` as the real one does ("v" and the version: pkg/cmd/pulumi/version.go) and exits 0
 * otherwise: its project folder, and the PATH that puts it first.
 */
function cliOnPath(version: string): { workDir: string; environment: EnvironmentChanges } {
    const dir = scratchDir("release-cli");
    fs.mkdirSync(path.join(dir, "bin"));
    fs.writeFileSync(path.join(dir, "bin", "pulumi"), `#!/usr/bin/env bash\nif [ "$1" = version ]; then echo "v${version}"; fi\n`, { mode: 0o755 });
    fs.copyFileSync(path.join(PROJECT_ROOT, ".pulumi.version"), path.join(dir, ".pulumi.version"));
    return { workDir: dir, environment: { PATH: `${path.join(dir, "bin")}${path.delimiter}${process.env.PATH}` } };
}

const refusalOf = (installed: string) =>
    `the Pulumi CLI on PATH is ${installed}, not ${PINNED}, the one in .pulumi.version that previews, deploy-prod.yml and Deployments run: install it (curl -fsSL https://get.pulumi.com | sh -s -- --version ${PINNED}) and put it first on PATH`;

describe("the release drives only the Pulumi CLI of .pulumi.version", function () {
    this.timeout(30_000);

    // A pre-release of the pinned version (what a CLI built from source says) is not it either.
    for (const other of ["3.218.0", "3.300.0", `${PINNED}-alpha.1`]) {
        it(`refuses ${other} on PATH before it selects the stack, naming both versions and how to install the pinned one`, async () => {
            const cli = cliOnPath(other);
            await withProcessEnvironment(cli.environment, () => assert.rejects(selectLocalStack({ stackName: "prod", workDir: cli.workDir }), { message: refusalOf(other) }));
        });
    }

    // With PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK set, PulumiCommand.get hands back a version it could not parse as null
    // instead of refusing it (@pulumi/pulumi automation/cmd.js parseAndValidatePulumiVersion: `if (optOut) return version`).
    it("refuses a CLI whose version the SDK could not read, with its version check skipped", async () => {
        const cli = cliOnPath("dev");
        await withProcessEnvironment({ ...cli.environment, PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true" }, () =>
            assert.rejects(selectLocalStack({ stackName: "prod", workDir: cli.workDir }), { message: refusalOf("of a version it does not say") }),
        );
    });

    it("selects the stack with the pinned one", async () => {
        const cli = cliOnPath(PINNED);
        const stack = await withProcessEnvironment(cli.environment, () => selectLocalStack({ stackName: "prod", workDir: cli.workDir }));
        assert.strictEqual((stack as unknown as { workspace: { pulumiVersion: string } }).workspace.pulumiVersion, PINNED);
    });
});
