/**
 * `npm run release -- <stack> [--json] [--simulate <scenario.json>] [--policy-pack <dir> --policy-pack-config <file>]`
 * Exit codes: 0 promoted (or nothing new), 3 rolled back (step 0: failed its verification, no traffic moved), 4 held, 2 bad usage or scenario, 1 bad settings or failure,
 * 130 / 143 stopped by SIGINT / SIGTERM (release/interruption.ts).
 */
import { SettingsError } from "../config/errors";
import { checkAwsSessionOfRelease, checkGoogleTokenOfRelease } from "../deployments/releaseWindow";
import { PROJECT_ROOT } from "../config/stackFile";
import { systemClock, VirtualClock } from "./clock";
import { Interruption, stoppableClock, watchForInterruption } from "./interruption";
import { ingestionDelaySeconds } from "./metrics/ingestionDelay";
import { MetricSource } from "./metrics/metricSource";
import { CandidateProbe } from "./probe/probeReport";
import { createReporter } from "./output";
import { ReleaseDeps, runRelease } from "./release";
import { ReleaseError } from "./releaseError";
import { ScenarioError, readScenario } from "./scenario";
import { ReleasePlan, releasePlanFromConfig, enabledClouds } from "./settings";
import { simulate } from "./simulation";
import { openAutomationStack } from "./stack/automationStack";
import { escReleaseState, qualifiedStackName, releaseStateLocation } from "./stack/escReleaseState";
import { shortStackName } from "./stack/stackAccess";
import { updateFailureReason } from "./stack/updateFailure";
import { Cloud, EXIT_CODES } from "./types";
import { ReleaseArgs } from "./arguments";
import { sdkIdentity } from "../components/aws/sdkIdentity";

/** Seconds between metric reads while a real step bakes. */
const POLL_SECONDS = 60;

async function dependencies(args: ReleaseArgs, report: ReleaseDeps["report"], interruption: Interruption | undefined): Promise<ReleaseDeps> {
    if (args.simulate) {
        const simulation = simulate(shortStackName(args.stack), readScenario(args.simulate), args.simulate);
        // Polled as a real release polls, on a clock that only moves its hands: each read returns the step's totals.
        return { stack: simulation.stack, metrics: simulation.metrics, probes: simulation.probes, steps: simulation.steps, rehearsal: simulation.rehearsal, clock: new VirtualClock(), report, pollSeconds: POLL_SECONDS };
    }
    if (!interruption) throw new Error("a release that changes the stack watches for signals");
    const clock = stoppableClock(systemClock, interruption.stopped);
    const stack = await openAutomationStack({
        stackName: qualifiedStackName(args.stack, process.env),
        workDir: PROJECT_ROOT,
        onOutput: (text) => process.stderr.write(text),
        policyPacks: args.policyPacks,
        policyPackConfigs: args.policyPackConfigs,
        releaseState: escReleaseState(releaseStateLocation(args.stack, process.env)),
        clock,
        interruption,
    });
    const plan = releasePlanFromConfig(await stack.readConfig(), stack.name);
    checkGoogleTokenOfRelease(plan, process.env);
    checkAwsSessionOfRelease(plan, process.env);
    return { stack, ...(await cloudAccess(plan)), clock, report, pollSeconds: POLL_SECONDS, interruption };
}

/**
 * What a real release reads and asks of each enabled cloud, with the process's credentials: metrics, probes, the
 * alarms' recipients and notifications, the alert channel's status, and whose AWS credentials those are.
 */
export async function cloudAccess(plan: ReleasePlan): Promise<Pick<ReleaseDeps, "metrics" | "probes" | "alarmSubscriptions" | "alarmActions" | "channelStatus" | "awsCaller">> {
    const metrics: Partial<Record<Cloud, MetricSource>> = {};
    const probes: Partial<Record<Cloud, CandidateProbe>> = {};
    const { cloudWatchSource } = await import("./metrics/cloudWatchSource");
    const { cloudMonitoringSource } = await import("./metrics/cloudMonitoringSource");
    const { lambdaProbe, cloudRunProbe } = await import("./probe/candidateProbes");
    for (const cloud of enabledClouds(plan)) {
        metrics[cloud] = cloud === "aws" ? await cloudWatchSource(plan.awsRegion, ingestionDelaySeconds("aws", plan), plan.clouds.aws?.reservedConcurrency) : await cloudMonitoringSource(plan.gcpProject as string);
        probes[cloud] = cloud === "aws" ? await lambdaProbe(plan.awsRegion) : cloudRunProbe();
    }
    const { snsTopicSubscriptions } = await import("./alerts/snsSubscriptions");
    const { cloudWatchAlarmActions } = await import("./alerts/alarmHistory");
    const { monitoringChannelStatus } = await import("./alerts/channelStatus");
    const alarmSubscriptions = plan.clouds.aws ? await snsTopicSubscriptions({ region: plan.awsRegion }) : undefined;
    const awsCaller = plan.clouds.aws ? () => sdkIdentity(plan.awsRegion) : undefined;
    const alarmActions = plan.clouds.aws ? await cloudWatchAlarmActions({ region: plan.awsRegion }) : undefined;
    const channelStatus = plan.clouds.gcp ? await monitoringChannelStatus(plan.gcpProject as string) : undefined;
    return { metrics, probes, alarmSubscriptions, alarmActions, channelStatus, awsCaller };
}

/** execa's words when the command it was to run is not on PATH (execa 5 lib/error.js: "Command failed with ENOENT: <command>"). */
const NO_PULUMI_CLI = /Command failed with ENOENT: pulumi\b/;

/**
 * A release that ended in an error: its message on stderr and its exit code; with `--json`, stdout's last line is
 * the outcome as for every other ending (`{"decision": "failed" | "stopped", "summary"}`), bad settings included.
 * Only a bad scenario (a rehearsal's usage, exit 2) prints none.
 */
export function reportedFailure(err: unknown, json: boolean, print: { stdout(line: string): void; stderr(line: string): void }): number {
    if (err instanceof ScenarioError) {
        print.stderr(`release: ${err.message}`);
        return 2;
    }
    let message: string;
    let exitCode = 1;
    if (SettingsError.isInstance(err)) {
        message = err.message;
        print.stderr(message);
    } else {
        // The SDK's errors print the CLI's whole output again, which went to stderr as it ran: their reason only.
        const text = (err as Error).message;
        message = text.startsWith("code: ") ? updateFailureReason(err) : text;
        if (NO_PULUMI_CLI.test(text)) message = `the Pulumi CLI is not on PATH: the release runs it through the Automation API (the version in .pulumi.version, as deploy-prod.yml installs it) (${message})`;
        print.stderr(`release: ${message}`);
        if (err instanceof ReleaseError) exitCode = err.exitCode;
    }
    if (json) print.stdout(JSON.stringify({ decision: exitCode === 1 ? "failed" : "stopped", summary: message }));
    return exitCode;
}

/** A release of `args`, which cli.ts answered and parsed before it loaded this module: its exit code. */
export async function main(args: ReleaseArgs): Promise<number> {
    const report = createReporter({
        json: args.json,
        simulated: args.simulate !== undefined,
        stdout: (line) => console.log(line),
        stderr: (line) => console.error(line),
    });
    // A simulation changes nothing, so a signal may end it as it ends any process.
    const interruption = args.simulate
        ? undefined
        : watchForInterruption(process, { fromTerminal: Boolean(process.stdin.isTTY), say: (text) => console.error(text), exitNow: (code) => process.exit(code) });
    try {
        const outcome = await runRelease(await dependencies(args, report, interruption));
        return EXIT_CODES[outcome.decision];
    } catch (err) {
        return reportedFailure(err, args.json, { stdout: (line) => console.log(line), stderr: (line) => console.error(line) });
    } finally {
        interruption?.dispose();
    }
}

