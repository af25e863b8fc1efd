/** The release's end after its last step: the new versions recorded as the stable ones, with all traffic. */
import { Candidate } from "./candidate";
import { candidatesCleared } from "./candidateKeys";
import { RELEASE_KEYS, WORKER_STABLE_KEY } from "./configChanges";
import { newerText } from "./newerVersions";
import { ReleaseRun } from "./releaseRun";
import { ReleaseOutcome } from "./types";

/** `leftOut` names the versions rolled back before that got no traffic; `newer`, this checkout's versions no release judged. */
export async function promote(run: ReleaseRun, candidates: Candidate[], onNew: string, leftOut: string, newer: Map<string, string>): Promise<ReleaseOutcome> {
    const { plan } = run;
    await run.setConfig(candidates.flatMap((c) => [
        { key: RELEASE_KEYS[c.cloud].stable, value: c.target.version },
        ...(c.target.worker ? [{ key: WORKER_STABLE_KEY, value: c.target.worker.version }] : []),
        { key: RELEASE_KEYS[c.cloud].weight, value: 0 },
        ...candidatesCleared(c.cloud, run.state(c.cloud), "all"),
    ]));
    await run.up("record the new version as the stable one", {
        recorded: `The release state records ${onNew} as the stable version, with all traffic`,
        next: `Traffic stays where the last step left it until an update applies that: rerun the release, or pulumi up --stack ${run.deps.stack.cliName}`,
    });
    return run.outcome({
        decision: "promoted",
        step: plan.steps[plan.steps.length - 1],
        cloud: null,
        gate: null,
        value: null,
        threshold: null,
        summary: `promoted: ${onNew} is now the stable version${leftOut}${newerText(newer)}`,
    });
}
