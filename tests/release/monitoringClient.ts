import type { protos } from "@google-cloud/monitoring";

/** The options google-gax decodes every answer with (build/src/grpc.js GrpcClient.defaultOptions; fallback.js the same for REST). */
const GAX_DECODING = { longs: String, enums: String, defaults: true, oneofs: true };

/** A generated message class of the client's protos, as protobufjs's static code gives it. */
interface MessageType {
    fromObject(object: Record<string, unknown>): unknown;
    encode(message: unknown): { finish(): Uint8Array };
    decode(wire: Uint8Array): unknown;
    toObject(message: unknown, options: typeof GAX_DECODING): Record<string, unknown>;
}

/**
 * A google.monitoring.v3 message as @google-cloud/monitoring hands it to the caller: encoded to the wire through the
 * client's own protos and decoded with google-gax's options, so an int64 is a decimal string, an enum its name (an
 * absent one its zero name), an absent message field null, an absent scalar its default, and a oneof names its set
 * member (TypedValue `value`: "int64Value"); a google.protobuf.BoolValue stays a message ({ value: false }).
 */
export async function asTheClientHandsIt<T extends object>(type: "ListTimeSeriesResponse" | "NotificationChannel", message: T): Promise<T> {
    const messageType: MessageType = (await import("@google-cloud/monitoring")).protos.google.monitoring.v3[type] as unknown as MessageType;
    return messageType.toObject(messageType.decode(messageType.encode(messageType.fromObject(message as Record<string, unknown>)).finish()), GAX_DECODING) as T;
}

/** A grpc-js unary method as google-gax calls it (build/src/normalCalls/timeout.js addTimeoutArg): `options.deadline` is the attempt's. */
export type StubMethod = (request: unknown, metadata: unknown, options: { deadline: Date }, callback: (err: Error | null, response?: unknown) => void) => { cancel(): void };

/**
 * A client of @google-cloud/monitoring as the release makes it (googleCredentials, ESC's access token), whose gRPC stub
 * answers `method` with `answer`: each call goes through the client's own settings and google-gax's own retry loop
 * (createApiCall, normalCalls/retries.js), and never leaves the process. The client looks its stub's method up at each
 * call (metric_service_client.js initialize: `const func = stub[methodName]`), so it is replaced once the stub is made.
 */
export async function clientAnsweringWith<C extends "MetricServiceClient" | "NotificationChannelServiceClient">(kind: C, method: string, answer: StubMethod) {
    const monitoring = await import("@google-cloud/monitoring");
    const { googleCredentials } = await import("../../release/googleClientCredentials");
    const client = new monitoring[kind](await googleCredentials({ GOOGLE_OAUTH_ACCESS_TOKEN: "ya29.release-access-token" }, "offline-project"));
    const stub = (await client.initialize()) as unknown as Record<string, StubMethod>;
    stub[method] = answer;
    return client as InstanceType<(typeof monitoring)[C]>;
}

/**
 * One response_code_class's request_count series as an ALIGN_DELTA + REDUCE_SUM list returns it (metric.proto
 * TimeSeries; common.proto REDUCE_SUM keeps the input's INT64): its group-by label, the revision's resource, metricKind
 * DELTA, valueType INT64, and `n` requests in one point over the list's `interval`.
 */
export function requestCountSeries(codeClass: string, n: number, interval: protos.google.monitoring.v3.ITimeInterval | null | undefined): protos.google.monitoring.v3.ITimeSeries {
    return {
        metric: { type: "run.googleapis.com/request_count", labels: { response_code_class: codeClass } },
        resource: { type: "cloud_run_revision", labels: { project_id: "multicloud-service-prod" } },
        metricKind: "DELTA",
        valueType: "INT64",
        points: [{ interval, value: { int64Value: n } }],
    };
}
