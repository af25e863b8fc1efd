/**
 * A rehearsal's input: the steps and, per enabled cloud and step, the bake window's totals. Format in docs/releases.md,
 * "Rehearsing a release"; every bad field is named by its path, e.g. `samples.aws[0].p95Ms: expected a number`.
 */
import * as fs from "fs";
import { z } from "zod";
import { describeValue, dottedPath } from "../config/errors";
import { cloudRunRevision, lambdaVersion, releaseStepsSchema } from "../config/schema";
import { Cloud } from "./types";

const whole = (what: string) => z.int({ error: `expected ${what}` }).min(0, { error: `expected ${what}` });
/**
 * A figure that may have a fraction, bounded as z.int bounds the whole ones: the rehearsal multiplies figures (a load's
 * requests are its rate times its seconds, a reported value is rounded through * 1000), and a larger double makes them
 * Infinity, whose error rate is NaN and passes every gate, and which `--json` prints as null.
 */
const figure = (what: string, notANumber = "expected a number") => {
    const range = `expected ${what} from 0 to ${Number.MAX_SAFE_INTEGER}`;
    return z.number({ error: notANumber }).min(0, { error: range }).max(Number.MAX_SAFE_INTEGER, { error: range });
};

const sampleSchema = z
    .strictObject({
        step: z.int({ error: "expected a step's percent (a whole number)" }),
        requests: whole("a whole number of requests, 0 or more"),
        errors: whole("a whole number of errors, 0 or more"),
        p95Ms: figure("a number of milliseconds"),
        /** Alarms in ALARM state during the window (optional). */
        firingAlarms: z.array(z.string({ error: "expected an alarm name" })).optional(),
        /** How many of the step's health checks of the new version fail, from its first (optional, default 0). */
        healthFailures: whole("a whole number of failed health checks, 0 or more").optional(),
        /** Peak resource use in the window (optional). */
        utilization: z.array(z.strictObject({ metric: z.string().min(1, { error: "expected a metric name" }), percent: figure("a percent", "expected a percent") })).optional(),
    })
    // Only once both counts are valid: a bad `requests` is reported on its own.
    .refine((s) => !(Number.isInteger(s.requests) && s.requests >= 0) || s.errors <= s.requests, { error: "errors cannot exceed requests", path: ["errors"] });

/** What the probe of the new version alone measured (release/probe/load.ts), or the smoke-test route that failed. */
const verificationSchema = z.strictObject({
    smokeFailure: z.strictObject({ route: z.string().min(1), detail: z.string() }).optional(),
    requestsPerSecond: figure("requests per second"),
    errorRatePercent: z.number({ error: "expected a number" }).min(0, { error: "expected a percent from 0 to 100" }).max(100, { error: "expected a percent from 0 to 100" }),
    healthP95Ms: figure("a number of milliseconds"),
    apiP95Ms: figure("a number of milliseconds"),
});

/** The versions the simulated stack reports, which the rehearsal writes as a release would: held to the settings' own rules. */
const versionsSchema = <T extends z.ZodType>(version: T) => z.strictObject({ stable: version.optional(), new: version.optional() });

export const scenarioSchema = z.strictObject({
    steps: releaseStepsSchema.optional(),
    samples: z.strictObject({ aws: z.array(sampleSchema).optional(), gcp: z.array(sampleSchema).optional() }),
    /** Per enabled cloud: the verification of the new version before any traffic moves. */
    verification: z.strictObject({ aws: verificationSchema.optional(), gcp: verificationSchema.optional() }).optional(),
    /** What the simulated stack reports as the stable and the new version per cloud (optional). */
    versions: z.strictObject({ aws: versionsSchema(lambdaVersion).optional(), gcp: versionsSchema(cloudRunRevision).optional() }).optional(),
});

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioSample = z.infer<typeof sampleSchema>;
export type ScenarioVerification = z.infer<typeof verificationSchema>;

/** How many of a scenario's problems its error lists: a generated file can hold thousands of the same mistake. */
export const LISTED_PROBLEMS = 20;

/** A scenario that cannot be used: exit 2. `problems` holds them all; the message lists the first LISTED_PROBLEMS and counts the rest. */
export class ScenarioError extends Error {
    constructor(
        readonly file: string,
        readonly problems: string[],
    ) {
        const listed = problems.slice(0, LISTED_PROBLEMS).map((p) => `  - ${p}`);
        const more = problems.length - listed.length;
        if (more > 0) listed.push(`  ... and ${more} more`);
        super(`scenario ${file} is not valid:\n${listed.join("\n")}`);
        this.name = "ScenarioError";
    }
}

export function readScenario(file: string): Scenario {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        throw new ScenarioError(file, [`cannot be read: ${(err as Error).message}`]);
    }
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch (err) {
        throw new ScenarioError(file, [`is not JSON: ${(err as Error).message}`]);
    }
    return parseScenario(json, file);
}

export function parseScenario(json: unknown, file = "<scenario>"): Scenario {
    const parsed = scenarioSchema.safeParse(json, { reportInput: true });
    if (!parsed.success) {
        throw new ScenarioError(
            file,
            parsed.error.issues.map((issue) => {
                const where = dottedPath(issue.path) || "(top level)";
                if (issue.code === "unrecognized_keys") return `${where ? `${where}: ` : ""}unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}`;
                // The settings' version rules name no value (config/parse.ts adds it): a version refused says which it was.
                const got = issue.path[0] === "versions" && issue.input !== undefined ? ` (got ${describeValue(issue.input)})` : "";
                return `${where}: ${issue.message}${got}`;
            }),
        );
    }
    return parsed.data;
}

/**
 * Checks the scenario against the stack: a verification and one sample per step for each enabled cloud, none for a
 * disabled cloud.
 * Returns the samples by cloud and step.
 */
export function samplesByStep(scenario: Scenario, steps: readonly number[], enabled: readonly Cloud[], file: string): Partial<Record<Cloud, Map<number, ScenarioSample>>> {
    const problems: string[] = [];
    const result: Partial<Record<Cloud, Map<number, ScenarioSample>>> = {};
    for (const cloud of ["aws", "gcp"] as const) {
        const samples = scenario.samples[cloud];
        if (!enabled.includes(cloud)) {
            if (samples?.length) problems.push(`samples.${cloud}: ${cloud} is disabled in this stack, so it has no samples`);
            if (scenario.verification?.[cloud]) problems.push(`verification.${cloud}: ${cloud} is disabled in this stack, so it has no verification`);
            continue;
        }
        if (!scenario.verification?.[cloud]) problems.push(`verification.${cloud}: missing (what the probe of the new version alone measured, before any traffic moves)`);
        const byStep = new Map<number, ScenarioSample>();
        (samples ?? []).forEach((sample, i) => {
            if (!steps.includes(sample.step)) problems.push(`samples.${cloud}[${i}].step: ${sample.step} is not one of the steps ${steps.join(", ")}`);
            else if (byStep.has(sample.step)) problems.push(`samples.${cloud}[${i}].step: a second sample for step ${sample.step}`);
            else byStep.set(sample.step, sample);
        });
        for (const step of steps) {
            if (!byStep.has(step)) problems.push(`samples.${cloud}: no sample for step ${step} (one per step of ${steps.join(", ")})`);
        }
        result[cloud] = byStep;
    }
    if (problems.length) throw new ScenarioError(file, problems);
    return result;
}
