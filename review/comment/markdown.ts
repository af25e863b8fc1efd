import { wholeCharacters } from "../../scripts/build/wholeCharacters";

/** Small Markdown helpers for the comment: table cells that cannot break the table, code spans that cannot break out. */
export function cell(text: string, max = 300): string {
    const one = literal(text.replace(/\r?\n/g, " ")).replace(/\|/g, "\\|");
    return one.length > max ? `${wholeCharacters(one, 0, max - 1)}…` : one;
}

/**
 * Text shown as it is written outside its code spans: `*`, `_` and `~` would turn into emphasis (`sha256-*.sig /
 * sha256-*.att` lost both asterisks), `<...>` into HTML that GitHub's sanitizer drops, `[...]` into links; a backslash
 * escapes any ASCII punctuation (CommonMark, "Backslash escapes").
 */
function literal(text: string): string {
    return text
        .split(/(`[^`]*`)/)
        .map((part, i) => (i % 2 === 1 ? part : part.replace(/([\\*_~<>[\]])/g, "\\$1")))
        .join("");
}

/** A code span for a table cell: its `|` escaped, which GFM honours inside code spans in tables. */
export function code(text: string): string {
    return codeSpan(text.replace(/\|/g, "\\|"));
}

/**
 * A code span outside a table (there `\|` would show as written). A span ends at the first backtick run as long as its
 * opening one (CommonMark, "Code spans"), so the fence is one backtick longer than any run in the text, and padded
 * with spaces when the text has any.
 */
export function codeSpan(text: string): string {
    const clean = text.replace(/\r?\n/g, " ");
    const longestRun = Math.max(0, ...(clean.match(/`+/g) ?? []).map((run) => run.length));
    const fence = "`".repeat(longestRun + 1);
    const pad = longestRun > 0 ? " " : "";
    return `${fence}${pad}${clean}${pad}${fence}`;
}

export function table(header: string[], rows: string[][]): string[] {
    return [`| ${header.join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`, ...rows.map((r) => `| ${r.join(" | ")} |`)];
}
