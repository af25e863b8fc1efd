/**
 * `npm run actions:record`: writes .github/action-interfaces.json from the action.yml of each commit the workflows
 * pin (actionInterfaces.ts). Run it after Dependabot or a person moves a pin, and read the file's diff: it is what the
 * new release changed in what the workflows may pass and read. Needs github.com.
 */
import { PROJECT_ROOT } from "../../config/stackFile";
import { answeredArguments } from "../build/usage";
import { exitWhenFlushed } from "../build/exitWhenFlushed";
import { GITHUB, recordActionInterfaces } from "./actionInterfaces";
import { INTERFACES_FILE } from "./pinnedActions";

const USAGE = [
    "usage: npm run actions:record",
    `  reads the action.yml of each action the workflows pin, at its commit, from GitHub, and writes ${INTERFACES_FILE}`,
].join("\n");

async function main(argv: string[]): Promise<number> {
    const answered = answeredArguments("actions:record", argv, USAGE, {});
    if (answered !== undefined) return answered;
    const problems = await recordActionInterfaces(PROJECT_ROOT, GITHUB, (line) => console.log(line));
    if (problems.length === 0) return 0;
    console.error(`actions:record: ${INTERFACES_FILE} left as it was:\n${problems.map((p) => `  ${p}`).join("\n")}`);
    return 1;
}

main(process.argv.slice(2)).then(exitWhenFlushed, (err) => {
    console.error(`actions:record: ${err instanceof Error ? err.message : err}`);
    exitWhenFlushed(1);
});
