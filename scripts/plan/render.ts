import { RecordedResource } from "../offline/mockCloud";
import { maskSecrets } from "../offline/registeredInputs";
import { artifactRegistryPath } from "../../components/gcp/imageNames";
import { ProgramRun } from "../offline/runProgram";
import { summarize } from "./summaries";
import { renderFixedNames } from "./fixedNames";
import { inTreeOrder } from "./treeOrder";

/** The resource tree, one resource a line, children indented under their parent. */
export function renderTree(resources: RecordedResource[]): string[] {
    return inTreeOrder(resources).map(({ resource: r, depth }) => {
        const summary = summarize(r.type, maskSecrets(r.inputs) as Record<string, any>);
        return `${"  ".repeat(depth)}+ ${r.type}  ${r.name}${summary ? `  (${summary})` : ""}`;
    });
}

/** Resource counts per type, most first, and the total. */
export function renderCounts(resources: RecordedResource[]): string[] {
    const counts = new Map<string, number>();
    for (const r of resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    const rows = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const width = Math.max(...rows.map(([type]) => type.length));
    const custom = resources.filter((r) => r.custom).length;
    return [
        ...rows.map(([type, n]) => `  ${type.padEnd(width)}  ${String(n).padStart(3)}`),
        `  ${"total".padEnd(width)}  ${String(resources.length).padStart(3)}  (${custom} cloud resources, ${resources.length - custom} components)`,
    ];
}

export function renderOutputs(run: ProgramRun): string[] {
    const keys = Object.keys(run.outputs).sort();
    const width = Math.max(0, ...keys.map((k) => k.length));
    return keys.map((k) => `  ${k.padEnd(width)}  ${run.secretOutputs.includes(k) ? "[secret]" : JSON.stringify(run.outputs[k])}`);
}

/** What each cloud runs and where the image comes from: built by the image workflow, or promoted by digest. */
export function renderImages(run: ProgramRun): string[] {
    const { promoteFrom, registriesOf } = JSON.parse(run.config["multicloud-service:image"] ?? "{}") as { promoteFrom?: string; registriesOf?: string };
    const source = promoteFrom
        ? `promoted from ${promoteFrom} by digest (npm run image -- promote ${promoteFrom} ${run.stack}, in deploy-prod.yml)`
        : registriesOf
          ? `${registriesOf}'s, built by .github/workflows/image.yml on a push to main (or npm run image -- build ${registriesOf}); ${run.stack} has no registry of its own`
          : `built by .github/workflows/image.yml on a push to main (or npm run image -- build ${run.stack})`;
    const { ecr, ar } = run.cloud.imageLookups();
    const rows = [
        ecr && ["aws", `ECR ${ecr.repositoryName}:${ecr.tag}`, run.outputs["aws.imageDigest"]],
        ar && ["gcp", `Artifact Registry ${artifactRegistryPath({ region: ar.location, project: ar.project, repositoryId: ar.repositoryId })}/${ar.packageName}:${ar.tag}`, run.outputs["gcp.imageDigest"]],
    ].filter((row): row is [string, string, unknown] => Boolean(row));
    if (rows.length === 0) return ["  prebuilt images only (aws.image / gcp.image): nothing is looked up"];
    return [...rows.map(([cloud, where, digest]) => `  ${cloud}  ${where}  ${digest ?? "(not pushed yet)"}`), `  ${source}; pulumi up never builds`];
}

/** A plan's report: the heading, the resource tree and counts, then each named section of lines. */
export function renderReport(heading: string, resources: RecordedResource[], sections: [title: string, lines: string[]][]): string {
    const blocks: [string, string[]][] = [["Resources", renderTree(resources)], ["Counts", renderCounts(resources)], ...sections];
    return [heading, ...blocks.flatMap(([title, lines]) => ["", `${title}:`, ...lines])].join("\n");
}

export function renderPlan(run: ProgramRun): string {
    return renderReport(`Offline plan of stack "${run.stack}" (Pulumi mocks: no cloud account, nothing is created)`, run.cloud.resources, [
        ["Images", renderImages(run)],
        ["Names already taken fail the first up", renderFixedNames(run.cloud.resources)],
        ["Outputs", renderOutputs(run)],
    ]);
}
