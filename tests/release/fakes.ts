/** A stack and metric sources in memory, for the release's decision tests. */
import { RawStackConfig } from "../../config";
import { readStackFile } from "../../config/stackFile";
import { VirtualClock } from "../../release/clock";
import { applyConfigChanges } from "../../release/configChanges";
import { ReleaseEvent } from "../../release/events";
import { MetricSource } from "../../release/metrics/metricSource";
import { ReleaseDeps } from "../../release/release";
import { StackAccess } from "../../release/stack/stackAccess";
import { Cloud, ConfigChange, DeployedTarget, Sample } from "../../release/types";

export const HEALTHY: Sample = { requests: 1000, errors: 2, p95Ms: 200, firingAlarms: [] };

/**
 * Pulumi.prod.yaml's settings; every `up` deploys `nextVersions` (as the Lambda version / Cloud Run revision a
 * code change publishes). `crashOnUp(n)` makes the n-th `up` of this stack throw, as a killed process would.
 */
export class FakeStack implements StackAccess {
    config: RawStackConfig;
    readonly setCalls: ConfigChange[][] = [];
    ups = 0;
    private crashAt?: number;
    running: Record<Cloud, string> = { aws: "7", gcp: "service-00007-abc" };

    constructor(
        readonly name = "prod",
        readonly nextVersions: Record<Cloud, string> = { aws: "8", gcp: "service-00008-def" },
        edit: (values: Record<string, any>) => void = () => {},
    ) {
        const file = readStackFile("prod");
        const doc: Record<string, any> = Object.fromEntries(Object.entries(file.config).map(([k, v]) => [k, v.startsWith("{") ? JSON.parse(v) : v]));
        edit(doc);
        const values = Object.fromEntries(Object.entries(doc).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
        this.config = { values, secretKeys: new Set(file.secretKeys) };
    }

    crashOnUp(n: number): this {
        this.crashAt = n;
        return this;
    }
    async readConfig() {
        return this.config;
    }
    async setConfig(changes: readonly ConfigChange[]) {
        this.setCalls.push([...changes]);
        this.config = applyConfigChanges(this.config, changes);
    }
    async up() {
        this.ups++;
        if (this.ups === this.crashAt) throw new Error("killed during pulumi up");
        this.running = { ...this.nextVersions };
    }
    async deployed(): Promise<Partial<Record<Cloud, DeployedTarget>>> {
        return {
            aws: { cloud: "aws", version: this.running.aws, service: "pipeline-api-1234567", alarms: ["pipeline-api-error-rate-abc"] },
            gcp: { cloud: "gcp", version: this.running.gcp, service: "service-0a1b2c3", alarms: [] },
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

/** Metrics as a function of cloud and step; records which version each read was for. */
export function fakeMetrics(sample: (cloud: Cloud, step: number) => Sample) {
    const reads: { cloud: Cloud; version: string; step: number }[] = [];
    const source = (cloud: Cloud): MetricSource => ({
        async read(target, window) {
            reads.push({ cloud, version: target.version, step: window.step });
            return sample(cloud, window.step);
        },
    });
    return { reads, metrics: { aws: source("aws"), gcp: source("gcp") } };
}

export function depsFor(stack: StackAccess, metrics: Partial<Record<Cloud, MetricSource>>, events: ReleaseEvent[] = []): ReleaseDeps {
    return { stack, metrics, clock: new VirtualClock(), report: (e) => events.push(e), pollSeconds: 60 };
}
