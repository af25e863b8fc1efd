import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT, stackNames } from "../../config/stackFile";
import { parseArgs, usageProblem } from "../../review/arguments";
import { printComment } from "../../review/printComment";
import { withCapturedStdout } from "../harness/capturedConsole";
import { regExpText } from "../harness/regExpText";
import { scratchDir } from "../harness/tempDirs";

/** `npm run review -- comment ...` as preview.yml runs it: a real process. */
function review(...args: string[]) {
    return reviewIn({}, ...args);
}

/** The tool with `env` over this process's environment, GitHub's GITHUB_ACTIONS left out unless `env` sets it. */
function reviewIn(env: NodeJS.ProcessEnv, ...args: string[]) {
    const { GITHUB_ACTIONS: _onGitHub, ...ours } = process.env;
    return spawnSync(process.execPath, ["scripts/build/run.js", "review/cli.ts", ...args], { cwd: PROJECT_ROOT, encoding: "utf8", env: { ...ours, ...env } });
}

/** docs-only's preview with `count` alarms more than a comment has room for, written to `dir`/preview.json. */
function manyRowsPreview(dir: string, count = 3000): void {
    const preview = JSON.parse(fs.readFileSync("tests/review/fixtures/docs-only/preview.json", "utf8"));
    const many = Array.from({ length: count }, (_, i) => {
        const urn = `urn:pulumi:dev::multicloud-service::multicloud:index:LambdaEcrPipeline$aws:cloudwatch/metricAlarm:MetricAlarm::pipeline-alarm-with-a-long-name-${i}`;
        return { op: "create", urn, newState: { urn, type: "aws:cloudwatch/metricAlarm:MetricAlarm", custom: true, inputs: {} } };
    });
    preview.steps = [...(preview.steps ?? []), ...many];
    fs.writeFileSync(path.join(dir, "preview.json"), JSON.stringify(preview));
}

describe("review: npm run review -- comment (what preview.yml runs)", function () {
    this.timeout(60_000);

    it("prints the stack's comment from the preview, the event log and the base commit's files", () => {
        const base = scratchDir("review-cli");
        fs.mkdirSync(path.join(base, "app"));
        for (const f of ["Pulumi.dev.yaml", "app/package-lock.json", "app/Dockerfile"]) fs.copyFileSync(path.join(PROJECT_ROOT, f), path.join(base, f));
        const fixtures = path.join("tests", "review", "fixtures", "role-permission");
        const run = review("comment", "dev", "--preview", path.join(fixtures, "preview.json"), "--events", path.join(fixtures, "events.jsonl"), "--base", base, "--run-url", "https://github.com/o/r/actions/runs/7", "--commit", "0123456789abcdef0123456789abcdef01234567");
        assert.strictEqual(run.status, 0, run.stderr);
        // The commit it previewed: a comment edited in place says which push it shows.
        assert.ok(run.stdout.startsWith("<!-- multicloud-service:preview:dev -->\n## Preview of `dev` at 0123456\n"), run.stdout.slice(0, 200));
        for (const title of ["Resource changes", "Policy findings", "IAM permissions", "Monthly cost", "Image"]) assert.ok(run.stdout.includes(`\n### ${title}\n`), title);
        assert.match(run.stdout, /\*\*\$0\.00 a month\*\*/);
    });

    it("without the base commit's files the cost change is unknown, and it says why", () => {
        const run = review("comment", "dev", "--preview", "tests/review/fixtures/docs-only/preview.json", "--base", scratchDir("review-empty-base"));
        assert.strictEqual(run.status, 0, run.stderr);
        assert.match(run.stdout, /the base's estimate is unknown: the base commit has no Pulumi\.dev\.yaml \(a new stack\)/);
        assert.match(run.stdout, /The image's package changes are unknown: the base commit has no app\/package-lock\.json or app\/Dockerfile\./);
    });

    // Before: "The base's image inputs ... could not be read", though nothing was asked for.
    it("without --base, the image section says no base commit was given, as the cost section does", () => {
        const run = review("comment", "dev", "--preview", "tests/review/fixtures/docs-only/preview.json");
        assert.strictEqual(run.status, 0, run.stderr);
        assert.match(run.stdout, /the base's estimate is unknown: no base commit given/);
        assert.match(run.stdout, /### Image\n\nThe image's package changes are unknown: no base commit given\./);
    });

    // preview.yml passes --events whatever happened: the CLI creates the event log only once it shows the engine's events
    // (pulumi/pulumi pkg/backend/display/display.go, startEventLogger's os.OpenFile), so a preview that stopped before
    // leaves none.
    it("a preview that printed nothing (it stopped before the engine ran, no event log) still gets a comment saying so", () => {
        const dir = scratchDir("review-empty-preview");
        const empty = path.join(dir, "preview.json");
        fs.writeFileSync(empty, "");
        const run = review("comment", "dev", "--preview", empty, "--events", path.join(dir, "events.jsonl"), "--base", PROJECT_ROOT);
        assert.strictEqual(run.status, 0, run.stderr);
        assert.match(run.stdout, /\*\*error:\*\* pulumi preview printed no JSON: it stopped before the engine ran; its error is in the workflow run's log/);
        assert.match(run.stdout, /The preview's event log was not available/);
    });

    it("bad usage exits 2 with the usage; an unreadable preview exits 1 naming the file", () => {
        const usage = review("comment", "dev");
        assert.strictEqual(usage.status, 2);
        assert.match(usage.stderr, /--preview is required\nusage: npm run review -- comment <stack> --preview/);
        const missing = review("comment", "dev", "--preview", "no-such-preview.json");
        assert.strictEqual(missing.status, 1);
        assert.match(missing.stderr, /^review: cannot read no-such-preview\.json: ENOENT/);
        // Before: the second --preview replaced the first, exit 0.
        const twice = review("comment", "dev", "--preview", "tests/review/fixtures/role-permission/preview.json", "--preview", "tests/review/fixtures/docs-only/preview.json");
        assert.strictEqual(twice.status, 2);
        assert.strictEqual(twice.stdout, "");
        assert.match(twice.stderr, /^review: --preview is given twice\nusage: npm run review/);
    });

    // Before: each printed the bare usage, or called the preview's path an unknown option.
    it("a misspelt command, a left-out stack and a preview without --preview are named, exit 2", () => {
        const preview = "tests/review/fixtures/docs-only/preview.json";
        for (const [args, problem] of [
            [[], "which command? (comment)"],
            // An option review takes, put before the command: out of place, not unknown. Before: "unknown option --preview".
            [["--preview", preview, "comment", "dev"], "which command? (comment): --preview goes after comment <stack>"],
            [["coment", "dev", "--preview", preview], "unknown command coment (the one command is comment)"],
            [["comment", "--preview", preview], "which stack? npm run review -- comment <stack> ..."],
            [["comment", "dev", preview], `unexpected argument ${preview} (a preview file goes after --preview: --preview ${preview})`],
            [["comment", "dev", "--preview", preview, "extra"], "unexpected argument extra"],
        ] as const) {
            const run = review(...args);
            assert.strictEqual(run.status, 2, run.stderr);
            assert.strictEqual(run.stdout, "");
            assert.ok(run.stderr.startsWith(`review: ${problem}\nusage: npm run review -- comment <stack>`), run.stderr);
        }
    });

    // A flag where a value should be is a missing value, not a file of that name: `--preview --events e.jsonl` would read
    // "--events" as the preview and exit 1 on a file that is not there. In-process: the check cli.ts runs first.
    it("a flag right after an option that takes a value is named as that option's missing value", () => {
        assert.strictEqual(usageProblem(["comment", "dev", "--preview", "--events", "events.jsonl"]), "--preview needs a value");
        assert.strictEqual(usageProblem(["comment", "dev", "--events", "events.jsonl", "--preview", "--summary"]), "--preview needs a value");
    });

    // An empty command (`npm run review -- "$COMMAND" ...` with COMMAND unset) is shown, not "unknown command  (...)".
    it("an empty command is shown as one", () => {
        assert.strictEqual(usageProblem(["", "dev", "--preview", "tests/review/fixtures/docs-only/preview.json"]), 'unknown command "" (the one command is comment)');
    });

    // Before: `--commit "$SHA"` with SHA unset answered "--commit must be a commit SHA (got )".
    it("an empty or padded --commit is shown quoted", () => {
        const preview = "tests/review/fixtures/docs-only/preview.json";
        assert.strictEqual(usageProblem(["comment", "dev", "--preview", preview, "--commit", ""]), '--commit must be a commit SHA (got "")');
        assert.strictEqual(usageProblem(["comment", "dev", "--preview", preview, "--commit", "abcdef1\n"]), '--commit must be a commit SHA (got "abcdef1\\n")');
    });

    // Before: a mistyped --base read as a base without the stack file, and the comment said "a new stack".
    it("a --base folder that is not there exits 2 naming it, instead of reporting a new stack", () => {
        const run = review("comment", "dev", "--preview", "tests/review/fixtures/docs-only/preview.json", "--base", "no-such-base");
        assert.strictEqual(run.status, 2, run.stdout);
        assert.strictEqual(run.stdout, "");
        assert.match(run.stderr, /^review: --base must be a folder holding the base commit's files \(no-such-base is not one\)\nusage: npm run review/);
    });

    // Before: a --base that could not be looked at (a name longer than the file system's 255 bytes, a folder the user
    // may not read) answered only the file system's words, "review: ENAMETOOLONG: name too long, stat '…'", naming
    // no option. In-process: the check cli.ts runs first.
    it("a --base path that cannot be looked at is named as --base's", () => {
        const tooLong = "b".repeat(300);
        assert.strictEqual(
            usageProblem(["comment", "dev", "--preview", "tests/review/fixtures/docs-only/preview.json", "--base", tooLong]),
            `--base must be a folder holding the base commit's files (${tooLong} cannot be looked at: ENAMETOOLONG)`,
        );
    });

    // Before: --summary was an unknown option, and preview.yml copied the cut comment into the summary, though the
    // comment's note pointed there for the rows it left out.
    it("--summary appends the whole report, every row, while the comment stays within GitHub's limit", () => {
        const dir = scratchDir("review-summary");
        manyRowsPreview(dir);
        const summary = path.join(dir, "summary.md");
        fs.writeFileSync(summary, "an earlier command's summary\n");
        const run = review("comment", "dev", "--preview", path.join(dir, "preview.json"), "--run-url", "https://github.com/o/r/actions/runs/7", "--summary", summary);
        assert.strictEqual(run.status, 0, run.stderr);
        assert.ok(run.stdout.length <= 65_536, `${run.stdout.length} characters`);
        assert.match(run.stdout, /more rows left out to fit GitHub's comment limit; all of them are in \[the workflow run's summary\]\(https:\/\/github\.com\/o\/r\/actions\/runs\/7\)/);
        const written = fs.readFileSync(summary, "utf8");
        assert.ok(written.startsWith("an earlier command's summary\n<!-- multicloud-service:preview:dev -->\n"), written.slice(0, 120));
        assert.strictEqual(written.match(/pipeline-alarm-with-a-long-name-\d+/g)?.length, 3000);
        assert.doesNotMatch(written, /left out/);
    });

    // In-process (printComment is what cli.ts runs after the arguments): the summary's own cut is what tells the comment
    // whether the rows it leaves out are all in the summary.
    it("a summary that had to leave rows out too: the comment says more of them are there, not all", async () => {
        const dir = scratchDir("review-summary-cut");
        // About 95 characters a row: 5000 rows are more than a step summary's 349,525 characters hold.
        manyRowsPreview(dir, 5000);
        const summary = path.join(dir, "summary.md");
        const { result: code, written: comment } = await withCapturedStdout(() =>
            printComment(parseArgs(["comment", "dev", "--preview", path.join(dir, "preview.json"), "--run-url", "https://github.com/o/r/actions/runs/7", "--summary", summary])),
        );
        assert.strictEqual(code, 0);
        const note = (text: string) => text.split("\n").find((line) => line.includes("more rows left out")) ?? "no note on rows left out";
        assert.match(note(fs.readFileSync(summary, "utf8")), /more rows left out to fit GitHub's step summary limit\._/);
        assert.match(note(comment), /more rows left out to fit GitHub's comment limit; more of them are in \[the workflow run's summary\]\(https:\/\/github\.com\/o\/r\/actions\/runs\/7\)/);
    });

    // Before: exit 1 with only "review: ENOENT: no such file or directory, open '<file>'", and no comment at all.
    it("a --summary file that cannot be written is a warning naming it; the comment is still printed, not pointing at it", () => {
        const dir = scratchDir("review-summary-missing");
        manyRowsPreview(dir);
        const summary = path.join(dir, "no-such-folder", "summary.md");
        const run = review("comment", "dev", "--preview", path.join(dir, "preview.json"), "--run-url", "https://github.com/o/r/actions/runs/7", "--summary", summary);
        assert.strictEqual(run.status, 0, run.stderr);
        assert.strictEqual(run.stderr, `review: warning: --summary ${summary}: ENOENT; the full report is not written, and the comment's notes on rows left out point to no summary\n`);
        assert.match(run.stdout, /^<!-- multicloud-service:preview:dev -->/);
        assert.match(run.stdout, /more rows left out to fit GitHub's comment limit\._/);
        assert.doesNotMatch(run.stdout, /workflow run's summary/);
        // On GitHub's runners, an annotation too, on stderr: stdout is the comment.
        const onGitHub = reviewIn({ GITHUB_ACTIONS: "true" }, "comment", "dev", "--preview", path.join(dir, "preview.json"), "--summary", summary);
        assert.match(onGitHub.stderr, /^::warning title=review::--summary .*: ENOENT; the full report is not written/m);
        assert.doesNotMatch(onGitHub.stdout, /::warning/);
    });

    // Before: exit 0 and a comment "Preview of `dve`", its cost unknown for want of a stack file, under a marker no
    // other run edits.
    it("a stack this commit has no stack file for exits 2 naming the stacks that are here", () => {
        const run = review("comment", "dve", "--preview", "tests/review/fixtures/docs-only/preview.json");
        assert.strictEqual(run.status, 2, run.stdout);
        assert.strictEqual(run.stdout, "");
        // The stacks of this checkout: a stack added as README's "Adding an environment" says is listed too.
        assert.match(run.stderr, new RegExp(`^review: no stack file Pulumi\\.dve\\.yaml; stacks here: ${regExpText(stackNames().join(", "))}\n`));
    });
});
