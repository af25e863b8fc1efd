/**
 * What the program says and waits for during a run under mocks, kept as the engine would keep it: its log messages
 * (an update shows them with the update; the SDK, with no engine, would print them) and its waits (for IAM
 * propagation, API activation, an image's push: nothing propagates or is pushed in a mock cloud).
 */
import * as pulumi from "@pulumi/pulumi";
import { REAL_CLOCK, waitClock } from "../../components/waitClock";

export interface Diagnostic {
    severity: "info" | "warning" | "error";
    message: string;
}

/** The messages of one severity a run received, in order. */
export const messagesOf = (sink: { diagnostics: Diagnostic[] }, severity: Diagnostic["severity"]) => sink.diagnostics.filter((d) => d.severity === severity).map((d) => d.message);

/** The SDK's own log functions, which print to the console where there is no engine (under mocks). */
const SDK_LOG = { info: pulumi.log.info, warn: pulumi.log.warn, error: pulumi.log.error };

/**
 * The program's info, warning and error messages go to `sink.diagnostics` until the returned function is called, as in an
 * update they go to the engine, instead of to the console (where they would fill the test run's output, and the
 * offline plan's `--json` on stdout). A spec that put its own log function in place keeps it.
 */
export function receiveLogs(sink: { diagnostics: Diagnostic[] }): () => void {
    const replaced: (() => void)[] = [];
    for (const [level, severity] of [["info", "info"], ["warn", "warning"], ["error", "error"]] as const) {
        if (pulumi.log[level] !== SDK_LOG[level]) continue;
        pulumi.log[level] = async (message: string) => void sink.diagnostics.push({ severity, message });
        replaced.push(() => (pulumi.log[level] = SDK_LOG[level]));
    }
    return () => replaced.forEach((restore) => restore());
}

/**
 * The run's diagnostics on stderr, a line each (`error: ...`, `warning: ...`, `info: ...`, with `label` after the severity when
 * given), where the program's messages would have gone: stdout keeps the plan alone (`--json` stays JSON).
 */
export function printDiagnostics(sink: { diagnostics: Diagnostic[] }, label?: string): void {
    for (const { severity, message } of sink.diagnostics) process.stderr.write(`${severity}${label ? ` (${label})` : ""}: ${message}\n`);
}

/**
 * The program's waits (waitClock: IAM propagation, API activation, an image's push and scan) pass at once until the
 * returned function is called, on a clock that moves on by each wait and notes it in `sink.waits`: a mock cloud has
 * nothing to propagate or push, and the offline plan would otherwise sleep two minutes for a new grant. A spec that
 * put its own clock in place keeps it.
 */
export function useVirtualClock(sink: { waits: number[] }): () => void {
    if (waitClock.now !== REAL_CLOCK.now || waitClock.sleep !== REAL_CLOCK.sleep) return () => {};
    let now = REAL_CLOCK.now();
    waitClock.now = () => now;
    waitClock.sleep = async (ms) => void (sink.waits.push(ms), (now += ms));
    return () => Object.assign(waitClock, REAL_CLOCK);
}
