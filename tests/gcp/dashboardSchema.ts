import * as fs from "fs";
import * as path from "path";
import * as protobuf from "protobufjs";

/** Google's own protos (google-proto-files), as the Monitoring API serves them. */
const PROTOS = path.dirname(require.resolve("google-proto-files/package.json"));
const DASHBOARD_PROTO = "google/monitoring/dashboard/v1/dashboard.proto";

let dashboard: protobuf.Type | undefined;

/** The Monitoring Dashboards API v1 `Dashboard` message. */
export function dashboardType(): protobuf.Type {
    if (dashboard) return dashboard;
    const root = new protobuf.Root();
    // Well-known types (google/protobuf/*) are protobufjs's own when the package has no file for them.
    root.resolvePath = (_origin, target) => (fs.existsSync(path.join(PROTOS, target)) ? path.join(PROTOS, target) : target);
    root.loadSync(DASHBOARD_PROTO);
    root.resolveAll();
    return (dashboard = root.lookupType("google.monitoring.dashboard.v1.Dashboard"));
}

/**
 * Where `json` is not what the API keeps of it, as proto3 JSON of `type` (protobuf.dev/programming-guides/json):
 * a field the message does not have, an enum name it does not define, a value of the wrong type, two members of
 * one oneof, and a value the API's answer leaves out (zero, "", false, an empty list, an enum's zero value), which
 * the provider would then show as a diff on every preview.
 */
export function proto3JsonProblems(type: protobuf.Type, json: unknown, where = type.name): string[] {
    if (type.fullName === ".google.protobuf.Duration") {
        return typeof json === "string" && /^\d+(\.\d{1,9})?s$/.test(json) && !/^0+(\.0+)?s$/.test(json) ? [] : [`${where}: ${JSON.stringify(json)} is not a non-zero Duration such as "300s"`];
    }
    if (json === null || typeof json !== "object" || Array.isArray(json)) return [`${where}: expected a ${type.name} object`];
    const problems: string[] = [];
    for (const oneof of type.oneofsArray) {
        const set = oneof.oneof.filter((name) => name in json);
        if (set.length > 1) problems.push(`${where}: ${set.join(" and ")} are one oneof (${oneof.name})`);
    }
    for (const [key, value] of Object.entries(json)) {
        const field = type.fields[key];
        if (!field) {
            problems.push(`${where}.${key}: ${type.name} has no such field`);
            continue;
        }
        const at = `${where}.${key}`;
        if (field instanceof protobuf.MapField) {
            const entries = value !== null && typeof value === "object" ? Object.entries(value) : [];
            if (entries.length === 0) problems.push(`${at}: an empty map is left out of the answer`);
            for (const [k, v] of entries) problems.push(...valueProblems(field, v, `${at}.${k}`));
        } else if (field.repeated) {
            if (!Array.isArray(value) || value.length === 0) problems.push(`${at}: expected a non-empty list`);
            else value.forEach((item, i) => problems.push(...valueProblems(field, item, `${at}[${i}]`)));
        } else {
            problems.push(...valueProblems(field, value, at));
        }
    }
    return problems;
}

function valueProblems(field: protobuf.Field, value: unknown, at: string): string[] {
    const resolved = field.resolvedType;
    if (resolved instanceof protobuf.Enum) {
        if (typeof value !== "string" || !(value in resolved.values)) return [`${at}: ${JSON.stringify(value)} is not one of ${Object.keys(resolved.values).join(", ")}`];
        return resolved.values[value] === 0 ? [`${at}: ${value} is the enum's zero value, left out of the answer`] : [];
    }
    if (resolved instanceof protobuf.Type) return proto3JsonProblems(resolved, value, at);
    switch (field.type) {
        case "string":
            return typeof value === "string" && value !== "" ? [] : [`${at}: expected a non-empty string`];
        case "bool":
            return value === true ? [] : [`${at}: only true is kept (false is left out of the answer)`];
        case "double":
        case "float":
            return typeof value === "number" && Number.isFinite(value) && value !== 0 ? [] : [`${at}: expected a non-zero number`];
        case "int32":
        case "uint32":
        case "sint32":
            return Number.isInteger(value) && value !== 0 && Math.abs(value as number) < 2 ** 31 ? [] : [`${at}: expected a non-zero 32-bit integer`];
        default:
            return [`${at}: ${field.type} is not checked here`];
    }
}

/**
 * The rules the dashboard proto states in its comments rather than its types, which the API applies: a Threshold's
 * colour and direction are "not allowed in a XyChart", its target axis "not allowed in a Scorecard"
 * (google/monitoring/dashboard/v1/metrics.proto, message Threshold).
 */
export function thresholdRuleProblems(json: { mosaicLayout?: { tiles?: { widget?: any }[] } }): string[] {
    const problems: string[] = [];
    for (const [i, tile] of (json.mosaicLayout?.tiles ?? []).entries()) {
        const widget = tile.widget ?? {};
        for (const [j, t] of (widget.xyChart?.thresholds ?? []).entries()) {
            const at = `mosaicLayout.tiles[${i}] (${widget.title}).xyChart.thresholds[${j}]`;
            if ("color" in t) problems.push(`${at}: Color is not allowed in a XyChart`);
            if ("direction" in t) problems.push(`${at}: Direction is not allowed in a XyChart`);
        }
        for (const [j, t] of (widget.scorecard?.thresholds ?? []).entries()) {
            if ("targetAxis" in t) problems.push(`mosaicLayout.tiles[${i}] (${widget.title}).scorecard.thresholds[${j}]: Target axis is not allowed in a Scorecard`);
        }
    }
    return problems;
}
