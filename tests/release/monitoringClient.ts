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
