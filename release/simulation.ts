/**
 * Simulation mode: the same release logic on a stack held in memory (seeded from Pulumi.<stack>.yaml, config
 * changes applied there only, `pulumi up` never run) and metric samples from a scenario file.
 */
import { RawStackConfig } from "../config";
import { PROJECT_ROOT, readStackFile } from "../config/stackFile";
import { RELEASE_KEYS, applyConfigChanges } from "./configChanges";
import { MetricSource } from "./metrics/metricSource";
import { ingestionDelaySeconds } from "./metrics/ingestionDelay";
import { DEFAULT_VERSIONS, madeUpNewVersion } from "./madeUpVersion";
import { CandidateProbe } from "./probe/probeReport";
import { Scenario, ScenarioSample, ScenarioVerification, samplesByStep } from "./scenario";
import { releasePlanFromConfig, enabledClouds } from "./settings";
import { StackAccess } from "./stack/stackAccess";
import { Cloud, ConfigChange, DeployedTarget } from "./types";

const SIMULATED_SERVICES: Record<Cloud, string> = { aws: "simulated-api-function", gcp: "simulated-service" };

export interface Simulation {
    stack: StackAccess;
    metrics: Partial<Record<Cloud, MetricSource>>;
    probes: Partial<Record<Cloud, CandidateProbe>>;
    steps: number[];
    /** Puts nothing live: who the alerts reach is not asked of a rehearsal. */
    rehearsal: true;
    /** How many `pulumi up` a real release would have run. */
    ups(): number;
}

/** `root`: the folder of the stack's file (a test's scratch copy of one that records a stable version). */
export function simulate(stackName: string, scenario: Scenario, scenarioFile: string, root = PROJECT_ROOT): Simulation {
    const file = readStackFile(stackName, root);
    const config: RawStackConfig = { values: file.config, secretKeys: new Set(file.secretKeys) };
    const plan = releasePlanFromConfig(config, stackName, scenario.steps);
    const samples = samplesByStep(scenario, plan.steps, enabledClouds(plan), scenarioFile);
    // The new version follows the stable one the rehearsal runs (the scenario's, else the stack's recorded one) and the
    // stack's rolled-back and candidate ones, which the cloud published before it.
    const versionsOf = (cloud: Cloud) => {
        const stable = scenario.versions?.[cloud]?.stable ?? plan.clouds[cloud]?.stable;
        const published = [plan.clouds[cloud]?.rolledBack, plan.clouds[cloud]?.candidate];
        return { stable: stable ?? DEFAULT_VERSIONS[cloud].stable, new: scenario.versions?.[cloud]?.new ?? (stable === undefined ? DEFAULT_VERSIONS[cloud].new : madeUpNewVersion(cloud, stable, scenarioFile, published)) };
    };
    const versions = new Map(enabledClouds(plan).map((cloud) => [cloud, versionsOf(cloud)]));
    const stack = new SimulatedStack(stackName, config, enabledClouds(plan), (cloud) => versions.get(cloud)!);
    const metrics: Partial<Record<Cloud, MetricSource>> = {};
    const probes: Partial<Record<Cloud, CandidateProbe>> = {};
    for (const cloud of enabledClouds(plan)) {
        metrics[cloud] = scenarioSource(samples[cloud] as Map<number, ScenarioSample>, ingestionDelaySeconds(cloud, plan));
        probes[cloud] = scenarioProbe(scenario.verification?.[cloud] as ScenarioVerification, samples[cloud] as Map<number, ScenarioSample>, () => stack.weight(cloud));
    }
    return { stack, metrics, probes, steps: plan.steps, rehearsal: true, ups: () => stack.ups };
}

/**
 * Each read returns the scenario's totals for the step, whatever the window, and nothing before the first step (the
 * check that the metrics can be read, when the new version has no traffic yet); the cloud's real ingestion delay.
 */
export function scenarioSource(samples: Map<number, ScenarioSample>, ingestionDelaySeconds: number): MetricSource {
    return {
        ingestionDelaySeconds,
        async read(_target, window) {
            if (window.step === 0) return { requests: 0, errors: 0, firingAlarms: [] };
            const sample = samples.get(window.step);
            if (!sample) throw new Error(`the scenario has no sample for step ${window.step}`);
            return { requests: sample.requests, errors: sample.errors, p95Ms: sample.p95Ms, firingAlarms: sample.firingAlarms ?? [], utilization: sample.utilization };
        },
    };
}

const SMOKE_ROUTES = ["GET /health", "GET /ready", "GET /objects", "POST /objects/exists"];

/** The scenario's verification figures as the probe reports them; the step's first `healthFailures` health checks fail. */
export function scenarioProbe(verification: ScenarioVerification, samples: Map<number, ScenarioSample>, step: () => number): CandidateProbe {
    const checks = new Map<number, number>();
    return {
        async verify(_target, load) {
            const failed = verification.smokeFailure;
            const smoke = SMOKE_ROUTES.map((route) => (route === failed?.route ? { route, ok: false, detail: failed.detail } : { route, ok: true, detail: "200" }));
            if (failed && !SMOKE_ROUTES.includes(failed.route)) smoke.push({ route: failed.route, ok: false, detail: failed.detail });
            if (failed) return { smoke };
            const requests = Math.round(verification.requestsPerSecond * load.seconds);
            return {
                smoke,
                load: {
                    seconds: load.seconds,
                    requests,
                    errors: Math.round((requests * verification.errorRatePercent) / 100),
                    requestsPerSecond: verification.requestsPerSecond,
                    healthP95Ms: verification.healthP95Ms,
                    apiP95Ms: verification.apiP95Ms,
                },
            };
        },
        async health() {
            const now = step();
            const made = (checks.get(now) ?? 0) + 1;
            checks.set(now, made);
            const failing = made <= (samples.get(now)?.healthFailures ?? 0);
            return failing ? { ok: false, detail: "503 (simulated)" } : { ok: true, detail: "200 (simulated)" };
        },
    };
}

/** The stack in memory: before its first `up` it runs the stable versions, after it the new ones. */
class SimulatedStack implements StackAccess {
    ups = 0;
    /** A rehearsal names no organization. */
    get cliName(): string {
        return this.name;
    }
    private readonly weights: Partial<Record<Cloud, number>> = {};
    constructor(
        readonly name: string,
        private config: RawStackConfig,
        private readonly clouds: Cloud[],
        private readonly versions: (cloud: Cloud) => { stable: string; new: string },
    ) {}
    async readConfig() {
        return this.config;
    }
    async setConfig(changes: readonly ConfigChange[]) {
        this.config = applyConfigChanges(this.config, changes);
        for (const cloud of this.clouds) {
            const weight = changes.filter((c) => c.key === RELEASE_KEYS[cloud].weight).pop();
            if (weight) this.weights[cloud] = Number(weight.value);
        }
    }
    /** The canary weight the release set last: the step a health check happens in. */
    weight(cloud: Cloud): number {
        return this.weights[cloud] ?? 0;
    }
    async up() {
        this.ups++;
    }
    async deployed() {
        const result: Partial<Record<Cloud, DeployedTarget>> = {};
        for (const cloud of this.clouds) {
            const v = this.versions(cloud);
            const version = this.ups === 0 ? v.stable : v.new;
            result[cloud] = { cloud, version, service: SIMULATED_SERVICES[cloud], alarms: [] };
            // The simulated worker publishes alongside the API, so its versions are the API's.
            if (cloud === "aws") result[cloud].worker = { service: "simulated-worker-function", version };
        }
        return result;
    }
}
