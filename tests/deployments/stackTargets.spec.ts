import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { awsSchema, gcpSchema, providerSettingsSchema } from "../../config/schema";
import { readServiceStacks, stackDisabledClouds, stackImageWaitMinutes, stackTarget } from "../../deployments/stackTargets";
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

    // What the readers refuse besides a value of the wrong type, each a RunError under the same headline; a missing
    // file or gcp:project is deployments/' own refusal. Only StackFileRefusal is turned into one (refusal.ts).
    it("each stack file or Pulumi.yaml the readers refuse, and a missing file or gcp:project, stop deployments/ with a RunError naming the stack", () => {
        const project = "name: multicloud-service\nruntime: nodejs\n";
        const cases: [string, string, string, RegExp][] = [
            ["not YAML", project, "config: [\n", /^settings\.stacks\.refused: Pulumi\.refused\.yaml is not valid YAML: /],
            ["Pulumi.yaml without a name", "runtime: nodejs\n", "config: {}\n", /^settings\.stacks\.refused: \S+Pulumi\.yaml: project is missing a non-empty string 'name' attribute/],
            ["a number the CLI reads otherwise", project, "config:\n  gcp:project: p\n  replicas: 010\n", /^settings\.stacks\.refused: Pulumi\.refused\.yaml: \S*replicas is written 010, which the Pulumi CLI reads as 8/],
            ["a declaration the CLI refuses", `${project}config:\n  replicas: { type: number }\n`, "config: {}\n", /^settings\.stacks\.refused: Pulumi\.yaml: the Pulumi CLI refuses its config: /],
            ["no gcp:project", project, "config: {}\n", /^settings\.stacks\.refused: Pulumi\.refused\.yaml sets no gcp:project/],
            ["a gcp:project set to nothing (YAML's null)", project, "config:\n  gcp:project:\n", /^settings\.stacks\.refused: Pulumi\.refused\.yaml sets no gcp:project/],
            // The CLI hands the program a list as its JSON text (config/stackFile.ts fromStackDocument): set, but no project ID.
            ["a gcp:project that is a list", project, "config:\n  gcp:project: [a, b]\n", /^settings\.stacks\.refused: Pulumi\.refused\.yaml sets gcp:project to \["a","b"\], which is not a project ID \(a project ID is 6 to 30 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen\), so its deployer has no project to be granted roles in$/],
            ["a gcp:project kept as a secret", project, "config:\n  gcp:project:\n    secure: v1:abc\n", /^settings\.stacks\.refused: Pulumi\.refused\.yaml sets gcp:project as a secret \(secure:\), which deployments\/ cannot decrypt/],
            ["no stack file", project, "", /^settings\.stacks\.refused: there is no stack file \S+Pulumi\.refused\.yaml to deploy$/],
        ];
        for (const [why, projectFile, stackFile, problem] of cases) {
            const folder = scratchDir("stack-targets-refused");
            fs.writeFileSync(path.join(folder, "Pulumi.yaml"), projectFile);
            if (stackFile) fs.writeFileSync(path.join(folder, "Pulumi.refused.yaml"), stackFile);
            assert.throws(
                () => stackTarget("refused", folder),
                (err: Error) => {
                    assert.ok(pulumi.RunError.isInstance(err), `${why}: a RunError, which the Pulumi CLI prints without a stack trace; got ${err.stack}`);
                    const [headline, ...problems] = err.message.split("\n  - ");
                    assert.strictEqual(headline, "deployments/ cannot read a stack of settings.stacks as `pulumi up` of the service would; nothing was deployed:", why);
                    assert.strictEqual(problems.length, 1, why);
                    assert.match(problems[0], problem, why);
                    return true;
                },
            );
        }
    });

    // deployments/index.ts reads every stack of settings.stacks this way before its checks (deploymentsRuntime.spec.ts
    // runs it). The Pulumi.yaml every stack shares is named once, with the stacks it stops, not once a stack.
    it("every stack file that cannot be read is named at once, a refusal of the shared Pulumi.yaml once with each stack it stops", () => {
        const folder = scratchDir("stack-targets-every-refusal");
        fs.writeFileSync(path.join(folder, "Pulumi.yaml"), "name: multicloud-service\nruntime: nodejs\nconfig:\n  replicas: { type: number }\n");
        for (const stack of ["a", "b"]) fs.writeFileSync(path.join(folder, `Pulumi.${stack}.yaml`), "config: {}\n");
        const otherFolder = scratchDir("stack-targets-every-refusal");
        fs.writeFileSync(path.join(otherFolder, "Pulumi.yaml"), "name: multicloud-service\nruntime: nodejs\n");
        fs.writeFileSync(path.join(otherFolder, "Pulumi.bare.yaml"), "config: {}\n");
        fs.writeFileSync(path.join(otherFolder, "Pulumi.fine.yaml"), "config:\n  gcp:project: p\n");
        // YAML's 5 stays a number in the merged config, which the CLI hands the program as the text 5: set, but no project ID.
        fs.writeFileSync(path.join(otherFolder, "Pulumi.number.yaml"), "config:\n  gcp:project: 5\n");
        const problems = (stacks: string[], root: string) => {
            try {
                readServiceStacks(stacks, root);
                return [];
            } catch (err) {
                assert.ok(pulumi.RunError.isInstance(err), `a RunError; got ${(err as Error).stack}`);
                return (err as Error).message.split("\n  - ").slice(1);
            }
        };
        const shared = problems(["a", "b"], folder);
        assert.strictEqual(shared.length, 1, shared.join("\n"));
        assert.match(shared[0], /^settings\.stacks\.a, settings\.stacks\.b: Pulumi\.yaml: the Pulumi CLI refuses its config: /);
        assert.deepStrictEqual(problems(["fine"], otherFolder), [], "every file read: no refusal");
        assert.deepStrictEqual(problems(["bare", "fine", "gone", "number"], otherFolder), [
            "settings.stacks.bare: Pulumi.bare.yaml sets no gcp:project, so its deployer has no project to be granted roles in",
            `settings.stacks.gone: there is no stack file ${path.join(otherFolder, "Pulumi.gone.yaml")} to deploy`,
            "settings.stacks.number: Pulumi.number.yaml sets gcp:project to 5, which is not a project ID (a project ID is 6 to 30 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen), so its deployer has no project to be granted roles in",
        ]);
    });

    // A failure that is not the CLI's refusal (here a read that fails: the stack file is a folder) is not dressed as one.
    it("an error that is no stack file refusal goes up as it is, with its stack trace", () => {
        const folder = scratchDir("stack-targets-unreadable");
        fs.mkdirSync(path.join(folder, "Pulumi.folder.yaml"));
        assert.throws(
            () => stackTarget("folder", folder),
            (err: NodeJS.ErrnoException) => {
                const { code, stack } = err;
                assert.ok(!pulumi.RunError.isInstance(err), `not a RunError: ${err.message}`);
                assert.strictEqual(code, "EISDIR", stack);
                return true;
            },
        );
    });
});
