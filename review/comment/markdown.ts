import { wholeCharacters } from "../../scripts/build/wholeCharacters";

/** Small Markdown helpers for the comment: table cells that cannot break the table, code spans that cannot break out. */
export function cell(text: string, max = 300): string {
    // Any CommonMark line ending (LF, CRLF, or a CR alone) would end the table row.
    const one = text.replace(/\r\n?|\n/g, " ");
    const shown = (t: string) => literal(t).replace(/\|/g, "\\|");
    const whole = shown(one);
    if (whole.length <= max) return whole;
    // The text is cut, then escaped: cut after escaping, a cut through a code span left its opening backtick unmatched,
    // which GitHub shows as a plain backtick, and the span's text, never escaped, as Markdown and HTML (`<img ...>`
    // rendered, `@name` a mention). Cut first, an unmatched backtick's text is escaped like the rest.
    let [fits, tooMany] = [0, one.length];
    while (tooMany - fits > 1) {
        const middle = Math.floor((fits + tooMany) / 2);
        if (shown(wholeCharacters(one, 0, middle)).length <= max - 1) fits = middle;
        else tooMany = middle;
    }
    return `${shown(wholeCharacters(one, 0, fits))}…`;
}

/**
 * Text shown as it is written outside its code spans: `*`, `_` and `~` would turn into emphasis (`sha256-*.sig /
 * sha256-*.att` lost both asterisks), `<...>` into HTML that GitHub's sanitizer drops, `[...]` into links, `&...;` into
 * the character it names; a backslash escapes any ASCII punctuation (CommonMark, "Backslash escapes").
 *
 * A backslash does not stop GitHub's own links, made after the Markdown (outside code spans only): `@name` and
 * `@org/team` are mentions, which notify (a diagnostic's `'@types/node'` pings the user `types`; renovatebot/renovate#568),
 * and `#26`, `GH-26`, `owner/repo#26` link an issue and put a reference on its timeline (GitHub docs, "Autolinked
 * references and URLs"). A zero-width space after the `@`, `#` or `GH-` breaks each, as renovatebot/renovate's
 * sanitizeMarkdown (lib/util/markdown.ts: "Put a zero width space after every @ symbol to prevent unintended
 * hyperlinking", and after every `#` followed by a digit) does; an address's `@` (`sa@project.iam...`) is no mention and stays.
 */
function literal(text: string): string {
    return text
        .split(/(`[^`]*`)/)
        .map((part, i) =>
            i % 2 === 1
                ? part
                : part
                      .replace(/([\\*_~<>[\]&])/g, "\\$1")
                      .replace(/(^|[^A-Za-z0-9])@(?=[A-Za-z0-9])/g, `$1@${ZWSP}`)
                      .replace(/#(?=\d)/g, `#${ZWSP}`)
                      .replace(/\b(GH)-(?=\d)/gi, `$1-${ZWSP}`),
        )
        .join("");
}

/** U+200B ZERO WIDTH SPACE: not shown, and no name, team or number continues across it. */
const ZWSP = "\u200B";

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
    const clean = text.replace(/\r\n?|\n/g, " ");
    const longestRun = Math.max(0, ...(clean.match(/`+/g) ?? []).map((run) => run.length));
    const fence = "`".repeat(longestRun + 1);
    const pad = longestRun > 0 ? " " : "";
    return `${fence}${pad}${clean}${pad}${fence}`;
}

export function table(header: string[], rows: string[][]): string[] {
    return [`| ${header.join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`, ...rows.map((r) => `| ${r.join(" | ")} |`)];
}
