import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { projectConfigEntries, readProjectConfig } from "../../config/projectConfig";
import { PROJECT_ROOT, fromStackDocument, readStackFileAt } from "../../config/stackFile";
import { ProgramRun } from "../../scripts/offline/runProgram";
import { committedStackRun } from "../harness/committedStackRun";

/**
 * `pulumi:disable-default-providers`, a JSON list of packages or "*", makes the engine refuse a resource or invoke of
 * such a package that has no explicit provider: "Default provider for '<pkg>' disabled. '<urn or token>' must use an
 * explicit provider." (pulumi/pulumi pkg/resource/deploy/default_providers.go, shouldDenyRequest;
 * sdk/go/common/diag/errors.go, GetDefaultProviderDenied). The engine reads it from the stack's merged config, where
 * Pulumi.yaml's `config:` fills every key a stack file lacks (pkg/workspace/config.go, mergeConfig): so the stacks
 * Deployments makes for pull requests, whose stack files the repository does not hold, take it too.
 */
const KEY = "pulumi:disable-default-providers";

const stackFiles = fs.readdirSync(PROJECT_ROOT).filter((f) => /^Pulumi\..+\.yaml$/.test(f));

function disabled(config: Record<string, string>): string[] {
    const value = config[KEY];
    return value === undefined || value === "" ? [] : (JSON.parse(value) as string[]).map((p) => p.trim());
}

describe("default providers are disabled for the packages the program uses through explicit ones", function () {
    this.timeout(120_000);
    const runs: ProgramRun[] = [];
    before(async () => {
        for (const stack of ["dev", "prod"]) runs.push(await committedStackRun(stack));
    });

    // Under the SDK's mocks nothing refuses a default provider: only the explicit ones are registered as resources.
    const explicitPackages = () => [...new Set(runs.flatMap((run) => run.cloud.resources.filter((r) => r.type.startsWith("pulumi:providers:")).map((r) => r.type.slice("pulumi:providers:".length))))].sort();

    it("finds the program's explicit providers", () => {
        assert.deepStrictEqual(explicitPackages(), ["aws", "gcp"]);
        assert.deepStrictEqual(stackFiles.sort(), ["Pulumi.dev.yaml", "Pulumi.prod.yaml", "Pulumi.review.yaml"]);
    });

    const effective: [string, () => Record<string, string>][] = [
        ...stackFiles.map((f): [string, () => Record<string, string>] => [f, () => readStackFileAt(path.join(PROJECT_ROOT, f)).config]),
        // A stack with no stack file of its own yet, as a review stack starts: Pulumi.yaml's config alone.
        ["a new stack (Pulumi.pr-1.yaml, not in the repository)", () => fromStackDocument(projectConfigEntries(readProjectConfig(PROJECT_ROOT))).config],
    ];
    for (const [name, config] of effective) {
        it(`${name}: ${KEY} names every explicit provider's package`, () => {
            const barred = disabled(config());
            for (const pkg of explicitPackages()) assert.ok(barred.includes(pkg) || barred.includes("*"), `${name}: ${KEY} is ${JSON.stringify(config()[KEY])}, so ${pkg} resources and invokes without a provider would get the default ${pkg} provider`);
        });
    }

    it("disables no package the program still uses through its default provider (random, time)", () => {
        for (const [name, config] of effective) {
            const barred = disabled(config());
            for (const run of runs) {
                const refused = run.cloud.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:") && !r.provider && (barred.includes("*") || barred.includes(r.type.split(":")[0])));
                assert.deepStrictEqual(refused.map((r) => `${r.type} ${r.name}`), [], `${name}: the engine would refuse these in ${run.stack}`);
                const invokes = run.cloud.calls.filter((c) => c.provider === "" && !c.token.startsWith("pulumi:") && (barred.includes("*") || barred.includes(c.token.split(":")[0])));
                assert.deepStrictEqual(invokes.map((c) => c.token), [], `${name}: the engine would refuse these invokes in ${run.stack}`);
            }
        }
    });
});
