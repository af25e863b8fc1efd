import * as assert from "assert";
import { SettingsError } from "../../config";
import { fromStackDocument } from "../../config/stackFile";
import { projectSettingsSchema } from "../../config/schema";
import { z } from "zod";
import { parse, problemsOf, stackWith } from "./helpers";

describe("stack settings: the committed stack files", () => {
    it("dev carries the runbook's dev values", () => {
        const s = parse(stackWith("dev"), "dev");
        assert.deepStrictEqual(s.service, {
            cache: { maxEntries: 10000, ttlSeconds: 3600 },
            batchSize: 100,
            retentionDays: 30,
            adminFeatures: true,
            debug: true,
            logLevel: "debug",
            storage: { attemptTimeoutMs: 2000, maxAttempts: 3, deadlineMs: 6000 },
        });
        assert.strictEqual(s.isProduction, false);
        assert.deepStrictEqual(s.providers, { "aws:region": "ap-northeast-1", "gcp:region": "asia-northeast1", "gcp:project": "multicloud-service-dev" });
    });

    it("prod carries the runbook's prod values", () => {
        const s = parse(stackWith("prod"), "prod");
        assert.deepStrictEqual(s.service, {
            cache: { maxEntries: 50000, ttlSeconds: 7200 },
            batchSize: 500,
            retentionDays: 90,
            adminFeatures: false,
            debug: false,
            logLevel: "info",
            storage: { attemptTimeoutMs: 2000, maxAttempts: 3, deadlineMs: 6000 },
        });
        assert.strictEqual(s.isProduction, true);
        assert.strictEqual(s.gcp.cpu, "2");
        assert.strictEqual(s.gcp.memory, "2Gi");
        assert.strictEqual(s.gcp.maxInstances, 10);
    });

    // Before: a rule across settings that refused a key left unset said "(got nothing)", not the default it compared.
    it("a key left unset that a rule across settings refuses is quoted at its default", () => {
        const problems = problemsOf(stackWith("dev", (d) => Object.assign(d["multicloud-service:gcp"], { requestTimeoutSeconds: 1, alerts: { errorRatePercent: 5 } })));
        assert.ok(
            problems.includes("multicloud-service:gcp.alerts.p95LatencyMs: must be below gcp.requestTimeoutSeconds (1000 ms): no request's latency passes its timeout, so the alert could never fire (got nothing, so its default 2000)"),
            problems.join("\n"),
        );
    });

    it("fills defaults for everything a stack file may leave out", () => {
        const s = parse(stackWith("dev", (d) => {
            d["multicloud-service:aws"] = {};
            d["multicloud-service:gcp"] = undefined;
            d["aws:region"] = undefined;
            d["gcp:region"] = undefined;
        }));
        assert.strictEqual(s.aws.enabled, true);
        assert.strictEqual(s.aws.memoryMb, 512);
        assert.strictEqual(s.aws.timeoutSeconds, 30);
        assert.strictEqual(s.aws.architecture, "arm64");
        assert.deepStrictEqual(s.aws.functionUrl, { authType: "AWS_IAM", corsOrigins: [] });
        assert.deepStrictEqual(s.aws.alarms, { errorRatePercent: 5, p95DurationMs: 2000 });
        assert.strictEqual(s.gcp.publicInvoker, false);
        assert.strictEqual(s.gcp.cpu, "1");
        // The go-live checklist's rollback figures for Cloud Run's alerts and gates (errors pass 5 %, p95 passes 2 s): every
        // stack file sets them, so only a stack that leaves them out reads these defaults.
        assert.deepStrictEqual(s.gcp.alerts, { errorRatePercent: 5, p95LatencyMs: 2000 });
        assert.strictEqual(s.providers["aws:region"], "ap-northeast-1");
        assert.strictEqual(s.providers["gcp:region"], "asia-northeast1");
    });

    // Google's locations include two-digit regions ("europe-west10 | Berlin", "europe-west12 | Turin"), and Cloud Run's
    // vCPU and memory table has 6 vCPU with 4 to 24 GiB (cloud.google.com/run/docs/configuring/services/cpu).
    it("accepts what the clouds offer: a two-digit Google region, Cloud Run's 6 vCPU with 4-24 GiB", () => {
        const withGcp = (region: string, cpu: string, memory: string) =>
            parse(stackWith("dev", (d) => ((d["gcp:region"] = region), Object.assign(d["multicloud-service:gcp"], { cpu, memory }))));
        const s = withGcp("europe-west10", "6", "8Gi");
        assert.deepStrictEqual([s.providers["gcp:region"], s.gcp.cpu, s.gcp.memory], ["europe-west10", "6", "8Gi"]);
        assert.throws(() => withGcp("europe-west12", "6", "2Gi"), /must be between 4096Mi and 24576Mi with 6 CPU/);
        assert.throws(() => withGcp("europe-west12", "6", "32Gi"), /must be between 4096Mi and 24576Mi with 6 CPU/);
    });

    // Lambda's reservation has no maximum of its own (PutFunctionConcurrency: "Minimum value of 0"; the provider checks
    // IntAtLeast(-1)): the account's concurrency limit, which a quota increase raises past 10,000, is checked before the
    // function is registered (components/aws/accountConcurrency.ts).
    it("accepts a reserved concurrency above 10,000, which an account with a raised quota can grant; a negative one is named", () => {
        const withReservation = (n: unknown) => parse(stackWith("prod", (d) => (d["multicloud-service:aws"].reservedConcurrency = n)));
        assert.strictEqual(withReservation(12_000).aws.reservedConcurrency, 12_000);
        assert.throws(() => withReservation(-1), /multicloud-service:aws\.reservedConcurrency: must be a whole number, 0 or more \(got -1\)/);
    });

    // Cloud Run's maximum instances is what the region's CPU and memory quotas allow ("About maximum instances"), which
    // a quota increase raises past 1,000; the quotas are checked before the service is registered (cloudRunQuota.ts).
    it("accepts max instances above 1,000, which a project with a raised Cloud Run quota can run; 0 is named", () => {
        const withMax = (n: unknown) => parse(stackWith("prod", (d) => (d["multicloud-service:gcp"].maxInstances = n)));
        assert.strictEqual(withMax(1500).gcp.maxInstances, 1500);
        assert.throws(() => withMax(0), /multicloud-service:gcp\.maxInstances: must be a whole number, 1 or more \(got 0\)/);
    });

    it("unset storage deadlines follow the shortest request timeout, keeping time to answer", () => {
        const withTimeout = (seconds: number) =>
            parse(stackWith("dev", (d) => Object.assign(d["multicloud-service:aws"], { timeoutSeconds: seconds, alarms: { p95DurationMs: 500 } }))).service.storage;
        assert.deepStrictEqual(withTimeout(30), { attemptTimeoutMs: 2000, maxAttempts: 3, deadlineMs: 6000 });
        assert.deepStrictEqual(withTimeout(3), { attemptTimeoutMs: 2000, maxAttempts: 3, deadlineMs: 2400 });
        assert.deepStrictEqual(withTimeout(1), { attemptTimeoutMs: 800, maxAttempts: 3, deadlineMs: 800 });
    });
});

/** A rule's setter for aws.reservedConcurrency in a stack whose release.maxUtilizationPercent is `percent`. */
const reservationAt = (percent: number) => (d: any, v: unknown) => {
    d["multicloud-service:aws"].reservedConcurrency = v;
    d["multicloud-service:release"] = { maxUtilizationPercent: percent };
};

/** Where each cloud's alert e-mail is set, and what the rules' names call its notifications. */
const ALERT_EMAIL = { aws: { parent: "alarms", called: "the alarms'" }, gcp: { parent: "alerts", called: "the alert policies'" } } as const;

/**
 * A cloud switched off has no alarm topic or alert policy to notify from: in a production stack with `off` switched
 * off, only the other cloud's e-mail is required, refused missing with `message`.
 */
function emailOfTheCloudLeftOn(off: keyof typeof ALERT_EMAIL, message: string) {
    const on = off === "aws" ? "gcp" : "aws";
    const { parent } = ALERT_EMAIL[on];
    return {
        name: `a production stack with ${off.toUpperCase()} off needs ${ALERT_EMAIL[on].called} e-mail, not ${ALERT_EMAIL[off].called}`,
        key: `multicloud-service:${on}.${parent}.email`,
        set: (d: any, v: unknown) => {
            d[`multicloud-service:${off}`] = { enabled: false };
            if (v === null) delete d[`multicloud-service:${on}`][parent].email;
            else d[`multicloud-service:${on}`][parent].email = v;
        },
        good: "oncall@example.com",
        bad: null,
        stack: "prod",
        message,
    };
}

/** A rule's setter: gcp.registryAccess set to `access` on a stack that runs dev's registries (image.registriesOf: dev). */
const registryAccessOnDevsRegistries = (d: any, access: unknown) => {
    d["multicloud-service:image"] = { registriesOf: "dev" };
    d["multicloud-service:gcp"].registryAccess = access;
};

/** Each rule: a value that passes and one that fails with the exact message. */
const rules: { name: string; key: string; good: unknown; bad: unknown; set: (d: any, v: unknown) => void; message: string; stack?: string }[] = [
    {
        name: "cache size is a whole number in range",
        key: "multicloud-service:service.cache.maxEntries",
        set: (d, v) => (d["multicloud-service:service"].cache.maxEntries = v),
        good: 1_000_000,
        bad: 2_000_000,
        message: "must be a whole number from 1 to 1000000 (got 2000000)",
    },
    {
        name: "cache TTL is a number, not a string",
        key: "multicloud-service:service.cache.ttlSeconds",
        set: (d, v) => (d["multicloud-service:service"].cache.ttlSeconds = v),
        good: 60,
        bad: "3600",
        message: 'must be a whole number from 1 to 86400 (got "3600")',
    },
    {
        name: "batch size at least 1",
        key: "multicloud-service:service.batchSize",
        set: (d, v) => (d["multicloud-service:service"].batchSize = v),
        good: 1,
        bad: 0,
        message: "must be a whole number from 1 to 1000 (got 0)",
    },
    {
        name: "retention is a period CloudWatch accepts",
        key: "multicloud-service:service.retentionDays",
        set: (d, v) => (d["multicloud-service:service"].retentionDays = v),
        good: 365,
        bad: 31,
        message: "must be a CloudWatch retention period: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (got 31)",
    },
    {
        name: "log level is one of four",
        key: "multicloud-service:service.logLevel",
        set: (d, v) => (d["multicloud-service:service"].logLevel = v),
        good: "warn",
        bad: "verbose",
        message: 'invalid option: expected one of "debug"|"info"|"warn"|"error" (got "verbose")',
    },
    {
        name: "the Lambda p95 alarm's threshold is below the function's timeout (Duration never passes it)",
        key: "multicloud-service:aws.alarms.p95DurationMs",
        set: (d, v) => Object.assign(d["multicloud-service:aws"], { timeoutSeconds: 30, alarms: { p95DurationMs: v } }),
        good: 29_999,
        bad: 30_000,
        message: "must be below aws.timeoutSeconds (30000 ms): no request's latency passes its timeout, so the alert could never fire (got 30000)",
    },
    {
        name: "the Cloud Run p95 alert's threshold is below the request timeout",
        key: "multicloud-service:gcp.alerts.p95LatencyMs",
        set: (d, v) => Object.assign(d["multicloud-service:gcp"], { requestTimeoutSeconds: 60, alerts: { p95LatencyMs: v } }),
        good: 59_999,
        bad: 60_000,
        message: "must be below gcp.requestTimeoutSeconds (60000 ms): no request's latency passes its timeout, so the alert could never fire (got 60000)",
    },
    {
        name: "an error-rate threshold is below 100 %",
        key: "multicloud-service:aws.alarms.errorRatePercent",
        set: (d, v) => (d["multicloud-service:aws"].alarms = { errorRatePercent: v }),
        good: 99.5,
        bad: 100,
        message: "must be from 0 to below 100 (percent): no rate or use passes 100 %, so a threshold of 100 could never fire (got 100)",
    },
    {
        name: "the probe's p95 limits are below its 10 s request timeout (a slower answer is no answer)",
        key: "multicloud-service:release.verify.apiP95Ms",
        set: (d, v) => (d["multicloud-service:release"] = { verify: { apiP95Ms: v } }),
        good: 9_999,
        bad: 10_000,
        message: "must be a whole number of ms from 1 to 9999: the probe counts an answer after 10 s as no answer, never as latency, so a higher p95 could never fail (got 10000)",
    },
    {
        // The checklist's "errors under 1 %" is strict (release/verification.ts): under 0 % no version could pass.
        name: "the verification's error bound is above 0 %",
        key: "multicloud-service:release.verify.errorRatePercent",
        set: (d, v) => (d["multicloud-service:release"] = { verify: { errorRatePercent: v } }),
        good: 0.1,
        bad: 0,
        message: "must be above 0 and below 100 (percent): the new version's errors must stay under it, and none are under 0 % (got 0)",
    },
    {
        // 125 req/s offered (1.2 x 104) for 60 s: 7,500 requests, 1,500 of them /health (never limited), plus the smoke
        // test's /objects and /objects/exists: 6,002 counted, over the service's 6,000 a minute. 103 offers 124: 5,954.
        name: "the release's load stays within the service's per-client limit (else 429s roll back a healthy version)",
        key: "multicloud-service:release.verify.minRequestsPerSecond",
        set: (d, v) => (d["multicloud-service:release"] = { verify: { minRequestsPerSecond: v, seconds: 60 } }),
        good: 103,
        bad: 104,
        message:
            "with release.verify.seconds 60, may send one client 6002 rate-limited requests within 60 s, over the service's 6000: the new version would answer 429, counted as errors, and every release would roll back; lower it or release.verify.seconds (got 104)",
    },
    {
        // At the limit, not over it: 326 req/s offered (1.2 x 271, rounded up) for 23 s: 7,498 requests, 1,500 of them
        // /health, plus the smoke test's 2: exactly 6,000 counted, which the service's 6,000 a minute still answers.
        // The only minRequestsPerSecond/seconds pair that counts exactly 6,000. 272 offers 327: 6,018.
        name: "the release's load may reach the service's per-client limit exactly",
        key: "multicloud-service:release.verify.minRequestsPerSecond",
        set: (d, v) => (d["multicloud-service:release"] = { verify: { minRequestsPerSecond: v, seconds: 23 } }),
        good: 271,
        bad: 272,
        message:
            "with release.verify.seconds 23, may send one client 6018 rate-limited requests within 60 s, over the service's 6000: the new version would answer 429, counted as errors, and every release would roll back; lower it or release.verify.seconds (got 272)",
    },
    {
        // components/aws/alarms.ts alarms on ConcurrentExecutions (Maximum) GreaterThanThreshold reservation x 90 / 100, and
        // release/gates.ts breaches on the same share: of a reservation of 1, the minute's health check alone is 100 %.
        name: "a reservation whose single execution is over release.maxUtilizationPercent of it is refused (its alarm and the bake's gate fire on any request)",
        key: "multicloud-service:aws.reservedConcurrency",
        set: (d, v) => (d["multicloud-service:aws"].reservedConcurrency = v),
        good: 2,
        bad: 1,
        message:
            "with release.maxUtilizationPercent 90, a single execution is 100 % of the reservation, over its 90 %: the API's concurrency alarm would notify in every minute a request runs (the health check runs one each minute) and every release's bake would roll back; reserve at least 2 (0 stops the function; unset shares the account's pool) (got 1)",
    },
    {
        // 2 x 40 % = 0.8 of an execution: one is over it. 3 x 40 % = 1.2: one is not.
        name: "a reservation is judged against the release.maxUtilizationPercent the stack sets",
        key: "multicloud-service:aws.reservedConcurrency",
        set: reservationAt(40),
        good: 3,
        bad: 2,
        message:
            "with release.maxUtilizationPercent 40, a single execution is 50 % of the reservation, over its 40 %: the API's concurrency alarm would notify in every minute a request runs (the health check runs one each minute) and every release's bake would roll back; reserve at least 3, or raise release.maxUtilizationPercent to 50 or more (0 stops the function; unset shares the account's pool) (got 2)",
    },
    {
        // At the threshold, not over it: 2 x 50 % is a threshold of exactly 1 execution, and neither the alarm
        // (components/aws/alarms.ts, GreaterThanThreshold: 1 is not greater than 1) nor the bake's gate (release/gates.ts,
        // a breach only when the use is over the threshold) fires on one execution. 1 x 50 % would.
        name: "a reservation whose single execution is exactly release.maxUtilizationPercent of it is accepted",
        key: "multicloud-service:aws.reservedConcurrency",
        set: reservationAt(50),
        good: 2,
        bad: 1,
        message:
            "with release.maxUtilizationPercent 50, a single execution is 100 % of the reservation, over its 50 %: the API's concurrency alarm would notify in every minute a request runs (the health check runs one each minute) and every release's bake would roll back; reserve at least 2 (0 stops the function; unset shares the account's pool) (got 1)",
    },
    {
        name: "Artifact Registry access goes to service accounts",
        key: "multicloud-service:gcp.registryAccess.writers[0]",
        set: (d, v) => (d["multicloud-service:gcp"].registryAccess = { writers: [v] }),
        good: "serviceAccount:image-dev@multicloud-service-deployer.iam.gserviceaccount.com",
        bad: "user:someone@example.com",
        message: 'must be serviceAccount:<account>@<project>.iam.gserviceaccount.com (got "user:someone@example.com")',
    },
    {
        name: "Artifact Registry access names each member once (one grant each)",
        key: "multicloud-service:gcp.registryAccess.readers",
        set: (d, v) => (d["multicloud-service:gcp"].registryAccess = { readers: v }),
        good: ["serviceAccount:promote-prod@multicloud-service-deployer.iam.gserviceaccount.com"],
        bad: ["serviceAccount:promote-prod@multicloud-service-deployer.iam.gserviceaccount.com", "serviceAccount:promote-prod@multicloud-service-deployer.iam.gserviceaccount.com"],
        message: 'must not name a member twice (got ["serviceAccount:promote-prod@multicloud-service-deployer... (165 characters))',
    },
    {
        name: "Cloud Run invokers go to service accounts",
        key: "multicloud-service:gcp.releaseInvokers[0]",
        set: (d, v) => (d["multicloud-service:gcp"].releaseInvokers = [v]),
        good: "serviceAccount:release-prod@multicloud-service-deployer.iam.gserviceaccount.com",
        bad: "allUsers",
        message: 'must be serviceAccount:<account>@<project>.iam.gserviceaccount.com (got "allUsers")',
    },
    {
        name: "Cloud Run invokers name each member once (one grant each)",
        key: "multicloud-service:gcp.releaseInvokers",
        set: (d, v) => (d["multicloud-service:gcp"].releaseInvokers = v),
        good: ["serviceAccount:release-prod@multicloud-service-deployer.iam.gserviceaccount.com"],
        bad: ["serviceAccount:release-prod@multicloud-service-deployer.iam.gserviceaccount.com", "serviceAccount:release-prod@multicloud-service-deployer.iam.gserviceaccount.com"],
        message: 'must not name a member twice (got ["serviceAccount:release-prod@multicloud-service-deployer... (165 characters))',
    },
    {
        name: "a stack on another stack's registries grants no Artifact Registry access (it has no repository)",
        key: "multicloud-service:gcp.registryAccess",
        set: registryAccessOnDevsRegistries,
        good: { writers: [] },
        bad: { writers: ["serviceAccount:image-dev@multicloud-service-deployer.iam.gserviceaccount.com"] },
        message: `must be empty with image.registriesOf: this stack has no repository of its own (set it in dev's stack file) (got {"writers":["serviceAccount:image-dev@multicloud-service-... (92 characters))`,
    },
    {
        name: "storage attempts are 1-10",
        key: "multicloud-service:service.storage.maxAttempts",
        set: (d, v) => (d["multicloud-service:service"].storage = { maxAttempts: v }),
        good: 5,
        bad: 0,
        message: "must be a whole number from 1 to 10 (got 0)",
    },
    {
        name: "one storage attempt fits in the storage deadline",
        key: "multicloud-service:service.storage.attemptTimeoutMs",
        set: (d, v) => (d["multicloud-service:service"].storage = { attemptTimeoutMs: v, deadlineMs: 3000 }),
        good: 3000,
        bad: 3001,
        message: "must fit in service.storage.deadlineMs (3000 ms): one attempt has to end before the deadline (got 3001)",
    },
    {
        name: "one storage attempt fits in the deadline the timeouts leave",
        key: "multicloud-service:service.storage.attemptTimeoutMs",
        set: (d, v) => {
            d["multicloud-service:aws"].timeoutSeconds = 3;
            d["multicloud-service:service"].storage = { attemptTimeoutMs: v };
        },
        good: 2400,
        bad: 2401,
        message: "must fit in the storage deadline that fits the request timeouts (2400 ms): one attempt has to end before the deadline (got 2401)",
    },
    {
        name: "the storage deadline ends a second before the Lambda timeout",
        key: "multicloud-service:service.storage.deadlineMs",
        set: (d, v) => {
            d["multicloud-service:aws"].timeoutSeconds = 10;
            d["multicloud-service:gcp"].enabled = false;
            d["multicloud-service:service"].storage = { deadlineMs: v };
        },
        good: 9000,
        bad: 9001,
        message: "must end at least 1000 ms before aws.timeoutSeconds (10 s), so a slow store is answered 503 rather than cut off (got 9001)",
    },
    {
        name: "the storage deadline ends a second before Cloud Run's request timeout",
        key: "multicloud-service:service.storage.deadlineMs",
        set: (d, v) => {
            d["multicloud-service:aws"].enabled = false;
            d["multicloud-service:gcp"].requestTimeoutSeconds = 5;
            d["multicloud-service:service"].storage = { deadlineMs: v };
        },
        good: 4000,
        bad: 4500,
        message: "must end at least 1000 ms before gcp.requestTimeoutSeconds (5 s), so a slow store is answered 503 rather than cut off (got 4500)",
    },
    {
        name: "the storage deadline ends within Cloud Run's SIGTERM drain (the service refuses to start otherwise)",
        key: "multicloud-service:service.storage.deadlineMs",
        set: (d, v) => (d["multicloud-service:service"].storage = { deadlineMs: v }),
        good: 7999,
        bad: 8000,
        message:
            "must be under 8000 ms while GCP is enabled: Cloud Run's server drains for 8 s after SIGTERM, and a storage call must end within the drain (the service refuses to start otherwise) (got 8000)",
    },
    {
        name: "the pipeline's concurrency is what an Inline Map can run (at most 40 at once)",
        key: "multicloud-service:aws.pipeline.maxConcurrency",
        set: (d, v) => (d["multicloud-service:aws"].pipeline = { maxConcurrency: v }),
        good: 40,
        bad: 41,
        message: "must be a whole number from 1 to 40 (got 41)",
    },
    {
        name: "a production stack's alarms notify someone",
        key: "multicloud-service:aws.alarms.email",
        set: (d, v) => (v === null ? delete d["multicloud-service:aws"].alarms.email : (d["multicloud-service:aws"].alarms.email = v)),
        good: "oncall@example.com",
        bad: null,
        stack: "prod",
        message: "is required in a production stack: the alarms' SNS topic must notify someone (an e-mail subscription) (got nothing)",
    },
    {
        name: "a production stack's alert policies notify someone",
        key: "multicloud-service:gcp.alerts.email",
        set: (d, v) => (v === null ? delete d["multicloud-service:gcp"].alerts.email : (d["multicloud-service:gcp"].alerts.email = v)),
        good: "oncall@example.com",
        bad: null,
        stack: "prod",
        message: "is required in a production stack: the alert policies must notify someone (an e-mail notification channel) (got nothing)",
    },
    {
        name: "Lambda memory 128-10240 MB",
        key: "multicloud-service:aws.memoryMb",
        set: (d, v) => (d["multicloud-service:aws"].memoryMb = v),
        good: 10240,
        bad: 64,
        message: "must be a whole number from 128 to 10240 (got 64)",
    },
    {
        name: "Lambda timeout 1-900 s",
        key: "multicloud-service:aws.timeoutSeconds",
        set: (d, v) => (d["multicloud-service:aws"].timeoutSeconds = v),
        good: 900,
        bad: 901,
        message: "must be a whole number from 1 to 900 (got 901)",
    },
    {
        name: "architecture x86_64 or arm64",
        key: "multicloud-service:aws.architecture",
        set: (d, v) => (d["multicloud-service:aws"].architecture = v),
        good: "x86_64",
        bad: "amd64",
        message: 'invalid option: expected one of "x86_64"|"arm64" (got "amd64")',
    },
    {
        name: "CORS origins are http(s) URLs",
        key: "multicloud-service:aws.functionUrl.corsOrigins[0]",
        set: (d, v) => (d["multicloud-service:aws"].functionUrl.corsOrigins = [v]),
        good: "https://app.example.com",
        bad: "app.example.com",
        message: 'must be an http(s) origin such as https://app.example.com (got "app.example.com")',
    },
    // A browser's Origin header is scheme://host[:port] and nothing else (RFC 6454), so an entry with a path or a
    // trailing slash never matches: CORS would be denied without a word.
    {
        name: "CORS origins are bare origins, as a browser's Origin header is",
        key: "multicloud-service:aws.functionUrl.corsOrigins[0]",
        set: (d, v) => (d["multicloud-service:aws"].functionUrl.corsOrigins = [v]),
        good: "http://localhost:8080",
        bad: "https://app.example.com/",
        message: 'must be a bare origin, scheme://host[:port] with nothing after it, such as https://app.example.com (got "https://app.example.com/")',
    },
    // Lambda API reference, Cors: AllowOrigins "Length Constraints: Minimum length of 1. Maximum length of 253."
    {
        name: "CORS origins are at most 253 characters, Lambda's limit",
        key: "multicloud-service:aws.functionUrl.corsOrigins[0]",
        set: (d, v) => (d["multicloud-service:aws"].functionUrl.corsOrigins = [v]),
        good: `https://${"a".repeat(241)}.com`,
        bad: `https://${"a".repeat(242)}.com`,
        message: `must be at most 253 characters, Lambda's limit for an allowed origin (got "https://${"a".repeat(48)}... (256 characters))`,
    },
    {
        name: "alarm e-mail is an address",
        key: "multicloud-service:aws.alarms.email",
        set: (d, v) => (d["multicloud-service:aws"].alarms.email = v),
        good: "oncall@example.com",
        bad: "oncall",
        message: 'must be an e-mail address (got "oncall")',
    },
    {
        // z.email's pattern takes an address of any length; SMTP carries 254 (RFC 5321 4.5.3.1.3, config/schema.ts email).
        name: "alarm e-mail is no longer than SMTP carries",
        key: "multicloud-service:aws.alarms.email",
        set: (d, v) => (d["multicloud-service:aws"].alarms.email = v),
        good: `${"a".repeat(64)}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(57)}.com`,
        bad: `${"a".repeat(64)}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(58)}.com`,
        message: `must be at most 254 characters: SMTP carries no longer address (RFC 5321 4.5.3.1.3, a path of 256 octets with its < and >) (got "${"a".repeat(56)}... (257 characters))`,
    },
    {
        name: "alert e-mail has no longer local part than SMTP carries",
        key: "multicloud-service:gcp.alerts.email",
        set: (d, v) => (d["multicloud-service:gcp"].alerts = { ...d["multicloud-service:gcp"].alerts, email: v }),
        good: `${"a".repeat(64)}@corp.com`,
        bad: `${"a".repeat(65)}@corp.com`,
        message: `must have at most 64 characters before the @: SMTP carries no longer local part (RFC 5321 4.5.3.1.1) (got "${"a".repeat(56)}... (76 characters))`,
    },
    {
        name: "a prebuilt Lambda image is pinned by digest",
        key: "multicloud-service:aws.image",
        set: (d, v) => (d["multicloud-service:aws"].image = v),
        good: `123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/svc@sha256:${"a".repeat(64)}`,
        bad: "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/svc:latest",
        message: `must be an ECR image pinned by digest, <account>.dkr.ecr.<region>.amazonaws.com/<repository>@sha256:<64 hex digits>, in this stack's account and aws:region, built for aws.architecture (linux/arm64 for arm64, linux/amd64 for x86_64) (got "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/svc:la... (62 characters))`,
    },
    {
        name: "a prebuilt Lambda image is in ECR (Lambda runs nothing else)",
        key: "multicloud-service:aws.image",
        set: (d, v) => (d["multicloud-service:aws"].image = v),
        good: `123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/team/svc@sha256:${"a".repeat(64)}`,
        bad: `docker.io/library/node@sha256:${"a".repeat(64)}`,
        message: `must be an ECR image pinned by digest, <account>.dkr.ecr.<region>.amazonaws.com/<repository>@sha256:<64 hex digits>, in this stack's account and aws:region, built for aws.architecture (linux/arm64 for arm64, linux/amd64 for x86_64) (got "docker.io/library/node@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaa... (96 characters))`,
    },
    {
        name: "a prebuilt Lambda image is in the stack's region",
        key: "multicloud-service:aws.image",
        set: (d, v) => (d["multicloud-service:aws"].image = v),
        good: `123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/svc@sha256:${"a".repeat(64)}`,
        bad: `123456789012.dkr.ecr.us-east-1.amazonaws.com/svc@sha256:${"a".repeat(64)}`,
        message: `must be in this stack's aws:region (ap-northeast-1): Lambda cannot run an image from us-east-1 (got "123456789012.dkr.ecr.us-east-1.amazonaws.com/svc@sha256:... (122 characters))`,
    },
    {
        // ECR's hosts in the China regions end in .amazonaws.com.cn (boto/botocore botocore/data/endpoints.json: partition
        // aws-cn, dnsSuffix amazonaws.com.cn, ecr's api.ecr.cn-north-1.amazonaws.com.cn): such an image is refused for its
        // region, as any other region's is, not called "not an ECR image".
        name: "a prebuilt Lambda image in a China region's ECR is refused for its region",
        key: "multicloud-service:aws.image",
        set: (d, v) => (d["multicloud-service:aws"].image = v),
        good: `123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/svc@sha256:${"a".repeat(64)}`,
        bad: `123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/svc@sha256:${"a".repeat(64)}`,
        message: `must be in this stack's aws:region (ap-northeast-1): Lambda cannot run an image from cn-north-1 (got "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/svc@sha... (126 characters))`,
    },
    {
        name: "a prebuilt Cloud Run image is in a registry Cloud Run deploys from, by digest",
        key: "multicloud-service:gcp.image",
        set: (d, v) => (d["multicloud-service:gcp"].image = v),
        good: `asia-northeast1-docker.pkg.dev/ci-project/images/service@sha256:${"a".repeat(64)}`,
        bad: `ghcr.io/acme/service@sha256:${"a".repeat(64)}`,
        message: `must be a linux/amd64 image pinned by digest in Artifact Registry (<region>-docker.pkg.dev/<project>/<repository>/<image>@sha256:...), Container Registry (gcr.io/<project>/<image>@sha256:...) or Docker Hub (docker.io/<namespace>/<image>@sha256:...) (got "ghcr.io/acme/service@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaa... (94 characters))`,
    },
    {
        name: "Cloud Run also takes gcr.io and Docker Hub images",
        key: "multicloud-service:gcp.image",
        set: (d, v) => (d["multicloud-service:gcp"].image = v),
        good: `docker.io/acme/service@sha256:${"a".repeat(64)}`,
        bad: "gcr.io/acme-project/service:latest",
        message: `must be a linux/amd64 image pinned by digest in Artifact Registry (<region>-docker.pkg.dev/<project>/<repository>/<image>@sha256:...), Container Registry (gcr.io/<project>/<image>@sha256:...) or Docker Hub (docker.io/<namespace>/<image>@sha256:...) (got "gcr.io/acme-project/service:latest")`,
    },
    {
        name: "the image wait is 0-120 minutes",
        key: "multicloud-service:image.waitMinutes",
        set: (d, v) => (d["multicloud-service:image"] = { waitMinutes: v }),
        good: 0,
        bad: 180,
        message: "must be a whole number from 0 to 120 (got 180)",
    },
    {
        name: "Cloud Run cpu is a whole CPU count Cloud Run offers",
        key: "multicloud-service:gcp.cpu",
        set: (d, v) => (d["multicloud-service:gcp"].cpu = v),
        good: "2",
        bad: "3",
        message: 'invalid option: expected one of "1"|"2"|"4"|"6"|"8" (got "3")',
    },
    {
        name: "Cloud Run memory is written like 512Mi or 2Gi",
        key: "multicloud-service:gcp.memory",
        set: (d, v) => (d["multicloud-service:gcp"].memory = v),
        good: "1Gi",
        bad: "2GB",
        message: 'must be a memory size such as 512Mi or 2Gi (got "2GB")',
    },
    {
        name: "Cloud Run cpu/memory pairs",
        key: "multicloud-service:gcp.memory",
        set: (d, v) => (d["multicloud-service:gcp"].memory = v),
        good: "4Gi",
        bad: "8Gi",
        message: 'must be between 512Mi and 4096Mi with 1 CPU (Cloud Run\'s cpu/memory pairs) (got "8Gi")',
    },
    {
        name: "Cloud Run's 4 CPUs need at least 2 GiB (the README's cpu/memory table: 4: 2-16Gi)",
        key: "multicloud-service:gcp.memory",
        set: (d, v) => Object.assign(d["multicloud-service:gcp"], { cpu: "4", memory: v }),
        good: "2Gi",
        bad: "1Gi",
        message: 'must be between 2048Mi and 16384Mi with 4 CPU (Cloud Run\'s cpu/memory pairs) (got "1Gi")',
    },
    {
        name: "Cloud Run's 2 CPUs take at most 8 GiB (the README's cpu/memory table: 2: -8Gi)",
        key: "multicloud-service:gcp.memory",
        set: (d, v) => Object.assign(d["multicloud-service:gcp"], { cpu: "2", memory: v }),
        good: "8Gi",
        bad: "9Gi",
        message: 'must be between 512Mi and 8192Mi with 2 CPU (Cloud Run\'s cpu/memory pairs) (got "9Gi")',
    },
    {
        // cloud.google.com/run/docs/configuring/cpu, "vCPU and memory table": "8 vCPU 4 to 32 GiB".
        name: "Cloud Run's 8 CPUs take up to 32 GiB",
        key: "multicloud-service:gcp.memory",
        set: (d, v) => Object.assign(d["multicloud-service:gcp"], { cpu: "8", memory: v }),
        good: "32Gi",
        bad: "33Gi",
        message: 'must be between 4096Mi and 32768Mi with 8 CPU (Cloud Run\'s cpu/memory pairs) (got "33Gi")',
    },
    {
        name: "min instances at most max instances",
        key: "multicloud-service:gcp.minInstances",
        set: (d, v) => (d["multicloud-service:gcp"].minInstances = v),
        good: 2,
        bad: 3,
        message: "must not exceed gcp.maxInstances (2) (got 3)",
    },
    {
        name: "ingress is one Cloud Run knows",
        key: "multicloud-service:gcp.ingress",
        set: (d, v) => (d["multicloud-service:gcp"].ingress = v),
        good: "internal",
        bad: "public",
        message: 'invalid option: expected one of "all"|"internal"|"internal-and-cloud-load-balancing" (got "public")',
    },
    {
        name: "a canary between 1 and 99 % needs a stable version",
        key: "multicloud-service:aws.canary.stableVersion",
        set: (d, v) => (d["multicloud-service:aws"].canary = v),
        good: { stableVersion: "7", weightPercent: 10 },
        bad: { weightPercent: 10 },
        message: "is required when canary.weightPercent is between 1 and 99 (got nothing)",
    },
    {
        name: "a Lambda canary at 99 % needs a stable version; at 100 % it needs none (required while weightPercent is 1-99)",
        key: "multicloud-service:aws.canary.stableVersion",
        set: (d, v) => (d["multicloud-service:aws"].canary = { weightPercent: v }),
        good: 100,
        bad: 99,
        message: "is required when canary.weightPercent is between 1 and 99 (got nothing)",
    },
    {
        name: "a Cloud Run canary needs a stable revision",
        key: "multicloud-service:gcp.canary.stableRevision",
        set: (d, v) => (d["multicloud-service:gcp"].canary = v),
        good: { stableRevision: "svc-00007-abc", percent: 10 },
        bad: { percent: 10 },
        message: "is required when canary.percent is between 1 and 99 (got nothing)",
    },
    {
        name: "a Cloud Run canary at 99 % needs a stable revision; at 100 % it needs none (required while percent is 1-99)",
        key: "multicloud-service:gcp.canary.stableRevision",
        set: (d, v) => (d["multicloud-service:gcp"].canary = { percent: v }),
        good: 100,
        bad: 99,
        message: "is required when canary.percent is between 1 and 99 (got nothing)",
    },
    {
        name: "a Cloud Run canary at 1 % needs a stable revision (required while percent is 1-99)",
        key: "multicloud-service:gcp.canary.stableRevision",
        set: (d, v) => (d["multicloud-service:gcp"].canary = v),
        good: { stableRevision: "svc-00007-abc", percent: 1 },
        bad: { percent: 1 },
        message: "is required when canary.percent is between 1 and 99 (got nothing)",
    },
    {
        name: "a recorded canary candidate is a Lambda version, or \"\" (none: what a finished release writes)",
        key: "multicloud-service:aws.canary.candidateVersion",
        set: (d, v) => (d["multicloud-service:aws"].canary = { stableVersion: "7", weightPercent: 10, candidateVersion: v }),
        good: "",
        bad: "v8",
        message: 'must be a published Lambda version number such as "7" (got "v8")',
    },
    {
        name: "a recorded Cloud Run candidate is a revision name, or \"\"",
        key: "multicloud-service:gcp.canary.candidateRevision",
        set: (d, v) => (d["multicloud-service:gcp"].canary = { stableRevision: "svc-00007-abc", percent: 10, candidateRevision: v }),
        good: "svc-00008-def",
        bad: "Svc 8",
        message: 'must be a Cloud Run revision name such as "api-00007-abc" (got "Svc 8")',
    },
    {
        // Of a region's shape but none: before, it passed, and the provider, which skips its own region check, failed
        // the `up` on its first call to STS there.
        name: "AWS region is one the AWS provider knows",
        key: "aws:region",
        set: (d, v) => (d["aws:region"] = v),
        good: "eu-west-1",
        bad: "us-moon-1",
        message: `must be an AWS region such as ap-northeast-1, one of @pulumi/aws's Region values (a region newer than them needs a newer @pulumi/aws) (got "us-moon-1")`,
    },
    {
        name: "GCP project ID looks like one",
        key: "gcp:project",
        set: (d, v) => (d["gcp:project"] = v),
        good: "my-project-123",
        bad: "My Project",
        message: 'must be a Google Cloud project ID (6-30 lowercase letters, digits, hyphens) (got "My Project")',
    },
    {
        name: "admin features are refused in prod",
        key: "multicloud-service:service.adminFeatures",
        set: (d, v) => (d["multicloud-service:service"].adminFeatures = v),
        good: false,
        bad: true,
        stack: "prod",
        message: "must be false in a production stack (got true)",
    },
    {
        name: "debug is refused in prod",
        key: "multicloud-service:service.debug",
        set: (d, v) => (d["multicloud-service:service"].debug = v),
        good: false,
        bad: true,
        stack: "prod",
        message: "must be false in a production stack (got true)",
    },
    {
        name: "a public Function URL is refused in prod",
        key: "multicloud-service:aws.functionUrl.authType",
        set: (d, v) => (d["multicloud-service:aws"].functionUrl.authType = v),
        good: "AWS_IAM",
        bad: "NONE",
        stack: "prod",
        message: 'must be AWS_IAM in a production stack (NONE makes the API public) (got "NONE")',
    },
    {
        name: "image.promoteFrom names a stack",
        key: "multicloud-service:image.promoteFrom",
        set: (d, v) => (d["multicloud-service:image"] = { promoteFrom: v }),
        good: "dev",
        bad: "Dev Stack",
        message: 'must be a stack name (lowercase letters, digits and -) (got "Dev Stack")',
    },
    {
        name: "a production stack runs promoted images, never a build of its own",
        key: "multicloud-service:image.promoteFrom",
        set: (d, v) => (v === null ? delete d["multicloud-service:image"].promoteFrom : (d["multicloud-service:image"].promoteFrom = v)),
        good: "dev",
        bad: null,
        stack: "prod",
        message: "is required in a production stack: production runs the images another stack ran, promoted by digest (e.g. dev), never a build of its own (got nothing)",
    },
    {
        name: "the cost estimate's traffic assumption is a whole number of requests",
        key: "multicloud-service:cost.assumedTraffic.requestsPerMonth",
        set: (d, v) => (d["multicloud-service:cost"] = { assumedTraffic: { requestsPerMonth: v } }),
        good: 5_000_000,
        bad: -1,
        message: "must be a whole number from 0 to 100000000000 (got -1)",
    },
    {
        name: "a public Cloud Run invoker is refused in prod unless opted in",
        key: "multicloud-service:gcp.publicInvoker",
        set: (d, v) => (d["multicloud-service:gcp"].publicInvoker = v),
        good: false,
        bad: true,
        stack: "prod",
        message: "must be false in a production stack unless gcp.allowPublicInvokerInProd is true (got true)",
    },
    {
        name: "maxWaitMinutes may equal bakeMinutes (at least bakeMinutes)",
        key: "multicloud-service:release.maxWaitMinutes",
        set: (d, v) => (d["multicloud-service:release"] = { bakeMinutes: 30, maxWaitMinutes: v }),
        good: 30,
        bad: 29,
        message: "must be at least release.bakeMinutes (30) (got 29)",
    },
    {
        name: "the verification's error bound is below 100 %",
        key: "multicloud-service:release.verify.errorRatePercent",
        set: (d, v) => (d["multicloud-service:release"] = { verify: { errorRatePercent: v } }),
        good: 99.9,
        bad: 100,
        message: "must be above 0 and below 100 (percent): the new version's errors must stay under it, and none are under 0 % (got 100)",
    },
    {
        name: "release steps rise strictly: a repeated step is refused",
        key: "multicloud-service:release.steps",
        set: (d, v) => (d["multicloud-service:release"] = { steps: v }),
        good: [10, 50, 100],
        bad: [50, 50, 100],
        message: "must rise strictly, such as [10, 50, 100] (got [50,50,100])",
    },
    // Each rule's own words, not zod's "Invalid string: must match pattern ...": the messages zod 4 takes as `error`.
    {
        name: "gcp:region is a Google Cloud region",
        key: "gcp:region",
        set: (d, v) => (d["gcp:region"] = v),
        good: "europe-west1",
        bad: "Tokyo",
        message: 'must be a Google Cloud region such as asia-northeast1 (got "Tokyo")',
    },
    {
        name: "a redeploy value is what a revision's label takes",
        key: "multicloud-service:gcp.redeploy",
        set: (d, v) => (d["multicloud-service:gcp"].redeploy = v),
        good: "20261204T153000Z",
        bad: "2026-12-04 15:30",
        message: `must be 1-63 letters, digits, '.', '_', ':', '+' or '-' (e.g. the time: 20261204T153000Z) (got "2026-12-04 15:30")`,
    },
    {
        name: "the image signing key is a cosign AWS KMS reference",
        key: "multicloud-service:image.verify.signingKey",
        set: (d, v) => (d["multicloud-service:image"].verify.signingKey = v),
        good: "awskms:///alias/multicloud-service-image-signing",
        bad: "alias/multicloud-service-image-signing",
        stack: "prod",
        message: 'must be a cosign AWS KMS key reference: awskms:///alias/<name> (got "alias/multicloud-service-image-signing")',
    },
    {
        name: "the cost estimate's stored GiB are from 0",
        key: "multicloud-service:cost.assumedTraffic.storedGiB",
        set: (d, v) => (d["multicloud-service:cost"] = { assumedTraffic: { storedGiB: v } }),
        good: 0,
        bad: -1,
        message: "must be a number of GiB from 0 to 1000000 (got -1)",
    },
    {
        name: "the cost estimate's stored GiB are a number",
        key: "multicloud-service:cost.assumedTraffic.storedGiB",
        set: (d, v) => (d["multicloud-service:cost"] = { assumedTraffic: { storedGiB: v } }),
        good: "2.5",
        bad: "ten",
        message: 'must be a number of GiB from 0 to 1000000 (got "ten")',
    },
    {
        name: "image.verify names its signing key",
        key: "multicloud-service:image.verify.signingKey",
        set: (d, v) => (v === null ? delete d["multicloud-service:image"].verify.signingKey : (d["multicloud-service:image"].verify.signingKey = v)),
        good: "awskms:///alias/multicloud-service-image-signing",
        bad: null,
        stack: "prod",
        message: "is required (got nothing)",
    },
    // A pattern holds the whole value, from its first character to its last: the bad values of the nine rows below are
    // refused only for what comes before or after a part the rule would take on its own.
    {
        name: "a Cloud Run revision name ends in a letter or digit, not a hyphen",
        key: "multicloud-service:gcp.canary.stableRevision",
        set: (d, v) => (d["multicloud-service:gcp"].canary = { stableRevision: v, percent: 10 }),
        good: "svc-00007-abc",
        bad: "svc-00007-abc-",
        message: 'must be a Cloud Run revision name such as "api-00007-abc" (got "svc-00007-abc-")',
    },
    {
        name: "an Artifact Registry member is a service account from its first character (no other member type before it)",
        key: "multicloud-service:gcp.registryAccess.writers[0]",
        set: (d, v) => (d["multicloud-service:gcp"].registryAccess = { writers: [v] }),
        good: "serviceAccount:image-dev@multicloud-service-deployer.iam.gserviceaccount.com",
        bad: "group:serviceAccount:image-dev@multicloud-service-deployer.iam.gserviceaccount.com",
        message: 'must be serviceAccount:<account>@<project>.iam.gserviceaccount.com (got "group:serviceAccount:image-dev@multicloud-service-deploy... (84 characters))',
    },
    {
        name: "image.promoteFrom is a stack's own name, not its fully qualified org/project/stack",
        key: "multicloud-service:image.promoteFrom",
        set: (d, v) => (d["multicloud-service:image"] = { promoteFrom: v }),
        good: "dev",
        bad: "my-org/multicloud-service/dev",
        message: 'must be a stack name (lowercase letters, digits and -) (got "my-org/multicloud-service/dev")',
    },
    {
        name: "image.registriesOf is a stack's own name, not its fully qualified org/project/stack",
        key: "multicloud-service:image.registriesOf",
        set: (d, v) => {
            d["multicloud-service:image"] = { registriesOf: v };
            delete d["multicloud-service:gcp"].registryAccess;
        },
        good: "dev",
        bad: "my-org/multicloud-service/dev",
        message: 'must be a stack name (lowercase letters, digits and -) (got "my-org/multicloud-service/dev")',
    },
    {
        name: "gcp:region is lowercase from its first letter",
        key: "gcp:region",
        set: (d, v) => (d["gcp:region"] = v),
        good: "asia-northeast1",
        bad: "Asia-northeast1",
        message: 'must be a Google Cloud region such as asia-northeast1 (got "Asia-northeast1")',
    },
    // A zone where the region goes, and a region without its number: neither is a location Cloud Run or Artifact
    // Registry takes, and both passed a pattern unanchored at its end or with its digits optional.
    {
        name: "gcp:region is a region, not one of its zones",
        key: "gcp:region",
        set: (d, v) => (d["gcp:region"] = v),
        good: "asia-northeast1",
        bad: "asia-northeast1-a",
        message: 'must be a Google Cloud region such as asia-northeast1 (got "asia-northeast1-a")',
    },
    {
        name: "gcp:region ends in its number",
        key: "gcp:region",
        set: (d, v) => (d["gcp:region"] = v),
        good: "us-central1",
        bad: "us-central",
        message: 'must be a Google Cloud region such as asia-northeast1 (got "us-central")',
    },
    {
        name: "a GCP project ID is at most 30 characters",
        key: "gcp:project",
        set: (d, v) => (d["gcp:project"] = v),
        good: "multicloud-service-development",
        bad: "multicloud-service-development1",
        message: 'must be a Google Cloud project ID (6-30 lowercase letters, digits, hyphens) (got "multicloud-service-development1")',
    },
    {
        name: "Cloud Run memory ends at its unit (Gi, not GiB)",
        key: "multicloud-service:gcp.memory",
        set: (d, v) => (d["multicloud-service:gcp"].memory = v),
        good: "2Gi",
        bad: "2GiB",
        message: 'must be a memory size such as 512Mi or 2Gi (got "2GiB")',
    },
    {
        name: "a prebuilt Lambda image's digest is 64 hex digits, no more",
        key: "multicloud-service:aws.image",
        set: (d, v) => (d["multicloud-service:aws"].image = v),
        good: `123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/svc@sha256:${"a".repeat(64)}`,
        bad: `123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/svc@sha256:${"a".repeat(65)}`,
        message: `must be an ECR image pinned by digest, <account>.dkr.ecr.<region>.amazonaws.com/<repository>@sha256:<64 hex digits>, in this stack's account and aws:region, built for aws.architecture (linux/arm64 for arm64, linux/amd64 for x86_64) (got "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/svc@sh... (128 characters))`,
    },
    {
        name: "a prebuilt Cloud Run image is a registry path, not a URL to it",
        key: "multicloud-service:gcp.image",
        set: (d, v) => (d["multicloud-service:gcp"].image = v),
        good: `asia-northeast1-docker.pkg.dev/ci-project/images/service@sha256:${"a".repeat(64)}`,
        bad: `https://asia-northeast1-docker.pkg.dev/ci-project/images/service@sha256:${"a".repeat(64)}`,
        message: `must be a linux/amd64 image pinned by digest in Artifact Registry (<region>-docker.pkg.dev/<project>/<repository>/<image>@sha256:...), Container Registry (gcr.io/<project>/<image>@sha256:...) or Docker Hub (docker.io/<namespace>/<image>@sha256:...) (got "https://asia-northeast1-docker.pkg.dev/ci-project/images... (138 characters))`,
    },
    emailOfTheCloudLeftOn("aws", "is required in a production stack: the alert policies must notify someone (an e-mail notification channel) (got nothing)"),
    emailOfTheCloudLeftOn("gcp", "is required in a production stack: the alarms' SNS topic must notify someone (an e-mail subscription) (got nothing)"),
    {
        name: "a Lambda canary at 0 % needs no stable version; at 1 % it needs one (required while weightPercent is 1-99)",
        key: "multicloud-service:aws.canary.stableVersion",
        set: (d, v) => (d["multicloud-service:aws"].canary = { weightPercent: v }),
        good: 0,
        bad: 1,
        message: "is required when canary.weightPercent is between 1 and 99 (got nothing)",
    },
    {
        name: "a Cloud Run canary at 0 % needs no stable revision; at 1 % it needs one (required while percent is 1-99)",
        key: "multicloud-service:gcp.canary.stableRevision",
        set: (d, v) => (d["multicloud-service:gcp"].canary = { percent: v }),
        good: 0,
        bad: 1,
        message: "is required when canary.percent is between 1 and 99 (got nothing)",
    },
    // The README's 0-10: 0 when nothing before the service appends to X-Forwarded-For.
    {
        name: "gcp.trustedProxyHops is 0-10",
        key: "multicloud-service:gcp.trustedProxyHops",
        set: (d, v) => (d["multicloud-service:gcp"].trustedProxyHops = v),
        good: 0,
        bad: 11,
        message: "must be a whole number from 0 to 10 (got 11)",
    },
    // Lambda numbers published versions 1, 2, ... (the unpublished one is $LATEST): no version is 0, nor written with a leading 0.
    {
        name: "a Lambda version is a published one's number, from 1",
        key: "multicloud-service:aws.canary.stableVersion",
        set: (d, v) => (d["multicloud-service:aws"].canary = { stableVersion: v }),
        good: "1",
        bad: "0",
        message: 'must be a published Lambda version number such as "7" (got "0")',
    },
    {
        name: "a Cloud Run revision name is at most 63 characters (a DNS label)",
        key: "multicloud-service:gcp.canary.stableRevision",
        set: (d, v) => (d["multicloud-service:gcp"].canary = { stableRevision: v }),
        good: `a${"b".repeat(62)}`,
        bad: `a${"b".repeat(63)}`,
        message: `must be a Cloud Run revision name such as "api-00007-abc" (got "a${"b".repeat(55)}... (66 characters))`,
    },
    {
        name: "release steps are at most 20",
        key: "multicloud-service:release.steps",
        set: (d, v) => (d["multicloud-service:release"] = { steps: v }),
        good: Array.from({ length: 20 }, (_, i) => 5 * (i + 1)),
        bad: Array.from({ length: 21 }, (_, i) => 80 + i),
        message: "must list at most 20 steps (got [80,81,82,83,84,85,86,87,88,89,90,91,92,93,94,95,96,97,98... (65 characters))",
    },
    {
        name: "a release step is watched for at least a minute",
        key: "multicloud-service:release.bakeMinutes",
        set: (d, v) => (d["multicloud-service:release"] = { bakeMinutes: v }),
        good: 1,
        bad: 0,
        message: "must be a whole number from 1 to 1440 (got 0)",
    },
    {
        name: "a stack on another stack's registries grants no Artifact Registry readers either",
        key: "multicloud-service:gcp.registryAccess",
        set: registryAccessOnDevsRegistries,
        good: { readers: [] },
        bad: { readers: ["serviceAccount:promote-prod@multicloud-service-deployer.iam.gserviceaccount.com"] },
        message: `must be empty with image.registriesOf: this stack has no repository of its own (set it in dev's stack file) (got {"readers":["serviceAccount:promote-prod@multicloud-servi... (95 characters))`,
    },
    {
        name: "a stack runs another stack's registries or gets images promoted into its own, not both",
        key: "multicloud-service:image.registriesOf",
        set: (d, v) => {
            d["multicloud-service:image"] = v;
            delete d["multicloud-service:gcp"].registryAccess;
        },
        good: { registriesOf: "dev" },
        bad: { registriesOf: "dev", promoteFrom: "dev" },
        message: `cannot be set with image.promoteFrom: a stack either runs another stack's registries or gets images promoted into its own (got "dev")`,
    },
    {
        // Out of its range and over aws.timeoutSeconds: the range is the problem, named once.
        name: "a p95 threshold out of range is named once, not again by the rule against the timeout",
        key: "multicloud-service:aws.alarms.p95DurationMs",
        set: (d, v) => (d["multicloud-service:aws"].alarms = { p95DurationMs: v }),
        good: 29_999,
        bad: 1_000_000,
        message: "must be a whole number from 1 to 900000 (got 1000000)",
    },
];

describe("stack settings: every rule passes a good value and names a bad one", () => {
    for (const rule of rules) {
        const stack = (rule.stack ?? "dev") as "dev" | "prod";
        it(rule.name, () => {
            assert.doesNotThrow(() => parse(stackWith(stack, (d) => rule.set(d, rule.good)), stack));
            assert.deepStrictEqual(problemsOf(stackWith(stack, (d) => rule.set(d, rule.bad)), stack), [`${rule.key}: ${rule.message}`]);
        });
    }

    // The reservation's alarm and the bake's utilization gate belong to the Lambda function (components/aws/alarms.ts,
    // release/gates.ts): a stack with aws.enabled false builds neither, so a reservation of 1 left in its settings
    // (to switch AWS back on later) refuses nothing.
    it("a reservation of 1 with aws.enabled false is accepted: there is no function, alarm or bake to judge it", () => {
        const s = parse(
            stackWith("dev", (d) => {
                d["multicloud-service:aws"].enabled = false;
                d["multicloud-service:aws"].reservedConcurrency = 1;
            }),
        );
        assert.strictEqual(s.aws.enabled, false);
    });

    /**
     * The problems of dev's stack file with `change` made and another key invalid (service.storage.maxAttempts 0): the
     * rules across settings then read the values as written (parse.ts, settingsView), not the schema's parsed ones.
     */
    const problemsBesideAnInvalidKey = (change: (d: Record<string, any>) => void) =>
        problemsOf(
            stackWith("dev", (d) => {
                change(d);
                d["multicloud-service:service"].storage = { maxAttempts: 0 };
            }),
        );

    // With another key invalid, a percent may still be the string the schema would take as its number (schema.ts,
    // fractional): the reservation is named in the same list, not only on the run after the other key is mended.
    it("a reservation over release.maxUtilizationPercent (written as a string) is named beside another invalid key", () => {
        const problems = problemsBesideAnInvalidKey((d) => {
            d["multicloud-service:aws"].reservedConcurrency = 2;
            d["multicloud-service:release"] = { maxUtilizationPercent: "40" };
        });
        assert.ok(problems.some((p) => p.startsWith("multicloud-service:service.storage.maxAttempts: ")), problems.join("\n"));
        assert.ok(
            problems.some((p) => p.startsWith("multicloud-service:aws.reservedConcurrency: with release.maxUtilizationPercent 40, a single execution is 50 % of the reservation, over its 40 %")),
            problems.join("\n"),
        );
    });

    // With another key invalid, an unset release.maxUtilizationPercent is its default, 90 (releaseSchema): a reservation
    // of 2 (one execution is 50 %) is not named beside the invalid key, and one of 1 is, at 90 %.
    it("with another key invalid, a reservation is judged at release.maxUtilizationPercent's default of 90", () => {
        const withReservation = (n: number) =>
            problemsBesideAnInvalidKey((d) => (d["multicloud-service:aws"].reservedConcurrency = n)).filter((p) => p.startsWith("multicloud-service:aws.reservedConcurrency: "));
        assert.deepStrictEqual(withReservation(2), []);
        assert.strictEqual(withReservation(1).length, 1);
        assert.ok(withReservation(1)[0].includes("with release.maxUtilizationPercent 90, a single execution is 100 % of the reservation"), withReservation(1)[0]);
    });

    it("the same admin and debug flags are fine outside prod", () => {
        const s = parse(stackWith("dev", (d) => (d["multicloud-service:aws"].functionUrl.authType = "NONE")), "staging");
        assert.strictEqual(s.service.adminFeatures, true);
        assert.strictEqual(s.aws.functionUrl.authType, "NONE");
    });

    it("a public Cloud Run invoker in prod is accepted with the explicit opt-in", () => {
        const s = parse(stackWith("prod", (d) => Object.assign(d["multicloud-service:gcp"], { publicInvoker: true, allowPublicInvokerInProd: true })), "prod");
        assert.strictEqual(s.gcp.publicInvoker, true);
    });

    // The production rules are about what each cloud runs and who it tells: with both switched off there is nothing to
    // verify, promote or page about, and a public setting left behind for later opens nothing.
    it("a production stack with both clouds off is held to none of their rules", () => {
        const raw = stackWith("prod", (d) => {
            delete d["multicloud-service:image"];
            d["multicloud-service:aws"] = { enabled: false, functionUrl: { authType: "NONE" } };
            d["multicloud-service:gcp"] = { enabled: false, publicInvoker: true };
        });
        assert.doesNotThrow(() => parse(raw, "prod"));
    });

    // With another key invalid, an unset gcp.maxInstances is its default, 3 (gcpSchema): min instances over it are named
    // in the same list.
    it("with another key invalid, gcp.minInstances is judged against gcp.maxInstances' default of 3", () => {
        const problems = problemsBesideAnInvalidKey((d) => {
            delete d["multicloud-service:gcp"].maxInstances;
            d["multicloud-service:gcp"].minInstances = 4;
        });
        assert.ok(problems.includes("multicloud-service:gcp.minInstances: must not exceed gcp.maxInstances (3) (got 4)"), problems.join("\n"));
    });

    // With another key invalid, an unset release.verify.seconds is its default, 30 (releaseSchema): 250 req/s offered
    // (1.2 x 208) for 30 s is 7,500 requests, 1,500 of them /health, plus the smoke test's 2: 6,002 counted. 207 offers
    // 249: 5,978.
    it("with another key invalid, the release's load is counted over release.verify.seconds' default of 30 s", () => {
        const withLoad = (n: number) =>
            problemsBesideAnInvalidKey((d) => (d["multicloud-service:release"] = { verify: { minRequestsPerSecond: n } })).filter((p) =>
                p.startsWith("multicloud-service:release.verify.minRequestsPerSecond: "),
            );
        assert.deepStrictEqual(withLoad(207), []);
        assert.deepStrictEqual(withLoad(208), [
            "multicloud-service:release.verify.minRequestsPerSecond: with release.verify.seconds 30, may send one client 6002 rate-limited requests within 60 s, over the service's 6000: the new version would answer 429, counted as errors, and every release would roll back; lower it or release.verify.seconds (got 208)",
        ]);
    });

    it("a production stack on one cloud alone still needs image.verify (signature and provenance)", () => {
        for (const off of ["aws", "gcp"]) {
            const raw = stackWith("prod", (d) => {
                d[`multicloud-service:${off}`] = { enabled: false };
                delete d["multicloud-service:image"].verify;
            });
            assert.deepStrictEqual(
                problemsOf(raw, "prod").filter((p) => p.includes("image.verify")),
                ["multicloud-service:image.verify: is required in a production stack: production runs only images whose signature and provenance verify (signingKey, workflow) (got nothing)"],
                `${off} off`,
            );
        }
    });

    it("stacks named production or prod-<region> get production rules", () => {
        for (const stack of ["production", "prod-eu", "PROD"]) {
            assert.deepStrictEqual(problemsOf(stackWith("dev", (d) => (d["multicloud-service:service"].debug = false)), stack), [
                "multicloud-service:service.adminFeatures: must be false in a production stack (got true)",
                "multicloud-service:image.promoteFrom: is required in a production stack: production runs the images another stack ran, promoted by digest (e.g. dev), never a build of its own (got nothing)",
                "multicloud-service:image.verify: is required in a production stack: production runs only images whose signature and provenance verify (signingKey, workflow) (got nothing)",
                "multicloud-service:aws.alarms.email: is required in a production stack: the alarms' SNS topic must notify someone (an e-mail subscription) (got nothing)",
                "multicloud-service:gcp.alerts.email: is required in a production stack: the alert policies must notify someone (an e-mail notification channel) (got nothing)",
            ]);
        }
    });
});

describe("stack settings: unknown, missing and malformed keys", () => {
    // Before: a number past 2^53 broke two of zod's checks (a safe integer, the range) that speak in the one rule's
    // words, and the key was listed twice ("2 invalid settings" for one).
    it("a value that breaks one rule in two of its checks is listed once", () => {
        assert.deepStrictEqual(problemsOf(stackWith("dev", (d) => (d["multicloud-service:aws"].memoryMb = 2 ** 53 + 2))), [
            "multicloud-service:aws.memoryMb: must be a whole number from 128 to 10240 (got 9007199254740994)",
        ]);
    });

    // Only the same words at the same key are one problem: two rules a value breaks, or one rule two keys break, stay two.
    it("two rules broken at one key, or one rule broken at two keys, are each listed", () => {
        assert.deepStrictEqual(problemsOf(stackWith("dev", (d) => (d["multicloud-service:release"] = { steps: [50, 10] }))), [
            "multicloud-service:release.steps: must rise strictly, such as [10, 50, 100] (got [50,10])",
            "multicloud-service:release.steps: must end at 100 (the last step puts all traffic on the new version) (got [50,10])",
        ]);
        const twoKeys = problemsOf(stackWith("dev", (d) => (d["multicloud-service:aws"].imagesToKeep = d["multicloud-service:gcp"].imagesToKeep = 0)));
        assert.deepStrictEqual(twoKeys.map((p) => p.split(":").slice(0, 2).join(":")), ["multicloud-service:aws.imagesToKeep", "multicloud-service:gcp.imagesToKeep"]);
    });

    it("a typo is an error with a suggestion, not a silent default, reported once (not again as the key it misspells, missing)", () => {
        const raw = stackWith("dev", (d) => {
            const service = d["multicloud-service:service"];
            service.retentonDays = service.retentionDays;
            delete service.retentionDays;
        });
        assert.deepStrictEqual(problemsOf(raw), [
            'multicloud-service:service.retentonDays: is not a known setting (did you mean "retentionDays"?); known here: cache, batchSize, retentionDays, adminFeatures, debug, logLevel, storage',
        ]);
    });

    it("a required key missing with no misspelling of it nearby is still named", () => {
        const raw = stackWith("dev", (d) => {
            const service = d["multicloud-service:service"];
            service.somethingElse = 1;
            delete service.retentionDays;
        });
        assert.deepStrictEqual(problemsOf(raw), [
            "multicloud-service:service.somethingElse: is not a known setting; known here: cache, batchSize, retentionDays, adminFeatures, debug, logLevel, storage",
            "multicloud-service:service.retentionDays: is required (got nothing)",
        ]);
    });

    it("an unknown top-level key of the project is an error", () => {
        assert.deepStrictEqual(problemsOf(stackWith("dev", (d) => (d["multicloud-service:servce"] = { a: 1 }))), [
            'multicloud-service:servce: is not a known setting (did you mean "service"?); known here: service, image, aws, gcp, release, cost, databaseUrl',
        ]);
    });

    // Walked here rather than through parse.ts's own knownKeysAt, so that an object that helper cannot see is still checked.
    const objectPaths = (schema: z.ZodType, path: string[] = []): string[][] => {
        let inner: any = schema;
        while (!(inner instanceof z.ZodObject)) {
            inner = inner?.def?.innerType ?? inner?.def?.out;
            if (!inner) return [];
        }
        return [path, ...Object.entries(inner.shape as Record<string, z.ZodType>).flatMap(([key, value]) => objectPaths(value, [...path, key]))];
    };

    // A misspelt key that passed would leave its setting at the default without a word (aws.functionUrl.authtype: NONE).
    it("every object of the settings, nested ones too, refuses a key it does not know", () => {
        const paths = objectPaths(projectSettingsSchema).filter((path) => path.length > 0);
        assert.ok(paths.some((path) => path.join(".") === "release.verify"), paths.join(", "));
        for (const [top, ...rest] of paths) {
            const problems = problemsOf(
                stackWith("dev", (d) => {
                    let node = (d[`multicloud-service:${top}`] ??= {});
                    for (const key of rest) node = node[key] ??= {};
                    node.notASetting = 1;
                }),
            );
            const key = `multicloud-service:${[top, ...rest].join(".")}.notASetting`;
            assert.ok(problems.some((p) => p.startsWith(`${key}: is not a known setting`)), `${key}:\n${problems.join("\n")}`);
        }
    });

    it("a missing service block is named", () => {
        assert.deepStrictEqual(problemsOf(stackWith("dev", (d) => (d["multicloud-service:service"] = undefined))), [
            "multicloud-service:service: is required (got nothing)",
        ]);
    });

    // The program's providers are explicit, and an explicit provider reads none of its namespace's stack settings.
    // Before, these passed and were ignored: a misspelt region deployed to the default one, aws:allowedAccountIds
    // guarded nothing, and aws:profile's account was not the one deployed to.
    it("a provider setting the program does not hand to its providers is refused, a misspelling with its fix", () => {
        assert.deepStrictEqual(
            problemsOf(
                stackWith("dev", (d) => {
                    d["aws:regoin"] = "us-east-1";
                    d["aws:allowedAccountIds"] = ["111111111111"];
                    d["gcp:impersonateServiceAccount"] = "deployer@x.iam.gserviceaccount.com";
                }),
            ),
            [
                `aws:regoin: is not read (did you mean "aws:region"?): the program's AWS provider is explicit and takes aws:region only; credentials come from the environment (the stack's ESC environment, or AWS_PROFILE or AWS_DEFAULT_PROFILE): remove it (pulumi config rm 'aws:regoin')`,
                `aws:allowedAccountIds: is not read: the program's AWS provider is explicit and takes aws:region only; credentials come from the environment (the stack's ESC environment, or AWS_PROFILE or AWS_DEFAULT_PROFILE): remove it (pulumi config rm 'aws:allowedAccountIds')`,
                `gcp:impersonateServiceAccount: is not read: the program's Google Cloud provider is explicit and takes gcp:region and gcp:project only; credentials come from the environment (the stack's ESC environment, or application default credentials): remove it (pulumi config rm 'gcp:impersonateServiceAccount')`,
            ],
        );
    });

    // The CLI never hands a key without its namespace (loaders.go namespaces the project's); one read from a stack file
    // with no Pulumi.yaml beside it crashed the provider-key check ("Cannot read properties of undefined").
    it("a setting without a namespace (a stack file read with no Pulumi.yaml) is refused, naming the key it would be", () => {
        assert.deepStrictEqual(
            problemsOf(
                stackWith("dev", (d) => {
                    d["aws"] = "us-east-1";
                    d["memory"] = 512;
                }),
            ),
            ["aws", "memory"].map(
                (key) => `${key}: has no namespace, so no setting reads it: the stack file was read without the project's Pulumi.yaml, which makes it multicloud-service:${key}; keep the file beside Pulumi.yaml, or write the key in full`,
            ),
        );
    });

    // Pulumi 3.139+ reads pulumi:autonaming from the merged stack config (the stack file, Pulumi.yaml, its ESC
    // environments) and proposes each resource's name to the provider in Check (pulumi/pulumi
    // pkg/cmd/pulumi/autonaming/config.go, pkg/resource/autonaming/strategy.go). Before, these passed: the name limits
    // counted for "-" and 7 random characters, and the deploy roles' delegated IAM, were made for names they would
    // no longer get. Its values are the forms of the Pulumi docs' "Autonaming configuration".
    it("pulumi:autonaming other than the default, for all providers or for AWS or GCP, is refused, naming the key and its values", () => {
        for (const [value, sets] of [
            [{ mode: "verbatim" }, `mode "verbatim"`],
            [{ mode: "disabled" }, `mode "disabled"`],
            [{ pattern: "${name}-${hex(8)}" }, `pattern "\${name}-\${hex(8)}"`],
            [{ providers: { gcp: { resources: { "gcp:cloudrunv2/service:Service": { pattern: "${stack}-${name}" } } } } }, `providers.gcp.resources.gcp:cloudrunv2/service:Service.pattern "\${stack}-\${name}"`],
        ] as const) {
            const problems = problemsOf(stackWith("dev", (d) => (d["pulumi:autonaming"] = value)));
            assert.strictEqual(problems.length, 1, problems.join("\n"));
            assert.ok(problems[0].startsWith(`pulumi:autonaming: sets ${sets}, but this program relies on Pulumi's default autonaming`), problems[0]);
            assert.ok(problems[0].includes("pulumi config rm pulumi:autonaming"), problems[0]);
        }
        const problems = problemsOf(stackWith("dev", (d) => (d["pulumi:autonaming"] = { mode: "default", providers: { aws: { mode: "verbatim" } } })));
        assert.ok(problems[0].startsWith(`pulumi:autonaming: sets providers.aws.mode "verbatim", but`), problems.join("\n"));
        // Every departure is named, in one message: AWS left to the top level's mode, GCP with a pattern of its own.
        const both = problemsOf(stackWith("dev", (d) => (d["pulumi:autonaming"] = { mode: "verbatim", providers: { gcp: { pattern: "${name}" } } })));
        assert.strictEqual(both.length, 1, both.join("\n"));
        assert.ok(both[0].startsWith(`pulumi:autonaming: sets mode "verbatim", providers.gcp.pattern "\${name}", but`), both[0]);
        // Not an object: the CLI refuses it ("invalid autonaming config structure", pkg/cmd/pulumi/autonaming/config.go
        // parseConfigSection), so the offline tools name it before a plan that `pulumi up` would never run.
        const text = problemsOf(stackWith("dev", (d) => (d["pulumi:autonaming"] = "verbatim")));
        assert.ok(text.length === 1 && text[0].startsWith(`pulumi:autonaming: sets "verbatim", but`), text.join("\n"));
        // The default said aloud, and another provider's naming (an organization's environment), change nothing here.
        assert.doesNotThrow(() => parse(stackWith("dev", (d) => (d["pulumi:autonaming"] = { mode: "default", providers: { "azure-native": { mode: "verbatim" }, aws: { mode: "default" } } }))));
    });

    // A provider's own mode replaces the top level's for its resources: the CLI falls back to the top only for a
    // provider entry with neither mode nor pattern (pulumi/pulumi pkg/cmd/pulumi/autonaming/config.go,
    // ParseAutonamingConfig: "If no provider config was specified explicitly, use the global default"). Before, an
    // organization's environment naming everything verbatim but AWS and GCP by default was refused.
    it("pulumi:autonaming whose top level AWS and GCP each override with the default is accepted; one left to the top is not", () => {
        assert.doesNotThrow(() => parse(stackWith("dev", (d) => (d["pulumi:autonaming"] = { mode: "verbatim", providers: { aws: { mode: "default" }, gcp: { mode: "default" } } }))));
        const problems = problemsOf(stackWith("dev", (d) => (d["pulumi:autonaming"] = { mode: "verbatim", providers: { aws: { mode: "default" } } })));
        assert.strictEqual(problems.length, 1, problems.join("\n"));
        assert.ok(problems[0].startsWith(`pulumi:autonaming: sets mode "verbatim", but`), problems[0]);
    });

    it("other namespaces' keys are left to their owners", () => {
        assert.doesNotThrow(() => parse(stackWith("dev", (d) => (d["pulumi:tags"] = { team: "platform" }))));
    });

    // Before, a provider setting stored encrypted was quoted in plaintext when it was refused.
    it("a provider setting stored encrypted is never quoted", () => {
        const raw = stackWith("dev", (d) => (d["aws:region"] = "tokyo"));
        const problems = problemsOf({ ...raw, secretKeys: new Set([...raw.secretKeys, "aws:region"]) });
        assert.ok(problems.some((p) => p.startsWith("aws:region: must be an AWS region") && p.endsWith("(got a secret value)")), problems.join("\n"));
        assert.ok(!problems.some((p) => p.includes("tokyo")), problems.join("\n"));
        const crossed = stackWith("dev", (d) => (d["aws:region"] = "il-central-1"));
        const crossedProblems = problemsOf({ ...crossed, secretKeys: new Set([...crossed.secretKeys, "aws:region"]) });
        assert.ok(crossedProblems.some((p) => p.startsWith("aws:region: is a region where Lambda has no Function URLs") && p.endsWith("(got a secret value)")), crossedProblems.join("\n"));
    });

    it("a fraction set with `pulumi config set --path`, which the CLI stores as text, is taken as its number; other text is still named", () => {
        // The CLI makes YAML numbers of whole numbers only (pulumi/pulumi sdk/go/common/resource/config/object.go,
        // coerce): `pulumi config set --path 'multicloud-service:aws.alarms.errorRatePercent' 2.5` writes "2.5".
        // Before: "must be from 0 to below 100 (percent)" for 2.5, which is.
        const fractions = stackWith("prod", (d) => {
            d["multicloud-service:aws"].alarms.errorRatePercent = "2.5";
            d["multicloud-service:gcp"].alerts.errorRatePercent = "0.5";
            d["multicloud-service:release"] = { ...d["multicloud-service:release"], maxUtilizationPercent: "85.5" };
            d["multicloud-service:cost"] = { assumedTraffic: { storedGiB: "0.25" } };
        });
        const s = parse(fractions, "prod");
        assert.deepStrictEqual(
            [s.aws.alarms.errorRatePercent, s.gcp.alerts.errorRatePercent, s.release.maxUtilizationPercent, s.cost.assumedTraffic.storedGiB],
            [2.5, 0.5, 85.5, 0.25],
        );
        assert.deepStrictEqual(problemsOf(stackWith("prod", (d) => (d["multicloud-service:aws"].alarms.errorRatePercent = "2,5"))), [
            'multicloud-service:aws.alarms.errorRatePercent: must be from 0 to below 100 (percent): no rate or use passes 100 %, so a threshold of 100 could never fire (got "2,5")',
        ]);
    });

    it("a nested setting set without --path (a key of its own named service.debug) is named with the command that sets it", () => {
        // `pulumi config set multicloud-service:service.debug false` stores a top-level key of that whole name
        // (pulumi/pulumi sdk/go/common/resource/config/map.go Set, path false). Before: "is not a known setting; known here: service, ...".
        assert.deepStrictEqual(problemsOf(stackWith("dev", (d) => (d["multicloud-service:service.debug"] = "false"))), [
            "multicloud-service:service.debug: is a key of its own, not a value inside service: set it with --path, pulumi config set --path 'multicloud-service:service.debug' <value>, and remove this one (pulumi config rm 'multicloud-service:service.debug')",
        ]);
    });

    it("an AWS region without Function URLs, or outside the commercial partition, is refused while AWS is on", () => {
        // Lambda developer guide, "Creating and managing Lambda function URLs": not supported in ap-south-2, ...
        // Before: planned, and `up` would fail at CreateFunctionUrlConfig after the functions and alarms were made.
        const inRegion = (region: string, awsEnabled = true) =>
            stackWith("dev", (d) => {
                d["aws:region"] = region;
                d["multicloud-service:aws"].enabled = awsEnabled;
            });
        assert.deepStrictEqual(problemsOf(inRegion("ap-south-2")), [
            'aws:region: is a region where Lambda has no Function URLs (Lambda developer guide, function URLs), which the API is served from: choose another region, or set aws.enabled to false (got "ap-south-2")',
        ]);
        for (const region of ["cn-north-1", "us-gov-west-1", "eusc-de-east-1"]) {
            assert.match(problemsOf(inRegion(region)).join("\n"), /^aws:region: is in aws-(cn|us-gov|eusc), where this program cannot deploy: its ARNs, console links and ECR hosts are the commercial partition's/, region);
        }
        assert.doesNotThrow(() => parse(inRegion("eu-west-1")));
        assert.doesNotThrow(() => parse(inRegion("ap-south-2", false)), "the region does not matter while AWS is off");
        const offWithImage = stackWith("dev", (d) => Object.assign(d["multicloud-service:aws"], { enabled: false, image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/svc@sha256:${"a".repeat(64)}` }));
        assert.doesNotThrow(() => parse(offWithImage), "nor does a prebuilt Lambda image's");
    });

    it("a value that looks like JSON but is not is named", () => {
        const raw = stackWith("dev");
        raw.values["multicloud-service:aws"] = "{memoryMb: 512";
        assert.deepStrictEqual(problemsOf(raw), ['multicloud-service:aws: is not valid JSON (got "{memoryMb: 512")']);
        raw.values["multicloud-service:aws"] = "[512";
        assert.deepStrictEqual(problemsOf(raw), ['multicloud-service:aws: is not valid JSON (got "[512")']);
    });

    it("a huge string is cut in the message", () => {
        const [problem] = problemsOf(stackWith("dev", (d) => (d["multicloud-service:service"].logLevel = "x".repeat(100_000))));
        assert.ok(problem.length < 200, `message is ${problem.length} characters`);
        assert.match(problem, /\(100002 characters\)\)$/);
    });

    it("gcp:project is required while GCP is enabled", () => {
        assert.deepStrictEqual(problemsOf(stackWith("dev", (d) => (d["gcp:project"] = undefined))), [
            "gcp:project: is required when gcp.enabled is true: pulumi config set gcp:project <project-id> (got nothing)",
        ]);
        assert.doesNotThrow(() => parse(stackWith("dev", (d) => {
            d["gcp:project"] = undefined;
            d["multicloud-service:gcp"].enabled = false;
        })));
    });

    // Pulumi takes `dev_`, `a.-b` and `a___b` as stack names; ECR refuses the repository names they make (the ECR API
    // Reference's repositoryName pattern, the OCI name grammar: parts joined by ., _, __ or a run of -).
    it("a stack name that makes an ECR repository name ECR refuses is named before anything is registered", () => {
        for (const stack of ["dev_", "a.-b", "a___b", "dev."]) {
            assert.deepStrictEqual(problemsOf(stackWith("dev"), stack), [
                `stack name: "${stack}" makes this stack's ECR repository name multicloud-service-${stack}, which ECR refuses (lowercase letters and digits, joined by ., _, __ or -): rename the stack (pulumi stack rename)`,
            ]);
        }
        for (const stack of ["pr-12", "pr--12", "dev.eu", "team_a", "team__a", "Staging"]) assert.doesNotThrow(() => parse(stackWith("dev"), stack), stack);
        // A stack that creates no ECR repository: AWS off, or another stack's registries.
        assert.doesNotThrow(() => parse(stackWith("dev", (d) => (d["multicloud-service:aws"].enabled = false)), "dev_"));
        const onDevsRegistries = stackWith("dev", (d) => {
            d["multicloud-service:image"] = { registriesOf: "dev" };
            delete d["multicloud-service:gcp"].registryAccess;
        });
        assert.doesNotThrow(() => parse(onDevsRegistries, "dev_"));
        // Beside another invalid key, aws.enabled left unset is its default, true: the repository is still made.
        const besideAnother = problemsOf(
            stackWith("dev", (d) => {
                delete d["multicloud-service:aws"].enabled;
                d["multicloud-service:service"].batchSize = 0;
            }),
            "dev_",
        );
        assert.ok(besideAnother.some((p) => p.startsWith('stack name: "dev_" makes')), besideAnother.join("\n"));
    });

    it("gcp.cpu set as a number, as `pulumi config set --path multicloud-service:gcp.cpu 2` stores it, is that CPU count", () => {
        // The CLI makes a YAML number of a whole number (pulumi/pulumi sdk/go/common/resource/config/object.go, coerce).
        // Before: `invalid option: expected one of "1"|"2"|"4"|"6"|"8" (got 2)`.
        assert.strictEqual(parse(stackWith("prod", (d) => (d["multicloud-service:gcp"].cpu = 2)), "prod").gcp.cpu, "2");
        assert.deepStrictEqual(problemsOf(stackWith("prod", (d) => (d["multicloud-service:gcp"].cpu = 3)), "prod"), [
            'multicloud-service:gcp.cpu: invalid option: expected one of "1"|"2"|"4"|"6"|"8" (got 3)',
        ]);
    });

    it("a setting stored encrypted inside an object (`--secret --path`) is refused, since its resources would show it, and never echoed", () => {
        // The CLI marks the whole top-level key secret and hands the object over decrypted (pulumi/pulumi
        // sdk/go/common/resource/config/map.go, object.go). Before: taken as a plain value into the SNS
        // subscription, its state and previews.
        const raw = stackWith("prod", (d) => (d["multicloud-service:aws"].alarms.email = "oncall@corp.example"));
        raw.secretKeys = new Set([...raw.secretKeys, "multicloud-service:aws"]);
        assert.deepStrictEqual(problemsOf(raw, "prod"), [
            "multicloud-service:aws: holds a value stored encrypted (pulumi config set --secret), which its resources would show in plaintext in the state and previews: only databaseUrl is kept secret, so set aws's values without --secret",
        ]);
        const bad = stackWith("prod", (d) => (d["multicloud-service:aws"].alarms.email = "not an address, hunter2"));
        bad.secretKeys = new Set([...bad.secretKeys, "multicloud-service:aws"]);
        const problems = problemsOf(bad, "prod");
        assert.ok(problems.some((p) => p.startsWith("multicloud-service:aws.alarms.email: must be an e-mail address (got a secret value)")), problems.join("\n"));
        assert.ok(!problems.join("\n").includes("hunter2"), "the secret is not echoed");
        // Nor by a rule across settings, which quotes values, or as text that is not JSON.
        const crossed = stackWith("prod", (d) => Object.assign(d["multicloud-service:gcp"], { minInstances: 7, maxInstances: 6 }));
        crossed.secretKeys = new Set([...crossed.secretKeys, "multicloud-service:gcp"]);
        assert.deepStrictEqual(problemsOf(crossed, "prod").map((p) => p.split(":").slice(0, 2).join(":")), ["multicloud-service:gcp"]);
        const text = stackWith("prod");
        text.values["multicloud-service:aws"] = "{hunter2";
        text.secretKeys = new Set([...text.secretKeys, "multicloud-service:aws"]);
        const textProblems = problemsOf(text, "prod");
        assert.ok(textProblems.includes("multicloud-service:aws: is not valid JSON (got a secret value)"), textProblems.join("\n"));
        assert.ok(!textProblems.join("\n").includes("hunter2"));
    });

    it("offline, a stack file's secret inside an object is a placeholder and makes its key secret, as the CLI hands it over", () => {
        // What `pulumi config set --secret --path multicloud-service:aws.alarms.email ...` writes into the stack file.
        // Before: the plan read {"secure": "v1:..."} as the address: "must be an e-mail address (got {"secure":...})".
        const { config, secretKeys } = fromStackDocument({ "multicloud-service:aws": { alarms: { email: { secure: "v1:c2VjcmV0" } }, memoryMb: 512 } });
        assert.deepStrictEqual(secretKeys, ["multicloud-service:aws"]);
        assert.deepStrictEqual(JSON.parse(config["multicloud-service:aws"]), { alarms: { email: "offline-placeholder-for-secret-multicloud-service-aws-alarms-email" }, memoryMb: 512 });
        assert.deepStrictEqual(fromStackDocument({ "multicloud-service:databaseUrl": { secure: "v1:c2VjcmV0" } }).secretKeys, ["multicloud-service:databaseUrl"]);
    });

    it("an object with `secure` beside another key is a plain object, not a secret, as the CLI reads it", () => {
        // pulumi/pulumi sdk/go/common/resource/config/object.go, isSecureValue: "returns true if the object is a
        // `map[string]any` of length one with a \"secure\" property of type string"; any other map is unmarshaled
        // key by key as plain values (unmarshalObject), and handed to the program as its JSON, not secret.
        const { config, secretKeys } = fromStackDocument({
            "multicloud-service:aws": { alarms: { email: { secure: "ops@example.com", note: "x" } } },
            "multicloud-service:note": { secure: "v1:c2VjcmV0", other: 1 },
        });
        assert.deepStrictEqual(secretKeys, []);
        assert.deepStrictEqual(JSON.parse(config["multicloud-service:aws"]), { alarms: { email: { secure: "ops@example.com", note: "x" } } });
        assert.deepStrictEqual(JSON.parse(config["multicloud-service:note"]), { secure: "v1:c2VjcmV0", other: 1 });
    });

    it("`secure` holding no text is a plain object, not a secret, as the CLI reads it", () => {
        // pulumi/pulumi sdk/go/common/resource/config/object.go, isSecureValue: a map of length one "with a \"secure\"
        // property of type string"; `secure: 5` is unmarshaled as the plain map {"secure": 5}, which `pulumi up` hands the
        // program as it is.
        const { config, secretKeys } = fromStackDocument({ "multicloud-service:note": { secure: 5 }, "multicloud-service:list": { secure: ["a"] } });
        assert.deepStrictEqual(secretKeys, []);
        assert.deepStrictEqual([JSON.parse(config["multicloud-service:note"]), JSON.parse(config["multicloud-service:list"])], [{ secure: 5 }, { secure: ["a"] }]);
    });

    it("the database URL must be stored as a secret and is never echoed", () => {
        const raw = stackWith("dev", (d) => (d["multicloud-service:databaseUrl"] = "postgres://user:hunter2@db/app"));
        const problems = problemsOf(raw);
        assert.deepStrictEqual(problems, ["multicloud-service:databaseUrl: must be stored encrypted: pulumi config set --secret databaseUrl <value>"]);
        raw.secretKeys = new Set(["multicloud-service:databaseUrl"]);
        assert.strictEqual(parse(raw).databaseUrl, "postgres://user:hunter2@db/app");
        // Set in plaintext and too long: both problems named, the value still not echoed.
        const tooLong = problemsOf(stackWith("dev", (d) => (d["multicloud-service:databaseUrl"] = `postgres://user:hunter2@db/${"x".repeat(4096)}`)));
        assert.strictEqual(tooLong.length, 2, tooLong.join("\n"));
        assert.ok(!tooLong.join("\n").includes("hunter2"), tooLong.join("\n"));
    });

    it("an empty database URL is refused even stored encrypted, and not quoted", () => {
        const raw = stackWith("dev", (d) => (d["multicloud-service:databaseUrl"] = ""));
        raw.secretKeys = new Set(["multicloud-service:databaseUrl"]);
        assert.deepStrictEqual(problemsOf(raw), ["multicloud-service:databaseUrl: too small: expected string to have >=1 characters (got a secret value)"]);
    });
});

describe("stack settings: every mistake at once", () => {
    it("a stack file with five mistakes names all five keys", () => {
        const raw = stackWith("prod", (d) => {
            d["multicloud-service:service"].adminFeatures = true;
            d["multicloud-service:service"].cache.maxEntries = -1;
            d["multicloud-service:aws"].memoryMb = 20000;
            d["multicloud-service:gcp"].cpu = 3;
            d["multicloud-service:gcp"].retentonDays = 30;
        });
        let error: unknown;
        try {
            parse(raw, "prod");
        } catch (err) {
            error = err;
        }
        assert.ok(error instanceof SettingsError);
        assert.deepStrictEqual(
            error.problems.map((p) => p.key).sort(),
            [
                "multicloud-service:aws.memoryMb",
                "multicloud-service:gcp.cpu",
                "multicloud-service:gcp.retentonDays",
                "multicloud-service:service.adminFeatures",
                "multicloud-service:service.cache.maxEntries",
            ],
        );
        assert.match(error.message, /^Stack "prod" has 5 invalid settings; nothing was deployed:\n {2}- multicloud-service:/);
    });
});

// Bounds and cross-key rules the README states, where the cases above stop short of them.
describe("stack settings: bounds and production rules at their edges", () => {
    const rejectedAt = (problems: string[], key: string) => problems.filter((p) => p.startsWith(`${key}: `));

    it("at most 100 CORS origins (Lambda's limit, as the README says)", () => {
        const origins = (n: number) => Array.from({ length: n }, (_, i) => `https://app${i}.example.com`);
        assert.doesNotThrow(() => parse(stackWith("dev", (d) => (d["multicloud-service:aws"].functionUrl.corsOrigins = origins(100)))));
        assert.strictEqual(rejectedAt(problemsOf(stackWith("dev", (d) => (d["multicloud-service:aws"].functionUrl.corsOrigins = origins(101)))), "multicloud-service:aws.functionUrl.corsOrigins").length, 1);
    });

    it("canary weights are 0-100 %: 101 is refused on either cloud", () => {
        assert.strictEqual(rejectedAt(problemsOf(stackWith("dev", (d) => (d["multicloud-service:aws"].canary = { stableVersion: "7", weightPercent: 101 }))), "multicloud-service:aws.canary.weightPercent").length, 1);
        assert.strictEqual(rejectedAt(problemsOf(stackWith("dev", (d) => (d["multicloud-service:gcp"].canary = { stableRevision: "svc-00007-abc", percent: 101 }))), "multicloud-service:gcp.canary.percent").length, 1);
    });

    it("a production stack that builds either cloud's image from source needs image.promoteFrom, even when the other cloud's is prebuilt", () => {
        const prebuilt = {
            aws: `123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/svc@sha256:${"a".repeat(64)}`,
            gcp: `asia-northeast1-docker.pkg.dev/ci-project/images/service@sha256:${"a".repeat(64)}`,
        };
        for (const cloud of ["aws", "gcp"] as const) {
            const raw = stackWith("prod", (d) => {
                delete d["multicloud-service:image"].promoteFrom;
                d[`multicloud-service:${cloud}`].image = prebuilt[cloud];
            });
            assert.deepStrictEqual(
                rejectedAt(problemsOf(raw, "prod"), "multicloud-service:image.promoteFrom"),
                ["multicloud-service:image.promoteFrom: is required in a production stack: production runs the images another stack ran, promoted by digest (e.g. dev), never a build of its own (got nothing)"],
                `${cloud} prebuilt`,
            );
        }
    });

    it("a production stack may not run another stack's registries (image.registriesOf)", () => {
        const raw = stackWith("prod", (d) => {
            delete d["multicloud-service:image"].promoteFrom;
            d["multicloud-service:image"].registriesOf = "dev";
            delete d["multicloud-service:gcp"].registryAccess;
        });
        assert.strictEqual(rejectedAt(problemsOf(raw, "prod"), "multicloud-service:image.registriesOf").length, 1);
    });

    it("stacks named prod or production followed by _ or . get production rules too, as the README says (PROD_2)", () => {
        for (const stack of ["PROD_2", "prod.eu", "production_x"]) {
            assert.ok(problemsOf(stackWith("dev"), stack).includes("multicloud-service:service.debug: must be false in a production stack (got true)"), stack);
        }
    });

    // As the README says, production rules are for stacks named `prod` or `production`, alone or followed by `-`, `_` or
    // `.` and more. A name that only contains or starts with the letters is another stack's: dev's admin features and
    // debug are its to keep.
    it("a stack whose name only contains prod (preprod, nonprod-eu, products, prodigy) gets no production rules", () => {
        for (const stack of ["preprod", "nonprod-eu", "products", "prodigy"]) assert.doesNotThrow(() => parse(stackWith("dev"), stack), stack);
    });

    // With a provider key invalid, the rules across settings read the provider values as written (parse.ts,
    // providersView), where aws:region left unset is its default: the image's region is still compared, in the same list.
    it("a prebuilt Lambda image outside aws:region's default is named beside an invalid provider key, aws:region unset", () => {
        const problems = problemsOf(
            stackWith("dev", (d) => {
                d["aws:region"] = undefined;
                d["gcp:project"] = "My Project";
                d["multicloud-service:aws"].image = `123456789012.dkr.ecr.us-east-1.amazonaws.com/svc@sha256:${"a".repeat(64)}`;
            }),
        );
        assert.deepStrictEqual(problems, [
            'gcp:project: must be a Google Cloud project ID (6-30 lowercase letters, digits, hyphens) (got "My Project")',
            'multicloud-service:aws.image: must be in this stack\'s aws:region (ap-northeast-1): Lambda cannot run an image from us-east-1 (got "123456789012.dkr.ecr.us-east-1.amazonaws.com/svc@sha256:... (122 characters))',
        ]);
    });
});
