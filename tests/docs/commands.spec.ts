import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { projectSettingsSchema } from "../../config/schema";
import { PROJECT_ROOT } from "../../config/stackFile";
import { runProgram } from "../../scripts/offline/runProgram";
import { deploymentsPlan } from "../deployments/deploymentsPlan";
import { DOC_PAGES, readProjectFile as read } from "./docReferences";

/**
 * The commands a reader copies out of README.md and docs/: in code blocks (a line, `\` continuations joined) and in
 * code spans (one may wrap across lines). Only what starts as a command does: `pulumi ...`, `npm run ...`, `node ...`.
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
        if (/^(pulumi|npm run|node) /.test(command)) commands.push({ line: first + 1, command, mention: false });
    }
    const text = prose.join("\n");
    for (const m of text.matchAll(/`([^`]+)`/g)) {
        const command = m[1].split(/\s+/).join(" ").trim();
        // "the `pulumi env set` commands" names commands rather than giving one to run.
        const mention = /\bthe\s*$/.test(text.slice(0, m.index)) || /^\s*commands?\b/.test(text.slice(m.index! + m[0].length));
        if (/^(pulumi|npm run|node) /.test(command)) commands.push({ line: text.slice(0, m.index).split("\n").length, command, mention });
    }
    return commands;
}

/** A value the reader fills in (`<org>`, `...`), which no check can judge. */
const placeholder = (word: string | undefined) => word === undefined || word.includes("<") || word.includes("...") || word.startsWith("$");

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
        const outputs = new Set([...Object.keys((await runProgram("dev")).outputs).map((key) => key.split(".")[0]), ...Object.keys((await deploymentsPlan()).outputs)]);
        assert.ok(outputs.has("aws") && outputs.has("githubSecrets"), [...outputs].join(", "));
        const named = all.filter((c) => c.command.startsWith("pulumi stack output ")).map((c) => ({ c, name: c.words[3] })).filter(({ name }) => name !== undefined && !name.startsWith("-"));
        assert.ok(named.length > 0);
        assert.deepStrictEqual(named.filter(({ name }) => !outputs.has(name)).map(({ c }) => where(c)), []);
    });
});
