import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/stackFile";
import { afterAnotherRepository, anchors, directoriesNotInLayout, headingAnchors, layoutEntries, localLinks, namesSection, readProjectFile as read, sectionTitles, titleReferences } from "./docReferences";

/** The project's own files (what git tracks, and new files it does not ignore), by their path from the root. */
function projectFiles(pattern: RegExp): string[] {
    return execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], { cwd: PROJECT_ROOT, encoding: "utf8" })
        .split("\n")
        .filter((file) => pattern.test(file) && fs.existsSync(path.join(PROJECT_ROOT, file)));
}

/** Where a link from `from` lands, by its path from the root, and the anchor it asks for. */
function landing(from: string, target: string): { file: string; anchor?: string } {
    const [file, anchor] = target.split("#");
    return { file: file ? path.posix.normalize(path.posix.join(path.posix.dirname(from), decodeURI(file))) : from, anchor };
}

/** Each link of `files` that lands on no file, or on no anchor of the file when it names one. */
function brokenLinks(files: string[], readFile: (file: string) => string, exists: (file: string) => boolean): string[] {
    return files.flatMap((from) =>
        localLinks(readFile(from)).flatMap(({ line, target }) => {
            const { file, anchor } = landing(from, target);
            if (!exists(file)) return [`${from}:${line} ${target}: no ${file}`];
            if (anchor && !anchors(readFile(file)).has(anchor)) return [`${from}:${line} ${target}: ${file} has no heading or <a id> anchor #${anchor}`];
            return [];
        }),
    );
}

// An error message that says `see docs/releases.md, "Rollback by hand"` is read during an incident: the section
// must be where it says. The same for every link between the README and docs/.
describe("every place the project sends a reader exists", () => {
    describe("the checks themselves", () => {
        it("anchors as GitHub makes them, repeated ones numbered", () => {
            const found = headingAnchors("# Where images are built, and how prod gets them\n## `npm run release`\n## Canary\n## Canary\n```\n# not a heading\n```\n");
            assert.deepStrictEqual([...found], ["where-images-are-built-and-how-prod-gets-them", "npm-run-release", "canary", "canary-1"]);
        });

        // Before, only headings' anchors counted: a link to a bold lead-in's <a id> was reported broken, so the README
        // linked to the whole guide instead.
        it("anchors a file sets itself with <a id> or <a name>, outside code, count as well as its headings'", () => {
            const guide = '# Guide\n\n<a id="why-not"></a>\n**Why not** this.\n<a name="old-name"></a>\n`<a id="in-code"></a>`\n```\n<a id="fenced"></a>\n```\n';
            assert.deepStrictEqual([...anchors(guide)], ["guide", "why-not", "old-name"]);
        });

        it("a link to an anchor the file does not set is reported, and one to its <a id> is not", () => {
            const pages: Record<string, string> = {
                "README.md": "([Why no Docker provider](docs/images.md#why-no-docker-provider)) ([gone](docs/images.md#why-not-docker))\n",
                "docs/images.md": '# Images\n\n<a id="why-no-docker-provider"></a>\n**Why no Docker provider in the program**\n',
            };
            assert.deepStrictEqual(
                brokenLinks(Object.keys(pages), (file) => pages[file], (file) => file in pages),
                ["README.md:1 docs/images.md#why-not-docker: docs/images.md has no heading or <a id> anchor #why-not-docker"],
            );
        });

        it("titles: headings and the bold words that open a paragraph or an item, and a title may name a section by its start", () => {
            const titles = sectionTitles("## Required checks\n**Rollback by hand** (the fallback)\n- **Verify before traffic.** After\ntext **not a title**\n");
            assert.deepStrictEqual(titles, ["Required checks", "Rollback by hand", "Verify before traffic."]);
            assert.ok(namesSection("Verify before traffic", titles));
            assert.ok(!namesSection("Rollback", ["Canary"]));
        });

        it("references by title in their several spellings, and never another project's README", () => {
            const source = [
                'throw new Error(`see README "When pulumi up stops at the reserved concurrency"`);',
                '// roll back by hand (docs/releases.md, "Rollback by hand"), or (README, One-time setup)',
                "assert(x, \"README's 'When GitHub's Pulumi logins start failing'\");",
                '// `keys` is the deprecated spelling (its README, "Deprecated inputs"); the autoscalers\' README, "Poller can\'t read"',
                '// (google-github-actions/auth docs/TROUBLESHOOTING.md: "GitHub does not distinguish between")',
                'fs.readFileSync(path.join(ROOT, "README.md"), "utf8"); { change: "README edit" }',
                '// (docs/api.md, "Limits and failures")',
            ].join("\n");
            assert.deepStrictEqual(titleReferences(source), [
                { line: 1, file: "README.md", title: "When pulumi up stops at the reserved concurrency" },
                { line: 2, file: "docs/releases.md", title: "Rollback by hand" },
                { line: 2, file: "README.md", title: "One-time setup" },
                { line: 3, file: "README.md", title: "When GitHub" },
                { line: 7, file: "docs/api.md", title: "Limits and failures" },
            ]);
        });

        it("Layout: a top-level directory left out, or a subdirectory of one the Layout splits by its subdirectories", () => {
            const entries = layoutEntries("## Layout\n\n```\nindex.ts   root\nscripts/build/   run.js\ndocs/   guides\n```\n");
            assert.deepStrictEqual(entries, ["index.ts", "scripts/build/", "docs/"]);
            const files = ["index.ts", "docs/a.md", "scripts/build/run.js", "scripts/google/token.ts", "examples/yaml/Pulumi.yaml", ".github/workflows/ci.yml"];
            assert.deepStrictEqual(directoriesNotInLayout(entries, files), ["scripts/google/", "examples/", ".github/"]);
        });

        it("links: relative ones, outside code, with their lines", () => {
            assert.deepStrictEqual(localLinks("see [Releases](docs/releases.md#canary) and [web](https://x.y)\n```\n[no](there.md)\n```\n`[no](code.md)` [up](../README.md)\n"), [
                { line: 1, target: "docs/releases.md#canary" },
                { line: 5, target: "../README.md" },
            ]);
        });
    });

    const markdown = projectFiles(/\.md$/);

    it("every link between the project's markdown files lands on a file that exists, and on an anchor when it names one", () => {
        assert.deepStrictEqual(brokenLinks(markdown, read, (file) => fs.existsSync(path.join(PROJECT_ROOT, file))), []);
    });

    /** Every source that may send a reader somewhere; this spec's own examples aside. */
    const sources = projectFiles(/\.(ts|js|md|ya?ml)$/).filter((file) => !file.startsWith("tests/docs/"));

    it("every docs/ page a message, comment or document names exists", () => {
        const named = sources.flatMap((from) =>
            read(from)
                .split("\n")
                .flatMap((text, i) =>
                    [...text.matchAll(/(?<![\w./-])docs\/[\w-]+\.md/g)]
                        .filter((m) => !afterAnotherRepository(text.slice(0, m.index)))
                        .map((m) => ({ from, line: i + 1, file: m[0] })),
                ),
        );
        assert.ok(named.length > 10, `the project names its docs/ pages in many places (found ${named.length})`);
        const missing = named.filter(({ file }) => !fs.existsSync(path.join(PROJECT_ROOT, file)));
        assert.deepStrictEqual(missing.map(({ from, line, file }) => `${from}:${line} names ${file}`), []);
    });

    it("every section a message, comment or document names by title is in the file it names", () => {
        const references = sources.flatMap((from) => titleReferences(read(from)).map((ref) => ({ from, ...ref })));
        assert.ok(references.length > 10, `the project names sections in many places (found ${references.length})`);
        const missing = references.filter(({ file, title }) => !fs.existsSync(path.join(PROJECT_ROOT, file)) || !namesSection(title, sectionTitles(read(file))));
        assert.deepStrictEqual(
            missing.map(({ from, line, file, title }) => `${from}:${line} names ${file} "${title}"`),
            [],
        );
    });

    // A newcomer finds where things are from README's Layout: a directory it leaves out is code nobody is sent to, and
    // a path it names that is gone sends them nowhere.
    it("README's Layout names every directory of the project, and nothing that is not there", () => {
        const entries = layoutEntries(read("README.md"));
        const files = projectFiles(/./);
        assert.deepStrictEqual(directoriesNotInLayout(entries, files), []);
        assert.deepStrictEqual(entries.filter((entry) => !fs.existsSync(path.join(PROJECT_ROOT, entry))), []);
    });

    it("every npm script the guides tell a reader to run exists in the package it runs in", () => {
        const scripts = (dir: string) => Object.keys(JSON.parse(read(path.posix.join(dir, "package.json"))).scripts);
        const missing = markdown.flatMap((file) =>
            // app/README.md's commands run in app/, but for "the root's `npm run ...`".
            [...read(file).matchAll(/(root's `)?npm (?:--prefix (\S+) )?run (?:--silent )?([a-z][\w:-]*\w)/g)].flatMap((m) => {
                const dir = m[2] ?? (file.startsWith("app/") && !m[1] ? "app" : ".");
                return scripts(dir).includes(m[3]) ? [] : [`${file}: npm run ${m[3]} (no such script in ${path.posix.join(dir, "package.json")})`];
            }),
        );
        assert.deepStrictEqual(missing, []);
    });
});
