/**
 * StackAccess on the Pulumi Automation API (`@pulumi/pulumi/automation`): the stack in this directory, selected with
 * `LocalWorkspace.selectStack`, config through `setAllConfig` with paths, updates through `up` with `onOutput`.
 * The Automation API drives the Pulumi CLI, which must be installed where a real release runs.
 */
import type { ConfigMap, LocalProgramArgs, Stack, UpOptions } from "@pulumi/pulumi/automation";
import { RawStackConfig } from "../../config";
import { configText } from "../../config/configText";
import { isPlainObject } from "../../config/plainObject";
import { within } from "../../scripts/build/within";
import { Clock, systemClock } from "../clock";
import { RELEASE_KEYS, parsedConfigText } from "../configChanges";
import { Interruption } from "../interruption";
import { ConfigChange } from "../types";
import { refuseUnpinnedCli } from "./cliVersion";
import { ReleaseStateStore } from "./escReleaseState";
import { deployedFromOutputs } from "./outputs";
import { PendingCreatesError, type PendingCreation, pendingCreations, pendingOperationsAdvice } from "./pendingOperations";
import { StackAccess, WriteOptions, shortStackName } from "./stackAccess";
import { ExportState, withStateExport } from "./stateExport";
import { updateFailureReason } from "./updateFailure";

/** The part of the Automation API's Stack a release uses. */
export type AutomationStack = Pick<Stack, "getAllConfig" | "setAllConfig" | "up" | "outputs" | "history"> & { exportState: ExportState };
export type SelectStack = (args: LocalProgramArgs) => Promise<AutomationStack>;

export interface AutomationOptions {
    /** `prod` or `<org>/prod`. */
    stackName: string;
    workDir: string;
    /** Where `pulumi up`'s own output goes. */
    onOutput: (text: string) => void;
    policyPacks?: string[];
    policyPackConfigs?: string[];
    /** Where the release keys live (an ESC environment the stack imports); without it they are set in the stack file. */
    releaseState?: ReleaseStateStore;
    /** What the wait for another update's lock reads and sleeps on. */
    clock?: Clock;
    /** When an `up` is interrupted and when the release stops waiting for it, before its image wait (UP_INTERRUPT_MINUTES, UP_MINUTES); tests shorten them. */
    upLimitsMs?: { interrupt: number; giveUp: number };
    /** The release stopped from outside (release/interruption.ts): the `up` in flight is interrupted once, and no other starts. */
    interruption?: Pick<Interruption, "stopped" | "forwardToUpdate">;
}

/**
 * How long an `up` waits for another update of the stack (a drift remediation, a person's `up`) to release its lock,
 * trying again every LOCK_RETRY_SECONDS; the release's worst case counts it for every `up`
 * (deployments/releaseWindow.ts). Without it the rollback's `up` failed, and the bad version kept its traffic.
 */
export const LOCK_WAIT_MINUTES = 2;
const LOCK_RETRY_SECONDS = 30;

/**
 * How long one `up` may run, besides the time it may wait for its image (the push and the registry's scan, which the
 * program bounds itself: the release passes it). At UP_INTERRUPT_MINUTES it is interrupted through the SDK's `signal`,
 * which sends the CLI SIGINT, as ^C does: Pulumi lets the operations in flight finish, saves the state, releases the
 * stack's lock and exits with an error. At UP_MINUTES the release stops waiting and fails; its exit ends the CLI with
 * a second signal (the SDK's child-process cleanup), which abandons what is still in flight. The release's worst case
 * counts UP_MINUTES for every `up` and the image wait once (deployments/releaseWindow.ts); without a limit a hung
 * update (a provider waiting on a resource that never becomes ready) held the release until its credentials ran out,
 * with the stack locked.
 */
export const UP_MINUTES = 10;
export const UP_INTERRUPT_MINUTES = 8;

/** Thrown when an `up` ran past UP_INTERRUPT_MINUTES. */
export class UpTimeLimitError extends Error {
    override name = "UpTimeLimitError";
}

/** The Automation API's error for "[409] Conflict: Another update is currently in progress." (and a DIY backend's lock). */
function isConcurrentUpdate(error: unknown): boolean {
    return (error as Error | undefined)?.name === "ConcurrentUpdateError";
}

const releaseKeys = new Set(Object.values(RELEASE_KEYS).flatMap((keys) => Object.values(keys)));

/**
 * The environment's values under the stack's, as Pulumi combines them: mappings merge, the stack's keys win; anything
 * else, a list too, is the stack's whole (pulumi/pulumi sdk/go/common/resource/config/object.go, object.Merge). Every key
 * stays data, `__proto__` too (an assignment of it would set the merged object's prototype, and the key was lost).
 */
function underStackConfig(stack: unknown, environment: unknown): unknown {
    if (!isPlainObject(stack) || !isPlainObject(environment)) return stack === undefined ? environment : stack;
    const keys = new Set([...Object.keys(stack), ...Object.keys(environment)]);
    return Object.fromEntries([...keys].map((key) => [key, underStackConfig(ownValue(stack, key), ownValue(environment, key))]));
}

/** `object`'s own value under `key`; undefined when it has none (not what it inherits, as `object[key]` would read). */
function ownValue(object: object, key: string): unknown {
    return Object.hasOwn(object, key) ? (object as Record<string, unknown>)[key] : undefined;
}

/** The real one: loads the Automation API only when a release really runs, and drives only the pinned CLI. */
export const selectLocalStack: SelectStack = async (args) => {
    const { LocalWorkspace, PulumiCommand } = await import("@pulumi/pulumi/automation");
    const pulumiCommand = await PulumiCommand.get();
    refuseUnpinnedCli(pulumiCommand.version?.toString(), args.workDir);
    return withStateExport(await LocalWorkspace.selectStack(args, { pulumiCommand }), pulumiCommand);
};

export async function openAutomationStack(options: AutomationOptions, select: SelectStack = selectLocalStack): Promise<StackAccess> {
    const stack = await select({ stackName: options.stackName, workDir: options.workDir });
    const upOptions: UpOptions = { onOutput: options.onOutput };
    if (options.policyPacks?.length) upOptions.policyPacks = options.policyPacks;
    if (options.policyPackConfigs?.length) upOptions.policyPackConfigs = options.policyPackConfigs;
    // An `up` after one that failed refreshes first (`pulumi up --refresh`): a failed update leaves its new values in
    // the state as if applied (the bridge records the Terraform SDK's state, which is the new configuration:
    // terraform-plugin-sdk helper/schema/resource_data.go, Partial), and an `up` diffs against the state alone, so a
    // rerun with the same settings would send nothing: a traffic step that never moved, a rollback not made. Only
    // then: a refresh also undoes changes made outside Pulumi, which this project leaves to a reviewed `up` (drift
    // runs never remediate, deployments/schedules.ts). Undefined until the stack's history has been read, and again
    // after another update held the lock: whether that one failed is known only once it ends.
    let lastUpdateUnfinishedHere: boolean | undefined;
    let ownUpFailed = false;
    return {
        name: shortStackName(options.stackName),
        cliName: options.stackName,
        async readConfig(): Promise<RawStackConfig> {
            // The state first: `getAllConfig` (`pulumi config --show-secrets --json`) opens the stack's environments too
            // and lists their pulumiConfig under the stack's own (pulumi/pulumi pkg/cmd/pulumi/config/config.go listConfig,
            // ApplyProjectConfig), and its values win the merge below. Read in this order, what the CLI lists is never older
            // than the revision the store's writes are checked at, so a change landing between the two is refused (409)
            // at the next write rather than overwritten with what the release read before it.
            const state = options.releaseState ? await options.releaseState.read() : {};
            const all = await stack.getAllConfig();
            const values: Record<string, string> = {};
            const secretKeys = new Set<string>();
            for (const [key, { value, secret }] of Object.entries(all)) {
                values[key] = value;
                if (secret) secretKeys.add(key);
            }
            for (const [key, value] of Object.entries(state)) {
                values[key] = values[key] === undefined ? value : configText(underStackConfig(parsedConfigText(values[key]), parsedConfigText(value)));
            }
            return { values, secretKeys };
        },
        async setConfig(changes: readonly ConfigChange[], writeOptions?: WriteOptions): Promise<void> {
            const toState = options.releaseState ? changes.filter((c) => releaseKeys.has(c.key)) : [];
            const toStack = changes.filter((c) => !toState.includes(c));
            if (toState.length > 0) await options.releaseState!.write(toState, writeOptions);
            if (toStack.length === 0) return;
            const config: ConfigMap = {};
            for (const change of toStack) config[change.key] = { value: String(change.value) };
            await stack.setAllConfig(config, true);
        },
        async up(allowance): Promise<void> {
            const clock = options.clock ?? systemClock;
            const giveUpAt = clock.now() + LOCK_WAIT_MINUTES * 60_000;
            for (;;) {
                if (lastUpdateUnfinishedHere === undefined) {
                    lastUpdateUnfinishedHere = await lastUpdateUnfinished(stack, options);
                    await refusePendingCreates(stack, options);
                }
                try {
                    await upWithinLimits(stack, { ...upOptions, refresh: ownUpFailed || lastUpdateUnfinishedHere }, options, (allowance?.imageWaitMinutes ?? 0) * 60_000);
                    ownUpFailed = lastUpdateUnfinishedHere = false;
                    return;
                } catch (error) {
                    if (!isConcurrentUpdate(error)) {
                        ownUpFailed = true;
                        throw error;
                    }
                    // This up started nothing; the update holding the lock becomes the stack's last: its result is read
                    // again before the next try (a refresh after one that succeeded would only undo changes made outside Pulumi).
                    lastUpdateUnfinishedHere = undefined;
                    if (clock.now() + LOCK_RETRY_SECONDS * 1000 > giveUpAt) throw lockStillHeld(options.stackName, error as Error);
                    options.onOutput(`another update of ${options.stackName} is in progress (409 Conflict); trying again in ${LOCK_RETRY_SECONDS} s, for at most ${LOCK_WAIT_MINUTES} min\n`);
                    await clock.sleep(LOCK_RETRY_SECONDS * 1000);
                }
            }
        },
        async deployed() {
            const outputs = await stack.outputs();
            return deployedFromOutputs(Object.fromEntries(Object.entries(outputs).map(([key, output]) => [key, output.value])));
        },
    };
}

/** Whether the stack's last operation did not succeed (failed, or still shows in progress: a run that was killed). */
async function lastUpdateUnfinished(stack: AutomationStack, options: AutomationOptions): Promise<boolean> {
    let last: Awaited<ReturnType<AutomationStack["history"]>>[number] | undefined;
    try {
        // No secrets: only the result is read (the SDK decrypts the config's secrets by default).
        [last] = await stack.history(1, 1, false);
    } catch (error) {
        // The SDK's CommandError message is its CommandResult printed whole, whose first line is only "code: -2"
        // (@pulumi/pulumi automation/cmd.js CommandResult.toString): the reason is the CLI's own `error:` line.
        options.onOutput(`could not read the last update of ${options.stackName} (${updateFailureReason(error)}); this up refreshes first (--refresh), as after a failed one\n`);
        return true;
    }
    if (!last || last.result === "succeeded") return false;
    options.onOutput(`the last ${last.kind} of ${options.stackName} ${last.result === "failed" ? "failed" : "has not finished (running now, or killed)"}: this up refreshes first (--refresh), so what it left undone is sent again\n`);
    return true;
}

/**
 * Refuses an `up` over creates or imports an interrupted update left pending: the `up` would make each again (PendingCreatesError).
 * Read with every read of the history, whatever it says: a pending create outlives any number of updates that succeed.
 * A state that cannot be read is said and the `up` goes on: it reads the same state, and fails if it cannot.
 */
async function refusePendingCreates(stack: AutomationStack, options: AutomationOptions): Promise<void> {
    let pending: PendingCreation[];
    try {
        pending = pendingCreations(await stack.exportState());
    } catch (error) {
        options.onOutput(`could not read the state of ${options.stackName} for pending creates (${updateFailureReason(error)}); going on\n`);
        return;
    }
    if (pending.length > 0) throw new PendingCreatesError(options.stackName, pending);
}

/** One `up`, interrupted past its time and abandoned past its end (UP_INTERRUPT_MINUTES, UP_MINUTES, each after `imageWaitMs`). */
async function upWithinLimits(stack: AutomationStack, upOptions: UpOptions, options: AutomationOptions, imageWaitMs: number): Promise<void> {
    const base = options.upLimitsMs ?? { interrupt: UP_INTERRUPT_MINUTES * 60_000, giveUp: UP_MINUTES * 60_000 };
    const limits = { interrupt: base.interrupt + imageWaitMs, giveUp: base.giveUp + imageWaitMs };
    const stopped = options.interruption?.stopped;
    if (stopped?.aborted) throw stopped.reason;
    const interrupt = new AbortController();
    const timer = setTimeout(() => {
        options.onOutput(`pulumi up of ${options.stackName} has run ${minutes(limits.interrupt)}: interrupting it as ^C does (the operations in flight finish first)\n`);
        interrupt.abort();
    }, limits.interrupt);
    // The release stopped from outside: one signal to the CLI, unless a terminal's ^C reached it already.
    const onStop = () => {
        if (options.interruption?.forwardToUpdate && !interrupt.signal.aborted) interrupt.abort();
    };
    stopped?.addEventListener("abort", onStop, { once: true });
    let ended = false;
    const upRun = stack.up({ ...upOptions, signal: interrupt.signal }).finally(() => (ended = true));
    try {
        await within(upRun, limits.giveUp, `pulumi up of ${options.stackName}`);
    } catch (error) {
        if (stopped?.aborted && ended) throw Object.assign(stopped.reason, { cause: error });
        if (!interrupt.signal.aborted && !stopped?.aborted) throw error;
        const where = ended
            ? "the stack is as that update left it (its last update in `pulumi stack history`)"
            : `it had not stopped by ${minutes(limits.giveUp)}, and the release's exit ends it with a second signal, which abandons its operations in flight: ` +
              `if \`pulumi stack history --stack ${options.stackName}\` still shows it in progress, \`pulumi cancel --stack ${options.stackName}\` releases its lock; ` +
              `then ${pendingOperationsAdvice(options.stackName)}`;
        throw new UpTimeLimitError(`pulumi up of ${options.stackName} ran past ${minutes(limits.interrupt)} and was interrupted; ${where}. Rerun the release to go on from the recorded state.`);
    } finally {
        clearTimeout(timer);
        stopped?.removeEventListener("abort", onStop);
    }
}

/** The CLI's conflict after LOCK_WAIT_MINUTES of retries, saying what to look at and what releases a lock nobody holds. */
function lockStillHeld(stackName: string, error: Error): Error {
    const message =
        `another update of ${stackName} still held its lock after ${LOCK_WAIT_MINUTES} min of retries (409 Conflict). ` +
        `\`pulumi stack history --stack ${stackName}\` shows the update in progress; if none is running (a job killed mid-update), ` +
        `\`pulumi cancel --stack ${stackName}\` releases the lock, then ${pendingOperationsAdvice(stackName)}. ` +
        `Then rerun the release: it goes on from the recorded state.`;
    return Object.assign(new Error(message, { cause: error }), { name: error.name });
}

const minutes = (ms: number) => (ms % 60_000 === 0 ? `${ms / 60_000} min` : `${ms / 1000} s`);

