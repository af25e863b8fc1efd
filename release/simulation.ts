/**
 * Simulation mode: the same release logic on a stack held in memory (seeded from Pulumi.<stack>.yaml, config
 * changes applied there only, `pulumi up` never run) and metric samples from a scenario file.
 */
import { RawStackConfig } from "../config";
import { readStackFile } from "../config/stackFile";
import { applyConfigChanges } from "./configChanges";
import { MetricSource } from "./metrics/metricSource";
import { Scenario, ScenarioSample, samplesByStep } from "./scenario";
import { releasePlanFromConfig, enabledClouds } from "./settings";
import { StackAccess } from "./stack/stackAccess";
import { Cloud, ConfigChange, DeployedTarget } from "./types";

const DEFAULT_VERSIONS: Record<Cloud, { stable: string; new: string }> = {
    aws: { stable: "1", new: "2" },
    gcp: { stable: "service-00001-sim", new: "service-00002-sim" },
};
const SIMULATED_SERVICES: Record<Cloud, string> = { aws: "simulated-api-function", gcp: "simulated-service" };

export interface Simulation {
    stack: StackAccess;
    metrics: Partial<Record<Cloud, MetricSource>>;
    steps: number[];
    /** How many `pulumi up` a real release would have run. */
    ups(): number;
}

export function simulate(stackName: string, scenario: Scenario, scenarioFile: string): Simulation {
    const file = readStackFile(stackName);
    const config: RawStackConfig = { values: file.config, secretKeys: new Set(file.secretKeys) };
    const plan = releasePlanFromConfig(config, stackName, scenario.steps);
    const samples = samplesByStep(scenario, plan.steps, enabledClouds(plan), scenarioFile);
    const versions = (cloud: Cloud) => ({
        stable: scenario.versions?.[cloud]?.stable ?? plan.clouds[cloud]?.stable ?? DEFAULT_VERSIONS[cloud].stable,
        new: scenario.versions?.[cloud]?.new ?? nextVersion(cloud, plan.clouds[cloud]?.stable),
    });
    const stack = new SimulatedStack(stackName, config, enabledClouds(plan), versions);
    const metrics: Partial<Record<Cloud, MetricSource>> = {};
    for (const cloud of enabledClouds(plan)) metrics[cloud] = scenarioSource(samples[cloud] as Map<number, ScenarioSample>);
    return { stack, metrics, steps: plan.steps, ups: () => stack.ups };
}

/** The version a release would publish after a recorded stable one: Lambda numbers its versions. */
function nextVersion(cloud: Cloud, stable: string | undefined): string {
    if (cloud === "aws" && stable !== undefined) return String(Number(stable) + 1);
    return stable === DEFAULT_VERSIONS[cloud].new ? `${stable}-next` : DEFAULT_VERSIONS[cloud].new;
}

/** Each read returns the scenario's totals for the step, whatever the window. */
export function scenarioSource(samples: Map<number, ScenarioSample>): MetricSource {
    return {
        async read(_target, window) {
            const sample = samples.get(window.step);
            if (!sample) throw new Error(`the scenario has no sample for step ${window.step}`);
            return { requests: sample.requests, errors: sample.errors, p95Ms: sample.p95Ms, firingAlarms: sample.firingAlarms ?? [] };
        },
    };
}

/** The stack in memory: before its first `up` it runs the stable versions, after it the new ones. */
class SimulatedStack implements StackAccess {
    ups = 0;
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
    }
    async up() {
        this.ups++;
    }
    async deployed() {
        const result: Partial<Record<Cloud, DeployedTarget>> = {};
        for (const cloud of this.clouds) {
            const v = this.versions(cloud);
            result[cloud] = { cloud, version: this.ups === 0 ? v.stable : v.new, service: SIMULATED_SERVICES[cloud], alarms: [] };
        }
        return result;
    }
}
