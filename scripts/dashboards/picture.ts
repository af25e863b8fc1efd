/**
 * Draws the layout of both clouds' dashboards, from the very definitions
 * the components register (pipelineDashboardBody, serviceDashboardJson) with a stack file's settings, to
 * docs/dashboards.svg (the README's picture). It draws panels, titles, what each plots and the threshold lines at
 * their values; no data (there is none offline). tests/dashboards/picture.spec.ts fails when the committed picture
 * is not what this draws now.
 */
import { pipelineDashboardBody, MetricWidget } from "../../components/aws/dashboardBody";
import { serviceDashboardJson, XyChartWidget } from "../../components/gcp/dashboardJson";
import { LINE_COLOURS } from "../../components/dashboardTargets";
import { parseStackSettings } from "../../config/parse";
import { readStackFile } from "../../config/stackFile";
import { PICTURE_STACK } from "./pictureFile";

interface Panel {
    x: number;
    y: number;
    width: number;
    height: number;
    title: string;
    plots: string[];
    lines: { label: string; value: number; color: string }[];
    text?: string;
}

const WIDTH = 960;
const ROW = 34;
/** Cloud Monitoring draws every threshold line of a line chart alike (no colour is allowed there): grey, labelled. */
const GCP_LINE_COLOUR = "#7f7f7f";

/** Both dashboards of a stack as the components would register them (names are placeholders for the generated ones). */
export function dashboardsOf(stack: string) {
    const { config, secretKeys } = readStackFile(stack);
    const settings = parseStackSettings({ values: config, secretKeys: new Set(secretKeys) }, stack);
    const aws = pipelineDashboardBody({
        region: settings.providers["aws:region"],
        functions: [
            { label: "api", functionName: "<api function>", http: true, reservedConcurrency: settings.aws.reservedConcurrency },
            { label: "worker", functionName: "<worker function>", http: false },
        ],
        stateMachineArn: "<state machine>",
        healthCheckArn: "<health check>",
        errorRatePercent: settings.aws.alarms.errorRatePercent,
        p95DurationMs: settings.aws.alarms.p95DurationMs,
        utilizationPercent: settings.release.maxUtilizationPercent,
    });
    const gcp = serviceDashboardJson({
        displayName: `multicloud-service (${stack}): Cloud Run <service>`,
        serviceName: "<service>",
        errorRatePercent: settings.gcp.alerts.errorRatePercent,
        p95LatencyMs: settings.gcp.alerts.p95LatencyMs,
        utilizationPercent: settings.release.maxUtilizationPercent,
        maxInstances: settings.gcp.maxInstances,
    });
    return { aws, gcp };
}

export function renderPicture(stack = PICTURE_STACK): string {
    const { aws, gcp } = dashboardsOf(stack);
    const awsUnit = WIDTH / 24;
    const awsPanels: Panel[] = aws.widgets.map((w) => ({
        x: w.x * awsUnit,
        y: w.y * ROW,
        width: w.width * awsUnit,
        height: w.height * ROW,
        ...(w.type === "text"
            ? { title: "", plots: [], lines: [], text: w.properties.markdown }
            : { title: w.properties.title, plots: awsPlots(w), lines: w.properties.annotations?.horizontal ?? [] }),
    }));
    const gcpUnit = WIDTH / gcp.mosaicLayout.columns;
    const gcpRow = ROW / 2.4;
    const gcpPanels: Panel[] = gcp.mosaicLayout.tiles.map((t) => ({
        x: (t.xPos ?? 0) * gcpUnit,
        y: (t.yPos ?? 0) * gcpRow,
        width: t.width * gcpUnit,
        height: t.height * gcpRow,
        ...("text" in t.widget
            ? { title: "", plots: [], lines: [], text: t.widget.text.content }
            : { title: t.widget.title, plots: gcpPlots(t.widget), lines: (t.widget.xyChart.thresholds ?? []).map((l) => ({ label: l.label, value: l.value ?? 0, color: GCP_LINE_COLOUR })) }),
    }));
    const awsHeight = Math.max(...awsPanels.map((p) => p.y + p.height));
    const gcpHeight = Math.max(...gcpPanels.map((p) => p.y + p.height));
    const awsTop = 40;
    const gcpTop = awsTop + awsHeight + 60;
    const height = gcpTop + gcpHeight + 20;
    return [
        `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH + 40}" height="${height}" viewBox="0 0 ${WIDTH + 40} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="11">`,
        `<rect width="100%" height="100%" fill="#ffffff"/>`,
        heading(20, awsTop - 14, `CloudWatch dashboard multicloud-service-${stack} (aws:cloudwatch/dashboard:Dashboard), settings of Pulumi.${stack}.yaml`),
        ...awsPanels.map((p) => panel(p, 20, awsTop)),
        heading(20, gcpTop - 14, `Cloud Monitoring dashboard (gcp:monitoring/dashboard:Dashboard), settings of Pulumi.${stack}.yaml`),
        ...gcpPanels.map((p) => panel(p, 20, gcpTop)),
        "</svg>",
        "",
    ].join("\n");
}

function awsPlots(w: MetricWidget): string[] {
    return w.properties.metrics
        .filter((row) => !(typeof row[row.length - 1] === "object" && (row[row.length - 1] as { visible?: boolean }).visible === false))
        .map((row) => {
            const last = row[row.length - 1] as Record<string, string>;
            if (row.length === 1) return `${last.label}: ${last.expression}`;
            return `${row[0]} ${row[1]} ${last.stat}`;
        });
}

function gcpPlots(w: XyChartWidget): string[] {
    return w.xyChart.dataSets.map((d) => {
        const q = d.timeSeriesQuery;
        const metricOf = (filter: string) => /metric\.type = "run\.googleapis\.com\/([^"]+)"/.exec(filter)?.[1];
        const how = (a: { perSeriesAligner: string; crossSeriesReducer: string }) => `${a.perSeriesAligner}, ${a.crossSeriesReducer}`;
        if ("timeSeriesFilterRatio" in q) return `${metricOf(q.timeSeriesFilterRatio.numerator.filter)} 5xx / all, ${how(q.timeSeriesFilterRatio.numerator.aggregation)}`;
        return `${metricOf(q.timeSeriesFilter.filter)} ${how(q.timeSeriesFilter.aggregation)}`;
    });
}

function heading(x: number, y: number, text: string): string {
    return `<text x="${x}" y="${y}" font-size="14" font-weight="bold">${escape(text)}</text>`;
}

/** One panel: a frame, its title, what it plots, and its lines on an axis from 0 to a quarter above the highest. */
function panel(p: Panel, left: number, top: number): string {
    const x = left + p.x + 3;
    const y = top + p.y + 3;
    const w = p.width - 6;
    const h = p.height - 6;
    const parts = [`<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="4" fill="#fafafa" stroke="#bbbbbb"/>`];
    if (p.text !== undefined) {
        parts.push(...wrap(p.text, Math.floor(w / 6)).map((line, i) => `<text x="${x + 8}" y="${y + 16 + i * 14}" fill="#333333">${escape(line)}</text>`));
        return parts.join("\n");
    }
    parts.push(`<text x="${x + 8}" y="${y + 16}" font-weight="bold">${escape(p.title)}</text>`);
    const fits = Math.floor((w - 16) / 4.6);
    p.plots.forEach((plot, i) => parts.push(`<text x="${x + 8}" y="${y + 30 + i * 12}" fill="#555555" font-size="9">${escape(plot.length > fits ? `${plot.slice(0, fits - 1)}…` : plot)}</text>`));
    const plotTop = y + 34 + p.plots.length * 12;
    const plotBottom = y + h - 10;
    const max = p.lines.length ? Math.max(...p.lines.map((l) => l.value)) * 1.25 : 1;
    parts.push(`<line x1="${x + 8}" y1="${plotBottom}" x2="${x + w - 8}" y2="${plotBottom}" stroke="#999999"/>`, `<text x="${x + w - 10}" y="${plotBottom - 2}" text-anchor="end" fill="#999999" font-size="9">0</text>`);
    for (const line of p.lines) {
        const ly = plotBottom - ((plotBottom - plotTop) * line.value) / max;
        parts.push(
            `<line x1="${x + 8}" y1="${ly.toFixed(1)}" x2="${x + w - 8}" y2="${ly.toFixed(1)}" stroke="${line.color}" stroke-width="1.5" stroke-dasharray="6 3"/>`,
            `<text x="${x + 10}" y="${(ly - 2).toFixed(1)}" fill="${line.color}" font-size="9">${escape(`${line.label} (${line.value})`)}</text>`,
        );
    }
    return parts.join("\n");
}

function wrap(text: string, width: number): string[] {
    const lines: string[] = [];
    let current = "";
    for (const word of text.split(" ")) {
        if (current && current.length + word.length + 1 > width) {
            lines.push(current);
            current = word;
        } else current = current ? `${current} ${word}` : word;
    }
    return current ? [...lines, current] : lines;
}

function escape(text: string): string {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

