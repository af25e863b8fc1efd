/** The candidate keys of the release state: recorded with a step's weight, cleared when a release ends. */
import { Candidate } from "./candidate";
import { NO_CANDIDATE, RELEASE_KEYS } from "./configChanges";
import { CloudReleaseState } from "./settings";
import { Cloud, ConfigChange } from "./types";

/**
 * The candidate keys a step writes with its weight, where the config does not hold them yet: the program sends the
 * weight to these versions, not to a newer one that an update from another checkout publishes meanwhile.
 */
export function candidateRecord(c: Candidate, state: CloudReleaseState): ConfigChange[] {
    const keys = RELEASE_KEYS[c.cloud];
    const changes: ConfigChange[] = [];
    if (state.candidate !== c.target.version) changes.push({ key: keys.candidate, value: c.target.version });
    if (keys.workerCandidate && c.target.worker && state.workerCandidate !== c.target.worker.version) changes.push({ key: keys.workerCandidate, value: c.target.worker.version });
    state.candidate = c.target.version;
    if (c.target.worker) state.workerCandidate = c.target.worker.version;
    return changes;
}

/** When a release ends, a cloud's candidate keys say "none": all of them, or only those the config holds. */
export function candidatesCleared(cloud: Cloud, state: CloudReleaseState, which: "all" | "recorded"): ConfigChange[] {
    const keys = RELEASE_KEYS[cloud];
    const changes: ConfigChange[] = [];
    if (which === "all" || state.candidate !== undefined) changes.push({ key: keys.candidate, value: NO_CANDIDATE });
    if (keys.workerCandidate && (which === "all" || state.workerCandidate !== undefined)) changes.push({ key: keys.workerCandidate, value: NO_CANDIDATE });
    return changes;
}
