/**
 * Every job runs on a runner image the workflow names by version (`ubuntu-24.04`), never on a `-latest` label.
 *
 * "The `-latest` migration process is gradual and happens over 1-2 months ... any workflow using the `-latest` label,
 * may see changes in the OS version" (actions/runner-images README, "Latest Migration Process"): with the OS go the
 * image's skopeo, jq, gh, git, docker and Pulumi CLI the jobs use, moving between two runs of one commit.
 */
import { isMap, isScalar, isSeq, type Node as YamlNode } from "yaml";
import { lineOf, nodeText, workflowJobNodes } from "./pinnedActions";

/** The labels GitHub moves to a newer image on its own schedule (`macos-latest-xlarge` among them). */
const MOVING_LABEL = /^(ubuntu|macos|windows)-latest(-[\w-]+)?$/i;
const FIX = "name the image by its version, `runs-on: ubuntu-24.04`, and raise it by hand when GitHub announces the next (docs/delivery.md)";

/** The labels a `runs-on` value gives: a label, a list of labels, or a map with `group` and `labels`. */
function labelsOf(node: unknown): YamlNode[] {
    if (isScalar(node)) return [node];
    if (isSeq(node)) return node.items.flatMap(labelsOf);
    if (isMap(node)) return labelsOf(node.get("labels", true));
    return [];
}

/** Each job of one workflow whose `runs-on` is a moving label or an expression, as `<file>:<line>: ...` with the fix. */
export function runnerLabelProblems(file: string, text: string): string[] {
    const { lines, jobs } = workflowJobNodes(file, text);
    const problems: string[] = [];
    for (const { job, node } of jobs) {
        // A job that calls a reusable workflow has no runs-on: the called workflow's jobs are checked in their own file.
        for (const label of labelsOf(node.get("runs-on", true))) {
            const value = nodeText(label);
            const at = `${file}:${lineOf(lines, label)}: job ${job}`;
            if (MOVING_LABEL.test(value)) problems.push(`${at} runs on "${value}", which GitHub moves to the next image on its own schedule: ${FIX}`);
            else if (value.includes("${{")) problems.push(`${at} runs on "${value}", an expression this check cannot read: write the label itself (${FIX})`);
        }
    }
    return problems;
}
