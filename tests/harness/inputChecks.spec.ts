import * as assert from "assert";
import { InputCheck, inputCheckRefusal, oneOf, valuesAt } from "../../scripts/offline/inputChecks";

// The engine's words for a Check failure (pulumi/pulumi sdk/go/common/diag/errors.go, GetResourcePropertyInvalidValueError;
// its lifecycle tests print "pkgA:m:typA resource 'resA': property foo value {bad} has a problem: Bad foo").
describe("the providers' input checks under mocks", () => {
    const stat: InputCheck = { type: "aws:cloudwatch/metricAlarm:MetricAlarm", property: "metricQueries[].metric.stat", refuse: (v) => (v === "Bad" ? "Bad stat" : undefined) };

    it("finds each value at a path, list elements with their index, and skips what is absent", () => {
        const inputs = { metricQueries: [{ metric: { stat: "Sum" } }, { expression: "m1" }, { metric: { stat: "Bad" } }] };
        assert.deepStrictEqual(valuesAt(inputs, stat.property), [
            { path: "metricQueries[0].metric.stat", value: "Sum" },
            { path: "metricQueries[2].metric.stat", value: "Bad" },
        ]);
    });

    it("refuses in the engine's words, naming the resource, the property with its index, the value and the provider's reason", () => {
        const inputs = { metricQueries: [{ metric: { stat: "Sum" } }, { metric: { stat: "Bad" } }] };
        assert.strictEqual(
            inputCheckRefusal(stat.type, "api-errors", inputs, [stat])?.message,
            "aws:cloudwatch/metricAlarm:MetricAlarm resource 'api-errors': property metricQueries[1].metric.stat value {Bad} has a problem: Bad stat",
        );
        assert.strictEqual(inputCheckRefusal("aws:sns/topic:Topic", "t", inputs, [stat]), undefined, "another type is not checked");
    });

    // terraform-plugin-sdk helper/validation/strings.go, StringInSlice: "expected %s to be one of %q, got %s".
    it("oneOf answers as terraform-plugin-sdk's StringInSlice, and takes what is not a string (an unknown, a secret)", () => {
        const operator = oneOf("comparison_operator", ["GreaterThanThreshold", "LessThanThreshold"]);
        assert.strictEqual(operator("GreaterThanThreshold"), undefined);
        assert.strictEqual(operator("Greater"), 'expected comparison_operator to be one of ["GreaterThanThreshold" "LessThanThreshold"], got Greater');
        assert.strictEqual(operator({ __pulumiUnknown: true }), undefined);
    });
});
