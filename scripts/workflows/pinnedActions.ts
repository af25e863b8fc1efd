/**
 * The actions the workflows run, pinned by commit, checked against what each pinned commit's action.yml declares.
 *
 * actionlint checks an action's inputs only where its data set knows the exact `owner/repo@ref` (its rule_action.go
 * looks up `PopularActions[spec]` and says nothing when that misses), and it holds tags, never commits: with every
 * action pinned to a SHA it checks none of them. GitHub itself only warns about an input the action does not declare
 * ("Unexpected input(s) ..."), and runs the step without it: a misspelled `audience` or `role-duration-seconds`
 * leaves the action's default in force. So the declared inputs and outputs of each pinned commit are recorded in
 * .github/action-interfaces.json (`npm run actions:record` reads them from GitHub), and a spec holds the workflows to them.
 */
import * as fs from "fs";
import * as path from "path";
import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, type Node as YamlNode, type YAMLMap } from "yaml";

/** What one pinned commit of an action declares (its action.yml at that commit). */
export interface ActionInterface {
    /** The release the workflows name beside the SHA, and the commit GitHub's tag pointed at when recorded. */
    tag: string;
    /** Every input the action declares. */
    inputs: string[];
    /** The inputs it declares required with no default (the runner would pass them empty). */
    required: string[];
    outputs: string[];
    /**
     * The action's `runs.using`: the Node.js the runner starts it with (`node24`), or `composite` or `docker`, which
     * run no Node.js of the action's own.
     */
    using: string;
    /** Where this was read, with the date. */
    source: string;
}

export type ActionInterfaces = Record<string, ActionInterface>;

/** One `uses:` of a workflow step, as written. */
export interface PinnedUse {
    file: string;
    line: number;
    job: string;
    /** The step's `id`, when it has one. */
    id?: string;
    /** owner/repo, or owner/repo/path for an action in a subfolder. */
    action: string;
    sha: string;
    /** The release named in the comment after the SHA (`# v4.4.0`). */
    tag?: string;
    /** Each input the step gives, by its name as written, with its value as written (expressions unexpanded). */
    given: Record<string, string>;
}

/** A reference `steps.<id>.outputs.<name>` somewhere in a job. */
export interface OutputReference {
    file: string;
    line: number;
    job: string;
    stepId: string;
    output: string;
}

export const INTERFACES_FILE = path.join(".github", "action-interfaces.json");

/** The key a pinned use is recorded under. */
export const interfaceKey = (use: Pick<PinnedUse, "action" | "sha">) => `${use.action}@${use.sha}`;

const USES = /^([\w.-]+\/[\w.-]+(?:\/[\w./-]+)?)@([0-9a-f]{40})$/;

/** A key's or a scalar's text as written (a node of another kind as String gives it). */
export const nodeText = (node: unknown) => String(isScalar(node) ? node.value : node);

/** The line (1-based) a YAML node starts on. */
export const lineOf = (lines: LineCounter, node: YamlNode | undefined) => (node?.range ? lines.linePos(node.range[0]).line : 0);

/**
 * An input's value as the action reads it: `version:` with nothing after it is YAML's null, which the action's
 * `core.getInput` reads as "" (what it reads for an input not given), not "null".
 */
const inputValue = (value: unknown) => (isScalar(value) ? String(value.value ?? "") : String(value ?? ""));

/** One workflow's jobs by name, and the counter that gives their nodes' lines (lineOf); a file YAML cannot read throws, naming it. */
export function workflowJobNodes(file: string, text: string): { lines: LineCounter; jobs: { job: string; node: YAMLMap }[] } {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines });
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0].message}`);
    const jobs = doc.get("jobs", true);
    if (!isMap(jobs)) return { lines, jobs: [] };
    return {
        lines,
        jobs: jobs.items.flatMap((pair) => (isMap(pair.value) ? [{ job: nodeText(pair.key), node: pair.value }] : [])),
    };
}

/** Every step of every job that runs a remote action pinned by SHA, and every step-output reference, of one workflow. */
export function readWorkflow(file: string, text: string): { uses: PinnedUse[]; outputReferences: OutputReference[] } {
    const { lines, jobs } = workflowJobNodes(file, text);
    const textLines = text.split("\n");
    const uses: PinnedUse[] = [];
    const outputReferences: OutputReference[] = [];
    for (const { job, node: jobNode } of jobs) {
        const steps = jobNode.get("steps", true);
        if (isSeq(steps)) {
            steps.items.forEach((stepNode) => {
                if (!isMap(stepNode)) return;
                const usesNode = stepNode.get("uses", true);
                const spec = isScalar(usesNode) ? String(usesNode.value) : undefined;
                const match = spec ? USES.exec(spec) : null;
                if (!match) return;
                const line = lineOf(lines, usesNode);
                const withNode = stepNode.get("with", true);
                const given: Record<string, string> = isMap(withNode)
                    ? Object.fromEntries(withNode.items.map((p) => [nodeText(p.key), inputValue(p.value)]))
                    : {};
                const id = stepNode.get("id");
                uses.push({
                    file,
                    line,
                    job,
                    id: id === undefined ? undefined : String(id),
                    action: match[1],
                    sha: match[2],
                    tag: /#\s*(v\S+)\s*$/.exec(textLines[line - 1] ?? "")?.[1],
                    given,
                });
            });
        }
        collectOutputReferences(jobNode, (value, node) => {
            for (const m of value.matchAll(/\bsteps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
                outputReferences.push({ file, line: lineOf(lines, node), job, stepId: m[1], output: m[2] });
            }
        });
    }
    return { uses, outputReferences };
}

/** Calls `visit` with every string value under `node` (expressions live in values: `if`, `with`, `env`, `run`, job `outputs`). */
function collectOutputReferences(node: unknown, visit: (value: string, node: YamlNode) => void): void {
    if (isScalar(node)) {
        if (typeof node.value === "string") visit(node.value, node);
    } else if (isMap(node) || isSeq(node)) {
        for (const item of node.items) collectOutputReferences(item, visit);
    } else if (isPair(node)) {
        collectOutputReferences(node.value, visit);
    }
}

/** Every workflow under `.github/workflows` of `root`. */
export function readWorkflows(root: string): { uses: PinnedUse[]; outputReferences: OutputReference[] } {
    const dir = path.join(root, ".github", "workflows");
    const all = fs
        .readdirSync(dir)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
        .map((f) => readWorkflow(path.posix.join(".github/workflows", f), fs.readFileSync(path.join(dir, f), "utf8")));
    return { uses: all.flatMap((w) => w.uses), outputReferences: all.flatMap((w) => w.outputReferences) };
}

export function readInterfaces(root: string): ActionInterfaces {
    return JSON.parse(fs.readFileSync(path.join(root, INTERFACES_FILE), "utf8"));
}

/**
 * What the workflows ask of their pinned actions that those commits do not declare, one line each, naming the
 * workflow's file and line. Inputs compare case-insensitively, as the runner matches them.
 */
export function interfaceProblems(workflows: { uses: PinnedUse[]; outputReferences: OutputReference[] }, interfaces: ActionInterfaces): string[] {
    const problems: string[] = [];
    const at = (x: { file: string; line: number }) => `${x.file}:${x.line}`;
    for (const use of workflows.uses) {
        const key = interfaceKey(use);
        const declared = interfaces[key];
        if (!declared) {
            problems.push(`${at(use)}: ${key} (${use.tag ?? "no tag named"}) has no recorded interface in ${INTERFACES_FILE}: run \`npm run actions:record\` and review what changed`);
            continue;
        }
        if (use.tag !== declared.tag) problems.push(`${at(use)}: ${key} is named ${use.tag ?? "by no tag"} here, but was recorded as ${declared.tag}`);
        const inputs = Object.keys(use.given);
        const names = new Map(declared.inputs.map((name) => [name.toLowerCase(), name]));
        for (const input of inputs) {
            if (!names.has(input.toLowerCase())) {
                problems.push(`${at(use)}: "${input}" is not an input of ${use.action} ${declared.tag} (GitHub would warn and ignore it); it has: ${[...names.values()].join(", ")}`);
            }
        }
        const given = new Set(inputs.map((i) => i.toLowerCase()));
        for (const name of declared.required) {
            if (!given.has(name.toLowerCase())) {
                problems.push(`${at(use)}: ${use.action} ${declared.tag} requires "${name}", which this step does not give`);
            }
        }
    }
    for (const ref of workflows.outputReferences) {
        const step = workflows.uses.find((u) => u.file === ref.file && u.job === ref.job && u.id === ref.stepId);
        const declared = step && interfaces[interfaceKey(step)];
        // A `run` step's outputs are whatever it writes to $GITHUB_OUTPUT: nothing declares them.
        if (!declared) continue;
        if (!declared.outputs.includes(ref.output)) {
            problems.push(`${at(ref)}: steps.${ref.stepId}.outputs.${ref.output} is not an output of ${step.action} ${declared.tag} (it is always empty); it has: ${declared.outputs.join(", ") || "none"}`);
        }
    }
    return problems;
}

/**
 * The oldest Node.js a pinned JavaScript action may declare. GitHub runs JavaScript actions on Node 24 from 2026-06-02
 * and removed Node 20 from its hosted runners on 2026-09-16 (GitHub changelog 2025-09-19, "Deprecation of Node 20 on
 * GitHub Actions runners"): a `node20` action is started on Node 24 regardless, with the warning "Node.js 20 actions
 * are deprecated ... may not work as expected", on code its authors never ran there.
 */
export const OLDEST_JAVASCRIPT_RUNTIME = 24;

/**
 * Every pinned action, once per commit, whose recorded `runs.using` is a Node.js older than OLDEST_JAVASCRIPT_RUNTIME
 * (or was not recorded), naming the first workflow line that pins it. Composite and Docker actions run no Node.js of
 * their own and pass.
 */
export function runtimeProblems(workflows: { uses: PinnedUse[] }, interfaces: ActionInterfaces): string[] {
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const use of workflows.uses) {
        const key = interfaceKey(use);
        const declared = interfaces[key];
        // A pin with no recorded interface is interfaceProblems' to name.
        if (!declared || seen.has(key)) continue;
        seen.add(key);
        const at = `${use.file}:${use.line}`;
        const using = typeof declared.using === "string" ? declared.using.trim() : "";
        const node = /^node(\d+)$/i.exec(using);
        if (using === "") {
            problems.push(`${at}: ${use.action} ${declared.tag} has no runs.using recorded in ${INTERFACES_FILE}: run \`npm run actions:record\``);
        } else if (node && Number(node[1]) < OLDEST_JAVASCRIPT_RUNTIME) {
            problems.push(
                `${at}: ${use.action} ${declared.tag} runs on ${declared.using}, older than node${OLDEST_JAVASCRIPT_RUNTIME} (GitHub's hosted runners have had no Node 20 since 2026-09-16): ` +
                    `pin a release whose action.yml says \`using: node${OLDEST_JAVASCRIPT_RUNTIME}\``,
            );
        } else if (!node && !/^(composite|docker)$/i.test(using)) {
            problems.push(`${at}: ${use.action} ${declared.tag} runs on "${declared.using}", which is neither node<N>, composite nor docker`);
        }
    }
    return problems;
}
