/** One measured figure beside its target; `pass` is undefined for figures that are only reported. */
export interface Figure {
    name: string;
    value: number;
    unit: string;
    target: string;
    pass: boolean | undefined;
    detail?: string;
    /** Shown in the value column instead of `value unit`, for a figure that is several numbers. */
    shown?: string;
    /** The command whose run the figure times, when it failed: `value` is then its wall time until it did, `detail` why. */
    failedCommand?: string;
}

export function progress(message: string): void {
    process.stderr.write(`bench: ${message}\n`);
}

/** A Markdown table: figure, value, target, pass/FAIL. */
export function render(figures: Figure[]): string {
    const rows = figures.map((f) => [f.name, f.shown ?? `${f.value} ${f.unit}`, f.target, f.pass === undefined ? "" : f.pass ? "pass" : "FAIL"]);
    const header = ["figure", "value", "target", ""];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
    return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
