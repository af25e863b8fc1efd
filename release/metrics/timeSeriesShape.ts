/**
 * The figures of timeSeries.list points as the release's aggregations return them, or MetricsUnreadable naming the
 * metric and what is not. request_count summed (REDUCE_SUM) keeps the metric's INT64 value type ("The value_type of the
 * output is the same as the value_type of the input", common.proto), one series per response_code_class (the group-by
 * field); a percentile reducer's output is DOUBLE (REDUCE_PERCENTILE_95: "The value of the output is `DOUBLE`"). Counts,
 * latencies and utilization ratios are never below 0. A point without such a value would be summed as no requests of
 * its class, or left out of the worst p95; a class twice would be counted twice: the read stops instead.
 */
import type { protos } from "@google-cloud/monitoring";
import { MetricsUnreadable } from "./metricSource";

type TypedValue = protos.google.monitoring.v3.ITypedValue;

function unreadable(metric: string, problem: string): MetricsUnreadable {
    return new MetricsUnreadable(`Cloud Monitoring answered ${metric} in a shape it does not send (${problem}): nothing is judged on it`);
}

/** What a point's value holds, for a message: the oneof member the client names, or the value itself. */
function shown(value: TypedValue | null | undefined): string {
    const member = (value as { value?: string } | null | undefined)?.value ?? Object.keys(value ?? {}).find((key) => key.endsWith("Value"));
    if (!value || !member) return "no value";
    const held = value[member as keyof TypedValue];
    return member === "distributionValue" ? "a distributionValue" : `${member} ${typeof held === "number" ? String(held) : JSON.stringify(held)}`;
}

/** A count: an int64 (a decimal string from gRPC, a number or a Long by transport) of at least 0, or such a double. */
export function countOfPoint(metric: string, where: string, value: TypedValue | null | undefined): number {
    const int64 = value?.int64Value;
    if (int64 !== null && int64 !== undefined) {
        const text = String(int64);
        if (/^\d+$/.test(text)) return Number(text);
    } else if (typeof value?.doubleValue === "number" && Number.isFinite(value.doubleValue) && value.doubleValue >= 0) {
        return value.doubleValue;
    }
    throw unreadable(metric, `${where}: ${shown(value)}, not a count`);
}

/** A percentile: a finite double of at least 0. */
export function doubleOfPoint(metric: string, where: string, value: TypedValue | null | undefined): number {
    const double = value?.doubleValue;
    if (typeof double === "number" && Number.isFinite(double) && double >= 0) return double;
    throw unreadable(metric, `${where}: ${shown(value)}, not a figure of at least 0`);
}

/** The response_code_class of a request_count series: present, and not one already counted. */
export function codeClassOf(metric: string, codeClass: string | undefined, counted: Set<string>): string {
    if (!codeClass) throw unreadable(metric, "a series without its response_code_class");
    if (counted.has(codeClass)) throw unreadable(metric, `the ${codeClass} series twice`);
    counted.add(codeClass);
    return codeClass;
}
