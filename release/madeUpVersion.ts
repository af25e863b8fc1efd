/**
 * The new version a rehearsal makes up when its scenario names none: what the cloud would publish after the versions
 * the stack records. Lambda numbers a function's versions upward and never reuses a number, even once its version is
 * deleted (AWS Lambda Developer Guide, "Manage Lambda function versions"; API reference, PublishVersion), so the next
 * publish comes after the stable version and after a rolled-back or candidate one, which were all published; Lambda
 * may hold higher ones still (published by hand), which a rehearsal does not ask. Cloud Run names revisions itself; the rehearsal's fixed name
 * differs from the stable one (RFC 1035 label, 63 characters at most: "service-00002-sim-next" is 22).
 */
import { cloudRunRevision, lambdaVersion } from "../config/schema";
import { ScenarioError } from "./scenario";
import { Cloud } from "./types";

export const DEFAULT_VERSIONS: Record<Cloud, { stable: string; new: string }> = {
    aws: { stable: "1", new: "2" },
    gcp: { stable: "service-00001-sim", new: "service-00002-sim" },
};

const RULES = { aws: lambdaVersion, gcp: cloudRunRevision };

/**
 * The version after `stable` and the stack's other recorded versions of that cloud (`published`: its rolled-back and
 * candidate ones), held to the stack settings' rule the release records it under; a ScenarioError naming both and the
 * field to give instead when the made-up one is refused (Lambda's 9999999999 is followed by 11 digits).
 */
export function madeUpNewVersion(cloud: Cloud, stable: string, scenarioFile: string, published: (string | undefined)[] = []): string {
    const after = cloud === "aws" ? highestNumber(stable, published) : stable;
    const next = cloud === "aws" ? String(BigInt(after) + 1n) : stable === DEFAULT_VERSIONS.gcp.new ? `${stable}-next` : DEFAULT_VERSIONS.gcp.new;
    const refused = RULES[cloud].safeParse(next).error?.issues[0]?.message;
    if (refused) throw new ScenarioError(scenarioFile, [`versions.${cloud}.new: the version after the ${after === stable ? "stable" : "recorded"} ${JSON.stringify(after)} would be ${JSON.stringify(next)}, which ${refused}; give versions.${cloud}.new in the scenario`]);
    return next;
}

/** The highest of Lambda version numbers (the settings hold each to lambdaVersion's digits). */
function highestNumber(stable: string, others: (string | undefined)[]): string {
    return others.reduce<string>((highest, v) => (v !== undefined && BigInt(v) > BigInt(highest) ? v : highest), stable);
}
