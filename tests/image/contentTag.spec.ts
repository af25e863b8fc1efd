import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { contentTag, contextFiles } from "../../components/image";
import { ImageBuildSpec } from "../../components/image/types";
import { scratchDir } from "../harness/tempDirs";
import { PROJECT_ROOT } from "../../config/stackFile";
import { dockerfileStages } from "../../app/tests/dockerfileStages";

/** A small service build context, with infrastructure code and a stack file beside it. */
function makeWorkspace(): { root: string; context: string } {
    const root = scratchDir("content-tag");
    const files: Record<string, string> = {
        "app/Dockerfile": "FROM public.ecr.aws/lambda/nodejs:20\nCOPY dist/ ${LAMBDA_TASK_ROOT}/\n",
        "app/.dockerignore": "tests/\ndocs/\n*.md\n!CHANGELOG.md\nnode_modules\n",
        "app/package.json": '{"name":"svc","dependencies":{"hono":"4.0.0"}}',
        "app/package-lock.json": '{"lockfileVersion":3}',
        "app/src/server.ts": "export const port = 8080;\n",
        "app/README.md": "# the service\n",
        "app/CHANGELOG.md": "## 1.0.0\n",
        "app/tests/server.test.ts": "test('x', () => {});\n",
        "app/docs/guide.txt": "how to\n",
        "app/node_modules/hono/index.js": "module.exports = {};\n",
        "index.ts": "// infrastructure\n",
        "Pulumi.dev.yaml": "config: {}\n",
    };
    for (const [file, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
        fs.writeFileSync(path.join(root, file), content);
    }
    return { root, context: path.join(root, "app") };
}

const spec = (context: string, extra: Partial<ImageBuildSpec> = {}): ImageBuildSpec => ({ context, platform: "linux/arm64", ...extra });

/** Each row edits a fresh workspace; `expect` is whether the image tag must change. */
const matrix: { change: string; expect: "same tag" | "new tag"; edit: (w: { root: string; context: string }) => Partial<ImageBuildSpec> | void }[] = [
    { change: "README edit", expect: "same tag", edit: (w) => fs.appendFileSync(path.join(w.context, "README.md"), "more words\n") },
    { change: "test edit", expect: "same tag", edit: (w) => fs.appendFileSync(path.join(w.context, "tests/server.test.ts"), "// more\n") },
    { change: "new test file", expect: "same tag", edit: (w) => fs.writeFileSync(path.join(w.context, "tests/other.test.ts"), "x\n") },
    { change: "docs edit", expect: "same tag", edit: (w) => fs.appendFileSync(path.join(w.context, "docs/guide.txt"), "more\n") },
    { change: "infrastructure code edit (outside the context)", expect: "same tag", edit: (w) => fs.appendFileSync(path.join(w.root, "index.ts"), "// change\n") },
    { change: "stack settings edit (outside the context)", expect: "same tag", edit: (w) => fs.writeFileSync(path.join(w.root, "Pulumi.dev.yaml"), "config: {a: 1}\n") },
    { change: "installed dev dependency (node_modules)", expect: "same tag", edit: (w) => fs.writeFileSync(path.join(w.context, "node_modules/hono/index.js"), "changed\n") },
    { change: "service code edit", expect: "new tag", edit: (w) => fs.appendFileSync(path.join(w.context, "src/server.ts"), "export const x = 1;\n") },
    { change: "new source file", expect: "new tag", edit: (w) => fs.writeFileSync(path.join(w.context, "src/extra.ts"), "export {};\n") },
    { change: "source file renamed", expect: "new tag", edit: (w) => fs.renameSync(path.join(w.context, "src/server.ts"), path.join(w.context, "src/main.ts")) },
    { change: "dependency edit (package.json)", expect: "new tag", edit: (w) => fs.writeFileSync(path.join(w.context, "package.json"), '{"name":"svc","dependencies":{"hono":"4.1.0"}}') },
    { change: "lockfile edit", expect: "new tag", edit: (w) => fs.writeFileSync(path.join(w.context, "package-lock.json"), '{"lockfileVersion":3,"x":1}') },
    { change: "Dockerfile edit", expect: "new tag", edit: (w) => fs.appendFileSync(path.join(w.context, "Dockerfile"), "ENV A=1\n") },
    { change: "file re-included by a ! exception", expect: "new tag", edit: (w) => fs.appendFileSync(path.join(w.context, "CHANGELOG.md"), "## 1.0.1\n") },
    { change: "executable bit", expect: "new tag", edit: (w) => fs.chmodSync(path.join(w.context, "src/server.ts"), 0o755) },
    { change: "build arg", expect: "new tag", edit: () => ({ buildArgs: { NODE_ENV: "production" } }) },
    { change: "platform", expect: "new tag", edit: () => ({ platform: "linux/amd64" }) },
];

describe("content-addressed image tags", () => {
    for (const row of matrix) {
        it(`${row.change}: ${row.expect}`, () => {
            const w = makeWorkspace();
            const before = contentTag(spec(w.context));
            const extra = row.edit(w) ?? {};
            const after = contentTag(spec(w.context, extra));
            assert.match(before, /^c-[0-9a-f]{24}$/);
            if (row.expect === "same tag") assert.strictEqual(after, before);
            else assert.notStrictEqual(after, before);
        });
    }

    // types.ts: build args are part of the content tag. A new value for the same ARG is another image.
    it("a build arg's new value: new tag; the same args in another order: same tag", () => {
        const w = makeWorkspace();
        const tag = (buildArgs: Record<string, string>) => contentTag(spec(w.context, { buildArgs }));
        assert.notStrictEqual(tag({ NODE_ENV: "development" }), tag({ NODE_ENV: "production" }));
        assert.strictEqual(tag({ A: "1", B: "2" }), tag({ B: "2", A: "1" }));
    });

    it("is the same for two copies of the same context (no paths, times or order leak in)", () => {
        const a = makeWorkspace();
        const b = makeWorkspace();
        fs.utimesSync(path.join(b.context, "src/server.ts"), new Date(0), new Date(0));
        assert.strictEqual(contentTag(spec(a.context)), contentTag(spec(b.context)));
    });

    it("follows .dockerignore the way Docker does", () => {
        const w = makeWorkspace();
        const files = contextFiles(w.context).map((f) => f.path);
        assert.deepStrictEqual(files, [".dockerignore", "CHANGELOG.md", "Dockerfile", "package-lock.json", "package.json", "src/server.ts"]);
    });

    // An exception below an excluded folder re-includes that file (the matcher is @balena/dockerignore, a port of
    // Docker's Go implementation; Docker's walk descends into an excluded folder when an exception may match inside it).
    it("a file an exception re-includes from inside an excluded folder is sent, and its edit is a new tag", () => {
        const w = makeWorkspace();
        fs.appendFileSync(path.join(w.context, ".dockerignore"), "!docs/guide.txt\n");
        assert.ok(contextFiles(w.context).some((f) => f.path === "docs/guide.txt"), "docs/guide.txt is sent");
        const before = contentTag(spec(w.context));
        fs.appendFileSync(path.join(w.context, "docs/guide.txt"), "more\n");
        assert.notStrictEqual(contentTag(spec(w.context)), before);
    });

    it("the service's own context holds every file its Dockerfile copies (BuildKit stops at a COPY whose source .dockerignore left out)", () => {
        // BuildKit's answer for such a source: `failed to compute cache key: "/<file>": not found`; the context is also
        // what the content tag hashes, so a file left out would change the image without changing its tag.
        const app = path.join(__dirname, "..", "..", "app");
        const sent = new Set(contextFiles(app).map((f) => f.path));
        const sources = dockerfileStages()
            .flatMap((stage) => stage.instructions)
            .filter((i) => i.keyword === "COPY" && !/(^|\s)--from=/.test(i.args))
            .flatMap((i) => i.args.split(/\s+/).filter((w) => !w.startsWith("--")).slice(0, -1));
        assert.ok(sources.includes("buildOptions.mjs") && sources.includes("src"), sources.join(" "));
        for (const source of sources) {
            assert.ok(sent.has(source) || [...sent].some((f) => f.startsWith(`${source}/`)), `app/Dockerfile copies ${source}, which app/.dockerignore keeps out of the build context`);
        }
    });

    // The program looks up the tag image.yml built from a clean Linux checkout, so what a laptop leaves in app/ must not
    // change it: a `pulumi up` from there would wait for a tag nobody builds.
    it("the service's tag is the same on every machine: files a machine leaves in src/ stay out, and app/ is checked out with LF", () => {
        const app = path.join(__dirname, "..", "..", "app");
        const copy = scratchDir("service-context");
        for (const file of contextFiles(app)) {
            fs.mkdirSync(path.dirname(path.join(copy, file.path)), { recursive: true });
            fs.copyFileSync(file.absolutePath, path.join(copy, file.path));
        }
        fs.copyFileSync(path.join(app, ".dockerignore"), path.join(copy, ".dockerignore"));
        const clean = contentTag(spec(copy));
        assert.strictEqual(clean, contentTag(spec(app)), "a copy of the context has the service's tag");
        for (const stray of ["src/.DS_Store", "src/storage/.api.ts.swp", "src/api.ts~", "src/api.ts.orig"]) fs.writeFileSync(path.join(copy, stray), "left by a machine\n");
        assert.strictEqual(contentTag(spec(copy)), clean);
        assert.ok(contextFiles(app).some((f) => f.path === "src/storage/gcsStore.ts"), "the sources in subfolders are still sent");
        // Git for Windows checks text out with CRLF by default (core.autocrlf); app/.gitattributes keeps it LF.
        const eol = execFileSync("git", ["check-attr", "eol", "--", "app/src/api.ts", "app/package-lock.json", "app/Dockerfile"], { cwd: path.join(app, ".."), encoding: "utf8" });
        assert.deepStrictEqual(eol.trim().split("\n"), ["app/src/api.ts: eol: lf", "app/package-lock.json: eol: lf", "app/Dockerfile: eol: lf"]);
    });

    it("a checkout on a file system whose bits git ignores (core.fileMode false, e.g. a Windows drive under WSL: every file reads as executable) has the tag of a Linux checkout", function () {
        const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, encoding: "utf8" });
        try {
            git(PROJECT_ROOT, "--version");
        } catch {
            console.log("      skipped: no git on this machine");
            this.skip();
        }
        const linux = makeWorkspace();
        const wsl = makeWorkspace();
        git(wsl.root, "init", "--quiet");
        git(wsl.root, "add", "--", "app");
        git(wsl.root, "config", "core.fileMode", "false");
        for (const file of contextFiles(wsl.context)) fs.chmodSync(file.absolutePath, 0o777);
        assert.strictEqual(contentTag(spec(wsl.context)), contentTag(spec(linux.context)));
        // A file git records as executable is one there too.
        git(wsl.root, "update-index", "--chmod=+x", "--", "app/src/server.ts");
        fs.chmodSync(path.join(linux.context, "src/server.ts"), 0o755);
        assert.strictEqual(contentTag(spec(wsl.context)), contentTag(spec(linux.context)));

        // git reads a config however it is written: quoted, commented, in a later [core] section (the last one wins).
        const written = makeWorkspace();
        git(written.root, "init", "--quiet");
        git(written.root, "add", "--", "app");
        fs.appendFileSync(path.join(written.root, ".git", "config"), '[core]\n\tFileMode = "no" ; set by hand\n');
        for (const file of contextFiles(written.context)) fs.chmodSync(file.absolutePath, 0o777);
        fs.chmodSync(path.join(linux.context, "src/server.ts"), 0o644);
        assert.strictEqual(contentTag(spec(written.context)), contentTag(spec(linux.context)));
    });

    it("a checkout whose .git names a git directory that is not there (a worktree mounted without it) is hashed by the file system's bits, without failing", () => {
        const plain = makeWorkspace();
        const mounted = makeWorkspace();
        fs.writeFileSync(path.join(mounted.root, ".git"), "gitdir: /nonexistent/repository/.git/worktrees/x\n");
        assert.strictEqual(contentTag(spec(mounted.context)), contentTag(spec(plain.context)));
    });

    it("names a missing context or Dockerfile", () => {
        assert.throws(() => contentTag(spec("/nonexistent/app")), /Dockerfile not found: \/nonexistent\/app\/Dockerfile/);
        const w = makeWorkspace();
        assert.throws(() => contentTag(spec(w.context, { dockerfile: "Containerfile" })), /Dockerfile not found: .*\/app\/Containerfile/);
        fs.rmSync(path.join(w.context, "Dockerfile"));
        fs.writeFileSync(path.join(w.root, "Dockerfile"), "FROM x\n");
        assert.throws(() => contentTag(spec(path.join(w.root, "missing"), { dockerfile: "../Dockerfile" })), /image build context .*missing does not exist or is not a folder/);
    });

    // docker/cli cli/command/image/build/dockerignore.go, TrimBuildFilesFromExcludes: "removes the named Dockerfile and
    // .dockerignore from the list of excluded files ... they must be in available in the context when passed to the
    // API". An edit to a Dockerfile .dockerignore excludes is still a new image.
    it("a Dockerfile that .dockerignore excludes still changes the tag when it is edited", () => {
        const w = makeWorkspace();
        fs.appendFileSync(path.join(w.context, ".dockerignore"), "Dockerfile\n");
        const before = contentTag(spec(w.context));
        fs.appendFileSync(path.join(w.context, "Dockerfile"), "ENV A=1\n");
        assert.notStrictEqual(contentTag(spec(w.context)), before);
    });

    it("hashes a symbolic link's target without following it", () => {
        const w = makeWorkspace();
        fs.symlinkSync("/etc/hostname", path.join(w.context, "src/link"));
        const before = contentTag(spec(w.context));
        fs.unlinkSync(path.join(w.context, "src/link"));
        fs.symlinkSync("/etc/hosts", path.join(w.context, "src/link"));
        assert.notStrictEqual(contentTag(spec(w.context)), before);

        // Docker sends the link itself, not what it points to: an edit to a file outside the context that a link in
        // it names is not in the image, and a link whose target is missing is sent as it is.
        fs.writeFileSync(path.join(w.root, "outside.txt"), "one\n");
        fs.symlinkSync("../../outside.txt", path.join(w.context, "src/outside"));
        fs.symlinkSync("../../missing.txt", path.join(w.context, "src/dangling"));
        const linked = contentTag(spec(w.context));
        fs.writeFileSync(path.join(w.root, "outside.txt"), "two\n");
        assert.strictEqual(contentTag(spec(w.context)), linked);
    });
});
