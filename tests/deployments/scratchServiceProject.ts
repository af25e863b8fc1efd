import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT, stackNames } from "../../config/stackFile";
import { scratchDir } from "../harness/tempDirs";

/**
 * A scratch copy of the service's project for deployments/ to run from: deployments/ reads the stack files beside the
 * service's Pulumi.yaml, above its own folder (stackTargets.ts SERVICE_ROOT), so a test that changes them runs a copy of
 * deployments/ (and of loader/, whose bundle of it goes under the copy's bin/) with copies of Pulumi.yaml and the
 * stack files, free to change; the rest is the repository's own (linked), and the committed files are left as they are.
 */
export function scratchServiceProject(name: string): string {
    const root = scratchDir(name);
    for (const linked of ["config", "components", "release", "policy", "node_modules", "package.json", "tsconfig.json"]) fs.symlinkSync(path.join(PROJECT_ROOT, linked), path.join(root, linked));
    for (const copied of ["deployments", "loader"]) fs.cpSync(path.join(PROJECT_ROOT, copied), path.join(root, copied), { recursive: true });
    for (const file of ["Pulumi.yaml", ".pulumi.version", ...stackNames().map((stack) => `Pulumi.${stack}.yaml`)]) fs.copyFileSync(path.join(PROJECT_ROOT, file), path.join(root, file));
    return root;
}
