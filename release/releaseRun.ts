/** One run of the release: its plan, the release state it writes, and the `pulumi up`s that apply it. */
import { ReleaseStopped, StopSignal, exitCodeFor } from "./interruption";
import type { ReleaseDeps } from "./release";
import { ReleaseError } from "./releaseError";
import { CloudReleaseState, ReleasePlan } from "./settings";
import { mayLand } from "./stack/escReleaseState";
import { WriteOptions } from "./stack/stackAccess";
import { updateFailureReason } from "./stack/updateFailure";
import { Cloud, ConfigChange, ReleaseOutcome } from "./types";

/** What a release that ends early has left: what the release state records, and what to do next. */
interface Standing {
    recorded: string;
    next: string;
}

export class ReleaseRun {
    readonly made: ConfigChange[] = [];
    /** What the release state records so far: each `up` says it; before the first, what this run found. */
    private standing: Standing = {
        recorded: "The release state is as this run found it",
        next: "This run moved no traffic: run the release again to go on",
    };
    /**
     * The run's first `up` may wait for this checkout's image (its push and scan): the later ones find it there, so
     * they get no such allowance, and the release window counts the wait once (deployments/releaseWindow.ts).
     */
    private imageWaitMinutes: number;

    constructor(
        readonly deps: ReleaseDeps,
        readonly plan: ReleasePlan,
        readonly clouds: Cloud[],
    ) {
        this.imageWaitMinutes = plan.imageWaitMinutes;
    }

    state(cloud: Cloud): CloudReleaseState {
        return this.plan.clouds[cloud] as CloudReleaseState;
    }

    /**
     * The stable versions the release state records, named as the release's messages name versions:
     * "<cloud> <version>".
     */
    recordedStableVersions(): string {
        return this.clouds.map((c) => `${c} ${this.state(c).stable}`).join(", ");
    }

    /**
     * A write of the release state. A stopped release records nothing more (a step's weight written after a signal
     * that came during a verification or a poll would let the rerun resume past checks that never ended), except the
     * rollback (`over`), which takes traffic off a version that breached.
     */
    async setConfig(changes: ConfigChange[], options?: WriteOptions): Promise<void> {
        const signal = this.deps.interruption?.received;
        if (signal && !options?.over) throw this.stopped(signal, "before the release recorded anything more");
        if (changes.length === 0) return;
        this.deps.report({ kind: "config", changes });
        try {
            await this.deps.stack.setConfig(changes, options);
        } catch (err) {
            // A rollback's failure says its own (rollback.ts). Any other write that still fails (after the store's own tries)
            // stops the release where its last `up` left traffic: say where that is and how to go on, not only ESC's words.
            if (options?.over) throw err;
            const recorded = this.standing.recorded.charAt(0).toLowerCase() + this.standing.recorded.slice(1);
            // A write that may have landed (the store's own judgement, mayLand): then the state holds it, and a rerun goes on from there.
            const orLanded = err instanceof Error && mayLand(err) ? ", or the write above if it landed" : "";
            throw new ReleaseError(`${(err as Error).message}. This run's last record: ${recorded}${orLanded}. ${this.standing.next}`);
        }
        this.made.push(...changes);
    }

    /** One `pulumi up`; a failure or a stop ends the release with what `standing` says is recorded. */
    async up(purpose: string, after: Standing): Promise<void> {
        this.standing = after;
        this.deps.report({ kind: "up", purpose });
        const allowance = { imageWaitMinutes: this.imageWaitMinutes };
        this.imageWaitMinutes = 0;
        try {
            await this.deps.stack.up(allowance);
        } catch (err) {
            const signal = stopSignal(err, this.deps.interruption);
            if (signal) throw this.stopped(signal, `during pulumi up (${purpose}), which it interrupted`);
            throw new ReleaseError(`pulumi up failed (${purpose}): ${updateFailureReason(err)}. ${this.standing.recorded}. ${this.standing.next}`);
        }
        const signal = this.deps.interruption?.received;
        if (signal) throw this.stopped(signal, `after pulumi up (${purpose})`);
    }

    outcome(o: Omit<ReleaseOutcome, "configChanges">): ReleaseOutcome {
        const result = { ...o, configChanges: this.made };
        this.deps.report({ kind: "outcome", outcome: result });
        return result;
    }

    /** The release's end by `signal`, saying what the release state records and how to go on. */
    stopped(signal: StopSignal, when: string): ReleaseError {
        return new ReleaseError(`stopped by ${signal} ${when}. ${this.standing.recorded}. ${this.standing.next}`, exitCodeFor(signal));
    }
}

/** The signal that stopped the release, when `err` is its stop (or came after one). */
export function stopSignal(err: unknown, interruption: ReleaseDeps["interruption"]): StopSignal | undefined {
    return err instanceof ReleaseStopped ? err.signal : interruption?.received;
}
