import { stackFileRegions } from "../../config/defaultRegions";
import { readStackFile, stackNames } from "../../config/stackFile";

type Clouds<T> = { aws: T; gcp: T };

/** The regions of every stack file in the project, each cloud's default where a file names none. */
export function stackRegions(): Clouds<string[]> {
    const regions: Clouds<string[]> = { aws: [], gcp: [] };
    for (const stack of stackNames()) {
        const { aws, gcp } = stackFileRegions(readStackFile(stack).config);
        regions.aws.push(aws);
        regions.gcp.push(gcp);
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
