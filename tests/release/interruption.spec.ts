// A release stopped from outside (release/interruption.ts): what it does with the first signal and the ones after,
// and how the `up` in flight gets exactly one signal (the CLI cancels on its first and terminates on its second).
import * as assert from "assert";
import { spawn } from "child_process";
import { EventEmitter } from "events";
import * as fs from "fs";
import * as path from "path";
import type { UpOptions, UpResult } from "@pulumi/pulumi/automation";
import { PROJECT_ROOT } from "../../config/stackFile";
import { systemClock } from "../../release/clock";
import { ReleaseStopped, exitCodeFor, stoppableClock, watchForInterruption } from "../../release/interruption";
import { AutomationStack, openAutomationStack } from "../../release/stack/automationStack";
import { scratchDir } from "../harness/tempDirs";
import { exportedState } from "./exportedState";
import { sdkCommandFailure } from "./sdkErrors";

function watched(fromTerminal: boolean) {
    const signals = new EventEmitter();
    const said: string[] = [];
    const exits: number[] = [];
    const clock = { ms: 0 };
    const interruption = watchForInterruption(signals, { fromTerminal, say: (t) => said.push(t), exitNow: (code) => exits.push(code), now: () => clock.ms });
    return { signals, said, exits, interruption, clock };
}

/**
 * An Automation API stack whose `up` runs until the SDK's abort signal fires, then (as the CLI does on its first
 * SIGINT: "^C received; cancelling.") finishes after `cancelMs` with the CLI's failure; counts the aborts it saw.
 */
function cancellableStack(cancelMs = 10) {
    const aborts: number[] = [];
    let ups = 0;
    const stack: AutomationStack = {
        history: async () => [],
        exportState: async () => exportedState(),
        getAllConfig: async () => ({}),
        setAllConfig: async () => {},
        outputs: async () => ({}),
        up: (opts?: UpOptions) =>
            new Promise<UpResult>((_, reject) => {
                ups++;
                opts!.signal!.addEventListener("abort", () => {
                    aborts.push(Date.now());
                    setTimeout(() => reject(sdkCommandFailure({ stdout: "^C received; cancelling. If you would like to terminate immediately, press ^C again.\n" })), cancelMs);
                });
            }),
    };
    return { stack, aborts, ups: () => ups };
}

describe("a release stopped by a signal", () => {
    it("outside a terminal (a CI runner's cancel): the first signal stops it and goes to the update; later ones are ignored, never exiting", () => {
        const { signals, said, exits, interruption } = watched(false);
        assert.strictEqual(interruption.stopped.aborted, false);
        signals.emit("SIGINT");
        assert.ok(interruption.stopped.aborted);
        assert.ok(interruption.stopped.reason instanceof ReleaseStopped);
        assert.strictEqual(interruption.received, "SIGINT");
        assert.strictEqual(interruption.forwardToUpdate, true, "the runner signals only its step's process: the CLI has not seen it");
        // The runner's SIGTERM 7.5 s later: the update should finish cancelling, so the release does not exit.
        signals.emit("SIGTERM");
        assert.deepStrictEqual(exits, []);
        assert.strictEqual(interruption.received, "SIGINT");
        assert.match(said[1], /SIGTERM ignored: the release is already stopping/);
        interruption.dispose();
        assert.strictEqual(signals.listenerCount("SIGINT") + signals.listenerCount("SIGTERM"), 0);
    });

    it("in a terminal: ^C reached the CLI too, so the update gets no second one; ^C again ends the release at once (130)", () => {
        const { signals, said, exits, interruption, clock } = watched(true);
        signals.emit("SIGINT");
        assert.strictEqual(interruption.forwardToUpdate, false);
        assert.match(said[0], /Press \^C again to stop at once/);
        // The same ^C again, forwarded by `npm run` a moment later: not a second keypress.
        clock.ms += 5;
        signals.emit("SIGINT");
        assert.deepStrictEqual(exits, []);
        clock.ms += 2000;
        signals.emit("SIGINT");
        assert.deepStrictEqual(exits, [130]);
        // A refresh keeps pending creates, and drops the pending import its own --import-pending-creates makes of one
        // (pulumi/pulumi pkg/cmd/pulumi/operations/refresh.go): the advice records them with `pulumi import` first.
        assert.match(said[1], /`pulumi cancel` releases its lock .* `pulumi refresh` settles the operations it left pending but keeps each create among them: .*First record each the cloud made with `pulumi import --yes .*<type> <name> <id>` .*then `pulumi refresh --yes --clear-pending-creates`\./);
    });

    // release/interruption.ts: `npm run` forwards the very signal it got (npm/run-script lib/signal-manager.js, handleSignal: proc.kill(signal)), so only a
    // repeat of the same signal can be the same ^C; a SIGTERM right after a ^C is a second request to stop.
    it("in a terminal, a SIGTERM right after the ^C is not that ^C forwarded: the release ends at once (143)", () => {
        const { signals, exits, clock } = watched(true);
        signals.emit("SIGINT");
        clock.ms += 5;
        signals.emit("SIGTERM");
        assert.deepStrictEqual(exits, [143]);
    });

    it("a SIGTERM in a terminal came from `kill`, not the terminal: it goes to the update", () => {
        const { signals, interruption } = watched(true);
        signals.emit("SIGTERM");
        assert.strictEqual(interruption.forwardToUpdate, true);
        assert.strictEqual(exitCodeFor("SIGTERM"), 143);
    });

    it("a sleep ends with ReleaseStopped when the release is stopped, and one asked for after it ends at once", async () => {
        const { signals, interruption } = watched(false);
        const { sleep } = stoppableClock(systemClock, interruption.stopped);
        const started = Date.now();
        const sleeping = sleep(60_000);
        setTimeout(() => signals.emit("SIGTERM"), 20);
        await assert.rejects(sleeping, (e: Error) => e instanceof ReleaseStopped && e.signal === "SIGTERM");
        assert.ok(Date.now() - started < 5_000);
        await assert.rejects(sleep(60_000), ReleaseStopped);
    });

    it("the update in flight is interrupted once through the SDK's abort signal, and the up ends with ReleaseStopped once the CLI has stopped", async () => {
        const { signals, interruption } = watched(false);
        const cli = cancellableStack();
        const access = await openAutomationStack({ stackName: "prod", workDir: "/w", onOutput: () => {}, interruption }, async () => cli.stack);
        const running = access.up();
        setTimeout(() => {
            signals.emit("SIGINT");
            signals.emit("SIGTERM");
        }, 20);
        await assert.rejects(running, (e: Error) => {
            assert.ok(e instanceof ReleaseStopped, String(e));
            assert.strictEqual(e.signal, "SIGINT");
            assert.match(String((e as Error & { cause?: Error }).cause), /\^C received; cancelling/, "the CLI's own failure is kept as the cause");
            return true;
        });
        assert.strictEqual(cli.aborts.length, 1, "one signal to the CLI");
        // No other update starts once the release is stopped.
        await assert.rejects(access.up(), ReleaseStopped);
        assert.strictEqual(cli.ups(), 1);
    });

    it("after a terminal's ^C (which the CLI got too) the update is not signalled again", async () => {
        const { signals, interruption } = watched(true);
        const cli = cancellableStack();
        // The CLI stops on the terminal's ^C by itself, which this stand-in cannot see: the up's own time limit ends it
        // after the check (1 s), so nothing is left running.
        const access = await openAutomationStack({ stackName: "prod", workDir: "/w", onOutput: () => {}, interruption, upLimitsMs: { interrupt: 1000, giveUp: 2000 } }, async () => cli.stack);
        const running = access.up();
        setTimeout(() => signals.emit("SIGINT"), 20);
        await assert.rejects(Promise.race([running, new Promise((_, reject) => setTimeout(() => reject(new Error("still running")), 300))]), /still running/);
        assert.strictEqual(cli.aborts.length, 0);
        await assert.rejects(running, ReleaseStopped);
        assert.strictEqual(cli.aborts.length, 1, "the time limit's interrupt, not a second signal for the ^C");
    });
});

/**
 * A Pulumi CLI stand-in for the Automation API: answers `version`, `stack select`, `stack history --json` as for a
 * stack with no updates (an empty JSON array: pkg/cmd/pulumi/stack/stack_history.go, displayUpdatesJSON), `stack export`
 * as for one with nothing in it (apitype.UntypedDeployment), and runs `up` until a signal,
 * logging each one. On its first SIGINT or SIGTERM it does what the CLI does (pulumi/pulumi
 * pkg/backend/cancellation_scope.go): says "^C received; cancelling. If you would like to terminate immediately,
 * press ^C again." (SIGTERM's own words for SIGTERM) and, for an update, "Note that terminating immediately may lead to
 * orphaned resources and other inconsistencies.", lets the operations in flight finish and exits non-zero with the
 * engine's "error: update canceled" (pkg/engine/lifecycletest/testdata/output/TestCanceledRefresh). They finish when
 * the test creates the file FAKE_PULUMI_LOG.done (at most 10 s): a fixed time raced the test's own timers on a busy
 * machine.
 */
const FAKE_PULUMI = `#!/usr/bin/env bash
log="$FAKE_PULUMI_LOG"
case "$1" in
  version) echo "v3.276.0" ;;
  stack) case "$2" in history) echo "[]" ;; export) echo '{"version":3,"deployment":{"manifest":{"time":"2026-08-20T09:12:03Z","magic":"","version":"v3.276.0"},"resources":[]}}' ;; esac ;;
  up)
    in_flight() { for _ in $(seq 200); do [ -e "$log.done" ] && return; sleep 0.05; done; }
    note="Note that terminating immediately may lead to orphaned resources and other inconsistencies."
    trap 'echo INT >> "$log"; echo "^C received; cancelling. If you would like to terminate immediately, press ^C again."; echo "$note"; in_flight; echo "error: update canceled" >&2; exit 255' INT
    trap 'echo TERM >> "$log"; echo "SIGTERM received; cancelling. If you would like to terminate immediately, send SIGTERM again."; echo "$note"; in_flight; echo "error: update canceled" >&2; exit 255' TERM
    echo "up running" >> "$log"
    while true; do sleep 0.05; done ;;
esac
`;

describe("a release process signalled as a CI runner signals it, with the real Automation API driving a stand-in CLI", function () {
    this.timeout(60_000);

    // Started as `npm run release` starts the release: through scripts/build/run.js, so the Automation API it drives is
    // reached through the stand-in loader/deferAutomationApi.js leaves for it.
    it("the runner's SIGINT, then its SIGTERM: the CLI gets one SIGINT, finishes cancelling, and the release exits 130 after it", async () => {
        const releaseAsNpmStartsIt = [path.join(PROJECT_ROOT, "scripts/build/run.js"), path.join(PROJECT_ROOT, "tests/release/signalledUp.ts")];
        const dir = scratchDir("signalled-release");
        fs.mkdirSync(path.join(dir, "root", "bin"), { recursive: true });
        fs.writeFileSync(path.join(dir, "root", "bin", "pulumi"), FAKE_PULUMI, { mode: 0o755 });
        const log = path.join(dir, "cli.log");
        const release = spawn(process.execPath, releaseAsNpmStartsIt, { cwd: dir, env: { ...process.env, FAKE_PULUMI_ROOT: path.join(dir, "root"), FAKE_PULUMI_LOG: log }, stdio: ["ignore", "pipe", "pipe"] });
        let stderr = "";
        release.stderr.on("data", (chunk) => (stderr += chunk));
        // "close", not "exit": the process can be gone before the last of what it printed has been read.
        const exited = new Promise<number | null>((resolve) => release.on("close", (code) => resolve(code)));
        const cliLog = () => (fs.existsSync(log) ? fs.readFileSync(log, "utf8") : "");
        const until = async (done: () => boolean) => {
            for (let waited = 0; !done() && waited < 20_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
        };
        await until(() => cliLog().includes("up running"));
        assert.match(cliLog(), /up running/, `the up never started: ${stderr}`);
        release.kill("SIGINT");
        // The runner's SIGTERM comes while the CLI is still cancelling: after the SIGINT reached it, before it finished.
        await until(() => cliLog().includes("INT"));
        release.kill("SIGTERM");
        await until(() => /SIGTERM ignored/.test(stderr));
        fs.writeFileSync(`${log}.done`, "");
        const code = await exited;
        assert.strictEqual(cliLog().split("\n").filter((l) => l === "INT" || l === "TERM").join(","), "INT", "one signal, a SIGINT, reached the CLI");
        assert.strictEqual(code, 130, stderr);
        assert.match(stderr, /\^C received; cancelling/);
        assert.match(stderr, /SIGTERM ignored: the release is already stopping/);
        assert.match(stderr, /up ended: ReleaseStopped/);
    });
});
