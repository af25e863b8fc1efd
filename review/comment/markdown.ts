/** Small Markdown helpers for the comment: table cells that cannot break the table, code spans that cannot break out. */
export function cell(text: string, max = 300): string {
    const one = literal(text.replace(/\r?\n/g, " ")).replace(/\|/g, "\\|");
    return one.length > max ? `${one.slice(0, max - 1)}…` : one;
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

export function code(text: string): string {
    const clean = text.replace(/\r?\n/g, " ");
    const fence = clean.includes("`") ? "``" : "`";
    return `${fence}${fence === "``" ? " " : ""}${clean.replace(/\|/g, "\\|")}${fence === "``" ? " " : ""}${fence}`;
}

export function table(header: string[], rows: string[][]): string[] {
    return [`| ${header.join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`, ...rows.map((r) => `| ${r.join(" | ")} |`)];
}
