import * as assert from "assert";
import * as automation from "@pulumi/pulumi/automation";
import type { ConfigMap, Deployment, OutputMap, UpOptions, UpResult, UpdateSummary } from "@pulumi/pulumi/automation";
import { PROJECT_ROOT } from "../../config/stackFile";
import { pinnedCliVersion } from "../../deployments/executorImage";
import { VirtualClock } from "../../release/clock";
import { AutomationStack, LOCK_WAIT_MINUTES, UpTimeLimitError, openAutomationStack, selectLocalStack } from "../../release/stack/automationStack";
import { updateFailureReason } from "../../release/stack/updateFailure";
import { exportedState } from "./exportedState";
import { sdkCommandFailure } from "./sdkErrors";

/** A Stack with the SDK's own method types (tsc checks the shapes); records every call. */
function recordingStack(
    outputs: OutputMap,
    upFailures: Error[] = [],
    history: Partial<UpdateSummary>[] | Error | (() => Partial<UpdateSummary>[]) = [],
    state: Deployment | Error = exportedState(),
) {
    const calls: { method: string; args: unknown[] }[] = [];
    const stack: AutomationStack = {
        async history(pageSize?: number, page?: number, showSecrets?: boolean): Promise<UpdateSummary[]> {
            calls.push({ method: "history", args: [pageSize, page, showSecrets] });
            if (history instanceof Error) throw history;
            return (typeof history === "function" ? history() : history).slice(0, pageSize) as UpdateSummary[];
        },
        async exportState(): Promise<Deployment> {
            calls.push({ method: "exportState", args: [] });
            if (state instanceof Error) throw state;
            return state;
        },
        async getAllConfig(): Promise<ConfigMap> {
            calls.push({ method: "getAllConfig", args: [] });
            return {
                "multicloud-service:aws": { value: '{"canary":{"stableVersion":7,"weightPercent":10}}' },
                "multicloud-service:databaseUrl": { value: "postgres://x", secret: true },
            };
        },
        async setAllConfig(config: ConfigMap, path?: boolean): Promise<void> {
            calls.push({ method: "setAllConfig", args: [config, path] });
        },
        async up(opts?: UpOptions): Promise<UpResult> {
            calls.push({ method: "up", args: [opts] });
            const failure = upFailures.shift();
            if (failure) throw failure;
            opts?.onOutput?.("Updating (prod)\n");
            return { stdout: "", stderr: "", summary: {} as UpResult["summary"], outputs };
        },
        async outputs(): Promise<OutputMap> {
            calls.push({ method: "outputs", args: [] });
            return outputs;
        },
    };
    return { stack, calls };
}

const OUTPUTS: OutputMap = {
    aws: { value: { apiFunctionName: "pipeline-api-1234567", apiVersion: "8", apiAlarmNames: ["pipeline-api-error-rate-abc"], apiUrl: "https://x" }, secret: false },
    gcp: { value: { serviceName: "service-0a1b2c3", latestRevision: "projects/p/locations/asia-northeast1/services/service-0a1b2c3/revisions/service-00008-def" }, secret: false },
};

/** The Automation API's error for a CLI that printed `stderr` and exited 255 (tests/release/sdkErrors.ts). */
const cliFailure = (stderr: string) => sdkCommandFailure({ stderr });
/**
 * The CLI's words when the service refuses to start an update on a locked stack: the API's 409 message, then
 * ConflictingUpdateError's own line (pulumi/pulumi pkg/backend/backenderr/backenderr.go; the SDK tells it by the first
 * line's text, sdk/nodejs/automation/errors.ts conflictText).
 */
const CONFLICT =
    "error: [409] Conflict: Another update is currently in progress.\n" +
    "To learn more about possible reasons and resolution, visit https://www.pulumi.com/docs/support/troubleshooting/common-issues/update-conflicts/\n";

describe("release on the Automation API (calls checked; a real pulumi up is not run here)", () => {
    it("an up that meets another update's lock tries again every 30 s for at most 2 min, saying so; other failures are not retried", async () => {
        const open = async (failures: Error[]) => {
            const recorded = recordingStack(OUTPUTS, failures);
            const output: string[] = [];
            const clock = new VirtualClock();
            const access = await openAutomationStack({ stackName: "prod", workDir: "/w", onOutput: (t) => output.push(t), clock }, async () => recorded.stack);
            return { access, calls: recorded.calls, output, clock, started: clock.now() };
        };
        const busyTwice = await open([cliFailure(CONFLICT), cliFailure(CONFLICT)]);
        await busyTwice.access.up();
        assert.strictEqual(busyTwice.calls.filter((c) => c.method === "up").length, 3);
        assert.strictEqual(busyTwice.clock.now() - busyTwice.started, 60_000);
        assert.deepStrictEqual(busyTwice.output.slice(0, 2), Array(2).fill("another update of prod is in progress (409 Conflict); trying again in 30 s, for at most 2 min\n"));

        const alwaysBusy = await open(Array.from({ length: 20 }, () => cliFailure(CONFLICT)));
        await assert.rejects(alwaysBusy.access.up(), (e: Error) => {
            assert.strictEqual(e.name, "ConcurrentUpdateError");
            // What to look at, and what releases a lock a killed job left (the CLI's own 409 says neither).
            assert.match(e.message, /^another update of prod still held its lock after 2 min of retries \(409 Conflict\)\. `pulumi stack history --stack prod` shows the update in progress; if none is running .*`pulumi cancel --stack prod` releases the lock, then `pulumi refresh --stack prod` settles the operations it left pending but keeps each create among them: .*First record each the cloud made with `pulumi import --stack prod --yes .*<type> <name> <id>` .*then `pulumi refresh --stack prod --yes --clear-pending-creates`\. Then rerun the release/);
            // As the release reports a failed up (releaseRun.ts): whole, where a cut to 600 characters dropped the refresh's advice.
            assert.strictEqual(updateFailureReason(e), e.message);
            return true;
        });
        assert.strictEqual(alwaysBusy.clock.now() - alwaysBusy.started, LOCK_WAIT_MINUTES * 60_000, "it gives up after 2 min");
        assert.strictEqual(alwaysBusy.calls.filter((c) => c.method === "up").length, 5);

        const broken = await open([cliFailure("error: update failed\n")]);
        await assert.rejects(broken.access.up(), (e: Error) => e.name === "CommandError");
        assert.strictEqual(broken.calls.filter((c) => c.method === "up").length, 1);
    });


    // Another update holding the lock (a person's `up`, a drift remediation) is the stack's last once it ends, and
    // `pulumi stack history` lists it "in-progress" meanwhile (pulumi/pulumi pkg/cmd/pulumi/stack/stack_history.go,
    // backend.InProgressResult): whether the release's up then refreshes depends on how that update ended, read again
    // after each 409, not on the 409 itself (the release's own up started nothing).
    it("an up that waited for another update's lock refreshes only if that update did not succeed", async () => {
        const refreshesAfter = async (otherEnds: "succeeded" | "failed") => {
            let others = 0;
            const history = () => [{ kind: "update", result: others < 2 ? "in-progress" : otherEnds } as Partial<UpdateSummary>];
            const recorded = recordingStack(OUTPUTS, [cliFailure(CONFLICT), cliFailure(CONFLICT)], history);
            const upCalls = () => recorded.calls.filter((c) => c.method === "up");
            const printed: string[] = [];
            const clock = new VirtualClock();
            const sleep = clock.sleep.bind(clock);
            clock.sleep = async (ms: number, stop?: AbortSignal) => {
                others = upCalls().length;
                return sleep(ms, stop);
            };
            const access = await openAutomationStack({ stackName: "prod", workDir: "/w", onOutput: (t) => printed.push(t), clock }, async () => recorded.stack);
            await access.up();
            return { refreshes: upCalls().map((c) => (c.args[0] as UpOptions).refresh), printed };
        };
        const afterSuccess = await refreshesAfter("succeeded");
        assert.deepStrictEqual(afterSuccess.refreshes, [true, true, false], "the update that held the lock succeeded: nothing to refresh");
        assert.ok(afterSuccess.printed.includes("the last update of prod has not finished (running now, or killed): this up refreshes first (--refresh), so what it left undone is sent again\n"));
        assert.deepStrictEqual((await refreshesAfter("failed")).refreshes, [true, true, true], "the update that held the lock failed: what it left undone is sent again");

        // This run's own up failed first (a step's), then the next (its rollback) met another update's lock: that one
        // succeeding does not make the state true again (a plain `up` after a failed one succeeds sending nothing:
        // docs/releases.md, "Refresh after a failed up"), so the rollback still refreshes.
        const ownFailure = recordingStack(OUTPUTS, [cliFailure("error: update failed\n"), cliFailure(CONFLICT)], [{ kind: "update", result: "succeeded" }]);
        const access = await openAutomationStack({ stackName: "prod", workDir: "/w", onOutput: () => undefined, clock: new VirtualClock() }, async () => ownFailure.stack);
        await assert.rejects(access.up());
        await access.up();
        assert.deepStrictEqual(ownFailure.calls.filter((c) => c.method === "up").map((c) => (c.args[0] as UpOptions).refresh), [false, true, true]);
    });

    // After a failed update the state holds its new values as if applied (the bridge records the Terraform SDK's state,
    // the new configuration), so an `up` with the same settings would send nothing: an `up` after one that failed
    // refreshes first. Only then: a refresh also undoes changes made outside Pulumi.
    it("an up after one that failed (the stack's last, in this run or before it) refreshes first; the others do not", async () => {
        const refreshesOf = async (history: Partial<UpdateSummary>[] | Error) => {
            const recorded = recordingStack(OUTPUTS, [null as unknown as Error, cliFailure("error: update failed\n")], history);
            const printed: string[] = [];
            const access = await openAutomationStack({ stackName: "prod", workDir: "/w", onOutput: (t) => printed.push(t), clock: new VirtualClock() }, async () => recorded.stack);
            await access.up();
            await assert.rejects(access.up());
            await access.up();
            await access.up();
            const histories = recorded.calls.filter((c) => c.method === "history");
            return { refreshes: recorded.calls.filter((c) => c.method === "up").map((c) => (c.args[0] as UpOptions).refresh), printed, histories: histories.length, historyArgs: histories[0]?.args };
        };
        const afterFailure = await refreshesOf([{ kind: "update", result: "failed" }]);
        assert.deepStrictEqual(afterFailure.refreshes, [true, false, true, false]);
        assert.strictEqual(afterFailure.histories, 1, "the history is read once");
        assert.deepStrictEqual(afterFailure.historyArgs, [1, 1, false], "the newest entry, without decrypting secrets");
        assert.ok(afterFailure.printed.includes("the last update of prod failed: this up refreshes first (--refresh), so what it left undone is sent again\n"));
        assert.deepStrictEqual((await refreshesOf([{ kind: "update", result: "in-progress" }])).refreshes, [true, false, true, false], "a run that was killed");
        assert.deepStrictEqual((await refreshesOf([{ kind: "update", result: "succeeded" }])).refreshes, [false, false, true, false]);
        assert.deepStrictEqual((await refreshesOf([])).refreshes, [false, false, true, false], "a new stack");
        // The CLI's words: stack_history.go wraps the backend's "failed to get stack updates: %w" (httpstate/backend.go
        // GetHistory) in "getting history: %w", around the service's apitype.ErrorResponse "[403] <message>".
        const unreadable = await refreshesOf(cliFailure("error: getting history: failed to get stack updates: [403] Forbidden\n"));
        assert.deepStrictEqual(unreadable.refreshes, [true, false, true, false], "a history that cannot be read: refresh, as after a failure");
        // The CLI's own reason, not the first line of the SDK's CommandError ("code: -2", automation/cmd.js
        // CommandResult.toString).
        assert.strictEqual(unreadable.printed[0], "could not read the last update of prod (getting history: failed to get stack updates: [403] Forbidden); this up refreshes first (--refresh), as after a failed one\n");
    });

    // A killed `up` leaves its operations in flight pending. Every `up` keeps a pending create, an `up --refresh` too,
    // and prints its warning only without --refresh (pulumi/pulumi pkg/engine/lifecycletest
    // TestRefreshPreservesPendingCreateOperations; pkg/resource/deploy/deployment_executor.go): the resource is in no
    // other part of the state, so that `up` creates it again.
    it("an up over creates an interrupted update left pending is refused, naming them and the refresh that settles them", async () => {
        // The refresh's own "import" of a pending create (its prompt, --import-pending-creates) only rewrites it to a
        // pending import, which that refresh drops (pulumi/pulumi pkg/cmd/pulumi/operations/refresh.go
        // pendingCreatesToImports; pkg/backend/snapshot.go Snap keeps only base creates): `pulumi import` records it.
        const CREATES_ADVICE =
            "`pulumi refresh --stack acme/prod` settles the operations it left pending but keeps each create among them: " +
            "its own import of one (its prompt, or `--import-pending-creates`) is dropped by that refresh, leaving what the cloud made untracked. " +
            "First record each the cloud made with `pulumi import --stack acme/prod --yes --protect=false --generate-code=false <type> <name> <id>` " +
            "(the ID its console shows; `--parent` and `--provider` the URNs `pulumi stack export` records for it), " +
            "then `pulumi refresh --stack acme/prod --yes --clear-pending-creates`. ";
        const LAMBDA_VERSION = "urn:pulumi:prod::multicloud-service::multicloud:aws:Service$aws:lambda/function:Function::api";
        const ALIAS = "urn:pulumi:prod::multicloud-service::multicloud:aws:Service$aws:lambda/alias:Alias::api-live";
        const killed = recordingStack(OUTPUTS, [], [{ kind: "update", result: "in-progress" }], exportedState([{ urn: ALIAS, type: "updating" }, { urn: LAMBDA_VERSION, type: "creating" }]));
        const access = await openAutomationStack({ stackName: "acme/prod", workDir: "/w", onOutput: () => {}, clock: new VirtualClock() }, async () => killed.stack);
        await assert.rejects(access.up(), (e: Error) => {
            assert.strictEqual(e.name, "PendingCreatesError");
            assert.strictEqual(
                e.message,
                `the state of acme/prod records 1 create (${LAMBDA_VERSION}) that an interrupted update left pending: an \`up\` creates each again, ` +
                    'a second copy or, for a fixed name, "already exists", so this release runs none. ' +
                    CREATES_ADVICE +
                    "Then rerun the release: it goes on from the recorded state.",
            );
            return true;
        });
        assert.deepStrictEqual(killed.calls.map((c) => c.method), ["history", "exportState"], "no up");

        // A pending import (an `import` killed mid-way, or what a `refresh --import-pending-creates` made of a create, if
        // stopped before it saved) is refused too: the engine keeps no pending operation of the base but a create (pulumi/pulumi
        // pkg/backend/journal.go and snapshot.go) and reads only the base's resources (pkg/resource/deploy/deployment.go
        // buildResourceMaps), so the next `up` drops the import and creates the resource again. Its remedy is not the
        // refresh's flags, which edit only creates (pkg/cmd/pulumi/operations/refresh.go filterMapPendingCreates), but
        // `pulumi import` (import.go), in the type, name, ID, parent and provider the operation records (OperationV2).
        const LAMBDA_ID = "multicloud-prod-api";
        const SERVICE = "urn:pulumi:prod::multicloud-service::multicloud:aws:Service::api";
        const PROVIDER = "urn:pulumi:prod::multicloud-service::pulumi:providers:aws::default_6_83_0";
        const importState = exportedState([{ urn: ALIAS, type: "creating" }, { urn: LAMBDA_VERSION, type: "importing" }]);
        const importOp = (importState.deployment.pending_operations as { resource: Record<string, unknown> }[])[1];
        Object.assign(importOp.resource, { id: LAMBDA_ID, parent: SERVICE, provider: `${PROVIDER}::04da6b54-80e4-46f7-96ec-b56ff0331ba9` });
        const importing = recordingStack(OUTPUTS, [], [{ kind: "update", result: "in-progress" }], importState);
        const importingAccess = await openAutomationStack({ stackName: "acme/prod", workDir: "/w", onOutput: () => {}, clock: new VirtualClock() }, async () => importing.stack);
        await assert.rejects(importingAccess.up(), (e: Error) => {
            assert.strictEqual(e.name, "PendingCreatesError");
            assert.strictEqual(
                e.message,
                `the state of acme/prod records 1 create (${ALIAS}) and 1 import (${LAMBDA_VERSION}) that an interrupted update left pending: an \`up\` creates each again, ` +
                    'a second copy or, for a fixed name, "already exists", so this release runs none. ' +
                    "A pending import is no refresh's to settle: a refresh drops it and leaves what the cloud holds untracked. Record what the cloud holds with " +
                    `\`pulumi import --stack acme/prod --yes --protect=false --generate-code=false --parent '${SERVICE}' --provider '${PROVIDER}' 'aws:lambda/function:Function' 'api' '${LAMBDA_ID}'\`; ` +
                    "run each, even after the first, and before any refresh. If the cloud holds no such resource, the import fails saying so, and a `pulumi refresh` then drops the record. " +
                    "Then " +
                    CREATES_ADVICE +
                    "Then rerun the release: it goes on from the recorded state.",
            );
            return true;
        });
        assert.deepStrictEqual(importing.calls.map((c) => c.method), ["history", "exportState"], "no up over a pending import");

        // A pending update or delete is the refresh's to settle: the up refreshes first, as after any killed update.
        const updating = recordingStack(OUTPUTS, [], [{ kind: "update", result: "in-progress" }], exportedState([{ urn: ALIAS, type: "updating" }]));
        await (await openAutomationStack({ stackName: "acme/prod", workDir: "/w", onOutput: () => {} }, async () => updating.stack)).up();
        assert.deepStrictEqual(updating.calls.filter((c) => c.method === "up").map((c) => (c.args[0] as UpOptions).refresh), [true]);

        // A state that cannot be read is said, and the up goes on: it reads the same state, and fails if it cannot.
        const printed: string[] = [];
        const unreadable = recordingStack(OUTPUTS, [], [], new Error("pulumi stack export --stack acme/prod --non-interactive failed: error: [403] Forbidden"));
        await (await openAutomationStack({ stackName: "acme/prod", workDir: "/w", onOutput: (t) => printed.push(t) }, async () => unreadable.stack)).up();
        assert.deepStrictEqual(printed.slice(0, 1), ["could not read the state of acme/prod for pending creates (pulumi stack export --stack acme/prod --non-interactive failed: error: [403] Forbidden); going on\n"]);
        assert.strictEqual(unreadable.calls.filter((c) => c.method === "up").length, 1);

        // An export not in the CLI's shape is said where it is wrong, as one that cannot be read: neither a create named
        // "undefined" nor a list that is not one read as no pending creates.
        for (const [deployment, problem] of [
            [{ pending_operations: [{ resource: { custom: true }, type: "creating" }] }, 'pending_operations[0], a create, names no resource URN (resource.urn is nothing)'],
            [{ pending_operations: { type: "creating" } }, `its deployment's pending_operations is {"type":"creating"}, not a list`],
            [{ pending_operations: null }, "its deployment's pending_operations is null, not a list"],
            [{ pending_operations: ["creating"] }, 'pending_operations[0] is "creating", not an operation'],
            [{ pending_operations: [{ resource: { urn: "api-live" }, type: "creating" }] }, 'pending_operations[0], a create, names no resource URN (resource.urn is "api-live")'],
            [null, "its deployment is null, not an object"],
            [[], "its deployment is [], not an object"],
        ] as const) {
            const said: string[] = [];
            const odd = recordingStack(OUTPUTS, [], [], { version: 3, deployment } as Deployment);
            await (await openAutomationStack({ stackName: "acme/prod", workDir: "/w", onOutput: (t) => said.push(t) }, async () => odd.stack)).up();
            assert.deepStrictEqual(said.slice(0, 1), [`could not read the state of acme/prod for pending creates (pulumi stack export printed a state this release cannot read: ${problem}); going on\n`]);
        }
    });

    it("an up that runs past its time is interrupted as ^C does, and one that does not stop then is abandoned, each saying what the stack is left with", async () => {
        /**
         * A hung update as the SDK and CLI answer the signal: automation/cmd.js sends the CLI SIGINT on abort, and the
         * CLI prints "^C received; cancelling. If you would like to terminate immediately, press ^C again." (the
         * pulumi/pulumi CLI's cancellation scope, its SIGINT handler), lets the operations in flight finish, then exits non-zero (its error text is
         * not asserted: the release names the time limit instead).
         * `stopsAfterMs` undefined: the CLI never exits (an operation in flight that never returns).
         */
        const hungUp = (stopsAfterMs: number | undefined) => {
            const recorded = recordingStack(OUTPUTS);
            const signals: AbortSignal[] = [];
            recorded.stack.up = (opts?: UpOptions) =>
                new Promise<UpResult>((_, reject) => {
                    signals.push(opts!.signal!);
                    opts!.signal!.addEventListener("abort", () => {
                        opts!.onOutput!("^C received; cancelling. If you would like to terminate immediately, press ^C again.\n");
                        if (stopsAfterMs !== undefined) setTimeout(() => reject(cliFailure("")), stopsAfterMs);
                    });
                });
            return { stack: recorded.stack, signals };
        };
        const open = async (stack: AutomationStack) => {
            const output: string[] = [];
            const access = await openAutomationStack({ stackName: "prod", workDir: "/w", onOutput: (t) => output.push(t), upLimitsMs: { interrupt: 50, giveUp: 400 } }, async () => stack);
            return { access, output };
        };

        const stops = hungUp(20);
        const interrupted = await open(stops.stack);
        await assert.rejects(interrupted.access.up(), (e: Error) => {
            assert.ok(e instanceof UpTimeLimitError, String(e));
            assert.match(e.message, /^pulumi up of prod ran past 0.05 s and was interrupted; the stack is as that update left it/);
            return true;
        });
        assert.strictEqual(stops.signals.length, 1, "an interrupted up is not tried again");
        assert.ok(stops.signals[0].aborted);
        assert.match(interrupted.output.join(""), /interrupting it as \^C does[\s\S]*\^C received; cancelling/);

        const never = hungUp(undefined);
        const abandoned = await open(never.stack);
        const started = Date.now();
        await assert.rejects(abandoned.access.up(), /had not stopped by 0.4 s, and the release's exit ends it with a second signal, which abandons its operations in flight: if `pulumi stack history --stack prod` still shows it in progress, `pulumi cancel --stack prod` releases its lock; then `pulumi refresh --stack prod` settles the operations it left pending but keeps each create among them: .*then `pulumi refresh --stack prod --yes --clear-pending-creates`\. Rerun the release/);
        assert.ok(Date.now() - started < 2000, "the release stops waiting at its limit");

        const quick = await open(recordingStack(OUTPUTS).stack);
        await quick.access.up();
        assert.deepStrictEqual(quick.output, ["Updating (prod)\n"], "an up within its time is not interrupted");

        // The time an up may spend waiting for its image (the push, the registry's scan) comes on top of its limits.
        const slow = recordingStack(OUTPUTS);
        const signals: AbortSignal[] = [];
        slow.stack.up = (opts?: UpOptions) => (signals.push(opts!.signal!), new Promise<UpResult>((resolve) => setTimeout(() => resolve({ stdout: "", stderr: "", summary: {} as UpResult["summary"], outputs: OUTPUTS }), 200)));
        const waitsForImage = await open(slow.stack);
        await waitsForImage.access.up({ imageWaitMinutes: 0.005 });
        assert.ok(!signals[0].aborted, "an up of 200 ms, allowed 50 ms + 300 ms of image wait, is not interrupted");
    });

    it("selects the stack in this directory with LocalWorkspace.selectStack({ stackName, workDir }), on the CLI it checked (tests/release/cliVersion.spec.ts)", async () => {
        const original = { selectStack: automation.LocalWorkspace.selectStack, get: automation.PulumiCommand.get };
        const seen: unknown[] = [];
        const pinnedCli = { version: pinnedCliVersion() };
        (automation.PulumiCommand as any).get = async () => pinnedCli;
        (automation.LocalWorkspace as any).selectStack = async (...args: unknown[]) => {
            seen.push(args);
            return recordingStack(OUTPUTS).stack;
        };
        try {
            await selectLocalStack({ stackName: "acme/prod", workDir: PROJECT_ROOT });
        } finally {
            Object.assign(automation.LocalWorkspace, { selectStack: original.selectStack });
            Object.assign(automation.PulumiCommand, { get: original.get });
        }
        assert.deepStrictEqual(seen, [[{ stackName: "acme/prod", workDir: PROJECT_ROOT }, { pulumiCommand: pinnedCli }]]);
    });

    it("sets config with setAllConfig(values as strings, path = true) and updates with up({ onOutput, policy packs })", async () => {
        const { stack, calls } = recordingStack(OUTPUTS);
        const printed: string[] = [];
        const access = await openAutomationStack(
            { stackName: "acme/prod", workDir: "/w", onOutput: (t) => printed.push(t), policyPacks: ["policy"], policyPackConfigs: ["policy/config/prod.json"] },
            async (args) => {
                assert.deepStrictEqual(args, { stackName: "acme/prod", workDir: "/w" });
                return stack;
            },
        );
        assert.strictEqual(access.name, "prod", "settings are validated under the stack's short name, as its file is named");
        await access.setConfig([
            { key: "multicloud-service:aws.canary.weightPercent", value: 10 },
            { key: "multicloud-service:gcp.canary.stableRevision", value: "service-00007-abc" },
        ]);
        await access.setConfig([]);
        await access.up();
        assert.deepStrictEqual(calls.map((c) => c.method), ["setAllConfig", "history", "exportState", "up"], "an empty batch sets nothing");
        assert.deepStrictEqual(calls[0].args, [{ "multicloud-service:aws.canary.weightPercent": { value: "10" }, "multicloud-service:gcp.canary.stableRevision": { value: "service-00007-abc" } }, true]);
        const upOptions = calls[3].args[0] as UpOptions;
        assert.deepStrictEqual([upOptions.policyPacks, upOptions.policyPackConfigs], [["policy"], ["policy/config/prod.json"]]);
        assert.deepStrictEqual(printed, ["Updating (prod)\n"], "pulumi's own output is streamed through onOutput");
    });

    it("reads config (secrets marked) and the deployed versions from the outputs", async () => {
        const access = await openAutomationStack({ stackName: "prod", workDir: "/w", onOutput: () => {} }, async () => recordingStack(OUTPUTS).stack);
        const config = await access.readConfig();
        assert.deepStrictEqual([...config.secretKeys], ["multicloud-service:databaseUrl"]);
        assert.deepStrictEqual(await access.deployed(), {
            aws: { cloud: "aws", version: "8", service: "pipeline-api-1234567", alarms: ["pipeline-api-error-rate-abc"], alarmOutputs: { "pipeline-api-error-rate-abc": "aws.apiAlarmNames" } },
            gcp: { cloud: "gcp", version: "service-00008-def", service: "service-0a1b2c3", alarms: [], location: { project: "p", region: "asia-northeast1" } },
        });
    });

    it("a stack deployed by an older program (no version outputs) is refused with what to do", async () => {
        const access = await openAutomationStack({ stackName: "prod", workDir: "/w", onOutput: () => {} }, async () => recordingStack({ aws: { value: { apiUrl: "https://x" }, secret: false } }).stack);
        await assert.rejects(access.deployed(), /stack output aws\.apiVersion is missing: update the stack with this version of the program first/);
    });

    it("the SDK in node_modules has the methods the release calls", () => {
        assert.strictEqual(typeof automation.LocalWorkspace.selectStack, "function");
        for (const method of ["getAllConfig", "setAllConfig", "up", "outputs"] as const) assert.strictEqual(typeof automation.Stack.prototype[method], "function", method);
    });

    it("a real release against a deployed stack", function () {
        console.log("      skipped: needs the Pulumi CLI, a Pulumi backend and AWS/GCP credentials for a deployed stack; none is available here");
        this.skip();
    });
});

describe("the release as `npm run release` runs it: its esbuild bundle", function () {
    this.timeout(60_000);
    // The bundle is CommonJS, and @pulumi/pulumi has no `exports` map: a native import() of
    // "@pulumi/pulumi/automation" is a directory import, which Node refuses (ERR_UNSUPPORTED_DIR_IMPORT) before the
    // release has asked the CLI anything. The specs' own transpiler turns import() into require and never saw it.
    it("loads the Automation API: selecting a stack reaches the Pulumi CLI", async () => {
        const { ensureBundle } = require("../../loader/bundle");
        const { outfile } = ensureBundle("release/stack/automationStack.ts", { outDir: "bin/specs" });
        const { selectLocalStack: bundled } = require(outfile);
        const failure: Error & { code?: string } = await bundled({ stackName: "acme/prod", workDir: "/nonexistent-release-workdir" }).then(
            () => assert.fail("no Pulumi CLI or project here: selecting a stack cannot succeed"),
            (err: Error) => err,
        );
        assert.notStrictEqual(failure.code, "ERR_UNSUPPORTED_DIR_IMPORT", failure.message);
        assert.doesNotMatch(failure.message, /Directory import|Cannot find module/);
    });
});
