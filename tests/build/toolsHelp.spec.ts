import * as assert from "assert";
import { execFile } from "child_process";
import { promisify } from "util";
import { PROJECT_ROOT } from "../../config/stackFile";

const run = promisify(execFile);

/** What a platform engineer new to the project tries first: each `npm run` tool's `--help`, as npm starts it (run.js). */
describe("every tool answers --help with its usage and exit 0", function () {
    this.timeout(60_000);
    const tools: [string, string][] = [
        ["scripts/plan/main.ts", "plan"],
        ["scripts/image/main.ts", "--silent image"],
        ["release/cli.ts", "release"],
        ["review/cli.ts", "review"],
        ["review/prices/main.ts", "prices"],
    ];
    it(tools.map(([, name]) => name.replace("--silent ", "")).join(", "), async () => {
        const answers = await Promise.all(tools.map(([entry]) => run(process.execPath, ["scripts/build/run.js", entry, "--help"], { cwd: PROJECT_ROOT })));
        answers.forEach(({ stdout }, i) => assert.ok(stdout.startsWith(`usage: npm run ${tools[i][1]} --`), `${tools[i][0]}: ${stdout}`));
    });
});
