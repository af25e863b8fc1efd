/**
 * How the release's Cloud Monitoring reads (metrics/cloudMonitoringSource.ts, alerts/channelStatus.ts) retry, within a
 * total of their own. The clients' own settings retry UNAVAILABLE alone, for up to 600 s (metric_service_client_config.json,
 * notification_channel_service_client_config.json), which would stall a poll for ten minutes. A call's `timeout` cuts
 * that total but also each attempt's limit to what is left of it (google-gax gax.js CallSettings.merge; normalCalls/retries.js
 * `Math.min(timeoutCal, rpcTimeout, deadline - now)`): the last attempt may get a few milliseconds, end in
 * DEADLINE_EXCEEDED, which the client does not retry, and return that error alone, without the UNAVAILABLE before it
 * that said why (a proxy's certificate gRPC does not trust: grpcAnswer.ts). Retrying DEADLINE_EXCEEDED too, within the
 * same total, ends such a read in gax's "Total timeout of API ... exceeded" error, whose "Previous errors" keep every
 * attempt's words. Passing `retry` with its backoffSettings keeps `timeout` from overriding them (CallSettings.merge).
 * Reads only: retrying one that the server may have carried out is safe.
 */

/** gRPC's status codes (@grpc/grpc-js build/src/constants.js Status; google-gax build/src/status.js). */
const DEADLINE_EXCEEDED = 4;
const UNAVAILABLE = 14;

/** google-gax's BackoffSettings (build/src/gax.d.ts), with a total rather than maxRetries. */
export interface ReadBackoff {
    initialRetryDelayMillis: number;
    retryDelayMultiplier: number;
    maxRetryDelayMillis: number;
    initialRpcTimeoutMillis: number;
    rpcTimeoutMultiplier: number;
    maxRpcTimeoutMillis: number;
    totalTimeoutMillis: number;
}

/** The options of a read's call that the release sets: google-gax's CallOptions `retry`. */
export interface MonitoringReadOptions {
    retry: { retryCodes: number[]; backoffSettings: ReadBackoff };
}

/**
 * The backoff of a read that may take `totalMs`, retries included. The waits between attempts are the clients' own
 * (100 ms, times 1.3 each time), at most a tenth of the total: gax checks the total only after a wait, so a wait begun
 * just before it ends overruns it by that much at most. Each attempt may take what is left of the total.
 */
export function monitoringReadBackoff(totalMs: number): ReadBackoff {
    return {
        initialRetryDelayMillis: 100,
        retryDelayMultiplier: 1.3,
        maxRetryDelayMillis: totalMs / 10,
        initialRpcTimeoutMillis: totalMs,
        rpcTimeoutMultiplier: 1,
        maxRpcTimeoutMillis: totalMs,
        totalTimeoutMillis: totalMs,
    };
}

/** The longest a read given `totalMs` may take: the total, and the last wait begun just before it ended. */
export function monitoringReadWorstMs(totalMs: number): number {
    return totalMs + monitoringReadBackoff(totalMs).maxRetryDelayMillis;
}

/** A read's call options: UNAVAILABLE and DEADLINE_EXCEEDED retried within `totalMs`. */
export function monitoringReadOptions(totalMs: number): MonitoringReadOptions {
    return { retry: { retryCodes: [UNAVAILABLE, DEADLINE_EXCEEDED], backoffSettings: monitoringReadBackoff(totalMs) } };
}
