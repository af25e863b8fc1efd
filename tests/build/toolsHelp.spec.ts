import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { promisify } from "util";
import { PROJECT_ROOT, stackNames } from "../../config/stackFile";
import { regExpText } from "../harness/regExpText";
import { sharedPerArgs } from "../harness/shared";
import { usageProblem } from "../../scripts/image/arguments";

const run = promisify(execFile);

/** Each `npm run` tool as npm starts it (package.json scripts: run.js and the entry), by its script name. */
const TOOLS: Record<string, string> = {
    plan: "scripts/plan/main.ts",
    "plan:deployments": "scripts/plan/deployments.ts",
    "dashboards:picture": "scripts/dashboards/main.ts",
    bench: "scripts/bench/main.ts",
    image: "scripts/image/main.ts",
    release: "release/cli.ts",
    review: "review/cli.ts",
    prices: "review/prices/main.ts",
    schema: "multicloud/schema.ts",
    "actions:record": "scripts/workflows/recordActionInterfaces.ts",
};

interface Answer {
    code: number;
    stdout: string;
    stderr: string;
}

async function tool(name: string, ...args: string[]): Promise<Answer> {
    try {
        const { stdout, stderr } = await run(process.execPath, ["scripts/build/run.js", TOOLS[name], ...args], { cwd: PROJECT_ROOT });
        return { code: 0, stdout, stderr };
    } catch (err) {
        const failed = err as { code: number; stdout: string; stderr: string };
        return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
}

/**
 * A tool's `--help`, run once per tool in this file: it reads no stack and writes nothing, so every test that needs a
 * tool's usage gets the same answer from the same real process (the first test checks each answer in full).
 */
const help = sharedPerArgs((name: string) => tool(name, "--help"));

/** What a platform engineer new to the project tries first, and the typos that follow. */
describe("every tool answers --help with its usage, and a wrong argument with exit 2 before doing anything", function () {
    this.timeout(90_000);
    const picture = path.join(PROJECT_ROOT, "docs", "dashboards.svg");

    it(Object.keys(TOOLS).join(", "), async () => {
        const names = Object.keys(TOOLS);
        const answers = await Promise.all(names.map((name) => help(name)));
        answers.forEach(({ code, stdout }, i) => {
            assert.strictEqual(code, 0, `${names[i]} --help: exit ${code}`);
            // image prints JSON for scripts to read, so its usage says to run it --silent.
            // A tool that takes no arguments (actions:record) shows none.
            assert.ok(new RegExp(`^usage: npm run ${names[i] === "image" ? "--silent image" : names[i]}( --|\n)`).test(stdout), `${names[i]}: ${stdout}`);
        });
    });

    // -h is --help's short form for every tool (scripts/build/usage.ts), not an unknown option or a stack "-h".
    it("-h answers as --help does", async () => {
        const names = Object.keys(TOOLS);
        const [short, long] = await Promise.all([Promise.all(names.map((name) => tool(name, "-h"))), Promise.all(names.map((name) => help(name)))]);
        assert.deepStrictEqual(short.map((answer, i) => [names[i], answer]), long.map((answer, i) => [names[i], answer]));
    });

    // The order of node:util parseArgs (strict), which throws ERR_PARSE_ARGS_UNKNOWN_OPTION for an option it was not
    // told of wherever it stands, before the tool reads its help flag; which stack, how many and what goes together are
    // the tool's own checks after that. Before: every tool but plan printed its usage and exited 0 for `-h --bogus`,
    // and plan alone refused `dev prod -h` and `dev --json --cost -h` instead of printing its usage.
    // After other arguments too: release, review and prices read their options one by one, and a parser whose words
    // for one there were not unknownOption's would print the usage for `-h` beside it (untried before).
    it("an unknown option is named beside -h, in either place, exit 2; -h answers before any other problem", async () => {
        const calls: [string, string[]][] = [
            ...Object.keys(TOOLS).map((name): [string, string[]] => [name, ["-h", "--bogus"]]),
            ["plan", ["dev", "--bogus", "-h"]],
            ["release", ["prod", "--bogus", "-h"]],
            ["review", ["comment", "dev", "--bogus", "-h"]],
            ["prices", ["--dry-run", "--bogus", "-h"]],
        ];
        const answers = await Promise.all(calls.map(([name, args]) => tool(name, ...args)));
        const usages = await Promise.all(calls.map(([name]) => help(name)));
        assert.deepStrictEqual(
            answers.map(({ code, stdout, stderr }, i) => [calls[i].flat().join(" "), code, stdout, stderr]),
            calls.map((call, i) => [call.flat().join(" "), 2, "", `${call[0]}: unknown option --bogus\n${usages[i].stdout}`]),
        );
        const planUsage = (await help("plan")).stdout;
        for (const args of [["dev", "prod", "-h"], ["dev", "--json", "--cost", "--help"]]) {
            const { code, stdout, stderr } = await tool("plan", ...args);
            assert.deepStrictEqual([code, stdout, stderr], [0, planUsage, ""], args.join(" "));
        }
    });

    // Before: plan:deployments and dashboards:picture took the flag for a stack (file) and died with a stack trace;
    // bench ignored it and started its 12-minute run (a typo of --quick ran the whole npm test as well).
    for (const [name, wrong] of [
        ["plan:deployments", "--json"],
        ["dashboards:picture", "--json"],
        ["bench", "--quik"],
        ["schema", "--chek"],
        ["actions:record", "--dry-run"],
    ]) {
        it(`${name} ${wrong}: exit 2, naming the option, with the usage`, async () => {
            const before = fs.statSync(picture).mtimeMs;
            const { code, stdout, stderr } = await tool(name, wrong);
            assert.strictEqual(code, 2, stderr);
            assert.strictEqual(stderr, `${name}: unknown option ${wrong}\n${(await help(name)).stdout}`);
            assert.strictEqual(stdout, "", "nothing started");
            assert.strictEqual(fs.statSync(picture).mtimeMs, before, "docs/dashboards.svg untouched");
        });
    }

    // npm passes what follows the script's name to it (`npm run schema check`, the dashes forgotten). Before: only
    // options were tried; with the check of a positional argument dropped, schema rewrote multicloud/schema.json and
    // actions:record went to GitHub (bench, which reads the same check, started its 12-minute run: not tried here).
    for (const [name, wrong] of [
        ["schema", "check"],
        ["actions:record", "now"],
    ]) {
        it(`${name} ${wrong}, a tool that takes no argument: exit 2, naming it, with the usage`, async () => {
            const { code, stdout, stderr } = await tool(name, wrong);
            assert.deepStrictEqual([code, stdout, stderr], [2, "", `${name}: unknown argument ${wrong}\n${(await help(name)).stdout}`]);
        });
    }

    // Before: a second stack, or a subcommand after the stack, was dropped (exit 0, dev's lines printed); a subcommand
    // without its stacks was read as a stack ("no stack file Pulumi.build.yaml"); any other mistake printed the bare usage.
    it("image: a second stack, a subcommand out of place or without its stacks, an unknown option: exit 2 naming it", async () => {
        const usage = (await help("image")).stdout;
        for (const [args, problem] of [
            [["dev", "prod"], "one stack at a time (got dev, prod)"],
            [["dev", "build"], "build comes first: npm run image -- build dev"],
            [["dev", "provenance"], "provenance takes no stack: npm run --silent image -- provenance"],
            [["promote", "dev", "prod", "extra"], "unexpected extra after promote dev prod"],
            [["build"], "build needs one stack: npm run image -- build <stack> (got none)"],
            [["promote", "dev"], "promote needs the stack to promote from and the stack to promote to: npm run image -- promote <from> <to>"],
            [["promote", "dev", "prod", "--runing", "x.json"], "unknown option --runing (promote takes --running <file>)"],
            [["dev", "--bogus"], "unknown option --bogus"],
            [["dev", "--json", "--missing"], "one of --json, --missing, --present at a time (got --json, --missing)"],
        ] as const) {
            const { code, stdout, stderr } = await tool("image", ...args);
            assert.deepStrictEqual([code, stdout, stderr], [2, "", `image: ${problem}\n${usage}`], args.join(" "));
        }
    });

    // Pulumi.prod.yaml's image.promoteFrom: prod runs dev's images, copied by digest, never a build of its own.
    it("image build for a stack whose images are promoted: exit 1 naming the promotion to run instead, nothing built", async () => {
        const { code, stdout, stderr } = await tool("image", "build", "prod");
        assert.deepStrictEqual([code, stdout, stderr], [1, "", "prod runs images promoted from dev (image.promoteFrom): nothing is built for it; run `npm run image -- promote dev prod`\n"]);
    });

    // Pulumi.prod.yaml promotes from dev only: a promotion from another stack (review runs any pull request's
    // checkout) is refused before any registry or stack output is read.
    it("image promote from a stack the destination does not promote from: exit 1 naming its image.promoteFrom", async () => {
        const { code, stdout, stderr } = await tool("image", "promote", "review", "prod");
        assert.deepStrictEqual([code, stdout, stderr], [1, "", "prod does not promote from review: its image.promoteFrom is dev\n"]);
    });

    it("image promote --running followed by an option, not a file: named as a missing file", () => {
        assert.strictEqual(usageProblem(["promote", "dev", "prod", "--running", "--json"]), "--running needs a file: dev's `pulumi stack output --json`");
    });

    // Before: `npm run image -- provenance ""` (an unset variable) answered "provenance takes no arguments (got )".
    it("image provenance with an empty or padded argument shows it quoted, as the other refusals do (shownArgument)", () => {
        assert.strictEqual(usageProblem(["provenance", ""]), 'provenance takes no arguments (got "")');
        assert.strictEqual(usageProblem(["provenance", " dev", "prod"]), 'provenance takes no arguments (got " dev" prod)');
    });

    it("a stack file or stack that is not there: exit 1 and one line naming it, no stack trace, nothing written", async () => {
        const before = fs.statSync(picture).mtimeMs;
        const missingFile = path.join(PROJECT_ROOT, "deployments", "Pulumi.nowhere.yaml");
        const plan = await tool("plan:deployments", missingFile);
        assert.deepStrictEqual([plan.code, plan.stderr], [1, `plan:deployments: no stack file at ${missingFile}\n`]);
        const drawn = await tool("dashboards:picture", "nowhere");
        assert.strictEqual(drawn.code, 1);
        // The stacks of this checkout: a stack added as README's "Adding an environment" says is listed too.
        assert.match(drawn.stderr, new RegExp(`^dashboards:picture: no stack file Pulumi\\.nowhere\\.yaml; stacks here: ${regExpText(stackNames().join(", "))}\n$`));
        assert.strictEqual(fs.statSync(picture).mtimeMs, before, "docs/dashboards.svg untouched");
    });
});
