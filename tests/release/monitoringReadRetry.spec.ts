import * as assert from "assert";
import { mock } from "node:test";
import { UNTRUSTED_ISSUER_REMEDY } from "../../components/noAnswer";
import { monitoringChannelStatus } from "../../release/alerts/channelStatus";
import { cloudMonitoringSource } from "../../release/metrics/cloudMonitoringSource";
import { BakeWindow, DeployedTarget } from "../../release/types";
import { changeProcessEnvironment } from "../../scripts/offline/environment";
import { regExpText } from "../harness/regExpText";
import { StubMethod, clientAnsweringWith } from "./monitoringClient";

/** @grpc/grpc-js's words behind a proxy that inspects TLS with a CA it does not trust (tests/release/behindInterceptingProxy.spec.ts). */
const untrusted = () => Object.assign(new Error("14 UNAVAILABLE: No connection established. Last error: Error: self-signed certificate in certificate chain. Resolution note: "), { code: 14, details: "" });
/** @grpc/grpc-js's words when an attempt's deadline passes before its channel is ready (build/src/resolving-call.js), as the harness saw them under load. */
const deadlinePassed = () => Object.assign(new Error("4 DEADLINE_EXCEEDED: Deadline exceeded after 0.001s,waiting for metadata filters"), { code: 4, details: "" });

/**
 * An endpoint whose first attempt fails the handshake (UNAVAILABLE) and whose next one is still connecting when its
 * deadline passes: as behind the intercepting proxy when the process is slow, the last retry getting what is left of the
 * total. Time is the test's: Date is mocked, and the second attempt moves it to that attempt's deadline.
 */
function untrustedThenDeadline(): StubMethod & { attempts: number } {
    const answer = Object.assign(
        (_request: unknown, _metadata: unknown, options: { deadline: Date }, callback: (err: Error | null) => void) => {
            answer.attempts++;
            if (answer.attempts === 1) setImmediate(() => callback(untrusted()));
            else if (answer.attempts === 2) (mock.timers.tick(options.deadline.getTime() - Date.now()), setImmediate(() => callback(deadlinePassed())));
            else setImmediate(() => callback(new Error(`attempt ${answer.attempts} after the deadline`)));
            return { cancel() {} };
        },
        { attempts: 0 },
    );
    return answer;
}

const window: BakeWindow = { step: 10, start: new Date("2025-01-01T00:00:00Z"), end: new Date("2025-01-01T00:09:30Z") };
const cloudRun: DeployedTarget = { cloud: "gcp", version: "service-00008-def", service: "service-0a1b2c3", alarms: [] };

describe("the Cloud Monitoring reads through google-gax's retries: the last attempt cut short by the total keeps the earlier attempts' words", () => {
    let restoreEnvironment = () => {};
    beforeEach(() => {
        // gRPC's own roots file changes the remedy (noAnswer.ts grpcRootsRemedy); this machine may set one.
        restoreEnvironment = changeProcessEnvironment({ GRPC_DEFAULT_SSL_ROOTS_FILE_PATH: undefined });
        mock.timers.enable({ apis: ["Date"], now: window.end.getTime() });
    });
    afterEach(() => (mock.timers.reset(), restoreEnvironment()));

    // gax's error once the read's own total (30 s, not the client's 600 s) has passed, every attempt's words in it.
    const totalPassed = /: Total timeout of API google\.monitoring\.v3\.\w+ exceeded 30000 milliseconds retrying error Error: 4 DEADLINE_EXCEEDED: .* : Previous errors : \[\{message: 14 UNAVAILABLE: /;
    const namesCodeAndRemedy = new RegExp(`self-signed certificate in certificate chain\\b.*\\(SELF_SIGNED_CERT_IN_CHAIN\\); ${regExpText(UNTRUSTED_ISSUER_REMEDY)}$`);

    it("a metric read (timeSeries.list)", async () => {
        // The request counts' query fails so; the read's other queries (latency, utilization) find no series.
        const answer = untrustedThenDeadline();
        const noSeries = { timeSeries: [], nextPageToken: "", executionErrors: [] };
        const client = await clientAnsweringWith("MetricServiceClient", "listTimeSeries", (request, metadata, options, callback) =>
            String((request as { filter?: string }).filter).includes("request_count") ? answer(request, metadata, options, callback) : (setImmediate(() => callback(null, noSeries)), { cancel() {} }),
        );
        const said = await (await cloudMonitoringSource("offline-project", {}, client)).read(cloudRun, window).then(() => "answered", (err: Error) => err.message);
        assert.match(said, totalPassed);
        assert.match(said, namesCodeAndRemedy);
        assert.strictEqual(answer.attempts, 2, said);
    });

    it("the channel read (notificationChannels.get)", async () => {
        const answer = untrustedThenDeadline();
        const client = await clientAnsweringWith("NotificationChannelServiceClient", "getNotificationChannel", answer);
        const said = await (await monitoringChannelStatus("offline-project", {}, client))("projects/offline-project/notificationChannels/123").then(() => "answered", (err: Error) => err.message);
        assert.match(said, totalPassed);
        assert.match(said, namesCodeAndRemedy);
        assert.strictEqual(answer.attempts, 2, said);
    });
});
