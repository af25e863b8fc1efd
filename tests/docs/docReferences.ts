/**
 * Where the project sends a reader: markdown links (`[text](docs/releases.md#anchor)`) and the places its messages and
 * comments name by title (`README "Rollback by hand"`, `docs/releases.md, "Rollback by hand"`), and what a markdown
 * file offers to be sent to (its headings' anchors and its explicit `<a id>` ones, its headings' and bold lead-ins'
 * titles).
 */
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/stackFile";

const readFiles = new Map<string, string>();

/** A file of the project by its path from the root, read once however many checks ask for it. */
export function readProjectFile(file: string): string {
    let text = readFiles.get(file);
    if (text === undefined) readFiles.set(file, (text = fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8")));
    return text;
}

/** The pages a reader follows: README.md and every docs/*.md, by their paths from the root. */
export const DOC_PAGES = ["README.md", ...fs.readdirSync(path.join(PROJECT_ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];

/** Whether what comes before a path names another repository (`google-github-actions/auth docs/TROUBLESHOOTING.md`). */
export function afterAnotherRepository(textBefore: string): boolean {
    return /[\w.-]+\/[\w.-]+\s*$/.test(textBefore);
}

/** The lines of a markdown file outside its code fences. */
function proseLines(markdown: string): string[] {
    let fenced = false;
    return markdown.split("\n").filter((line) => {
        if (line.trimStart().startsWith("```")) {
            fenced = !fenced;
            return false;
        }
        return !fenced;
    });
}

/** A heading's text as GitHub renders it: code spans, emphasis and links reduced to their text. */
function renderedText(heading: string): string {
    return heading
        .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
        .replace(/[`*_]/g, "")
        .trim();
}

/**
 * The anchors GitHub gives a file's headings: lower case, punctuation but hyphens dropped, each space a hyphen; a
 * repeated anchor gets -1, -2, ...
 */
export function headingAnchors(markdown: string): Set<string> {
    const seen = new Map<string, number>();
    const anchors = new Set<string>();
    for (const line of proseLines(markdown)) {
        const heading = /^#{1,6}\s+(.*)$/.exec(line);
        if (!heading) continue;
        const base = renderedText(heading[1])
            .toLowerCase()
            .replace(/[^\p{L}\p{N}\s_-]/gu, "")
            .replace(/\s/g, "-");
        const count = seen.get(base) ?? 0;
        seen.set(base, count + 1);
        anchors.add(count === 0 ? base : `${base}-${count}`);
    }
    return anchors;
}

/**
 * The anchors a file sets itself, `<a id="x"></a>` or `<a name="x"></a>` outside code, for a link to land on a paragraph
 * that is no heading (a bold lead-in). GitHub keeps both attributes, prefixed `user-content-`, and its page scrolls
 * `#x` to that element (GitHub's sanitization as syntax-tree/hast-util-sanitize lib/schema.js copies it: `id` and `name`
 * allowed on every element, clobberPrefix "user-content-").
 */
export function explicitAnchors(markdown: string): Set<string> {
    const anchors = new Set<string>();
    for (const line of proseLines(markdown)) {
        for (const m of line.replace(/`[^`]*`/g, "").matchAll(/<a\s[^>]*?\b(?:id|name)="([^"]+)"/gi)) anchors.add(m[1]);
    }
    return anchors;
}

/** Every anchor a link into the file may ask for: its headings' and its explicit ones. */
export function anchors(markdown: string): Set<string> {
    return new Set([...headingAnchors(markdown), ...explicitAnchors(markdown)]);
}

/** What a title may name in a file: its headings, and the bold words that open a paragraph or a list item. */
export function sectionTitles(markdown: string): string[] {
    return proseLines(markdown).flatMap((line) => {
        const heading = /^#{1,6}\s+(.*)$/.exec(line);
        if (heading) return [renderedText(heading[1])];
        const leadIn = /^(?:[-*]\s+|\d+\.\s+)?\*\*(.+?)\*\*/.exec(line.trimStart());
        return leadIn ? [renderedText(leadIn[1])] : [];
    });
}

/** A title names a section when it is the section's title or its start ("Where images are built" names "..., and how prod gets them"). */
export function namesSection(title: string, titles: string[]): boolean {
    const plain = (text: string) => text.replace(/[`*_]/g, "").toLowerCase();
    const wanted = plain(title.replace(/[.:]$/, ""));
    return titles.some((t) => plain(t).startsWith(wanted));
}

export interface MarkdownLink {
    line: number;
    target: string;
}

/** The links of a markdown file to anything but a web address, outside code. */
export function localLinks(markdown: string): MarkdownLink[] {
    let fenced = false;
    return markdown.split("\n").flatMap((text, i) => {
        if (text.trimStart().startsWith("```")) fenced = !fenced;
        if (fenced) return [];
        const withoutCode = text.replace(/`[^`]*`/g, "");
        return [...withoutCode.matchAll(/\]\(([^)\s]+)\)/g)]
            .map((m) => m[1])
            .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target))
            .map((target) => ({ line: i + 1, target }));
    });
}

export interface TitleReference {
    line: number;
    /** As the project's root names it: README.md, app/README.md, docs/releases.md. */
    file: string;
    title: string;
}

/**
 * The sections a source file names by title: `README "X"`, `README, "X"`, `README.md ("X"`, `docs/x.md "X"`,
 * `app/README.md, "X"`, `(README, X)`, with straight, single or curly quotes. Another project's README ("its README",
 * "the autoscalers' README", "google-github-actions/auth docs/TROUBLESHOOTING.md") is not ours and is left out.
 */
export function titleReferences(source: string): TitleReference[] {
    const file = String.raw`((?:app\/)?README(?:\.md)?|docs\/[\w-]+\.md)`;
    const quoted = new RegExp(String.raw`(^|[^\w'/])${file}'?s?,?:? \(?["'“‘]([^"'”’\n]{3,100})["'”’]`, "g");
    const bare = new RegExp(String.raw`\(${file}, ([A-Z][^)"'\n]{2,60})\)`, "g");
    return source.split("\n").flatMap((text, i) => {
        const found: TitleReference[] = [];
        for (const m of text.matchAll(quoted)) {
            const before = text.slice(0, m.index! + m[1].length);
            if (/\b(its|their)\s*$|'\s*$/.test(before) || afterAnotherRepository(before)) continue;
            found.push({ line: i + 1, file: canonical(m[2]), title: m[3] });
        }
        for (const m of text.matchAll(bare)) found.push({ line: i + 1, file: canonical(m[1]), title: m[2] });
        return found;
    });
}

function canonical(file: string): string {
    return file.endsWith(".md") ? file : `${file}.md`;
}

/** The paths README's "Layout" block lists, each as its first column has it (`scripts/plan/`, `index.ts`). */
export function layoutEntries(readme: string): string[] {
    const block = readme.split(/^## Layout$/m)[1]?.match(/^```\n([\s\S]*?)^```$/m)?.[1] ?? "";
    return block.split("\n").flatMap((line) => line.match(/^(\S+)\s/)?.[1] ?? []);
}

/**
 * The project's directories a Layout that lists `entries` leaves out: a top-level directory none of whose paths is
 * listed, and, for one listed by its subdirectories (`scripts/build/`, `scripts/plan/`), each subdirectory that is not.
 */
export function directoriesNotInLayout(entries: string[], files: string[]): string[] {
    // Each file's directory `depth` levels down (`scripts/` at 1, `scripts/build/` at 2), where it is that deep.
    const directories = (depth: number) => {
        const parents = files.map((file) => file.split("/")).filter((parts) => parts.length > depth);
        return [...new Set(parents.map((parts) => `${parts.slice(0, depth).join("/")}/`))];
    };
    return directories(1).flatMap((top) => {
        if (entries.includes(top)) return [];
        if (!entries.some((entry) => entry.startsWith(top))) return [top];
        return directories(2).filter((dir) => dir.startsWith(top) && !entries.includes(dir));
    });
}
