/**
 * What a person or a machine sees. For a person: one line per event on stdout (step, traffic split, each cloud's
 * live error rate and p95 against its gates, time left in the bake). With --json, the same lines go to stderr and
 * stdout gets only the final JSON object.
 */
import { CloudReading, ReleaseEvent } from "./events";
import { errorRatePercent } from "./gates";
import { breachText } from "./bake";
import { ReleaseOutcome } from "./types";

export interface OutputOptions {
    json: boolean;
    simulated: boolean;
    stdout: (line: string) => void;
    stderr: (line: string) => void;
}

export function createReporter(options: OutputOptions): (event: ReleaseEvent) => void {
    const progress = options.json ? options.stderr : options.stdout;
    const tag = options.simulated ? "[simulated] " : "";
    return (event) => {
        if (event.kind === "outcome") {
            progress(`${tag}${event.outcome.summary}`);
            if (options.json) options.stdout(JSON.stringify(machineOutcome(event.outcome)));
            return;
        }
        for (const line of describe(event, options.simulated).split("\n")) progress(`${tag}${line}`);
    };
}

/**
 * The outcome as `--json` prints it. `summary` is the sentence the human output ends with: it alone says when a
 * "promoted" is a version an earlier, held release left, and the tag's own version got no traffic.
 */
export function machineOutcome(outcome: ReleaseOutcome) {
    const { decision, step, cloud, gate, value, threshold, summary, configChanges } = outcome;
    return { decision, step, cloud, gate, value, threshold, summary, configChanges };
}

function describe(event: Exclude<ReleaseEvent, { kind: "outcome" }>, simulated: boolean): string {
    switch (event.kind) {
        case "start": {
            const versions = event.versions.map((v) => `${v.cloud} ${v.stable} -> ${v.candidate}`).join(", ");
            const resume = event.resumeAt !== undefined ? `; resuming at ${event.resumeAt}% (recorded in the stack config)` : "";
            return `release of stack ${event.stack}: ${versions}; steps ${event.steps.map((s) => `${s}%`).join(", ")}, ${event.bakeMinutes} min bake each${resume}`;
        }
        case "config":
            return event.changes.map((c) => `  ${simulated ? "would set" : "set"} ${c.key} = ${JSON.stringify(c.value)}`).join("\n");
        case "up":
            return `  ${simulated ? "would run" : "running"} pulumi up: ${event.purpose}`;
        case "notice":
            return `  note: ${event.text}`;
        case "step":
            return `step ${event.index + 1}/${event.total}: ${event.percent}% new / ${100 - event.percent}% stable`;
        case "verify":
            return verifyText(event);
        case "bake":
            return `  bake ${clockText(event.secondsLeft)} left | ${event.readings.map(readingText).join(" | ")}`;
    }
}

function readingText(r: CloudReading): string {
    const rate = `errors ${errorRatePercent(r.sample).toFixed(2)}% (gate ${r.gates.errorRatePercent.threshold}%)`;
    const p95 = `p95 ${r.sample.p95Ms === undefined ? "n/a" : `${Math.round(r.sample.p95Ms)} ms`} (gate ${r.gates.p95Ms.threshold} ms)`;
    const verdict = r.verdict.kind === "breach" ? `BREACH: ${breachText(r)}` : r.verdict.kind === "no-evidence" ? `waiting: ${r.verdict.reason}` : "ok";
    const health = r.health ? `, health ${r.health.ok ? "ok" : `FAILED ${r.health.inARow} in a row (gate ${r.gates.healthFailures.threshold})`}` : "";
    const peak = [...(r.sample.utilization ?? [])].sort((a, b) => b.percent - a.percent)[0];
    const use = peak ? `, peak use ${Math.round(peak.percent)}% ${peak.metric} (gate ${r.gates.utilizationPercent.threshold}%)` : "";
    return `${r.cloud} ${r.sample.requests} req, ${rate}, ${p95}${use}${health}: ${verdict}`;
}

function verifyText(event: Extract<ReleaseEvent, { kind: "verify" }>): string {
    const smoke = event.report.smoke.map((s) => `${s.route} ${s.ok ? "ok" : `FAILED (${s.detail})`}`).join(", ");
    const l = event.report.load;
    const load = l
        ? `; load ${l.seconds} s: ${l.requestsPerSecond} req/s, errors ${l.requests ? ((100 * l.errors) / l.requests).toFixed(2) : "0.00"}% of ${l.requests}, health p95 ${l.healthP95Ms ?? "n/a"} ms, API p95 ${l.apiP95Ms ?? "n/a"} ms${l.timedBy ? ` (${l.networkMs === undefined ? "round trips from here" : `round trips less ${l.networkMs} ms of network`})` : ""}`
        : "";
    const verdict = event.verdict.kind === "passed" ? "passed" : `FAILED: ${event.verdict.text}`;
    return `verify ${event.cloud} ${event.version} alone (no traffic): smoke ${smoke}${load}: ${verdict}`;
}

function clockText(seconds: number): string {
    return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}
