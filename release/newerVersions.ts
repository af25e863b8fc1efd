/** Newer versions this checkout deployed beside the candidates: said once while the release runs, and again in its outcome. */
import { Candidate } from "./candidate";
import { ReleaseEvent } from "./events";
import { Cloud, DeployedTarget } from "./types";

/** Says once per version when the stack runs a newer version than a candidate: it gets no traffic, and the next release judges it. */
export function reportNewerVersions(candidates: Candidate[], deployed: Partial<Record<Cloud, DeployedTarget>>, newer: Map<string, string>, report: (event: ReleaseEvent) => void) {
    const say = (what: string, newest: string | undefined, candidate: string | undefined) => {
        if (newest === undefined || candidate === undefined || newest === candidate || newer.get(what) === newest) return;
        newer.set(what, newest);
        report({ kind: "notice", text: `${what}: this checkout deployed ${newest}, which is not the candidate ${candidate} this release started with; ${newest} gets no traffic, and the next release judges it` });
    };
    for (const c of candidates) {
        say(c.cloud, deployed[c.cloud]?.version, c.target.version);
        say(`${c.cloud} worker`, deployed[c.cloud]?.worker?.version, c.target.worker?.version);
    }
}

/** The promotion's postscript when this checkout's own versions are still to be released. */
export function newerText(newer: Map<string, string>): string {
    if (newer.size === 0) return "";
    const versions = [...newer].map(([cloud, version]) => `${cloud} ${version}`).join(", ");
    return `; the stack also runs ${versions} (this checkout's) with no traffic, which no release has judged: run the release again from this checkout to release it`;
}
