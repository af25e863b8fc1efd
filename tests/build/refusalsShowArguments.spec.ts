import * as assert from "assert";
import { existingStackFile } from "../../config/stackFile";
import { answeredArguments } from "../../scripts/build/usage";
import { USAGE as IMAGE_USAGE, usageProblem as imageProblem } from "../../scripts/image/arguments";
import { usageProblem as planProblem } from "../../scripts/plan/arguments";
import { usageProblem as reviewProblem } from "../../review/arguments";
import { withCapturedConsole } from "../harness/capturedConsole";

/**
 * A refusal shows the user's argument as shownArgument does: quoted when it is empty, padded or holds a line break (an
 * unset "$STACK" is ""), bare otherwise, so the words toolsHelp.spec expects for ordinary arguments stay the same. In
 * process: these are the tools' argument checks alone, which toolsHelp.spec runs as processes.
 */
describe("a tool's refusal shows an empty, padded or multi-line argument quoted", () => {
    // Before: 'unknown option --bogus ' (the space invisible) and 'unknown option -x' followed by a broken line.
    it("an unknown option, beside -h too (answeredArguments)", async () => {
        for (const [option, shown] of [
            ["--bogus ", '"--bogus "'],
            ["-x\n", '"-x\\n"'],
        ]) {
            const { result, stderr, stdout } = await withCapturedConsole(async () => answeredArguments("tool", ["-h", option], "usage: tool", { flags: [] }));
            assert.deepStrictEqual([result, stdout, stderr], [2, "", `tool: unknown option ${shown}\nusage: tool`], JSON.stringify(option));
        }
    });

    // An argument that only holds unknownOption's words ("unknown argument unknown option x") is another problem: -h answers first.
    it("a problem that does not start with unknownOption's words is left for after -h", async () => {
        const { result, stderr, stdout } = await withCapturedConsole(async () => answeredArguments("tool", ["-h", "unknown option x"], "usage: tool", { flags: [] }));
        assert.deepStrictEqual([result, stdout, stderr], [0, "usage: tool", ""]);
    });

    // image's own words for promote's option: still unknownOption's, so answered beside -h rather than the usage alone.
    it("image promote's unknown option, with its hint, is answered beside -h", async () => {
        const { result, stderr } = await withCapturedConsole(async () => answeredArguments("image", ["promote", "dev", "prod", "--runing ", "-h"], IMAGE_USAGE, imageProblem));
        assert.deepStrictEqual([result, stderr], [2, `image: unknown option "--runing " (promote takes --running <file>)\n${IMAGE_USAGE}`]);
    });

    // Before: 'unexpected x after promote  dev prod', '--running needs a file: 's ...', 'build -- build ' and so on.
    it("image: every refusal that repeats a stack or file", () => {
        assert.deepStrictEqual(
            [
                ["promote", " dev", "prod", "x"],
                ["promote", "dev", "", "x"],
                ["promote", "", "prod", "--running"],
                ["promote", "dev", "prod", "--running", "run\n.json", "x"],
                ["promote", "dev", "prod", "--runing\n"],
                ["", "build"],
                ["dev", "--json "],
            ].map(imageProblem),
            [
                'unexpected x after promote " dev" prod',
                'unexpected x after promote dev ""',
                '--running needs a file: ""\'s `pulumi stack output --json`',
                'unexpected x after --running "run\\n.json"',
                'unknown option "--runing\\n" (promote takes --running <file>)',
                'build comes first: npm run image -- build ""',
                'unknown option "--json "',
            ],
        );
    });

    // Every tool reads its stack through this check (argumentsFuzz.spec found it). Before: the name between quotes as it
    // came, its line broken: '"dev' and '" is not a stack name ...'.
    it("a stack name with a line break, as the stack file check names it", () => {
        assert.throws(() => existingStackFile("dev\n"), { message: `"dev\\n" is not a stack name: a stack name may only contain alphanumeric, hyphens, underscores, or periods: invalid character '\\n' at position 3` });
    });

    // Before: "--preview  )" with an empty argument, "(  is not one)" with an empty --base, "--file " at a line's end.
    it("the hints and refusals that repeat an argument in a command to copy: review's --preview and --base, plan's --file", () => {
        const preview = "tests/review/fixtures/docs-only/preview.json";
        assert.strictEqual(reviewProblem(["comment", "dev", " p.json"]), 'unexpected argument " p.json" (a preview file goes after --preview: --preview " p.json")');
        assert.strictEqual(reviewProblem(["comment", "dev", "--preview", preview, "--base", ""]), '--base must be a folder holding the base commit\'s files ("" is not one)');
        assert.strictEqual(planProblem(["--file", "dev.yaml "]), '--file needs the stack\'s name too, which decides whether production\'s rules apply: npm run plan -- <stack> --file "dev.yaml "');
    });
});
