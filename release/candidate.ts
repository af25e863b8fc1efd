import { MetricsUnreadable } from "./metrics/metricSource";
import { ProbeRefused } from "./probe/transport";
import { ReleaseError } from "./releaseError";
import { Cloud, DeployedTarget } from "./types";

/** A cloud's new version under judgement, and the stable version it would replace. */
export interface Candidate {
    cloud: Cloud;
    stable: string;
    target: DeployedTarget;
}

/** The candidates' new versions as the release's messages name them: "<cloud> <version>", comma-separated. */
export function newVersions(candidates: Candidate[]): string {
    return candidates.map((c) => `${c.cloud} ${c.target.version}`).join(", ");
}

/** The stable versions the candidates would replace, named the same way. */
export function stableVersions(candidates: Candidate[]): string {
    return candidates.map((c) => `${c.cloud} ${c.stable}`).join(", ");
}

/**
 * A probe the platform refused (ProbeRefused: the release's own identity or credentials) judged nothing of the
 * version: it is kept aside (`refused`) while the other cloud's checks are judged, since a failure or breach there
 * decides as always; when nothing else does, the release stops with why, and the version is not recorded as rolled
 * back, which would bar it for good.
 */
export async function unlessRefused<T>(probing: Promise<T>): Promise<{ value?: T; refused?: ProbeRefused }> {
    try {
        return { value: await probing };
    } catch (err) {
        if (err instanceof ProbeRefused) return { refused: err };
        throw err;
    }
}

export function refusalStops(c: Candidate, refused: ProbeRefused | MetricsUnreadable, traffic: string): ReleaseError {
    const mend = refused instanceof MetricsUnreadable ? (refused.remedy ?? "mend what the answer says (the release's access, the API, a quota)") : "mend the release's access";
    return new ReleaseError(`${c.cloud}: ${refused.message}. ${traffic}; ${c.target.version} is not recorded as rolled back: ${mend}, then run the release again`);
}
