import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { projectSettingsSchema } from "../../config/schema";
import { PROJECT_ROOT } from "../../config/stackFile";
import { deploymentsPlan } from "../deployments/deploymentsPlan";
import { DOC_PAGES, readProjectFile as read } from "./docReferences";
import { committedStackRun } from "../harness/committedStackRun";
import { placeholder, unknownCliWords } from "../harness/cliTable";
import * as imageArguments from "../../scripts/image/arguments";
import * as releaseArguments from "../../release/arguments";
import * as reviewArguments from "../../review/arguments";

const COMMAND_START = /^(cd \S+ && )?(pulumi|npm run|node|gh|aws|gcloud) /;

/**
 * The commands a reader copies out of README.md and docs/: in code blocks (a line, `\` continuations joined) and in
 * code spans (one may wrap across lines). Only what starts as a command does: `pulumi ...`, `npm run ...`, `node ...`,
 * `gh ...`, `aws ...`, `gcloud ...`, also after a `cd <dir> && `.
 */
function documentedCommands(markdown: string): { line: number; command: string; mention: boolean }[] {
    const commands: { line: number; command: string; mention: boolean }[] = [];
    const lines = markdown.split("\n");
    let fenced = false;
    const prose: string[] = [];
    for (let i = 0; i < lines.length; i++) {
        if (lines[i].trimStart().startsWith("```")) {
            fenced = !fenced;
            prose.push("");
            continue;
        }
        if (!fenced) {
            prose.push(lines[i]);
            continue;
        }
        prose.push("");
        let text = lines[i];
        const first = i;
        while (text.endsWith("\\") && i + 1 < lines.length) text = text.slice(0, -1) + " " + lines[++i].trim(), prose.push("");
        const command = text.replace(/\s+#.*$/, "").split(/\s+/).join(" ").trim();
        if (COMMAND_START.test(command)) commands.push({ line: first + 1, command, mention: false });
    }
    const text = prose.join("\n");
    for (const m of text.matchAll(/`([^`]+)`/g)) {
        const command = m[1].split(/\s+/).join(" ").trim();
        // "the `pulumi env set` commands" names commands rather than giving one to run.
        const mention = /\bthe\s*$/.test(text.slice(0, m.index)) || /^\s*commands?\b/.test(text.slice(m.index! + m[0].length));
        if (COMMAND_START.test(command)) commands.push({ line: text.slice(0, m.index).split("\n").length, command, mention });
    }
    return commands;
}

/** The keys of a settings object, through the optional, default and preprocess wrappers zod puts around it. */
function settingKeys(schema: unknown): Record<string, unknown> | undefined {
    let s = schema as { _zod?: { def?: { shape?: Record<string, unknown>; innerType?: unknown; type?: string; in?: unknown; out?: unknown } } };
    for (let i = 0; i < 10 && s?._zod?.def; i++) {
        const def = s._zod.def;
        if (def.shape) return def.shape;
        if (def.innerType) s = def.innerType as typeof s;
        else if (def.type === "pipe") s = def.out as typeof s;
        else return undefined;
    }
    return undefined;
}

/** Why a `multicloud-service:` setting path is not one the settings have, or undefined. */
function unknownSetting(keyPath: string[]): string | undefined {
    let schema: unknown = projectSettingsSchema;
    for (const [i, key] of keyPath.entries()) {
        const keys = settingKeys(schema);
        if (!keys || !(key in keys)) return keyPath.slice(0, i + 1).join(".");
        schema = keys[key];
    }
    return undefined;
}

const all = DOC_PAGES.flatMap((file) => documentedCommands(read(file)).map((c) => ({ ...c, file, words: c.command.split(" ") })));
const where = (c: { file: string; line: number; command: string }) => `${c.file}:${c.line} ${c.command}`;

// A command copied during an incident must run as written: a file that is not there, or an ESC command without its
// environment, costs the minutes it takes to find out why. (That each npm script exists is references.spec.ts's.)
describe("the commands README.md and docs/ give run as written", () => {
    it("finds commands in blocks, continued lines and wrapped spans", () => {
        const found = documentedCommands("```sh\npulumi import a b \\\n  c --parent p\nnpm ci\n```\nrun `npm run plan --\ndev` or `pulumi`\n");
        assert.deepStrictEqual(found, [
            { line: 2, command: "pulumi import a b c --parent p", mention: false },
            { line: 6, command: "npm run plan -- dev", mention: false },
        ]);
        assert.deepStrictEqual(documentedCommands("with the `pulumi env set` commands; (`pulumi env edit`) first").map((c) => c.mention), [true, false]);
        assert.ok(all.length > 100, `found ${all.length} commands`);
    });

    it("every file a command names is in the tree", () => {
        const fileArgs = (words: string[]) => [
            ...(words[0] === "node" ? words.slice(1).filter((w) => /\.(js|ts|mjs)$/.test(w)) : []),
            ...words.flatMap((w, i) => (["--simulate", "--policy-pack", "--policy-pack-config"].includes(w) ? [words[i + 1]] : [])),
        ];
        const missing = all.flatMap((c) => fileArgs(c.words).filter((f) => !placeholder(f) && !fs.existsSync(path.join(PROJECT_ROOT, f))).map((f) => `${where(c)}: no ${f}`));
        assert.deepStrictEqual(missing, []);
    });

    // The plan's own parser (scripts/plan/arguments.ts), as `npm run plan` reads the words after `--`.
    it("every npm run plan command takes arguments the plan accepts", () => {
        const { parseArgs } = require("../../scripts/plan/arguments") as { parseArgs: (argv: string[]) => unknown };
        const plans = all.filter((c) => /^npm run (--silent )?plan -- /.test(c.command));
        const refused = plans.flatMap((c) => {
            const args = c.words.slice(c.words.indexOf("--") + 1);
            const end = args.findIndex((w) => ["|", "&&", ";", "#"].includes(w));
            try {
                parseArgs(end < 0 ? args : args.slice(0, end));
                return [];
            } catch (err) {
                return [`${where(c)}: ${(err as Error).message}`];
            }
        });
        assert.deepStrictEqual(refused, []);
        assert.ok(plans.some((c) => c.command.startsWith("npm run plan -- dev --vs prod --cost")), "README says what --vs with --cost prints");
    });

    // Each tool's own check of its words (what its entry point runs first, before it loads anything: exit 2 with its
    // usage), as `npm run <tool> -- ...` hands it the words after `--`. A flag its usage does not name fails the copied
    // command; a command with nothing to fill in must pass the check whole.
    it("every npm run release, image and review command uses flags its tool's usage names, and runs as written where nothing is to fill in", () => {
        const tools: Record<string, { USAGE: string; usageProblem: (argv: readonly string[]) => string | undefined }> = { release: releaseArguments, image: imageArguments, review: reviewArguments };
        const runs = all.flatMap((c) => {
            const at = c.words.findIndex((w, i) => w === "npm" && c.words[i + 1] === "run");
            const words = at < 0 ? [] : c.words.slice(at + 2).filter((w) => w !== "--silent");
            if (!(words[0] in tools) || words[1] !== "--") return [];
            const end = words.findIndex((w) => ["|", "&&", ";", "#", ">"].includes(w));
            // `[--json]`: a flag the page shows as optional.
            const args = words.slice(2, end < 0 ? undefined : end).map((w) => w.replace(/^\[(.*)\]$/, "$1"));
            return [{ c, name: words[0], tool: tools[words[0]], args }];
        });
        assert.ok(["release", "image", "review"].every((name) => runs.some((r) => r.name === name)), `finds each tool's commands (${runs.map((r) => r.name).join(", ")})`);
        const refused = runs.flatMap(({ c, name, tool, args }) => {
            const named = new Set(tool.USAGE.match(/--[\w-]+/g));
            const unknown = args.filter((w) => /^--?[A-Za-z]/.test(w) && !named.has(w)).map((flag) => `${where(c)}: npm run ${name} has no flag ${flag} (${tool.USAGE.split("\n")[0]})`);
            const problem = unknown.length === 0 && !args.some(placeholder) ? tool.usageProblem(args) : undefined;
            return problem === undefined ? unknown : [...unknown, `${where(c)}: ${problem}`];
        });
        assert.deepStrictEqual(refused, []);
    });

    it("npm run image -- build names the stack it builds", () => {
        const bare = all.filter((c) => /^npm run (--silent )?image -- build(\s|$)/.test(c.command) && c.words[c.words.indexOf("build") + 1] === undefined);
        assert.deepStrictEqual(bare.map(where), []);
    });

    it("every pulumi env command that reads or changes one names the environment (the CLI: \"no environment name specified\")", () => {
        const verbs = ["edit", "get", "open", "set", "rm", "remove", "run", "diff", "version"];
        const bare = all.filter((c) => !c.mention && c.words[0] === "pulumi" && c.words[1] === "env" && verbs.includes(c.words[2]) && (c.words[3] === undefined || c.words[3].startsWith("-")));
        // A bare `pulumi env run` in prose names the mechanism (docs/releases.md, the release's Google token), not a run of it.
        assert.deepStrictEqual(bare.filter((c) => c.words.length > 3 || c.words[2] !== "run").map(where), []);
    });

    // A flag the CLI does not have fails the command as "unknown flag" (cobra's words), in a rollback by hand too.
    it("every pulumi, pulumi env, gh, aws and gcloud subcommand and flag a command uses is one the CLI has, with the flags the CLI requires", () => {
        assert.deepStrictEqual(unknownCliWords("pulumi state rm --all"), []);
        assert.deepStrictEqual(unknownCliWords("pulumi env set $ENV k \"$(pulumi stack output gcp --jsn)\""), ["pulumi stack output has no flag --jsn (pulumi/pulumi pkg/cmd/pulumi/stack/stack_output.go)"]);
        assert.deepStrictEqual(unknownCliWords("pulumi env run <org>/e -- aws sts get-caller-identity --bogus"), []);
        assert.deepStrictEqual(unknownCliWords("cd deployments && pulumi stack outputs aws --json"), ['no command "pulumi stack outputs aws" (pulumi stack has no subcommand "outputs" in the table)']);
        assert.deepStrictEqual(unknownCliWords("aws lambda get-function ... --version 3"), []);
        assert.deepStrictEqual(unknownCliWords("aws lambda get-function --function-name f --qualfier 3"), ["aws lambda get-function has no flag --qualfier (boto/botocore botocore/data/lambda/2015-03-31/service-2.json GetFunction)"]);
        assert.deepStrictEqual(unknownCliWords("gcloud run revisions list --servce s --region=r"), ["gcloud run revisions list has no flag --servce (gcloud reference run/revisions/list)"]);
        assert.deepStrictEqual(unknownCliWords("aws lambda publish-version --region <region>"), ["aws lambda publish-version needs --function-name (boto/botocore botocore/data/lambda/2015-03-31/service-2.json PublishVersion: required)"]);
        assert.deepStrictEqual(unknownCliWords("aws logs put-log-group-deletion-protection --log-group-identifier=g --no-deletion-protection-enabled"), []);
        assert.deepStrictEqual(unknownCliWords("aws logs put-log-group-deletion-protection --log-group-identifier g"), ["aws logs put-log-group-deletion-protection needs --deletion-protection-enabled or --no-deletion-protection-enabled (boto/botocore botocore/data/logs/2014-03-28/service-2.json PutLogGroupDeletionProtection: required)"]);
        const cli = all.filter((c) => /(^|&& )(pulumi|gh|aws|gcloud) /.test(c.command));
        assert.ok(["gh", "aws", "gcloud"].every((name) => cli.some((c) => c.words[0] === name)), "finds gh, aws and gcloud commands");
        assert.deepStrictEqual(cli.flatMap((c) => unknownCliWords(c.command).map((why) => `${where(c)}: ${why}`)), []);
    });

    it("pulumi stack rename names the new name", () => {
        const bare = all.filter((c) => c.command.startsWith("pulumi stack rename") && c.words.length === 3);
        assert.deepStrictEqual(bare.map(where), []);
    });

    it("every setting a command sets or removes is one the settings have", () => {
        const paths = all.flatMap((c) => {
            const config = /^pulumi config set .*--path '?(?:multicloud-service:)?([\w.]+)'?/.exec(c.command);
            const env = /^pulumi env (?:set|rm) \S+ 'pulumiConfig\["multicloud-service:(\w+)"\]((?:\.\w+)*)'/.exec(c.command);
            const keyPath = config ? config[1].split(".") : env ? [env[1], ...env[2].split(".").filter(Boolean)] : undefined;
            return keyPath && !keyPath.some((k) => k === "" || placeholder(k)) ? [{ c, keyPath }] : [];
        });
        assert.ok(paths.length >= 10, `found ${paths.length} settings in commands`);
        const wrong = paths.map(({ c, keyPath }) => ({ c, bad: unknownSetting(keyPath) })).filter(({ bad }) => bad !== undefined);
        assert.deepStrictEqual(wrong.map(({ c, bad }) => `${where(c)}: no setting ${bad}`), []);
    });

    // `pulumi stack output <name>` takes a top-level output: the keys of what each program returns, not any key in its source.
    it("every stack output a command reads is one a program returns", async function () {
        this.timeout(60_000);
        const outputs = new Set([...Object.keys((await committedStackRun("dev")).outputs).map((key) => key.split(".")[0]), ...Object.keys((await deploymentsPlan()).outputs)]);
        assert.ok(outputs.has("aws") && outputs.has("githubSecrets"), [...outputs].join(", "));
        const named = all.filter((c) => c.command.startsWith("pulumi stack output ")).map((c) => ({ c, name: c.words[3] })).filter(({ name }) => name !== undefined && !name.startsWith("-"));
        assert.ok(named.length > 0);
        assert.deepStrictEqual(named.filter(({ name }) => !outputs.has(name)).map(({ c }) => where(c)), []);
    });
});
