import * as assert from "assert";
import { InputCheck, inputCheckRefusal, oneOf, valuesAt } from "../../scripts/offline/inputChecks";
import { secretInput } from "../../scripts/offline/registeredInputs";

// The engine's words for a Check failure (pulumi/pulumi sdk/go/common/diag/errors.go: GetResourceInvalidError, and
// GetResourcePropertyInvalidValueError, whose lifecycle tests print "pkgA:m:typA resource 'resA': property foo value {bad}
// has a problem: Bad foo").
describe("the providers' input checks under mocks", () => {
    const stat: InputCheck = { type: "aws:cloudwatch/metricAlarm:MetricAlarm", property: "metricQueries[].metric.stat", refuse: (v) => (v === "Bad" ? "Bad stat" : undefined) };

    it("finds each value at a path, list elements with their index, and skips what is absent", () => {
        const inputs = { metricQueries: [{ metric: { stat: "Sum" } }, { expression: "m1" }, { metric: { stat: "Bad" } }] };
        assert.deepStrictEqual(valuesAt(inputs, stat.property), [
            { path: "metricQueries[0].metric.stat", value: "Sum" },
            { path: "metricQueries[2].metric.stat", value: "Bad" },
        ]);
    });

    // A bridged provider's failure names no property and ends "Examine values at '<name>.<path>'." (pulumi-terraform-
    // bridge's tests: "Conflicting configuration arguments. \"name\": conflicts with name_prefix. Examine values at
    // 'lg.name'."), which the engine prints as "<type> resource '<name>' has a problem: <reason>".
    // A TypeList block's element keeps its index (pulumi-terraform-bridge pkg/tfbridge/check_failures.go,
    // CheckFailurePath.ListElement; a MaxItems=1 block, flattened in Pulumi, gets none).
    it("refuses a bridged provider's input in the engine's words, a list element's path with its index", () => {
        const comparison: InputCheck = { type: "gcp:monitoring/alertPolicy:AlertPolicy", property: "conditions[].conditionThreshold.comparison", refuse: (v) => (v === "Bad" ? "Bad comparison" : undefined) };
        const inputs = { conditions: [{ conditionThreshold: { comparison: "COMPARISON_GT" } }, { conditionThreshold: { comparison: "Bad" } }] };
        assert.strictEqual(
            inputCheckRefusal(comparison.type, "latency", inputs, [comparison])?.message,
            "gcp:monitoring/alertPolicy:AlertPolicy resource 'latency' has a problem: Bad comparison. Examine values at 'latency.conditions[1].conditionThreshold.comparison'.",
        );
        assert.strictEqual(inputCheckRefusal("aws:sns/topic:Topic", "t", inputs, [comparison]), undefined, "another type is not checked");
    });

    // A TypeSet's is cut at the set: terraform-plugin-sdk helper/schema/schema.go, validateType ("Truncating attribute
    // path of %d diagnostics for TypeSet"), which the bridge turns into the set's Pulumi name alone.
    it("refuses an input inside a bridged provider's set at the set's path, no index", () => {
        const inputs = { metricQueries: [{ metric: { stat: "Sum" } }, { metric: { stat: "Bad" } }] };
        assert.strictEqual(
            inputCheckRefusal(stat.type, "api-errors", inputs, [{ ...stat, set: "metricQueries" }])?.message,
            "aws:cloudwatch/metricAlarm:MetricAlarm resource 'api-errors' has a problem: Bad stat. Examine values at 'api-errors.metricQueries'.",
        );
    });

    // A native provider names the property: the engine prints it with the input of that top-level name ({<nil>} for none).
    it("refuses a native provider's input naming the property it reports, and reads through a secret as the provider does", () => {
        const mode: InputCheck = { type: "pulumiservice:index:PolicyGroup", property: "mode", refuse: (v) => (v === "enforce" ? "mode must be either 'audit' or 'preventative'" : undefined) };
        assert.strictEqual(
            inputCheckRefusal(mode.type, "group", { mode: secretInput("enforce") }, [mode])?.message,
            "pulumiservice:index:PolicyGroup resource 'group': property mode value {enforce} has a problem: mode must be either 'audit' or 'preventative'",
        );
        const renamed: InputCheck = { ...mode, reportedAs: "kind" };
        assert.match(inputCheckRefusal(mode.type, "group", { mode: "enforce" }, [renamed])?.message ?? "", /: property kind value \{<nil>\} has a problem: /);
    });

    // terraform-plugin-sdk helper/validation/strings.go, StringInSlice: "expected %s to be one of %q, got %s".
    it("oneOf answers as terraform-plugin-sdk's StringInSlice, and takes what is not a string (an unknown, a secret)", () => {
        const operator = oneOf("comparison_operator", ["GreaterThanThreshold", "LessThanThreshold"]);
        assert.strictEqual(operator("GreaterThanThreshold"), undefined);
        assert.strictEqual(operator("Greater"), 'expected comparison_operator to be one of ["GreaterThanThreshold" "LessThanThreshold"], got Greater');
        assert.strictEqual(operator({ __pulumiUnknown: true }), undefined);
    });
});
