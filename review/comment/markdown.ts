/** Small Markdown helpers for the comment: table cells that cannot break the table, code spans that cannot break out. */
export function cell(text: string, max = 300): string {
    const one = text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
    return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

export function code(text: string): string {
    const clean = text.replace(/\r?\n/g, " ");
    const fence = clean.includes("`") ? "``" : "`";
    return `${fence}${fence === "``" ? " " : ""}${clean.replace(/\|/g, "\\|")}${fence === "``" ? " " : ""}${fence}`;
}

export function table(header: string[], rows: string[][]): string[] {
    return [`| ${header.join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`, ...rows.map((r) => `| ${r.join(" | ")} |`)];
}
