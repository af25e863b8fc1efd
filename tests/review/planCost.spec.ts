import * as assert from "assert";
import { parseStackSettings } from "../../config";
import { readStackFile } from "../../config/stackFile";
import { usd } from "../../review/cost/compare";
import { costReport } from "../../review/cost/planSections";
import { estimateMonthlyCost } from "../../review/cost/model";
import { loadPriceTable } from "../../review/prices/table";
import { devFileKeptElsewhere } from "../harness/stackConfig";
import { runPlan, sharedPlan } from "../plan/offlinePlan";

/** The offline plan as a user runs it: a real process (shared with the specs that read the same plan). */
function plan(...args: string[]) {
    const run = sharedPlan(...args);
    assert.strictEqual(run.code, 0, run.stderr);
    return run.stdout;
}

/** The figure the pull-request comment shows for a stack file: the same model, the same table. */
function total(stack: "dev" | "prod"): number {
    const { config, secretKeys } = readStackFile(stack);
    return estimateMonthlyCost(parseStackSettings({ values: config, secretKeys: new Set(secretKeys) }, stack), loadPriceTable()).totalUsd;
}

describe("review: npm run plan shows the comment's cost figures offline", function () {
    this.timeout(120_000);

    it("npm run plan -- prod --cost: every line, the total, the price table's date and the traffic assumed", () => {
        const out = plan("prod", "--cost");
        assert.match(out, /^Monthly cost of stack "prod"/);
        assert.match(out, /^ {2}gcp {2}Cloud Run min instances idle vCPU \(1 x 2 vCPU\) +\$\d+\.\d\d {2}\(1,256,000 vCPU-second\)$/m);
        assert.match(out, /^ {2}aws {2}Lambda reserved concurrency +\$0\.00 {2}\(100 reserved executions; reserving concurrency is free/m);
        const escaped = usd(total("prod")).replace(/[$.]/g, "\\$&");
        assert.match(out, new RegExp(`^  total per month +${escaped}$`, "m"));
        assert.match(out, /prices as of \d{4}-\d{2}-\d{2}, transcribed by hand from the price pages and not yet read from the price APIs \(npm run prices reads them\) \(review\/prices\.json\); traffic assumed: 10,000,000 requests\/month per cloud of 150 ms/);
    });

    it("npm run plan -- dev --vs prod: the resource diff, then both stacks' costs and the change", () => {
        const out = plan("dev", "--vs", "prod");
        assert.match(out, /^Offline diff: stack "dev" \(-\) vs stack "prod" \(\+\)/);
        const totals = /^ {2}total per month +(\$[\d.,]+) +(\$[\d.,]+) +([+-]\$[\d.,]+)$/m.exec(out);
        assert.ok(totals, out.slice(-2000));
        assert.deepStrictEqual(totals.slice(1), [usd(total("dev")), usd(total("prod")), usd(total("prod") - total("dev"), true)]);
        assert.match(out, /Lambda API compute \(1024 MB, arm64\), was 512 MB, arm64 +\$1\.33 +\$20\.00 +\+\$18\.67/);
    });

    // Before: "Cannot read properties of undefined (reading 'toLowerCase')": the file was read with the Pulumi.yaml
    // beside it (none), so its keys kept no namespace; --cost prices it as <stack> of this project, as `pulumi up` reads it.
    it("npm run plan -- dev --cost --file <file kept elsewhere>: priced as dev of this project, its keys with this project's Pulumi.yaml", () => {
        assert.match(costReport("dev", devFileKeptElsewhere(768)), /^ {2}aws {2}Lambda API compute \(768 MB, arm64\) /m);
    });

    it("a bad option is named with the usage", () => {
        const run = runPlan("dev", "--costs");
        assert.strictEqual(run.code, 2);
        assert.match(run.stderr, /unknown option --costs[\s\S]*--cost +only the stack's monthly cost estimate/);
    });
});
