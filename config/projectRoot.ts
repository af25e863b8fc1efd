import * as fs from "fs";
import * as path from "path";

/**
 * The folder holding Pulumi.yaml. Found by walking up rather than from a fixed depth because the same code runs
 * from its sources and bundled under bin/ (see program.js).
 */
export function projectRoot(from: string = __dirname): string {
    for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
        if (path.dirname(dir) === dir) throw new Error(`no Pulumi.yaml in ${from} or any folder above it`);
    }
}
