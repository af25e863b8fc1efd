/** A stack and metric sources in memory, for the release's decision tests. */
import { RawStackConfig, parseStackSettings } from "../../config";
import { aliasWeights } from "../../components/aws/canary";
import { CANDIDATE_TAG, trafficSplit } from "../../components/gcp/traffic";
import { readStackFile } from "../../config/stackFile";
import { TopicSubscription } from "../../release/alerts/alarmDelivery";
import { VirtualClock } from "../../release/clock";
import { applyConfigChanges } from "../../release/configChanges";
import { ReleaseEvent } from "../../release/events";
import { MetricSource } from "../../release/metrics/metricSource";
import { CandidateProbe, ProbeReport } from "../../release/probe/probeReport";
import { FAILED_UP_STDOUT, sdkCommandFailure } from "./sdkErrors";
import { ReleaseDeps } from "../../release/release";
import { StackAccess, WriteOptions } from "../../release/stack/stackAccess";
import { Cloud, ConfigChange, DeployedTarget, Sample } from "../../release/types";
import { configText } from "../../config/configText";

/** The account of the fake stack's AWS resources. */
export const STACK_ACCOUNT = "123456789012";
export const ALARM_TOPIC = `arn:aws:sns:ap-northeast-1:${STACK_ACCOUNT}:pipeline-alarms-7c1f0e2`;

/** The alert address a team sets in place of the committed stack file's placeholder (at example.com, which a release refuses). */
export const TEAM_ALERT_EMAIL = "platform-oncall@acme-platform.io";
/** The GCP alert e-mail's notification channel: Cloud Monitoring names it by the project and a numeric ID. */
export const ALERT_CHANNEL = "projects/multicloud-service-prod/notificationChannels/8260518937561928713";

/** The alarm topic's subscriptions as SNS lists them: the team's address (FakeStack's aws.alarms.email), confirmed. */
export const CONFIRMED_ALARM_EMAIL: TopicSubscription[] = [{ protocol: "email", endpoint: TEAM_ALERT_EMAIL, confirmed: true }];

export const HEALTHY: Sample = { requests: 1000, errors: 2, p95Ms: 200, firingAlarms: [] };

/** Each version's share of one function's or service's traffic, from 0 to 1; a version with none is left out. */
export type TrafficShares = Record<string, number>;

/**
 * Pulumi.prod.yaml's settings; every `up` deploys `nextVersions` (as the Lambda version / Cloud Run revision a
 * code change publishes) and records where the program sends the traffic with the config it ran with.
 * `failUp(n)` makes the n-th `up` of this stack fail as the Automation API reports a `pulumi up` that failed on a
 * resource (tests/release/sdkErrors.ts); the config keeps what the release recorded before it.
 */
export class FakeStack implements StackAccess {
    /** As a release names it: with its organization, as deploy-prod.yml passes it. */
    get cliName(): string {
        return `my-org/${this.name}`;
    }
    config: RawStackConfig;
    readonly setCalls: ConfigChange[][] = [];
    ups = 0;
    private failAt?: number;
    running: Record<Cloud, string> = { aws: "7", gcp: "service-00007-abc" };
    /** The worker's versions: published with the API's, numbered on their own. */
    runningWorker = "4";
    nextWorker = "5";

    /**
     * After each `up`: the API's, the worker's and Cloud Run's traffic, as the program's own routing computes it, and
     * the revision the `candidate` tag reaches (where the release's probes of Cloud Run go: gcp.candidateUrl).
     */
    readonly traffic: { aws: TrafficShares; worker: TrafficShares; gcp: TrafficShares; gcpTagged?: string }[] = [];

    constructor(
        readonly name = "prod",
        /** What the checkout a release runs from deploys; a test changes it to rerun from a newer checkout. */
        public nextVersions: Record<Cloud, string> = { aws: "8", gcp: "service-00008-def" },
        edit: (values: Record<string, any>) => void = () => {},
    ) {
        const file = readStackFile("prod");
        const doc: Record<string, any> = Object.fromEntries(Object.entries(file.config).map(([k, v]) => [k, v.startsWith("{") ? JSON.parse(v) : v]));
        doc["multicloud-service:aws"].alarms.email = TEAM_ALERT_EMAIL;
        doc["multicloud-service:gcp"].alerts.email = TEAM_ALERT_EMAIL;
        edit(doc);
        const values = Object.fromEntries(Object.entries(doc).map(([k, v]) => [k, configText(v)]));
        this.config = { values, secretKeys: new Set(file.secretKeys) };
    }

    failUp(n: number): this {
        this.failAt = n;
        return this;
    }
    async readConfig() {
        return this.config;
    }
    /**
     * From this write on (1-based), the state environment refuses a write that is not `over` (WriteOptions): another
     * writer changed it. The default error is the one escReleaseState raises for ESC's 409, which is what a release sees.
     */
    conflictFromWrite(n: number, error = new Error("release state: acme/multicloud-service/prod-release changed since the release read it (409 conflict)")): this {
        this.conflictAt = { n, error };
        return this;
    }
    private conflictAt?: { n: number; error: Error };
    /** Whether each write was asked to go `over` another writer's change. */
    readonly writesOver: boolean[] = [];
    async setConfig(changes: readonly ConfigChange[], options?: WriteOptions) {
        this.writesOver.push(options?.over === true);
        if (this.conflictAt && this.writesOver.length >= this.conflictAt.n && !options?.over) throw this.conflictAt.error;
        this.setCalls.push([...changes]);
        this.config = applyConfigChanges(this.config, changes);
    }
    /** The image wait each `up` was allowed (StackAccess.up's allowance). */
    readonly upAllowances: (number | undefined)[] = [];
    async up(allowance?: { imageWaitMinutes: number }) {
        this.upAllowances.push(allowance?.imageWaitMinutes);
        this.ups++;
        if (this.ups === this.failAt) throw sdkCommandFailure({ stdout: FAILED_UP_STDOUT });
        this.running = { ...this.nextVersions };
        this.runningWorker = this.nextWorker;
        this.traffic.push(this.routing());
    }
    /** components/aws/canary.ts and components/gcp/traffic.ts on the settings the program would read now. */
    private routing() {
        const { aws, gcp, release } = parseStackSettings(this.config, this.name);
        const lambdaShares = (newest: string, canary: Parameters<typeof aliasWeights>[1]): TrafficShares => {
            const { functionVersion, additionalVersionWeights = {} } = aliasWeights(newest, canary);
            const rest = 1 - Object.values(additionalVersionWeights).reduce((a, b) => a + b, 0);
            return { ...additionalVersionWeights, [functionVersion]: rest };
        };
        const workerCanary = aws.canary && { stableVersion: release.workerStableVersion, weightPercent: aws.canary.weightPercent, candidateVersion: release.workerCandidateVersion };
        const gcpShares: TrafficShares = {};
        let gcpTagged: string | undefined;
        for (const target of trafficSplit(gcp.canary)) {
            const revision = target.revision ?? this.running.gcp;
            if (target.percent > 0) gcpShares[revision] = target.percent / 100;
            if (target.tag === CANDIDATE_TAG) gcpTagged = revision;
        }
        return { aws: lambdaShares(this.running.aws, aws.canary), worker: lambdaShares(this.runningWorker, workerCanary), gcp: gcpShares, ...(gcpTagged ? { gcpTagged } : {}) };
    }
    /**
     * The stack's outputs: a cloud its settings switch off has none, as a stack that never deployed it (index.ts exports
     * `undefined` for it). A test of a cloud switched off after it was deployed puts them back (deployedAsBefore).
     */
    async deployed(): Promise<Partial<Record<Cloud, DeployedTarget>>> {
        const all = this.deployedAsBefore();
        return Object.fromEntries(Object.entries(all).filter(([cloud]) => this.setting(cloud).enabled !== false));
    }
    /** What a stack that deployed both clouds shows, whatever its settings say now. */
    deployedAsBefore(): Record<Cloud, DeployedTarget> {
        return {
            aws: {
                cloud: "aws",
                version: this.running.aws,
                service: "pipeline-api-1234567",
                alarms: ["pipeline-api-error-rate-abc", "pipeline-worker-error-rate-def", "pipeline-failed-executions-0ff"],
                worker: { service: "pipeline-worker-7654321", version: this.runningWorker },
                alarmTopicArn: ALARM_TOPIC,
                // Where Pulumi.prod.yaml put it: a test that edits the settings' region or project moves it. The account
                // is the alarm topic's.
                location: { region: "ap-northeast-1", account: STACK_ACCOUNT },
            },
            gcp: {
                cloud: "gcp",
                version: this.running.gcp,
                service: "service-0a1b2c3",
                alarms: [],
                candidateUrl: "https://candidate---service-0a1b2c3-an.a.run.app",
                serviceUrl: "https://service-0a1b2c3-an.a.run.app",
                // The alert e-mail's channel, as index.ts exports it (gcp.alertChannel).
                alertChannel: ALERT_CHANNEL,
                location: { project: "multicloud-service-prod", region: "asia-northeast1" },
            },
        };
    }
    /** A project setting as the program would read it, e.g. setting("aws").canary. */
    setting(top: string): any {
        return JSON.parse(this.config.values[`multicloud-service:${top}`] ?? "{}");
    }
    /** Every weight the release set, in order, for one config key. */
    weights(key: string): unknown[] {
        return this.setCalls.flat().filter((c) => c.key === key).map((c) => c.value);
    }
}

/**
 * Metrics as a function of cloud and step; records which version and window each read was for. The ingestion delay
 * is 0 unless given (the decision tests judge whole windows; ingestion.spec.ts uses the clouds' real delays).
 */
export function fakeMetrics(sample: (cloud: Cloud, step: number) => Sample, delaySeconds: Partial<Record<Cloud, number>> = {}) {
    const reads: { cloud: Cloud; version: string; step: number; start: number; end: number; ownRequests: { at: number; status?: number }[] }[] = [];
    const source = (cloud: Cloud): MetricSource => ({
        ingestionDelaySeconds: delaySeconds[cloud] ?? 0,
        async read(target, window) {
            const ownRequests = (window.ownRequests ?? []).map((r) => ({ at: r.at.getTime(), status: r.status }));
            reads.push({ cloud, version: target.version, step: window.step, start: window.start.getTime(), end: window.end.getTime(), ownRequests });
            return sample(cloud, window.step);
        },
    });
    return { reads, metrics: { aws: source("aws"), gcp: source("gcp") } };
}

/**
 * `stack` with `cloud`'s `output` left out of its outputs while `missing` holds: as a stack an older program last updated
 * shows them, until the release's own deploy at 0 % adds it.
 */
export function withoutOutput(stack: FakeStack, cloud: Cloud, output: "alarmTopicArn" | "alertChannel", missing: (stack: FakeStack) => boolean): FakeStack {
    const deployed = stack.deployed.bind(stack);
    stack.deployed = async () => {
        const outputs = await deployed();
        if (missing(stack) && outputs[cloud]) delete outputs[cloud][output];
        return outputs;
    };
    return stack;
}

/** What release/probe/load.ts reported for the app's server bundle on loopback (probe.spec.ts measures it for real). */
export const PASSING_PROBE: ProbeReport = {
    smoke: ["GET /health", "GET /ready", "GET /objects", "POST /objects/exists"].map((route) => ({ route, ok: true, detail: "200" })),
    load: { seconds: 30.01, requests: 1800, errors: 0, requestsPerSecond: 59.98, healthP95Ms: 2.1, apiP95Ms: 3.4 },
};

/** Probes answering `report` to a verification and `healthy(cloud, check)` to the n-th health check; records both, and the version each checked. */
export function fakeProbes(report: (cloud: Cloud) => ProbeReport = () => PASSING_PROBE, healthy: (cloud: Cloud, check: number) => boolean = () => true) {
    const verified: { cloud: Cloud; version: string }[] = [];
    const checks: Record<Cloud, number> = { aws: 0, gcp: 0 };
    const checked: { cloud: Cloud; version: string }[] = [];
    const probe = (cloud: Cloud): CandidateProbe => ({
        async verify(target) {
            verified.push({ cloud, version: target.version });
            return report(cloud);
        },
        async health(target) {
            checked.push({ cloud, version: target.version });
            const ok = healthy(cloud, ++checks[cloud]);
            return ok ? { ok, detail: "200 {\"status\":\"ok\"}", status: 200 } : { ok, detail: "no answer: no answer within 10000 ms" };
        },
    });
    return { verified, checks, checked, probes: { aws: probe("aws"), gcp: probe("gcp") } };
}

export function depsFor(
    stack: StackAccess,
    metrics: Partial<Record<Cloud, MetricSource>>,
    events: ReleaseEvent[] = [],
    probes = fakeProbes().probes,
    alarmSubscriptions: TopicSubscription[] = CONFIRMED_ALARM_EMAIL,
): ReleaseDeps {
    return { stack, metrics, probes, alarmSubscriptions: async () => alarmSubscriptions, clock: new VirtualClock(), report: (e) => events.push(e), pollSeconds: 60 };
}
