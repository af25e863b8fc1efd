import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/stackFile";

/**
 * The project's files that change what `pulumi up` does: program.js and the project files it loads, every input
 * of the program's bundle, the project and package files. For checking path filters that decide when to preview
 * or deploy.
 */
export function filesShapingTheDeployment(): string[] {
    const entry = path.join(PROJECT_ROOT, "program.js");
    require(entry);
    return [...projectFilesLoadedBy(require.cache[entry]!), ...Object.keys(programBundleInputs()), "Pulumi.yaml", "package.json", "package-lock.json"];
}

/** What bin/index.js (the bundle program.js builds) was made from: each input's sha256 by its path. */
export function programBundleInputs(): Record<string, string> {
    return JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "bin", "index.js.inputs.json"), "utf8")).inputs;
}

function projectFilesLoadedBy(root: NodeJS.Module): string[] {
    const seen = new Set<string>();
    const visit = (m: NodeJS.Module) => {
        const inProject = m.filename.startsWith(PROJECT_ROOT) && !m.filename.includes("node_modules") && !m.filename.startsWith(path.join(PROJECT_ROOT, "bin"));
        if (seen.has(m.filename) || !inProject) return;
        seen.add(m.filename);
        m.children.forEach(visit);
    };
    visit(root);
    return [...seen].map((f) => path.relative(PROJECT_ROOT, f));
}
