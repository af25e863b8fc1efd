import { Verdict } from "./gates";
import { ProbeReport } from "./probe/probeReport";
import { CloudGates } from "./settings";
import { VerificationVerdict } from "./verification";
import { Cloud, ConfigChange, ReleaseOutcome, Sample } from "./types";

export interface CloudReading {
    cloud: Cloud;
    sample: Sample;
    gates: CloudGates;
    verdict: Verdict;
    /** This poll's health check of the new version alone, and how many have failed in a row. */
    health?: { ok: boolean; detail: string; inARow: number };
}

/** What a release tells whoever follows it; output.ts renders these for a person or a machine. */
export type ReleaseEvent =
    | { kind: "start"; stack: string; versions: { cloud: Cloud; stable: string; candidate: string }[]; steps: number[]; bakeMinutes: number; resumeAt?: number }
    | { kind: "config"; changes: ConfigChange[] }
    | { kind: "up"; purpose: string }
    /** Something a person should know that changes no decision. */
    | { kind: "notice"; text: string }
    | { kind: "verify"; cloud: Cloud; version: string; report: ProbeReport; verdict: VerificationVerdict }
    | { kind: "step"; index: number; total: number; percent: number }
    | { kind: "bake"; percent: number; secondsLeft: number; readings: CloudReading[] }
    | { kind: "outcome"; outcome: ReleaseOutcome };
