/** What the source stack of a promotion runs: its `aws.imageDigest` / `gcp.imageDigest` outputs. */
import { execFile } from "child_process";
import * as fs from "fs";
import { promisify } from "util";
import { PROJECT_ROOT } from "../../config/stackFile";
import { RunningDigests } from "./promote";

const run = promisify(execFile);

/**
 * What `stack` runs, from its outputs: a file of `pulumi stack output --json` (named in any error about it), or the
 * CLI (`$PULUMI_ORG/<stack>` when set).
 */
export async function runningDigests(stack: string, file?: string): Promise<RunningDigests> {
    const qualified = process.env.PULUMI_ORG ? `${process.env.PULUMI_ORG}/${stack}` : stack;
    const text = file ? readRunningFile(file) : (await run("pulumi", ["stack", "output", "--json", "--stack", qualified], { cwd: PROJECT_ROOT })).stdout;
    let outputs: { aws?: { imageDigest?: string }; gcp?: { imageDigest?: string } };
    try {
        outputs = JSON.parse(text);
    } catch (err) {
        throw new Error(`${file ? `--running ${file}` : `pulumi stack output --json --stack ${qualified}`}: not JSON (${(err as Error).message})`);
    }
    return { aws: outputs?.aws?.imageDigest, gcp: outputs?.gcp?.imageDigest };
}

function readRunningFile(file: string): string {
    try {
        return fs.readFileSync(file, "utf8");
    } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new Error(`--running ${file}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "a folder, not a file" : (err as Error).message}`);
    }
}
