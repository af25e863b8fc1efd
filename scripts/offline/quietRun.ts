import type { ProgramActivity } from "./programActivity";

/**
 * How long a run under mocks may go without asking the fake cloud anything before it is taken for hung. Between
 * requests the program works on its own (loading the providers' modules, hashing the image's inputs): the longest such
 * gap in the specs that run it, under load (two mocha processes side by side; npm test's two parallel workers at nice
 * 19 beside the type-checks), was 4.4 s, from a run's start to its first request. Below mocha's 20 s default, so that a
 * hung run is named before the test's timeout, which names nothing. Specs that hold a read on a silent server shorten
 * the program's own bound on it (CALL_ATTEMPT, 2 s) well below this.
 */
export const QUIET_LIMIT = { seconds: 12 };

/**
 * A run under mocks whose program waits on something that will never come (a promise nothing resolves): nothing asked
 * of the fake cloud for QUIET_LIMIT.seconds, what it asked last, and what is still waiting for an answer.
 */
export class QuietRun extends Error {
    constructor(seconds: number, activity: ProgramActivity, unresolvedOutputs?: string[]) {
        const unanswered = activity.unanswered();
        const unregistered = unregisteredResources().filter((resource) => !unanswered.includes(`register ${resource}`));
        const last = activity.lastAsked();
        super(
            `the program has waited ${seconds} s with nothing asked: last asked ${last.length === 0 ? "nothing" : last.join(", then ")} (${activity.asks} request(s) in all); ` +
                `unanswered: ${unanswered.length === 0 ? "none" : listed(unanswered)}; ` +
                `resources whose registration waits on their inputs: ${unregistered.length === 0 ? "none" : listed(unregistered)}` +
                (unresolvedOutputs ? `; stack outputs not resolved: ${unresolvedOutputs.length === 0 ? "none" : listed(unresolvedOutputs)}` : ""),
        );
        this.name = "QuietRun";
    }
}

/**
 * Watches a run: the returned promise rejects with QuietRun once the program has asked nothing for QUIET_LIMIT.seconds
 * of a running event loop. Quiet is counted in ticks of a 1 s interval, not by the wall clock, so a process that stood
 * still (a spawnSync, a starved CPU) does not count that time against the program. `unresolvedOutputs`, when the stack's
 * outputs are being read, names those still unresolved. `stop` ends the watch.
 */
export function watchForQuietRun(activity: ProgramActivity, unresolvedOutputs?: () => string[]): { quiet: Promise<never>; stop: () => void } {
    const seconds = QUIET_LIMIT.seconds;
    let stop = () => {};
    const quiet = new Promise<never>((_, reject) => {
        let quietTicks = 0;
        let asks = activity.asks;
        const tick = setInterval(() => {
            quietTicks = activity.asks === asks ? quietTicks + 1 : 0;
            asks = activity.asks;
            if (quietTicks >= seconds) reject(new QuietRun(seconds, activity, unresolvedOutputs?.()));
        }, 1000);
        stop = () => clearInterval(tick);
    });
    // Rejected once a run is over: whoever races it has gone.
    quiet.catch(() => {});
    return { quiet, stop: () => stop() };
}

/**
 * The resources the program made whose registration has not been answered (`type::name`): sent and unanswered, or
 * not sent yet as their inputs are unresolved. The SDK keeps each resource's URN promise, labelled
 * `resolveURN(resource:<name>[<type>])` (@pulumi/pulumi runtime/resource.js), among the promises of its leak report until
 * it settles (runtime/debuggable.js, debuggablePromise: leakCandidates). Internal to the SDK, as waitForRPCs is.
 */
function unregisteredResources(): string[] {
    const state = require("@pulumi/pulumi/runtime/state") as { getStore(): { leakCandidates?: Set<{ _debugCtx?: string }> } };
    const pending = [...(state.getStore().leakCandidates ?? [])].map((p) => /^resolveURN\(resource:(.*)\[(.*)\]\)$/.exec(p._debugCtx ?? ""));
    return pending.filter((m): m is RegExpExecArray => m !== null).map(([, name, type]) => `${type}::${name}`);
}

function listed(items: string[], shown = 8): string {
    const more = items.length - shown;
    return items.slice(0, shown).join("; ") + (more > 0 ? `; and ${more} more` : "");
}
