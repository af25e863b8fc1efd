/**
 * The new version a rehearsal makes up when its scenario names none: what the cloud would publish after the stable one.
 * Lambda numbers a function's versions upward (PublishVersion answers the next number; AWS Lambda API reference,
 * PublishVersion), so the new one follows the stable one. Cloud Run names revisions itself; the rehearsal's fixed name
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
 * The version after `stable`, held to the stack settings' rule the release records it under; a ScenarioError naming
 * both and the field to give instead when the made-up one is refused (Lambda's 9999999999 is followed by 11 digits).
 */
export function madeUpNewVersion(cloud: Cloud, stable: string, scenarioFile: string): string {
    const next = cloud === "aws" ? String(BigInt(stable) + 1n) : stable === DEFAULT_VERSIONS.gcp.new ? `${stable}-next` : DEFAULT_VERSIONS.gcp.new;
    const refused = RULES[cloud].safeParse(next).error?.issues[0]?.message;
    if (refused) throw new ScenarioError(scenarioFile, [`versions.${cloud}.new: the version after the stable ${JSON.stringify(stable)} would be ${JSON.stringify(next)}, which ${refused}; give versions.${cloud}.new in the scenario`]);
    return next;
}
