import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "./projectRoot";
import { stackNameProblem } from "./stackReference";

// Apart from config/stackFile.ts, whose reading of a stack file loads yaml (about 55 ms): a tool's --help and usage
// errors name the stacks and their files, and read none.

export const PROJECT_ROOT = projectRoot();

export function stackFilePath(stack: string, root = PROJECT_ROOT): string {
    return path.join(root, `Pulumi.${stack}.yaml`);
}

/** The stacks that have a stack file (`Pulumi.<stack>.yaml`) in `root`. */
export function stackNames(root = PROJECT_ROOT): string[] {
    return fs.readdirSync(root).filter((f) => /^Pulumi\..+\.yaml$/.test(f)).map((f) => f.slice(7, -5));
}

/** `Pulumi.<stack>.yaml`'s path, or an error naming the stacks that are here when the name or the file is wrong. */
export function existingStackFile(stack: string, root = PROJECT_ROOT): string {
    const file = stackFilePath(stack, root);
    const problem = stackNameProblem(stack);
    if (problem) throw new Error(`${JSON.stringify(stack)} is not a stack name: ${problem}`);
    if (!fs.existsSync(file)) {
        throw new Error(`no stack file ${path.basename(file)}; stacks here: ${stackNames(root).join(", ") || "none"}`);
    }
    return file;
}
