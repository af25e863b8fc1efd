import * as assert from "assert";
import * as fc from "fast-check";
import * as path from "path";
import { PROJECT_ROOT, readStackFile, readStackFileAt } from "../../config/stackFile";
import { parseArgs as planArgs } from "../../scripts/plan/arguments";
import { usageProblem as imageProblem } from "../../scripts/image/arguments";
import { deploymentsArgumentProblem } from "../../scripts/plan/deploymentsArguments";
import { argumentProblem, shownArgument } from "../../scripts/build/usage";
import { parseArgs as releaseArgs } from "../../release/arguments";
import { readScenario } from "../../release/scenario";
import { shortStackName } from "../../release/stack/stackAccess";
import { parseArgs as reviewArgs } from "../../review/arguments";
import { parsePricesArgs } from "../../review/prices/args";
import { binaryText } from "../harness/binaryText";

/**
 * Hostile command lines at the outermost layer a user controls, each tool's argv, in-process: a refusal is the tool's
 * own Error naming what was wrong (an argument, or the one that is missing), never a TypeError/RangeError/SyntaxError.
 * What an accepted command line hands on first (the stack's file, --file, --simulate's scenario) is read too, as the
 * tool would: its refusal must name the value. A real argv holds no NUL byte (C strings), so none is generated.
 */
const RUNS = 200;

const OPTIONS = ["--json", "--cost", "--vs", "--file", "--simulate", "--policy-pack", "--policy-pack-config", "--preview", "--events", "--base", "--run-url", "--commit", "--summary", "--missing", "--present", "--running", "--aws-region", "--gcp-region", "--dry-run", "--quick"];
const WORDS = ["comment", "build", "promote", "provenance", "dev", "prod", "review", "org/prod", "/prod", "org/", "a/b/c", "../dev", "Pulumi.dev.yaml", " dev", "dev\n", ".", "..", "__proto__", "constructor", "toString", "abcdef1"];
const PATHS = ["package.json", "Pulumi.dev.yaml", "deployments/Pulumi.main.yaml", "release/scenarios/healthy.json", "release/scenarios", "/dev/null", "package.json/x", "no-such-file", "b".repeat(300), "x".repeat(5000)];

/** One argument: an option (or its `--opt=value` form), a dash, a word, a path, or any short text. */
const argument = fc.oneof(
    fc.constantFrom(...OPTIONS),
    fc.constantFrom(...OPTIONS).map((o) => `${o}=dev`),
    fc.constantFrom("", "-", "--", "---", "-x", "-h", "--json ", "-x\n", "é", "👍"),
    fc.constantFrom(...WORDS),
    fc.constantFrom(...PATHS),
    binaryText({ maxLength: 8 }).filter((s) => !s.includes("\u0000")),
);

/** A stack as an unset or carelessly quoted variable gives it: what a refusal must show quoted. */
const padded = fc.constantFrom("", " dev", "dev\n");

/** An option with a value after it, as the options that take one are given: a word, a path or nothing. */
const optionWithValue = fc.tuple(fc.constantFrom(...OPTIONS), fc.oneof(fc.constantFrom(...WORDS), fc.constantFrom(...PATHS), fc.constant("")));

/** A command line that starts as the tool's own often does, so that the checks past the first word are reached. */
const commandLine = (...starts: (string[] | fc.Arbitrary<string[]>)[]) =>
    fc
        .tuple(fc.oneof(fc.constant([]), ...starts.map((start) => (Array.isArray(start) ? fc.constant(start) : start))), fc.array(fc.oneof(argument.map((a) => [a]), optionWithValue), { maxLength: 4 }))
        .map(([start, rest]) => [...start, ...rest.flat()]);

/** `start` followed by each of PATHS: a file or folder option's values, reached past the checks before them. */
const withPath = (...start: string[]) => fc.constantFrom(...PATHS).map((value) => [...start, value]);

/** How a refusal may show an argument: as shownArgument shows it (quoted when empty, padded or multi-line), always quoted, or as a path resolved. */
const shownForms = (arg: string) => [shownArgument(arg), JSON.stringify(arg), shownArgument(path.resolve(arg))];

/** Where an empty or space-padded argument was printed raw: "(got )", "unexpected  after", "promote  dev". */
const RAW_BLANK = /\bgot \)|\S {2,}\S/;

/**
 * The refusal's words name one of the arguments in a shown form, or what is missing; and show none raw: no gap where a
 * blank or padded one went, no argument holding a line break or other control character outside its shown forms.
 */
function assertNamed(tool: string, argv: readonly string[], message: string, missing: RegExp) {
    const named = argv.some((arg) => shownForms(arg).some((form) => message.includes(form))) || missing.test(message);
    assert.ok(named, `${tool} ${JSON.stringify(argv)}: "${message}" names no argument`);
    // An argument that holds two spaces itself (shown bare) is no gap.
    const withoutSpacedArguments = argv.flatMap(shownForms).filter((form) => RAW_BLANK.test(form)).reduce((rest, form) => rest.split(form).join("<arg>"), message);
    assert.doesNotMatch(withoutSpacedArguments, RAW_BLANK, `${tool} ${JSON.stringify(argv)}: a blank or padded argument shown raw, not as shownArgument shows it`);
    const outsideShownForms = (arg: string) => shownForms(arg).reduce((rest, form) => rest.split(form).join(""), message);
    const raw = argv.find((arg) => /[\u0000-\u001f\u007f]/.test(arg) && outsideShownForms(arg).includes(arg));
    assert.strictEqual(raw, undefined, `${tool} ${JSON.stringify(argv)}: ${JSON.stringify(message)} shows ${JSON.stringify(raw)} raw, not as shownArgument shows it`);
    // The file system's own words ("ENAMETOOLONG: name too long, stat '…'") name a path but not the option it was given to.
    assert.doesNotMatch(message, /^E[A-Z]{2,}: /, `${tool} ${JSON.stringify(argv)}: the file system's words, naming no option`);
}

/** Runs `tool`'s layer on each command line: accepted, or refused with the tool's own Error, never a bare crash. */
function refusesClearly(tool: string, line: fc.Arbitrary<string[]>, missing: RegExp, layer: (argv: string[]) => string | undefined) {
    it(`${tool}: ${RUNS} hostile command lines are accepted or refused by name, never a TypeError`, () => {
        fc.assert(
            fc.property(line, (argv) => {
                let message: string | undefined;
                try {
                    message = layer(argv);
                } catch (err) {
                    assert.ok(err instanceof Error && !(err instanceof TypeError || err instanceof RangeError || err instanceof SyntaxError), `${tool} ${JSON.stringify(argv)} crashed: ${String((err as Error)?.stack ?? err)}`);
                    message = err.message;
                }
                if (message !== undefined) assertNamed(tool, argv, message, missing);
            }),
            { numRuns: RUNS, seed: 18 },
        );
    });
}

describe("hostile command lines (property-based): every tool's refusal is its own, naming the argument", function () {
    this.timeout(60_000);

    refusesClearly("plan", commandLine(["dev"], withPath("dev", "--file"), ["prod", "--vs"]), /^--\w+ needs|^one stack/, (argv) => {
        const args = planArgs(argv);
        // What scripts/plan/commands.ts reads first: the file given, or the stack's own, then --vs's.
        if (args.file) readStackFileAt(args.file, PROJECT_ROOT, args.stack);
        else readStackFile(args.stack);
        if (args.vs) readStackFile(args.vs);
        return undefined;
    });

    refusesClearly("release", commandLine(["prod"], withPath("prod", "--simulate"), ["--policy-pack", "p", "prod"]), /^which stack\?|^--[\w-]+ (needs|must)|^each --policy-pack-config|^--simulate runs/, (argv) => {
        const args = releaseArgs(argv);
        // A rehearsal reads its scenario, then the stack's file (release/main.ts dependencies, release/simulation.ts).
        if (args.simulate) readScenario(args.simulate);
        if (args.simulate) readStackFile(shortStackName(args.stack));
        return undefined;
    });

    refusesClearly("review", commandLine(["comment", "dev"], ["comment", "dev", "--preview", "p.json"], withPath("comment", "review", "--preview", "p.json", "--base")), /^which (command|stack)\?|^--preview is required/, (argv) => {
        reviewArgs(argv);
        return undefined;
    });

    refusesClearly("image", commandLine(["dev"], ["build"], ["provenance"], ["promote", "dev", "prod"], padded.map((stack) => ["promote", stack, "prod"]), withPath("promote", "dev", "prod", "--running")), /^which stack\?|^build needs|^promote needs|^--running needs/, (argv) => {
        const problem = imageProblem(argv);
        if (problem !== undefined) return problem;
        // The stacks scripts/image/commands.ts reads (imageTargets) before anything else.
        const [command, ...rest] = argv;
        if (command === "build") readStackFile(rest[0]);
        else if (command === "promote") [rest[1], rest[0]].forEach((stack) => readStackFile(stack));
        else if (command !== "provenance") readStackFile(argv.find((a) => !a.startsWith("-"))!);
        return undefined;
    });

    refusesClearly("prices", commandLine(["--aws-region"], ["--dry-run"]), /^--\w+-region needs/, (argv) => {
        parsePricesArgs(argv);
        return undefined;
    });

    // The tools with one positional argument at most: plan:deployments (a stack file) and dashboards:picture (a stack).
    refusesClearly("plan:deployments", commandLine(withPath()), /^$/, (argv) => {
        const problem = deploymentsArgumentProblem(argv);
        if (problem === undefined && argv[0] !== undefined) readStackFileAt(path.resolve(argv[0]), path.join(PROJECT_ROOT, "deployments"), "main");
        return problem;
    });

    refusesClearly("dashboards:picture", commandLine(["dev"]), /^$/, (argv) => {
        const problem = argumentProblem(argv, { positional: "stack" });
        if (problem === undefined && argv[0] !== undefined) readStackFile(argv[0]);
        return problem;
    });
});
