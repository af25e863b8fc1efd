import { RecordedResource } from "../offline/mockCloud";
import { maskSecrets } from "../offline/registeredInputs";
import { ProgramRun } from "../offline/runProgram";
import { inTreeOrder } from "./treeOrder";

/** How two stacks differ: resources only in one, and the inputs that differ in resources both have. */
export function renderDiff(left: ProgramRun, right: ProgramRun): string {
    const key = (r: RecordedResource) => `${r.type}  ${r.name}`;
    const leftByKey = new Map(inTreeOrder(left.cloud.resources).map(({ resource: r }) => [key(r), r]));
    const rightByKey = new Map(inTreeOrder(right.cloud.resources).map(({ resource: r }) => [key(r), r]));
    const lines = [`Offline diff: stack "${left.stack}" (-) vs stack "${right.stack}" (+)`, ""];
    let changed = 0;
    for (const [k, l] of leftByKey) {
        const r = rightByKey.get(k);
        if (!r) {
            lines.push(`- ${k}`);
            changed++;
            continue;
        }
        const differences = diffValues(flatten(maskSecrets(l.inputs)), flatten(maskSecrets(r.inputs)));
        if (differences.length > 0) {
            lines.push(`~ ${k}`, ...differences.map((d) => `    ${d}`));
            changed++;
        }
    }
    for (const [k] of rightByKey) {
        if (!leftByKey.has(k)) {
            lines.push(`+ ${k}`);
            changed++;
        }
    }
    lines.push("", `${changed} of ${new Set([...leftByKey.keys(), ...rightByKey.keys()]).size} resources differ.`);
    return lines.join("\n");
}

function diffValues(left: Map<string, string>, right: Map<string, string>): string[] {
    const paths = [...new Set([...left.keys(), ...right.keys()])].sort();
    return paths
        .filter((p) => left.get(p) !== right.get(p))
        .map((p) => `${p}: ${left.get(p) ?? "(unset)"} -> ${right.get(p) ?? "(unset)"}`);
}

/** `a.b[0].c` paths to JSON scalars; JSON strings inside inputs (policies, definitions) are opened too. */
function flatten(value: unknown, prefix = "", into = new Map<string, string>()): Map<string, string> {
    if (typeof value === "string" && /^\s*[{[]/.test(value)) {
        try {
            return flatten(JSON.parse(value), prefix, into);
        } catch {
            // not JSON after all: compare it as a string
        }
    }
    if (Array.isArray(value)) {
        value.forEach((v, i) => flatten(v, `${prefix}[${i}]`, into));
    } else if (value !== null && typeof value === "object") {
        for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, into);
    } else {
        into.set(prefix, JSON.stringify(value));
    }
    return into;
}
