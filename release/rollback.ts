/** A breach's rollback: every cloud's traffic back on its stable version, the new versions recorded as rolled back. */
import { breachText } from "./bake";
import { Candidate, stableVersions } from "./candidate";
import { candidatesCleared } from "./candidateKeys";
import { NO_CANDIDATE, RELEASE_KEYS } from "./configChanges";
import { CloudReading } from "./events";
import { ReleaseError } from "./releaseError";
import { ReleaseRun } from "./releaseRun";
import { releaseStateEnvironment } from "./stack/escReleaseState";
import { stackOrganization } from "./stack/stackAccess";
import { ConfigChange, ReleaseOutcome } from "./types";

/** `onNew` names the versions that breached step `percent`, as the release's messages name them. */
export async function rollBack(run: ReleaseRun, reading: CloudReading, percent: number, candidates: Candidate[], onNew: string): Promise<ReleaseOutcome> {
    const { cliName } = run.deps.stack;
    const rollback = [
        ...run.clouds.map((c) => ({ key: RELEASE_KEYS[c].weight, value: 0 })),
        ...candidates.map((c) => ({ key: RELEASE_KEYS[c.cloud].rolledBack, value: c.target.version })),
        ...run.clouds.flatMap((c) => candidatesCleared(c, run.state(c), "all")),
    ];
    const breach = `rolled back at ${percent}%: ${breachText(reading)}`;
    try {
        await run.setConfig(rollback, { over: true });
    } catch (err) {
        const commands = rollback.filter((c) => String(c.value) !== NO_CANDIDATE).map((c) => envSetCommand(cliName, c));
        throw new ReleaseError(
            `${breach}; but the rollback could not be recorded (${(err as Error).message}), so no pulumi up ran: ${percent}% of traffic is still on ${onNew}. ` +
                `Record it by hand, then run pulumi up --stack ${cliName} (a rerun of the release before that would go on from ${percent}%):\n  ${commands.join("\n  ")}`,
        );
    }
    await run.up("all traffic back on the stable version", {
        recorded: `${breach[0].toUpperCase()}${breach.slice(1)}; the rollback is recorded (weights 0, ${onNew} rolled back)`,
        next: `Up to ${percent}% of traffic may still be on ${onNew}: run pulumi up --stack ${cliName}, or rerun the release, whose first up applies the rollback`,
    });
    const verdict = reading.verdict as Extract<typeof reading.verdict, { kind: "breach" }>;
    return run.outcome({
        decision: "rolled-back",
        step: percent,
        cloud: reading.cloud,
        gate: verdict.gate,
        value: verdict.value,
        threshold: verdict.threshold,
        summary: `${breach}; all traffic is on ${stableVersions(candidates)}`,
    });
}

/**
 * The `pulumi env set` that records `change` in the stack's release state environment, as docs/releases.md "Rollback by
 * hand" writes it: in the stack's own organization where the release knows it, ready to paste.
 */
function envSetCommand(cliName: string, change: ConfigChange): string {
    const [top, ...path] = change.key.split(".");
    return `pulumi env set ${stackOrganization(cliName) ?? "<org>"}/${releaseStateEnvironment(cliName)} 'pulumiConfig["${top}"].${path.join(".")}' ${JSON.stringify(String(change.value))}`;
}
