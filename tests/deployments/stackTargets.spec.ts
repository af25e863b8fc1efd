import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { awsSchema, gcpSchema, providerSettingsSchema } from "../../config/schema";
import { stackDisabledClouds, stackImageWaitMinutes, stackTarget } from "../../deployments/stackTargets";
import { scratchDir } from "../harness/tempDirs";

/**
 * deployments/ reads the service's stack files to learn where each stack deploys. What a file leaves out must read as
 * the service's program reads it (config/schema.ts defaults): otherwise deployments/ grants and checks another place
 * than the one `pulumi up` deploys to, or refuses a stack the program runs as usual.
 */
describe("deployments/: a stack file's left-out settings read as the service's program reads them", () => {
    let root: string;
    before(() => {
        root = scratchDir("stack-targets");
        const file = ["config:", "  gcp:project: multicloud-service-bare", "  multicloud-service:aws:", "    memoryMb: 512", "  multicloud-service:gcp:", "    memory: 512Mi", ""];
        fs.writeFileSync(path.join(root, "Pulumi.bare.yaml"), file.join("\n"));
    });

    it("no aws:region or gcp:region: the program's default regions, where its deployer is granted its ECR repository and its signing key is looked for", () => {
        const defaults = providerSettingsSchema.parse({});
        assert.deepStrictEqual(stackTarget("bare", root), { awsRegion: defaults["aws:region"], gcpProject: "multicloud-service-bare", gcpRegion: defaults["gcp:region"] });
    });

    it("no aws.enabled or gcp.enabled: both clouds on, the program's default, so the stack is not refused as a one-cloud stack", () => {
        assert.deepStrictEqual([awsSchema.shape.enabled.parse(undefined), gcpSchema.shape.enabled.parse(undefined)], [true, true]);
        assert.deepStrictEqual(stackDisabledClouds("bare", "multicloud-service", root), []);
    });

    // Before: 8376f614 keyed a stack file's un-namespaced keys as the project's (as the CLI does, loaders.go
    // stackConfigNamespacedWithProject) in the program's reader only; deployments/ read `aws:` and `image:` here as unset.
    it("a setting written without the project's namespace is the project's, as the CLI reads it", () => {
        const folder = scratchDir("stack-targets-short-keys");
        fs.writeFileSync(path.join(folder, "Pulumi.yaml"), "name: multicloud-service\nruntime: nodejs\n");
        const file = ["config:", "  gcp:project: multicloud-service-short", "  aws:", "    enabled: false", "  image:", "    waitMinutes: 7", ""];
        fs.writeFileSync(path.join(folder, "Pulumi.short.yaml"), file.join("\n"));
        assert.deepStrictEqual(stackDisabledClouds("short", "multicloud-service", folder), ["aws"]);
        assert.strictEqual(stackImageWaitMinutes("short", "multicloud-service", folder), 7);
    });

    // Before: deployments/ keyed the stack file's own entries (3c24ce64) but left out the Pulumi.yaml beside it, whose
    // `config:` the CLI merges under every stack (project.go; another namespace's key by its `value:`), so a region
    // set there for every stack read as the program's default here while `pulumi up` deployed elsewhere.
    it("a setting Pulumi.yaml gives every stack is the stack's, as the CLI merges it", () => {
        const folder = scratchDir("stack-targets-project-values");
        fs.writeFileSync(path.join(folder, "Pulumi.yaml"), "name: multicloud-service\nruntime: nodejs\nconfig:\n  aws:region:\n    value: eu-west-1\n");
        fs.writeFileSync(path.join(folder, "Pulumi.merged.yaml"), "config:\n  gcp:project: multicloud-service-merged\n");
        assert.strictEqual(stackTarget("merged", folder).awsRegion, "eu-west-1");
    });

    // Before: the reader's plain Error went up as it was, and `pulumi preview` of deployments/ printed it as "failed
    // with an unhandled exception" and a stack trace; its other refusals are RunErrors, printed alone (cmd/run/run.js).
    it("a stack file the Pulumi CLI refuses stops deployments/ with a RunError naming the stack, the file and what to change", () => {
        const folder = scratchDir("stack-targets-refused");
        fs.writeFileSync(path.join(folder, "Pulumi.yaml"), "name: multicloud-service\nruntime: nodejs\nconfig:\n  replicas:\n    type: integer\n");
        fs.writeFileSync(path.join(folder, "Pulumi.refused.yaml"), "config:\n  gcp:project: multicloud-service-refused\n  replicas: two\n");
        assert.throws(
            () => stackTarget("refused", folder),
            (err: Error) => {
                assert.ok(pulumi.RunError.isInstance(err), `a RunError, which the Pulumi CLI prints without a stack trace; got ${err.constructor.name}`);
                assert.strictEqual(
                    err.message,
                    "deployments/ cannot read a stack of settings.stacks as `pulumi up` of the service would; nothing was deployed:\n" +
                        "  - settings.stacks.refused: Pulumi.refused.yaml: the Pulumi CLI refuses this stack's config: Stack 'refused' with configuration key 'replicas' must be of type 'integer' (its value in Pulumi.refused.yaml is not): change it, or the type in Pulumi.yaml",
                );
                return true;
            },
        );
    });
});
