/**
 * The pull-request comment of one stack: the preview's resource changes, the policy findings, the IAM change, the
 * monthly cost change and the image's package changes. A pure function of its inputs; .github/workflows/preview.yml
 * posts it (review/comment/post.js), found again by its hidden marker and edited in place.
 */
import { CostComparison, CostEstimate, TrafficNote, compareCosts, trafficNote, usd } from "../cost";
import { ImageChanges } from "../image/packageChanges";
import { PolicyEvent, PreviewDigest } from "../preview/digest";
import { iamChanges } from "../preview/iamChanges";
import { PolicyFinding, policyFindings, problemDiagnostics } from "../preview/policyFindings";
import { changeCounts, resourceChanges } from "../preview/resourceChanges";
import { pricesProvenance } from "../prices/table";
import { wholeCharacters } from "../../scripts/build/wholeCharacters";
import { cell, code, codeSpan, table } from "./markdown";

/**
 * The comment's length, in UTF-16 code units (`String.length`). GitHub's 422 names this number: resource IssueComment,
 * "Body is too long (maximum is 65536 characters)" (reg-viz/reg-actions#123; before 2021 "body is too long", as quoted
 * in danger/danger#424). What it refuses is a body over 262,144 bytes of UTF-8 (objectstack-ai/objectstack#18826,
 * dead-claudia/github-limits#13): a code unit is at most 3 bytes, so a body of this many fits whatever its characters
 * (tests/review/post.spec.ts).
 */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** How long a rendering may be, and what the note about rows left out calls that limit. */
export interface RenderLimit {
    characters: number;
    name: string;
}

export const COMMENT_LIMIT: RenderLimit = { characters: GITHUB_COMMENT_LIMIT, name: "GitHub's comment limit" };

/**
 * A step's summary may hold 1 MiB (GitHub docs, "Adding a job summary": "each step is restricted to a maximum size of
 * 1MiB"); in characters, a third of that, as one UTF-16 unit is at most 3 bytes of UTF-8. The comment's rows left out
 * are in it: the preview's JSON stays on the runner, and a JSON preview prints no resource list to the log.
 */
export const STEP_SUMMARY_LIMIT: RenderLimit = { characters: Math.floor((1024 * 1024) / 3), name: "GitHub's step summary limit" };

export function commentMarker(stack: string): string {
    return `<!-- multicloud-service:preview:${stack} -->`;
}

export interface CommentInput {
    stack: string;
    preview: PreviewDigest;
    /** The event log's policy violations; undefined when there was no event log to read. */
    policyEvents?: PolicyEvent[];
    /** Head and base estimates, or why one is unknown (settings a preview refuses, a stack the base lacks). */
    cost: { head?: CostEstimate; traffic?: TrafficNote; headError?: string; base?: CostEstimate; baseError?: string; basePricesError?: string };
    /** The image's package changes, or why they are unknown (no base commit given, or it lacks the image's inputs). */
    image?: ImageChanges | { unknown: string };
    /** The workflow run, for what a truncated section leaves out: its summary has the rows. */
    runUrl?: string;
    /** False when the run's summary had to leave rows out too: the comment's note then says it has more of them, not all. */
    summaryHasAll?: boolean;
    /** The pull request's head commit: a comment edited in place says which push it shows. */
    commit?: string;
}

interface Section {
    title: string;
    intro: string[];
    header?: string[];
    rows: string[][];
    /** Lines below the table, from how many of its rows it shows (it may have to leave some out). */
    outro?: (shownRows: number) => string[];
}

const OP_SYMBOL: Record<string, string> = { create: "+ create", update: "~ update", replace: "+- replace", delete: "- delete", read: "> read", import: "= import", other: "? other" };

/**
 * How far the preview got (pulumi/pulumi):
 * - `not run`: no summary. The engine emits its summary event after running the program, whatever the result
 *   (pkg/engine/deployment.go), and the JSON digest is printed even when that never came (`{}`): a policy pack,
 *   plugin or source that failed first.
 * - `stopped`: an error other than the engine's closing "preview failed". The engine stops registering resources
 *   and runs no stack policies (pkg/resource/deploy/deployment_executor.go), so what it did not show is unknown.
 * - `refused by policy`: that closing verdict alone, with mandatory findings. A preview goes on through the whole
 *   program after a mandatory violation (analyze_snapshot.go: "unless dryRun is true"), so its changes are complete.
 */
type PreviewState = "complete" | "refused by policy" | "stopped" | "not run";

/** The engine's closing verdict on a failed preview (reportExecResult("failed")), as the CLI prints it. */
const CLOSING_VERDICT = /^(error:\s*)?preview failed$/;

function previewState(preview: PreviewDigest, mandatoryFindings: number): PreviewState {
    if (preview.duration === undefined && preview.changeSummary === undefined) return "not run";
    const errors = problemDiagnostics(preview).filter((d) => d.severity === "error");
    if (errors.length === 0) return "complete";
    return mandatoryFindings > 0 && errors.every((d) => CLOSING_VERDICT.test(d.message)) ? "refused by policy" : "stopped";
}

const PARTIAL = "The preview failed: these are only the changes it showed before it stopped.";
const NOT_RUN = "Unknown: the preview did not run.";

/** A section's opening line from how far the preview got and how many rows it shows. */
function opening(state: PreviewState, rows: number, texts: { unknown: string; none: string }): string[] {
    if (state === "not run") return [NOT_RUN];
    if (state === "stopped") return [rows === 0 ? texts.unknown : PARTIAL];
    return rows === 0 ? [texts.none] : [];
}

function resourceSection(preview: PreviewDigest, state: PreviewState): Section {
    const changes = resourceChanges(preview);
    return {
        title: "Resource changes",
        intro: opening(state, changes.length, { unknown: "Unknown: the preview failed before it showed any change.", none: "No resource changes." }),
        header: changes.length ? ["", "Type", "Name", "Inputs that change"] : undefined,
        rows: changes.map((c) => [OP_SYMBOL[c.op], code(c.type), cell(c.name), c.keys.map(code).join(", ")]),
    };
}

function policySection(findings: PolicyFinding[] | undefined, mandatory: number, state: PreviewState): Section {
    if (findings === undefined) {
        return { title: "Policy findings", intro: ["The preview's event log was not available, so the policy pack's findings are unknown."], rows: [] };
    }
    const failed = state === "stopped";
    const advisory = findings.length - mandatory;
    const none = state === "not run" ? NOT_RUN : failed ? "Unknown: the preview failed before the policy pack could check the whole stack." : "No policy violations.";
    return {
        title: "Policy findings",
        intro: [
            findings.length === 0
                ? none
                : `${mandatory} mandatory (the preview fails; \`pulumi up\` would stop), ${advisory} advisory.${failed && mandatory === 0 ? " The preview failed before the policy pack could check the whole stack." : ""}`,
        ],
        header: findings.length ? ["Level", "Policy", "Resource", "Message"] : undefined,
        rows: findings.map((f) => [f.level === "mandatory" ? "**mandatory**" : f.level, code(f.policy), f.resource ? code(f.resource) : "stack", cell(f.message, 500)]),
        outro: (shownRows) => policyDescriptions(findings.slice(0, shownRows)),
    };
}

/**
 * Each policy's description once, below the table, for the findings it was taken from (this repository's pack sends
 * it before every finding's text; see policyFindings.ts): what the policy checks, not repeated on every row. Only the
 * findings the table shows: a policy whose rows were all left out to fit is not described.
 */
function policyDescriptions(findings: PolicyFinding[]): string[] {
    const described = new Map(findings.filter((f) => f.description !== undefined).map((f) => [f.policy, f.description!]));
    if (described.size === 0) return [];
    const lines = [...described].sort(([a], [b]) => a.localeCompare(b)).map(([policy, description]) => `- ${codeSpan(policy)}: ${cell(description, 500)}`);
    return [["What each policy checks (this repository's pack, `policy/`):", ...lines].join("\n")];
}

function iamSection(preview: PreviewDigest, state: PreviewState): Section {
    const changes = iamChanges(preview);
    return {
        title: "IAM permissions",
        intro: opening(state, changes.length, { unknown: "Unknown: the preview failed before it showed every change.", none: "No permission is added or removed." }),
        header: changes.length ? ["Cloud", "Principal", "Added", "Removed"] : undefined,
        rows: changes.map((c) => [
            c.cloud,
            cell(c.principal),
            c.added.map((g) => code(g)).join("<br>") || (c.unknown && !c.added.length ? `_${c.unknown}_` : ""),
            c.removed.map((g) => code(g)).join("<br>"),
        ]),
    };
}

function costSection(input: CommentInput["cost"]): Section {
    if (!input.head || !input.traffic) {
        return { title: "Monthly cost", intro: [`Unknown: this stack's settings cannot be estimated: ${cell(input.headError ?? "no estimate", 1000)}`], rows: [] };
    }
    const comparison: CostComparison = compareCosts(input.base, input.head);
    const changed = comparison.rows.filter((r) => Math.round(r.deltaUsd * 100) !== 0);
    const baseLabel = input.base ? usd(comparison.baseTotalUsd) : "unknown";
    const outro = [
        `Prices ${pricesProvenance(comparison.pricesAsOf, comparison.pricesTranscribed)} (\`review/prices.json\`)${
            comparison.basePrices ? `; the base's ${pricesProvenance(comparison.basePrices.asOf, comparison.basePrices.transcribed)}` : ""
        }${input.basePricesError ? `; the base is priced with the head's table, since its own could not be read: ${cell(input.basePricesError, 300)}` : ""}. Traffic assumed: ${trafficNote(input.traffic)}.`,
        `Not counted: ${input.head.notCounted.join("; ")}.`,
    ];
    return {
        title: "Monthly cost",
        intro: [
            input.base
                ? `**${usd(comparison.deltaUsd, true)} a month**: ${baseLabel} → ${usd(comparison.headTotalUsd)} (list prices, before free tiers).`
                : `**${usd(comparison.headTotalUsd)} a month** with this change; the base's estimate is unknown${input.baseError ? `: ${cell(input.baseError, 500)}` : "."}`,
            ...(changed.length === 0 && input.base ? ["No line of the estimate changes."] : []),
        ],
        header: changed.length && input.base ? ["Cloud", "Item", "Base", "Head", "Change"] : undefined,
        rows: input.base ? changed.map((r) => [r.cloud, cell(r.item), usd(r.baseUsd), usd(r.headUsd), usd(r.deltaUsd, true)]) : [],
        outro: () => outro,
    };
}

function imageSection(image: CommentInput["image"]): Section {
    if (!image || "unknown" in image) return { title: "Image", intro: [`The image's package changes are unknown${image ? `: ${image.unknown}` : ""}.`], rows: [] };
    const intro: string[] = [];
    if (image.baseImages) intro.push(`Base image: ${image.baseImages.from.map(code).join(", ") || "none"} → ${image.baseImages.to.map(code).join(", ") || "none"}`);
    if (image.packages.length === 0) intro.push(image.baseImages ? "No production package changes." : "No production package or base image changes.");
    return {
        title: "Image",
        intro,
        header: image.packages.length ? ["Package", "Change", "Base", "Head"] : undefined,
        rows: image.packages.map((p) => [code(p.name), p.kind, p.from ?? "", p.to ?? ""]),
    };
}

function summaryLine(preview: PreviewDigest, state: PreviewState, mandatoryFindings: number): string {
    if (state === "not run") return "the preview did not run: its output has no summary (the job's log says why)";
    const counts = changeCounts(preview);
    // The engine counts every step by its op (import, read, discard... too): the usual ones first, then the rest.
    const usual = ["create", "update", "replace", "delete", "same"];
    const ops = [...usual, ...Object.keys(counts).filter((op) => !usual.includes(op)).sort()];
    const shown = ops.filter((op) => counts[op]).map((op) => `${op} ${counts[op]}`);
    if (state === "stopped") return `the preview failed${shown.length ? `; before it stopped: ${shown.join(" · ")}` : ""}`;
    const changes = shown.length ? shown.join(" · ") : "no changes";
    if (state === "refused by policy") return `the preview failed on ${mandatoryFindings} mandatory policy violation${mandatoryFindings === 1 ? "" : "s"}: ${changes}`;
    return changes;
}

/** "… 12 more rows left out ...": where the rest are, when the rendering has somewhere to point. */
function leftOut(count: number, what: string, limit: RenderLimit, input: Pick<CommentInput, "runUrl" | "summaryHasAll">): string {
    const where = input.summaryHasAll === false ? "more of them are in" : "all of them are in";
    return `_… ${count} more ${what} left out to fit ${limit.name}${input.runUrl ? `; ${where} [the workflow run's summary](${input.runUrl})` : ""}._`;
}

function renderSection(s: Section, shownRows: number, limit: RenderLimit, input: CommentInput): string[] {
    const lines = [`### ${s.title}`, "", ...s.intro.flatMap((l) => [l, ""])];
    if (s.header && s.rows.length) {
        lines.push(...table(s.header, s.rows.slice(0, shownRows)));
        if (shownRows < s.rows.length) lines.push("", leftOut(s.rows.length - shownRows, "rows", limit, input));
        lines.push("");
    }
    return [...lines, ...(s.outro?.(shownRows) ?? []).flatMap((l) => [l, ""])];
}

/**
 * The comment body; sections with the most rows are cut first until it fits the limit. With `runUrl`, a note on rows
 * left out points to that run's summary, where review/cli.ts's --summary writes them.
 */
export function renderComment(input: CommentInput, limit = COMMENT_LIMIT): string {
    return renderWithin(input, limit).body;
}

/** The rendering, and whether it had to leave rows out to fit. */
export function renderWithin(input: CommentInput, limit: RenderLimit): { body: string; leftOut: boolean } {
    const findings = input.policyEvents && policyFindings(input.policyEvents);
    const mandatory = findings?.filter((f) => f.level === "mandatory").length ?? 0;
    const state = previewState(input.preview, mandatory);
    const summary = summaryLine(input.preview, state, mandatory);
    const sections = [resourceSection(input.preview, state), policySection(findings, mandatory, state), iamSection(input.preview, state), costSection(input.cost), imageSection(input.image)];
    // The preview's own errors and warnings (a failed preview says why), before the sections, each with its resource.
    // The CLI starts an error's message with "error: " itself (pulumi/pulumi pkg/backend/display/json.go).
    const problems = problemDiagnostics(input.preview).map(
        (d) => `**${d.severity}:**${d.resource ? ` ${codeSpan(d.resource)}:` : ""} ${cell(d.message.replace(new RegExp(`^${d.severity}:\\s*`), ""), 1000)}`,
    );
    // How many rows of each section are shown, the errors and warnings last: each is cut like a section's rows.
    const shown = [...sections.map((s) => s.rows.length), problems.length];
    const problemLines = (count: number) => [
        ...problems.slice(0, count).flatMap((p) => [p, ""]),
        ...(count < problems.length ? [leftOut(problems.length - count, "errors and warnings", limit, input), ""] : []),
    ];
    const render = () =>
        [
            commentMarker(input.stack),
            `## Preview of \`${input.stack}\`${input.commit ? ` at ${input.commit.slice(0, 7)}` : ""}`,
            "",
            summary,
            "",
            ...problemLines(shown[sections.length]),
            ...sections.flatMap((s, i) => renderSection(s, shown[i], limit, input)),
        ].join("\n").trimEnd() + "\n";
    let body = render();
    // Each pass of the cut below leaves out at least one row, and it runs only when the whole report does not fit.
    const cut = body.length > limit.characters;
    while (body.length > limit.characters) {
        const i = shown.indexOf(Math.max(...shown));
        if (shown[i] === 0) break;
        // As many of the longest section's rows as fit (by halves of the range), or none: then the next one is cut.
        let [fits, tooMany] = [0, shown[i]];
        while (tooMany - fits > 1) {
            shown[i] = Math.floor((fits + tooMany) / 2);
            if (render().length <= limit.characters) fits = shown[i];
            else tooMany = shown[i];
        }
        shown[i] = fits;
        body = render();
    }
    if (body.length > limit.characters) return { body: `${wholeCharacters(body, 0, limit.characters - 200)}\n\n_… cut at ${limit.name}._\n`, leftOut: cut };
    return { body, leftOut: cut };
}
