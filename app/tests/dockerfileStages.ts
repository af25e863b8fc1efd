import { readFileSync } from "node:fs";
import * as path from "node:path";

export interface Stage {
    /** The FROM line's flags, e.g. `--platform=$BUILDPLATFORM`. */
    flags: string[];
    image: string;
    name?: string;
    /** The instructions after FROM (keyword upper-cased, continuation lines joined). */
    instructions: { keyword: string; args: string }[];
}

export const DOCKERFILE = path.join(__dirname, "..", "Dockerfile");

/** The Dockerfile's stages in order: enough parsing for what the tests check (comments and line continuations). */
export function dockerfileStages(text = readFileSync(DOCKERFILE, "utf8")): Stage[] {
    const lines = text
        .replace(/\\\r?\n/g, " ")
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith("#"));
    const stages: Stage[] = [];
    for (const line of lines) {
        const [keyword, ...rest] = line.split(/\s+/);
        const upper = keyword.toUpperCase();
        if (upper === "FROM") {
            const flags = rest.filter((w) => w.startsWith("--"));
            const [image, as, name] = rest.filter((w) => !w.startsWith("--"));
            stages.push({ flags, image, name: as?.toUpperCase() === "AS" ? name : undefined, instructions: [] });
        } else if (stages.length > 0) {
            stages[stages.length - 1].instructions.push({ keyword: upper, args: rest.join(" ") });
        } else if (upper !== "ARG") {
            throw new Error(`instruction before the first FROM: ${line}`);
        }
    }
    return stages;
}
