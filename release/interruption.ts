/**
 * A release stopped from outside: ^C in a terminal, or a GitHub Actions job cancelled or past its time, whose runner
 * sends the step's process SIGINT, then SIGTERM 7.5 s later, then kills its process tree 2.5 s after that (GitHub
 * docs, "Workflow cancellation reference"; actions/runner ProcessInvoker). The `pulumi up` in flight must then see exactly one
 * signal: the Pulumi CLI cancels on the first SIGINT or SIGTERM, letting the operations in flight finish, saving the
 * state and releasing the stack's lock, and terminates on the second, abandoning them (pulumi/pulumi
 * pkg/backend/cancellation_scope.go). Left alone, Node exits on the signal and the SDK's child-process cleanup (execa)
 * sends the CLI SIGTERM: a second signal after a terminal's ^C, and the CLI killed with its operations half done.
 *
 * So, while a release runs, the first signal stops it where it is: the `up` in flight is interrupted once (the SDK's
 * abort signal sends the CLI SIGINT) unless a terminal already delivered the ^C to the CLI too (a terminal signals the
 * whole foreground process group; the runner signals only its step's process), a bake stops at once, and the release
 * ends saying what it recorded. A later signal from a terminal (^C again) ends the release at once, as a second ^C
 * ends the CLI; from anything else it is ignored: the runner's SIGTERM follows its SIGINT by itself, and the update
 * should finish cancelling.
 */
import { Clock } from "./clock";
import { pendingOperationsAdvice } from "./stack/pendingOperations";

export const STOP_SIGNALS = ["SIGINT", "SIGTERM"] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** The process as the watcher uses it (a test passes an EventEmitter). */
export interface SignalSource {
    on(signal: StopSignal, listener: () => void): unknown;
    off(signal: StopSignal, listener: () => void): unknown;
}

export interface Interruption {
    /** Aborted at the first signal: sleeps end, and the `up` in flight is interrupted when `forwardToUpdate`. */
    readonly stopped: AbortSignal;
    /** The first signal received, once one came. */
    readonly received: StopSignal | undefined;
    /** Whether the `up` in flight still needs its signal (false when a terminal's ^C reached the CLI as well). */
    readonly forwardToUpdate: boolean;
    dispose(): void;
}

/** Thrown where a release was waiting when it was stopped. */
export class ReleaseStopped extends Error {
    override name = "ReleaseStopped";
    constructor(readonly signal: StopSignal) {
        super(`${signal} received`);
    }
}

/** The exit status of a process ended by `signal` (128 + its number), which shells and CI runners expect. */
export function exitCodeFor(signal: StopSignal): number {
    return signal === "SIGINT" ? 130 : 143;
}

export interface WatchOptions {
    /** Whether the release runs in a terminal, whose ^C reaches every process of the foreground group (the CLI too). */
    fromTerminal: boolean;
    say: (text: string) => void;
    /** Ends the process at once (a second ^C in a terminal). */
    exitNow: (code: number) => void;
    /** Milliseconds now (tests move it). */
    now?: () => number;
}

/**
 * In a terminal, one ^C may arrive twice: `npm run release` forwards SIGINT and SIGTERM to its script
 * (@npmcli/run-script's signal-manager), and the terminal signals the whole process group, the release included,
 * whenever npm's script shell hands it the command (bash does; dash stays in between). A repeat of the same signal
 * within this time is that same ^C, not a person asking to stop at once.
 */
const SAME_KEYPRESS_MS = 1000;

export function watchForInterruption(source: SignalSource, options: WatchOptions): Interruption {
    const controller = new AbortController();
    const now = options.now ?? Date.now;
    let received: StopSignal | undefined;
    let receivedAt = 0;
    let forwardToUpdate = true;
    const listeners = STOP_SIGNALS.map((signal) => {
        const listener = () => {
            if (received === undefined) {
                received = signal;
                receivedAt = now();
                forwardToUpdate = !(signal === "SIGINT" && options.fromTerminal);
                options.say(
                    `release: ${signal} received: stopping. A pulumi up in progress is interrupted once, as ^C does: its operations in flight finish, ` +
                        `it saves the state and releases the stack's lock; then the release says what it recorded. ` +
                        (options.fromTerminal ? "Press ^C again to stop at once (the update is then abandoned)." : "Further signals are ignored while it ends."),
                );
                controller.abort(new ReleaseStopped(signal));
                return;
            }
            if (options.fromTerminal && signal === received && now() - receivedAt < SAME_KEYPRESS_MS) return;
            if (options.fromTerminal) {
                options.say(
                    `release: ${signal} again: stopping at once. An update in progress is abandoned with its operations in flight: ` +
                        `\`pulumi cancel\` releases its lock if it still shows in progress, then ${pendingOperationsAdvice()}.`,
                );
                options.exitNow(exitCodeFor(signal));
                return;
            }
            options.say(`release: ${signal} ignored: the release is already stopping (a second signal would abandon the update's operations in flight)`);
        };
        source.on(signal, listener);
        return { signal, listener };
    });
    return {
        stopped: controller.signal,
        get received() {
            return received;
        },
        get forwardToUpdate() {
            return forwardToUpdate;
        },
        dispose() {
            for (const { signal, listener } of listeners) source.off(signal, listener);
        },
    };
}

/** `clock`, whose sleeps end with ReleaseStopped when the release is stopped. */
export function stoppableClock(clock: Clock, stopped: AbortSignal): Clock {
    return { now: () => clock.now(), sleep: (ms) => clock.sleep(ms, stopped) };
}
