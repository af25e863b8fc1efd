/**
 * What in a GetMetricData answer is not as CloudWatch sends it, named, or undefined. Each query the release asks for
 * returns data (ReturnData), so each has a MetricDataResult: its Id, its StatusCode, and Values beside Timestamps,
 * "The number of values always matches the number of timestamps and the timestamp for Values[x] is Timestamps[x]"
 * (@aws-sdk/client-cloudwatch MetricDataResult; botocore cloudwatch service-2.json). Every figure the release asks for
 * (Sum of Invocations, Errors and the 5xx answers, p95 of Duration, Maximum of ConcurrentExecutions) is a number of
 * at least 0; CloudWatch stores no NaN or Infinity (PutMetricData: "special values (for example, NaN, +Infinity,
 * -Infinity) are not supported"). A result missing, a value that is not such a figure, or a data point twice would be
 * summed as no errors or no latency, or thin out the error share: the read stops instead.
 */
import type { GetMetricDataCommandOutput, MetricDataResult } from "@aws-sdk/client-cloudwatch";

type Pages = readonly Pick<GetMetricDataCommandOutput, "MetricDataResults">[];

/** A result that is not one with an Id: nothing can be read of it, not even its StatusCode. */
export function namelessResult(pages: Pages): string | undefined {
    for (const page of pages) {
        const results: unknown = page.MetricDataResults ?? [];
        if (!Array.isArray(results)) return `MetricDataResults is ${JSON.stringify(results)}, not a list`;
        const nameless = results.find((r) => typeof r !== "object" || r === null || typeof (r as MetricDataResult).Id !== "string");
        if (nameless !== undefined) return `a result without an Id: ${JSON.stringify(nameless)?.slice(0, 200)}`;
    }
    return undefined;
}

/** The first way the answer to the `asked` query Ids is not as CloudWatch sends it (results already have Ids). */
export function metricDataProblem(pages: Pages, asked: readonly string[]): string | undefined {
    const results = pages.flatMap((page) => page.MetricDataResults ?? []);
    const unanswered = asked.find((id) => !results.some((r) => r.Id === id));
    if (unanswered) return `no result for ${unanswered}`;
    for (const page of pages) {
        const ids = (page.MetricDataResults ?? []).map((r) => r.Id);
        const twice = ids.find((id, i) => ids.indexOf(id) !== i);
        if (twice) return `${twice} twice on one page`;
    }
    const seen = new Map<string, Set<number | string>>();
    for (const r of results) {
        const id = r.Id as string;
        if (r.StatusCode === undefined) return `${id} without a StatusCode`;
        const values: unknown = r.Values ?? [];
        const timestamps: unknown = r.Timestamps ?? [];
        if (!Array.isArray(values) || !Array.isArray(timestamps)) return `${id}'s Values or Timestamps are not a list`;
        if (values.length !== timestamps.length) return `${id} has ${values.length} Values and ${timestamps.length} Timestamps`;
        const notAFigure = values.findIndex((v) => typeof v !== "number" || !Number.isFinite(v) || v < 0);
        if (notAFigure >= 0) return `${id}'s Values[${notAFigure}] is ${typeof values[notAFigure] === "string" ? JSON.stringify(values[notAFigure]) : String(values[notAFigure])}, not a figure of at least 0`;
        const times = seen.get(id) ?? new Set();
        seen.set(id, times);
        for (const t of timestamps) {
            const key = t instanceof Date ? t.getTime() : String(t);
            if (times.has(key)) return `${id} has the data point of ${t instanceof Date ? t.toISOString() : String(t)} twice`;
            times.add(key);
        }
    }
    return undefined;
}
