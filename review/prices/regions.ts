import * as fs from "fs";
import { DEFAULT_REGIONS } from "../../config/defaultRegions";
import { readStackFile, PROJECT_ROOT } from "../../config/stackFile";

type Clouds<T> = { aws: T; gcp: T };

/** The regions of every stack file in the project, each cloud's default where a file names none. */
export function stackRegions(): Clouds<string[]> {
    const regions: Clouds<string[]> = { aws: [], gcp: [] };
    for (const file of fs.readdirSync(PROJECT_ROOT).filter((f) => /^Pulumi\..+\.yaml$/.test(f))) {
        const { config } = readStackFile(file.slice(7, -5));
        regions.aws.push(config["aws:region"] ?? DEFAULT_REGIONS.aws);
        regions.gcp.push(config["gcp:region"] ?? DEFAULT_REGIONS.gcp);
    }
    return regions;
}

/**
 * Each cloud's regions to read prices for, sorted and once each: the stack files', the table's (its keys are
 * `<cloud>:<region>`) and those named on the command line.
 */
export function regionsToRefresh(fromStacks: Clouds<string[]>, tableKeys: string[], named: Clouds<string[]>): Clouds<string[]> {
    const of = (cloud: "aws" | "gcp") => {
        const inTable = tableKeys.filter((key) => key.startsWith(`${cloud}:`)).map((key) => key.slice(`${cloud}:`.length));
        return [...new Set([...fromStacks[cloud], ...inTable, ...named[cloud]])].sort();
    };
    return { aws: of("aws"), gcp: of("gcp") };
}
