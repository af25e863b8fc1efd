/** The canary steps: each moves its share of traffic to the new versions on every cloud, `pulumi up`, and bakes. */
import { BakeResult, bake, heldBy } from "./bake";
import { Candidate } from "./candidate";
import { candidateRecord } from "./candidateKeys";
import { RELEASE_KEYS } from "./configChanges";
import { CloudReading } from "./events";
import { reportNewerVersions } from "./newerVersions";
import { ReleaseRun, stopSignal } from "./releaseRun";
import { rollBack } from "./rollback";
import { Cloud, ReleaseOutcome } from "./types";

/**
 * The steps from `startIndex` on: the outcome when one breaches (rolled back) or is held, nothing when all pass.
 * `newer` collects the newer versions this checkout deployed meanwhile.
 */
export async function runSteps(run: ReleaseRun, candidates: Candidate[], startIndex: number, onNew: string, newer: Map<string, string>): Promise<ReleaseOutcome | undefined> {
    const { plan, deps } = run;
    /** Failed health checks of the new versions in a row, per cloud, across the steps (bake.ts). */
    const healthFailuresInARow = new Map<Cloud, number>();
    for (let index = startIndex; index < plan.steps.length; index++) {
        const percent = plan.steps[index];
        deps.report({ kind: "step", index, total: plan.steps.length, percent });
        await moveTraffic(run, candidates, percent, onNew);
        reportNewerVersions(candidates, await deps.stack.deployed(), newer, deps.report);
        const result = await bakeStep(run, percent, candidates, healthFailuresInARow);
        if (result.kind === "breach") return rollBack(run, result.reading, percent, candidates, onNew);
        if (result.kind === "held") return hold(run, result.reading, percent);
    }
    return undefined;
}

async function moveTraffic(run: ReleaseRun, candidates: Candidate[], percent: number, onNew: string) {
    const { cliName } = run.deps.stack;
    await run.setConfig(candidates.flatMap((c) => [{ key: RELEASE_KEYS[c.cloud].weight, value: percent }, ...candidateRecord(c, run.state(c.cloud))]));
    await run.up(`${percent}% of traffic to the new version`, {
        recorded: `The release state records ${percent}% of traffic to ${onNew}`,
        next:
            `Each cloud's traffic is as far as its update got (\`pulumi stack history --stack ${cliName}\` shows what changed), so up to ${percent}% of users may reach ${onNew} with no bake watching: ` +
            `rerun the release to go on from ${percent}% (its first pulumi up applies what is recorded, then that step bakes again), or roll back by hand (docs/releases.md, "Rollback by hand")`,
    });
}

async function bakeStep(run: ReleaseRun, percent: number, candidates: Candidate[], healthFailuresInARow: Map<Cloud, number>): Promise<BakeResult> {
    try {
        return await bake(run.plan, percent, candidates, run.deps, healthFailuresInARow);
    } catch (err) {
        const signal = stopSignal(err, run.deps.interruption);
        if (signal) throw run.stopped(signal, `while ${percent}% of traffic baked`);
        throw err;
    }
}

/** Too little traffic (or unreadable metrics, or no latency figure) for too long: the release stops with traffic where it is. */
function hold(run: ReleaseRun, reading: CloudReading, percent: number): ReleaseOutcome {
    const { plan } = run;
    const { because, ...gate } = heldBy(reading, plan.minRequests);
    return run.outcome({
        decision: "held",
        step: percent,
        cloud: reading.cloud,
        ...gate,
        summary: `held at ${percent}%: after ${plan.maxWaitMinutes} min ${because}; traffic is left where it is (rerun to go on, or roll back by hand)`,
    });
}
