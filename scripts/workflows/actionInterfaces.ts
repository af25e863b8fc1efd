/**
 * Reads, for every action the workflows pin, the action.yml of the pinned commit from GitHub, and writes what each
 * declares to .github/action-interfaces.json (pinnedActions.ts says why). Each tag named beside a SHA is checked first
 * (`git ls-remote`, peeled for an annotated tag): a pin whose tag is another commit is refused, and then nothing is
 * written.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { promisify } from "util";
import { parse } from "yaml";
import { INTERFACES_FILE, interfaceKey, readWorkflows, type ActionInterface, type ActionInterfaces, type PinnedUse } from "./pinnedActions";

export interface GitHubEndpoints {
    /** Where `git ls-remote` finds `<owner>/<repo>`: https://github.com. */
    git: string;
    /** Where `<owner>/<repo>/<sha>/<file>` is served raw: https://raw.githubusercontent.com. */
    raw: string;
}

export const GITHUB: GitHubEndpoints = { git: "https://github.com", raw: "https://raw.githubusercontent.com" };

/** owner/repo of an action that may live in a subfolder (owner/repo/path). */
const repositoryOf = (action: string) => action.split("/").slice(0, 2).join("/");
const folderOf = (action: string) => action.split("/").slice(2).join("/");

/** The commit a tag names: `git ls-remote` lists an annotated tag's own object and, as `<tag>^{}`, its commit. */
async function tagCommit(github: GitHubEndpoints, repository: string, tag: string): Promise<string | undefined> {
    const { stdout } = await promisify(execFile)("git", ["ls-remote", `${github.git}/${repository}`, `refs/tags/${tag}`, `refs/tags/${tag}^{}`], { timeout: 60_000 });
    const refs = new Map(stdout.split("\n").filter(Boolean).map((line) => line.split("\t").reverse() as [string, string]));
    return refs.get(`refs/tags/${tag}^{}`) ?? refs.get(`refs/tags/${tag}`);
}

/** action.yml, or action.yaml (the runner reads either), at the commit. */
async function actionMetadata(github: GitHubEndpoints, use: PinnedUse): Promise<{ text: string; url: string }> {
    const folder = folderOf(use.action);
    for (const name of ["action.yml", "action.yaml"]) {
        const url = `${github.raw}/${repositoryOf(use.action)}/${use.sha}/${folder ? `${folder}/` : ""}${name}`;
        const answer = await fetch(url, { signal: AbortSignal.timeout(60_000) });
        if (answer.ok) return { text: await answer.text(), url };
        if (answer.status !== 404) throw new Error(`${url}: HTTP ${answer.status} ${(await answer.text()).slice(0, 200)}`);
    }
    throw new Error(`${use.file}:${use.line}: ${use.action}@${use.sha} has neither action.yml nor action.yaml`);
}

/** What an action.yml declares: its inputs, those required with no default, its outputs' names and what it runs on. */
export function declaredInterface(text: string, tag: string, source: string): ActionInterface {
    const metadata = parse(text) ?? {};
    const inputs = Object.entries<any>(metadata.inputs ?? {});
    const required = inputs.filter(([, input]) => (input?.required === true || input?.required === "true") && !(input != null && "default" in input));
    const using = metadata.runs?.using;
    if (typeof using !== "string" || using === "") throw new Error(`${source}: declares no runs.using`);
    return { tag, inputs: inputs.map(([name]) => name), required: required.map(([name]) => name), outputs: Object.keys(metadata.outputs ?? {}), using, source };
}

async function recordOne(github: GitHubEndpoints, use: PinnedUse, today: string): Promise<ActionInterface> {
    if (!use.tag) throw new Error(`${use.file}:${use.line}: ${use.action}@${use.sha} names no release beside it (# vX.Y.Z)`);
    const tagged = await tagCommit(github, repositoryOf(use.action), use.tag);
    if (tagged !== use.sha) {
        throw new Error(
            `${use.file}:${use.line}: ${use.action} ${use.tag} is ${tagged ? `commit ${tagged}` : "no tag"} on GitHub, not the pinned ${use.sha}: ` +
                "pin the tag's commit, or name the release the commit belongs to",
        );
    }
    const { text, url } = await actionMetadata(github, use);
    return declaredInterface(text, use.tag, `${url} (read ${today})`);
}

/**
 * Records every pinned action of `root`'s workflows, one line of progress each. Answers the problems that stopped
 * it, none when the file was written.
 */
export async function recordActionInterfaces(root: string, github: GitHubEndpoints, log: (line: string) => void, today = new Date().toISOString().slice(0, 10)): Promise<string[]> {
    const distinct = new Map<string, PinnedUse>();
    for (const use of readWorkflows(root).uses) if (!distinct.has(interfaceKey(use))) distinct.set(interfaceKey(use), use);
    const recorded: ActionInterfaces = {};
    const problems: string[] = [];
    for (const [key, use] of [...distinct].sort(([a], [b]) => a.localeCompare(b))) {
        try {
            recorded[key] = await recordOne(github, use, today);
            log(`${key} (${use.tag}): ${recorded[key].inputs.length} inputs, ${recorded[key].outputs.length} outputs`);
        } catch (err) {
            problems.push((err as Error).message);
        }
    }
    if (problems.length > 0) return problems;
    fs.writeFileSync(path.join(root, INTERFACES_FILE), `${JSON.stringify(recorded, null, 2)}\n`);
    log(`wrote ${INTERFACES_FILE}: ${distinct.size} pinned actions`);
    return [];
}
