import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { stringify } from "yaml";
import { PROJECT_ROOT, readStackFile } from "../../config/stackFile";
import { commentInputFromFiles } from "../../review/comment/inputs";
import { cell, code, codeSpan } from "../../review/comment/markdown";
import { GITHUB_COMMENT_LIMIT, STEP_SUMMARY_LIMIT, commentMarker, renderComment, renderWithin } from "../../review/comment/render";
import { baseImages, imageChanges, productionPackages } from "../../review/image/packageChanges";
import { iamChanges } from "../../review/preview/iamChanges";
import { UNKNOWN, parsePolicyEvents, parsePreviewDigest } from "../../review/preview/digest";
import { policyFindings } from "../../review/preview/policyFindings";
import { allPolicies } from "../../policy/policies";
import { resourceChanges } from "../../review/preview/resourceChanges";
import { loadPriceTable } from "../../review/prices/table";
import { LONE_SURROGATE } from "../harness/loneSurrogate";
import { scratchDir } from "../harness/tempDirs";

const FIXTURES = path.join(PROJECT_ROOT, "tests", "review", "fixtures");
const fixture = (...p: string[]) => path.join(FIXTURES, ...p);
const prices = loadPriceTable();

/** A checkout's files the comment reads: the stack file (the repository's, changed), and app/'s image inputs. */
function checkout(stack: "dev" | "prod", change: (doc: Record<string, any>) => void = () => {}, app = path.join(PROJECT_ROOT, "app")): string {
    const root = scratchDir("review");
    const doc: Record<string, any> = {};
    for (const [k, v] of Object.entries(readStackFile(stack).config)) {
        try {
            doc[k] = JSON.parse(v);
        } catch {
            doc[k] = v;
        }
    }
    change(doc);
    fs.writeFileSync(path.join(root, `Pulumi.${stack}.yaml`), stringify({ config: doc }));
    fs.mkdirSync(path.join(root, "app"));
    for (const f of ["package-lock.json", "Dockerfile"]) fs.copyFileSync(path.join(app, f), path.join(root, "app", f));
    return root;
}

function comment(scenario: string, options: { events?: string; preview?: string; head?: string; base?: string; stack?: "dev" | "prod" } = {}) {
    const stack = options.stack ?? "dev";
    return renderComment(
        commentInputFromFiles(
            {
                stack,
                preview: fixture(scenario, options.preview ?? "preview.json"),
                events: options.events && fixture(scenario, options.events),
                headRoot: options.head ?? checkout(stack),
                baseRoot: options.base ?? checkout(stack),
            },
            prices,
        ),
    );
}

const section = (body: string, title: string) => {
    const start = body.indexOf(`### ${title}`);
    assert.ok(start >= 0, `no ${title} section in:\n${body}`);
    const next = body.indexOf("\n### ", start + 1);
    return body.slice(start, next < 0 ? undefined : next);
};

describe("review: the pull-request comment of a stack, from fixture previews", () => {
    it("starts with the stack's hidden marker, so each stack's comment is found and edited in place", () => {
        const body = comment("docs-only");
        assert.ok(body.startsWith(`${commentMarker("dev")}\n`));
        assert.strictEqual(commentMarker("prod"), "<!-- multicloud-service:preview:prod -->");
    });

    describe("a change that adds a role permission", () => {
        const body = comment("role-permission", { events: "events.jsonl" });

        it("the same comment from --show-replacement-steps output (a replacement's three steps are one row, its IAM change counted once)", () => {
            // `pulumi preview --json` shows a replacement as its logical `replace` step alone unless
            // --show-replacement-steps (pulumi/pulumi pkg/backend/display shouldShow): preview.json is that default.
            assert.strictEqual(comment("role-permission", { events: "events.jsonl", preview: "preview.show-replacement-steps.json" }), body);
        });

        it("lists the update and the replacement (one row) with the inputs that cause them", () => {
            const rows = section(body, "Resource changes").split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| ---") && !l.includes("| Type |"));
            assert.deepStrictEqual(rows, [
                "| +- replace | `gcp:storage/bucketIAMMember:BucketIAMMember` | service-objects | `role` |",
                "| ~ update | `aws:iam/rolePolicy:RolePolicy` | pipeline-api | `policy` |",
            ]);
            assert.match(body, /\nupdate 1 · replace 1 · same 60\n/);
        });

        it("shows the actions added to the API role and the bucket role swapped for the service account", () => {
            const iam = section(body, "IAM permissions");
            assert.match(iam, /\| aws \| RolePolicy pipeline-api \| `s3:Delete\* on arn:aws:s3:::pipeline-bucket-43d3301\/input\/\*` \|  \|/);
            assert.match(
                iam,
                /\| gcp \| serviceAccount:service-run@multicloud-service-dev\.iam\.gserviceaccount\.com \| `roles\/storage\.objectAdmin on bucket service-objects-7c1d2e3` \| `roles\/storage\.objectUser on bucket service-objects-7c1d2e3` \|/,
            );
            // Only the changed statement: the API role's other grants are the same on both sides.
            assert.ok(!/s3:GetObject/.test(iam));
        });

        it("reports the policy pack's finding at its level: advisory in dev's pack config", () => {
            const policy = section(body, "Policy findings");
            assert.match(policy, /0 mandatory \(the preview fails; `pulumi up` would stop\), 1 advisory\./);
            // The pack's own text in the row; the policy's description, which @pulumi/policy sends before it, once below.
            assert.match(policy, /\| advisory \| `no-wildcard-iam-actions` \| `aws:iam\/rolePolicy:RolePolicy pipeline-api` \| statement DeleteInputPrefix allows the wildcard action s3:Delete\\\*\. \|/);
            assert.match(policy, /^- `no-wildcard-iam-actions`: No IAM statement allows an action with a wildcard \("\\\*", "s3:\\\*", "s3:Get\\\*"\) or every action but some \(NotAction\), and none of the AWS managed policies named AdministratorAccess\\\*, PowerUserAccess or \\\*FullAccess\\\* is attached \(CKV\\_AWS\\_62, CKV\\_AWS\\_290, CKV\\_AWS\\_274\)\.$/m);
            assert.ok(!policy.includes("<{%"), "Pulumi's colour tags are removed");
        });

        it("and mandatory where the pack config says so", () => {
            const policy = section(comment("role-permission", { events: "events.mandatory.jsonl", preview: "preview.mandatory.json" }), "Policy findings");
            assert.match(policy, /1 mandatory .*, 0 advisory\./);
            assert.match(policy, /\| \*\*mandatory\*\* \| `no-wildcard-iam-actions` \|/);
        });

        // A mandatory violation fails a preview only once every resource was checked: the engine goes on through the
        // program in a preview, then reports "preview failed" (pulumi/pulumi deployment_executor.go, Execute and
        // reportExecResult; analyze_snapshot.go: "invalid is true if any mandatory violation was found (unless dryRun
        // is true)"). Its changes are all there, not the part shown before a stop.
        it("a preview failed by a mandatory policy alone shows every change as complete, and says the policy failed it", () => {
            const body = comment("role-permission", { events: "events.mandatory.jsonl", preview: "preview.mandatory.json" });
            assert.ok(!/before it stopped|only the changes it showed|Unknown:/.test(body), body);
            assert.match(body, /^the preview failed on 1 mandatory policy violation: update 1 · replace 1 · same 60$/m);
            assert.match(section(body, "Resource changes"), /\| ~ update \|/);
            assert.match(section(body, "IAM permissions"), /s3:Delete\*/);
        });

        it("says the findings are unknown when there was no event log, rather than 'no violations'", () => {
            const policy = section(comment("role-permission"), "Policy findings");
            assert.match(policy, /policy pack's findings are unknown/);
            assert.ok(!/No policy violations/.test(policy));
        });

        it("no cost change: the settings are the same", () => {
            assert.match(section(body, "Monthly cost"), /\*\*\$0\.00 a month\*\*: \$22\.63 → \$22\.63/);
        });
    });

    describe("a change that raises min instances (dev: gcp.minInstances 0 -> 1)", () => {
        const base = checkout("dev");
        const head = checkout("dev", (d) => (d["multicloud-service:gcp"].minInstances = 1));
        const body = comment("min-instances", { events: undefined, head, base });

        it("shows the Cloud Run service's update", () => {
            // The provider's detailed diff names the property path (the service-level minimum); the diff reasons only "scaling".
            assert.match(section(body, "Resource changes"), /\| ~ update \| `gcp:cloudrunv2\/service:Service` \| service \| `scaling\.minInstanceCount` \|/);
        });

        it("prices the idle minimum instance: (730 h x 3600 s less the 200,000 s it serves) x (1 vCPU x idle vCPU price + 0.5 GiB x idle memory price)", () => {
            const seconds = 730 * 3600 - 1_000_000 * 0.2; // 2,428,000: dev's 1,000,000 requests of 200 ms are served at the active rates
            const vcpu = seconds * 1 * prices.regions["gcp:asia-northeast1"]["run.idleVcpuSecond"].usd;
            const memory = seconds * 0.5 * prices.regions["gcp:asia-northeast1"]["run.idleGibSecond"].usd;
            const money = (n: number) => `$${n.toFixed(2)}`;
            const cost = section(body, "Monthly cost");
            assert.ok(cost.includes(`**+${money(vcpu + memory)} a month**`), cost);
            assert.ok(cost.includes(`| gcp | Cloud Run min instances idle vCPU (1 x 1 vCPU), was 0 x 1 vCPU | $0.00 | ${money(vcpu)} | +${money(vcpu)} |`), cost);
            assert.ok(cost.includes(`| gcp | Cloud Run min instances idle memory (1 x 512Mi), was 0 x 512Mi | $0.00 | ${money(memory)} | +${money(memory)} |`), cost);
            // With the committed table: 2,428,000 x 0.0000025 x 1.5 = $9.105
            assert.ok(cost.includes("**+$9.11 a month**"), cost);
        });

        it("shows the price table's date and the traffic the figures assume", () => {
            const date = Object.values(prices.regions).flatMap((r) => Object.values(r).map((f) => f.asOf)).sort()[0];
            const cost = section(body, "Monthly cost");
            assert.ok(cost.includes(`Prices as of ${date}, transcribed by hand from the price pages and not yet read from the price APIs (npm run prices reads them) (\`review/prices.json\`)`), cost);
            assert.match(cost, /Traffic assumed: 1,000,000 requests\/month per cloud of 200 ms/);
        });

        it("states every traffic assumption the figures rest on, each with its unit (dev: config/schema.ts's cost.assumedTraffic defaults)", () => {
            // Lambda's worker compute rests on the runs and their duration per key, both logs lines on the KiB per
            // request, both storage lines on the GiB stored: a reader checking a figure needs each of them.
            assert.match(
                section(body, "Monthly cost"),
                /Traffic assumed: 1,000,000 requests\/month per cloud of 200 ms, 100 pipeline runs of 1000 ms per key, 1 KiB of logs per request or key, 10 GiB stored per cloud \(cost\.assumedTraffic\)\./,
            );
        });

        it("says what the figures leave out, below the table (docs/delivery.md: left out \"and listed as such\")", () => {
            assert.match(section(body, "Monthly cost"), /^Not counted: free tiers and discounts; data transfer out; ECR storage; Artifact Registry storage; .*X-Ray traces .*\.$/m);
        });

        it("no IAM change and no package change", () => {
            assert.match(section(body, "IAM permissions"), /No permission is added or removed\./);
            assert.match(section(body, "Image"), /No production package or base image changes\./);
        });
    });

    describe("a change to docs only", () => {
        const body = comment("docs-only", { events: undefined });
        it("says nothing changes, in each section", () => {
            assert.match(body, /\nsame 62\n/);
            assert.match(section(body, "Resource changes"), /No resource changes\./);
            assert.match(section(body, "IAM permissions"), /No permission is added or removed\./);
            assert.match(section(body, "Monthly cost"), /\*\*\$0\.00 a month\*\*/);
            assert.match(section(body, "Monthly cost"), /No line of the estimate changes\./);
            assert.match(section(body, "Image"), /No production package or base image changes\./);
        });
    });

    it("a stack that stops deploying to a cloud shows each of that cloud's lines going to $0.00, not only a lower total", () => {
        const head = checkout("dev", (d) => (d["multicloud-service:gcp"].enabled = false));
        const cost = section(comment("docs-only", { head }), "Monthly cost");
        // dev's GCP lines with the committed table (gcp:asia-northeast1), all of them the base's alone:
        // 1,000,000 requests x $0.0000004 = $0.40; 200,000 vCPU-s x $0.000024 = $4.80; 100,000 GiB-s x $0.0000025 = $0.25;
        // 1,000,000 KiB of logs = 0.9537 GiB x $0.50 = $0.48; 10 GiB x $0.023 = $0.23; 8 conditions x $1.50 = $12.00
        // (min instances are 0: $0.00 on both sides, no row). Together 18.1568: -$18.16.
        for (const [item, usd] of [
            ["Cloud Run requests", "$0.40"],
            ["Cloud Run vCPU while serving (1 vCPU)", "$4.80"],
            ["Cloud Run memory while serving (512Mi)", "$0.25"],
            ["Cloud Logging ingestion", "$0.48"],
            ["Cloud Storage", "$0.23"],
            ["Alert policy conditions", "$12.00"],
        ]) {
            assert.ok(cost.includes(`| gcp | ${item} | ${usd} | $0.00 | -${usd} |`), `no row for ${item}:\n${cost}`);
        }
        assert.match(cost, /\*\*-\$18\.16 a month\*\*/);
        assert.doesNotMatch(cost, /\| aws \|/);
    });

    // Before: any backtick got a two-backtick fence, which a `` in the text closed early (CommonMark: a span ends at a
    // backtick run as long as its opening one); a diagnostic's resource was wrapped in single backticks, unescaped.
    it("a code span is never closed early by backticks in its text, in a table cell or in a diagnostic", () => {
        assert.strictEqual(code("a``b`c"), "``` a``b`c ```");
        assert.strictEqual(code("plain|name"), "`plain\\|name`");
        assert.strictEqual(codeSpan("we`ird|name"), "`` we`ird|name ``");
        const urn = "urn:pulumi:dev::multicloud-service::aws:s3/bucketV2:BucketV2::we`ird|name";
        const preview = parsePreviewDigest(JSON.stringify({ steps: [], diagnostics: [{ urn, severity: "error", message: "error: boom" }], changeSummary: { same: 1 } }), "preview.json");
        const body = renderComment({ stack: "dev", preview, policyEvents: [], cost: {} });
        assert.match(body, /^\*\*error:\*\* `` aws:s3\/bucketV2:BucketV2 we`ird\|name ``: boom$/m);
    });

    it("a cell shows text as written: emphasis characters, HTML and links escaped outside code spans", () => {
        assert.strictEqual(cell("sha256-*.sig / sha256-*.att"), "sha256-\\*.sig / sha256-\\*.att");
        assert.strictEqual(cell("needs <project> and [x]; `a*b` stays code | next"), "needs \\<project\\> and \\[x\\]; `a*b` stays code \\| next");
    });

    it("a cell and a code span stay on one line whatever the line ending: LF, CRLF, or a carriage return alone", () => {
        // CommonMark (0.31.2), "Characters and lines": "A line ending is a line feed (U+000A), a carriage return (U+000D) not
        // followed by a line feed, or a carriage return and a following line feed." Any of them left in a cell ends its row.
        // Before: a carriage return alone (a tool's progress output) stayed, and broke the table.
        assert.strictEqual(cell("one\ntwo\r\nthree\rfour"), "one two three four");
        assert.strictEqual(code("one\rtwo"), "`one two`");
        assert.strictEqual(codeSpan("one\r\ntwo\rthree"), "`one two three`");
    });

    it("a long cell is cut between whole characters: an emoji across the cut is left out, never half of it (U+FFFD on GitHub)", () => {
        for (const before of [298, 299]) {
            const cut = cell(`${"a".repeat(before)}🚀🚀 tail`, 300);
            assert.doesNotMatch(cut, LONE_SURROGATE, `${before} characters before the emoji`);
            assert.ok(cut.endsWith("…") && cut.length <= 300, `${before}: ${cut.length} units, ends ${JSON.stringify(cut.slice(-3))}`);
        }
    });

    // Before: the last-resort cut (text no row cut can shorten is longer than the limit) sliced by UTF-16 units.
    it("the last-resort cut of a rendering that no left-out row can shorten leaves no half of an emoji", () => {
        const preview = parsePreviewDigest(JSON.stringify({ steps: [], changeSummary: { same: 60 } }), "preview.json");
        const input = { stack: "dev", preview, policyEvents: [], cost: {}, image: { unknown: "🚀".repeat(3000) } };
        for (const characters of [2000, 2001]) {
            const { body } = renderWithin(input, { characters, name: "a test's limit" });
            assert.ok(body.length <= characters, `${body.length} characters`);
            assert.doesNotMatch(body, LONE_SURROGATE, `limit ${characters}`);
            assert.match(body, /_… cut at a test's limit\._\n$/);
        }
    });

    it("a resource whose protection is turned off (a `same` step the CLI lists for that alone) is a row, not 'no resource changes'", () => {
        // pulumi preview --json lists a `same` step only when Old.Protect != New.Protect (pkg/backend/display shouldShow);
        // ResourceV3 leaves `protect` out when false.
        const urn = "urn:pulumi:prod::multicloud-service::multicloud:gcp:CloudRunGcsService$gcp:storage/bucket:Bucket::objects";
        const state = { urn, type: "gcp:storage/bucket:Bucket", inputs: {}, outputs: {} };
        const preview = { steps: [{ op: "same", urn, oldState: { ...state, protect: true }, newState: state }, { op: "same", urn: `${urn}-logs`, oldState: state, newState: state }] };
        assert.deepStrictEqual(resourceChanges(parsePreviewDigest(JSON.stringify(preview))), [{ op: "update", type: "gcp:storage/bucket:Bucket", name: "objects", keys: ["protect (turned off)"] }]);
        // Turned off beside an update of the same resource: both on its row.
        const update = { steps: [{ op: "update", urn, oldState: { ...state, protect: true }, newState: state, diffReasons: ["labels"], detailedDiff: { labels: { kind: "update" } } }] };
        assert.deepStrictEqual(resourceChanges(parsePreviewDigest(JSON.stringify(update)))[0].keys, ["labels", "protect (turned off)"]);
    });

    it("the image's production package changes and base image, from app/package-lock.json and app/Dockerfile, base vs head", () => {
        const image = section(
            comment("docs-only", { base: checkout("dev", undefined, fixture("image", "base", "app")), head: checkout("dev", undefined, fixture("image", "head", "app")) }),
            "Image",
        );
        assert.match(image, /Base image: `public\.ecr\.aws\/lambda\/nodejs:24@sha256:486431fa[0-9a-f]+` → `public\.ecr\.aws\/lambda\/nodejs:24@sha256:9b1f0c3e[0-9a-f]+`/);
        const rows = image.split("\n").filter((l) => l.startsWith("| `"));
        assert.deepStrictEqual(rows, [
            "| `hono` | upgraded | 4.13.19 | 4.14.0 |",
            "| `lru-cache` | removed | 11.5.3 |  |",
            "| `rate-limiter-flexible` | added |  | 11.4.0 |",
        ]);
    });

    it("the image's production packages are what app/package.json depends on and their dependencies; its dev tools are not", () => {
        const app = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "app", "package.json"), "utf8"));
        const packages = productionPackages(fs.readFileSync(path.join(PROJECT_ROOT, "app", "package-lock.json"), "utf8"));
        for (const [name, version] of Object.entries<string>(app.dependencies)) assert.ok(packages.get(name)?.includes(version), `${name}@${version}`);
        // npm marks what only the dev tools need `dev: true`; @types/node stays, since a production package depends on it.
        const lock = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "app", "package-lock.json"), "utf8"));
        for (const name of Object.keys(app.devDependencies)) assert.strictEqual(packages.has(name), lock.packages[`node_modules/${name}`].dev !== true, name);
        for (const name of ["esbuild", "typescript", "s3rver", "tsx"]) assert.ok(!packages.has(name), `dev tool ${name} counted`);
        assert.ok(packages.size > Object.keys(app.dependencies).length, "transitive dependencies are counted too");
        assert.deepStrictEqual(baseImages(fs.readFileSync(path.join(PROJECT_ROOT, "app", "Dockerfile"), "utf8")).length, 1, "both stages build from the one base image");
    });

    it("a pull request that only refreshes the price table shows what the new prices change (the base priced with its own table)", () => {
        const base = checkout("dev");
        /** The head's table with `fields` set on every figure, as a base checkout may have it. */
        const everyFigure = (fields: Record<string, unknown>) => {
            const table = JSON.parse(JSON.stringify(prices));
            for (const figures of Object.values<any>(table.regions)) for (const figure of Object.values<any>(figures)) Object.assign(figure, fields);
            return table;
        };
        // The base's figures as a refresh writes them: read from the APIs, on their own date.
        const older = everyFigure({ asOf: "2026-11-01", transcribed: undefined });
        older.regions["aws:ap-northeast-1"]["lambda.request"].usd *= 2;
        fs.mkdirSync(path.join(base, "review"));
        fs.writeFileSync(path.join(base, "review", "prices.json"), JSON.stringify(older));
        const cost = section(comment("docs-only", { base }), "Monthly cost");
        assert.match(cost, /\| aws \| Lambda requests \(API and worker\) \| \$0\.\d\d \| \$0\.\d\d \| -\$0\.\d\d \|/);
        assert.doesNotMatch(cost, /No line of the estimate changes/);
        // The head's prices are described as they are; the base's, which differ, apart.
        assert.match(cost, /Prices as of \d{4}-\d{2}-\d{2}, transcribed by hand [^;]*\(`review\/prices\.json`\); the base's as of 2026-11-01, read from the price APIs by npm run prices\./);
        // A refresh that changes only the dates, the figures still transcribed, differs from the head's too.
        fs.writeFileSync(path.join(base, "review", "prices.json"), JSON.stringify(everyFigure({ asOf: "2026-11-01" })));
        assert.match(section(comment("docs-only", { base }), "Monthly cost"), /; the base's as of 2026-11-01, transcribed by hand/);
        // And one that changes only how the figures were had, their dates kept (read from the APIs on the same days).
        fs.writeFileSync(path.join(base, "review", "prices.json"), JSON.stringify(everyFigure({ transcribed: undefined })));
        assert.match(section(comment("docs-only", { base }), "Monthly cost"), /; the base's as of \d{4}-\d{2}-\d{2}, read from the price APIs by npm run prices\./);
        // A base table the head cannot read is set aside for the head's, saying so: the same prices, so nothing changes.
        fs.writeFileSync(path.join(base, "review", "prices.json"), JSON.stringify({ currency: "EUR" }));
        const fallback = section(comment("docs-only", { base }), "Monthly cost");
        assert.match(fallback, /No line of the estimate changes/);
        assert.match(fallback, /the base is priced with the head's table, since its own could not be read: .*review\/prices\.json is not a price table/);
    });

    // Each row's change shows in cents: one that rounds to none would be a row of "$0.00", and the section would no longer say nothing changes.
    it("a line whose cost changes by less than half a cent is no row: the estimate shows no change", () => {
        const base = checkout("dev");
        const nudged = JSON.parse(JSON.stringify(prices));
        // dev's 1,000,000 API requests and its worker's invocations, at a price 0.05% higher: about $0.0001 more.
        nudged.regions["aws:ap-northeast-1"]["lambda.request"].usd *= 1.0005;
        fs.mkdirSync(path.join(base, "review"));
        fs.writeFileSync(path.join(base, "review", "prices.json"), JSON.stringify(nudged));
        const cost = section(comment("docs-only", { base }), "Monthly cost");
        assert.match(cost, /No line of the estimate changes\./);
        assert.doesNotMatch(cost, /\| Lambda requests/);
    });

    it("a package that is a dev dependency and an optional one of a production package (npm's devOptional) counts: production code may load it", () => {
        const lock = {
            lockfileVersion: 3,
            packages: {
                "": { name: "app" },
                "node_modules/hono": { version: "4.14.0" },
                "node_modules/fsevents": { version: "2.3.3", optional: true, devOptional: true },
                "node_modules/typescript": { version: "5.9.3", dev: true },
            },
        };
        assert.deepStrictEqual([...productionPackages(JSON.stringify(lock)).keys()].sort(), ["fsevents", "hono"]);
    });

    it("a package installed under an alias counts by its own name: npm writes that name in its entry", () => {
        // This repository's package-lock.json, as npm wrote it for @isaacs/cliui's "string-width-cjs": "npm:string-width@^4.2.0":
        // "node_modules/string-width-cjs": { "name": "string-width", "version": "4.2.3", ... }. The image holds string-width 4.2.3.
        const lock = { lockfileVersion: 3, packages: { "": { name: "app" }, "node_modules/string-width-cjs": { name: "string-width", version: "4.2.3" } } };
        assert.deepStrictEqual([...productionPackages(JSON.stringify(lock))], [["string-width", ["4.2.3"]]]);
    });

    it("the lockfile's own project is not a package of the image: a version bump of app/package.json changes none", () => {
        // npm's package-lock.json docs: "The root project is typically listed with a key of """; app/package-lock.json's
        // has the app's name and version (1.0.0), which a release may bump.
        const lock = (version: string) => JSON.stringify({ lockfileVersion: 3, packages: { "": { name: "multicloud-reference-service", version }, "node_modules/hono": { version: "4.14.0" } } });
        assert.deepStrictEqual([...productionPackages(lock("1.0.1")).keys()], ["hono"]);
    });

    /** The package changes imageChanges finds between two lockfiles holding these versions (by node_modules path), under one Dockerfile. */
    const packageChanges = (base: Record<string, string>, head: Record<string, string>) => {
        const lock = (versions: Record<string, string>) =>
            JSON.stringify({ lockfileVersion: 3, packages: { "": { name: "app" }, ...Object.fromEntries(Object.entries(versions).map(([where, version]) => [where, { version }])) } });
        const dockerfile = "FROM public.ecr.aws/lambda/nodejs:24\n";
        return imageChanges({ lock: lock(base), dockerfile }, { lock: lock(head), dockerfile }).packages;
    };

    it("a package's change is read in semver order: 9.1.0 to 10.0.0 and a pre-release to its release are upgrades, a release to its pre-release a downgrade, and a package at several versions goes by its newest", async () => {
        // semver.org (2.0.0), 11: "Major, minor, and patch versions are always compared numerically", and "When major,
        // minor, and patch are equal, a pre-release version has lower precedence than a normal version: Example: 1.0.0-alpha < 1.0.0."
        const base = { "node_modules/a": "9.1.0", "node_modules/b": "2.0.0-rc.1", "node_modules/c": "1.0.0", "node_modules/x/node_modules/c": "2.0.0", "node_modules/d": "3.0.0" };
        const head = { "node_modules/a": "10.0.0", "node_modules/b": "2.0.0", "node_modules/c": "1.0.0", "node_modules/x/node_modules/c": "3.0.0", "node_modules/d": "3.0.0-rc.1" };
        assert.deepStrictEqual(packageChanges(base, head), [
            { name: "a", from: "9.1.0", to: "10.0.0", kind: "upgraded" },
            { name: "b", from: "2.0.0-rc.1", to: "2.0.0", kind: "upgraded" },
            { name: "c", from: "1.0.0, 2.0.0", to: "1.0.0, 3.0.0", kind: "upgraded" },
            { name: "d", from: "3.0.0", to: "3.0.0-rc.1", kind: "downgraded" },
        ]);
    });

    it("a package whose newest version stays while another copy of it goes or comes is changed, neither upgraded nor downgraded", async () => {
        // The image still loads the newest copy it loaded before: removing a nested older one is no upgrade.
        const base = { "node_modules/c": "2.0.0", "node_modules/x/node_modules/c": "1.0.0" };
        const head = { "node_modules/c": "2.0.0" };
        assert.deepStrictEqual(packageChanges(base, head), [{ name: "c", from: "1.0.0, 2.0.0", to: "2.0.0", kind: "changed" }]);
        assert.deepStrictEqual(packageChanges(head, base), [{ name: "c", from: "2.0.0", to: "1.0.0, 2.0.0", kind: "changed" }]);
    });

    it("a stage is found by its name in any case, as BuildKit finds it: FROM Build after AS Build is no image", () => {
        // moby/buildkit: parseBuildStageName lower-cases the name after AS (frontend/dockerfile/instructions/parse.go), and
        // findStateByName looks a FROM's name up lower-cased (frontend/dockerfile/dockerfile2llb/convert.go).
        assert.deepStrictEqual(baseImages("FROM public.ecr.aws/lambda/nodejs:24 AS Build\nRUN npm ci\nFROM Build\n"), ["public.ecr.aws/lambda/nodejs:24"]);
    });

    // app/Dockerfile's build stage runs on $BUILDPLATFORM; the fixtures build from the image they run on, so a build
    // stage that was not read still showed the right images there.
    it("a build stage's image is read past its --platform flag: a change to it alone is a base image change", () => {
        const dockerfile = (build: string) => `FROM --platform=$BUILDPLATFORM ${build} AS build\nRUN npm ci\nFROM public.ecr.aws/lambda/nodejs:24\nCOPY --from=build /app /var/task\n`;
        assert.deepStrictEqual(baseImages(dockerfile("node:24")), ["node:24", "public.ecr.aws/lambda/nodejs:24"]);
        const lock = fs.readFileSync(path.join(PROJECT_ROOT, "app", "package-lock.json"), "utf8");
        assert.deepStrictEqual(imageChanges({ lock, dockerfile: dockerfile("node:24") }, { lock, dockerfile: dockerfile("node:22") }).baseImages, {
            from: ["node:24", "public.ecr.aws/lambda/nodejs:24"],
            to: ["node:22", "public.ecr.aws/lambda/nodejs:24"],
        });
    });

    it("a base whose settings the head's schema refuses: its cost is unknown, named, and the comment still renders", () => {
        const base = checkout("dev", (d) => (d["multicloud-service:service"].batchSize = "many"));
        const cost = section(comment("docs-only", { base }), "Monthly cost");
        assert.match(cost, /the base's estimate is unknown: .*multicloud-service:service\.batchSize/);
    });

    it("stays under GitHub's 65,536-character limit, cutting the longest section with a note", () => {
        const preview = parsePreviewDigest(fs.readFileSync(fixture("docs-only", "preview.json"), "utf8"));
        const many = Array.from({ length: 3000 }, (_, i) => {
            const urn = `urn:pulumi:dev::multicloud-service::multicloud:index:LambdaEcrPipeline$aws:cloudwatch/metricAlarm:MetricAlarm::pipeline-alarm-with-a-long-name-${i}`;
            return { op: "create", urn, newState: { urn, type: "aws:cloudwatch/metricAlarm:MetricAlarm", custom: true, inputs: {} } };
        });
        const input = commentInputFromFiles({ stack: "dev", preview: fixture("docs-only", "preview.json"), headRoot: checkout("dev"), baseRoot: checkout("dev") }, prices);
        const manySteps = { ...preview, steps: [...(preview.steps ?? []), ...many] };
        const body = renderComment({ ...input, preview: manySteps, runUrl: "https://github.com/o/r/actions/runs/1" });
        assert.ok(body.length <= GITHUB_COMMENT_LIMIT, `${body.length} characters`);
        assert.match(body, /_… \d+ more rows left out to fit GitHub's comment limit; all of them are in \[the workflow run's summary\]\(https:\/\/github\.com\/o\/r\/actions\/runs\/1\)\._/);
        assert.match(body, /### Monthly cost/, "the other sections stay");
        // What the run's summary gets (review/cli.ts --summary): every row, within a step summary's 1 MiB.
        const summary = renderComment({ ...input, preview: manySteps }, STEP_SUMMARY_LIMIT);
        assert.ok(Buffer.byteLength(summary) <= 1024 * 1024, `${Buffer.byteLength(summary)} bytes`);
        assert.strictEqual(summary.match(/pipeline-alarm-with-a-long-name-\d+/g)?.length, 3000);
        assert.doesNotMatch(summary, /left out/);
    });

    // Before: the cut halved the longest section until the body fit, so a summary that needed a few rows fewer lost half
    // of them, and the comment still said all of them were in the summary.
    it("a rendering keeps as many rows as fit, and a comment says so when the run's summary had to leave some out too", () => {
        const diagnostics = Array.from({ length: 400 }, (_, i) => ({ severity: "error", message: `error: ${"x".repeat(1100)} ${i}` }));
        const preview = parsePreviewDigest(JSON.stringify({ steps: [], diagnostics, changeSummary: { same: 60 } }), "preview.json");
        const input = { stack: "dev", preview, policyEvents: [], cost: {}, runUrl: "https://github.com/o/r/actions/runs/1" };
        const summary = renderWithin({ ...input, runUrl: undefined }, STEP_SUMMARY_LIMIT);
        assert.strictEqual(summary.leftOut, true);
        assert.ok(summary.body.length <= STEP_SUMMARY_LIMIT.characters);
        const kept = summary.body.match(/^\*\*error:\*\*/gm)?.length ?? 0;
        const oneMore = renderWithin({ ...input, runUrl: undefined, preview: { ...preview, diagnostics: preview.diagnostics?.slice(0, kept + 1) } }, STEP_SUMMARY_LIMIT);
        assert.strictEqual(oneMore.leftOut, true, `${kept} kept, and one more would not fit`);
        assert.ok(kept > 300, `${kept} of 400 kept (halving kept 200)`);
        const comment = renderComment({ ...input, summaryHasAll: false }); // as review/cli.ts passes it for that summary
        assert.match(comment, /more errors and warnings left out to fit GitHub's comment limit; more of them are in \[the workflow run's summary\]/);
        assert.match(renderComment(input), /; all of them are in \[the workflow run's summary\]/);
    });

    // The CLI prints one diagnostic per event, however many (pulumi/pulumi pkg/backend/display/json.go): a preview in
    // which every resource fails with a long provider error must still leave room for the sections.
    it("many long errors and warnings are cut like a section's rows, and every section stays", () => {
        const diagnostics = Array.from({ length: 90 }, (_, i) => ({ severity: "warning", message: `warning: ${"a provider's long complaint ".repeat(33)}${i}` }));
        const preview = parsePreviewDigest(JSON.stringify({ steps: [], diagnostics, changeSummary: { same: 60 } }), "preview.json");
        const body = renderComment({ stack: "dev", preview, policyEvents: [], cost: {}, runUrl: "https://github.com/o/r/actions/runs/1" });
        assert.ok(body.length <= GITHUB_COMMENT_LIMIT, `${body.length} characters`);
        for (const title of ["Resource changes", "Policy findings", "IAM permissions", "Monthly cost", "Image"]) assert.match(body, new RegExp(`### ${title}`), title);
        assert.match(body, /_… \d+ more errors and warnings left out to fit GitHub's comment limit; all of them are in \[the workflow run's summary\]/);
        assert.doesNotMatch(body, /cut at GitHub's comment limit/);
    });

    // A resource's own failure says "Preview failed: <provider error>" (sdk/go/common/diag/errors.go) and names the
    // resource only in the diagnostic's `urn` (pkg/display/json.go PreviewDiagnostic).
    it("an error or warning names the resource it is about", () => {
        const urn = "urn:pulumi:dev::multicloud-service::multicloud:index:CloudRunGcsService$gcp:cloudrunv2/service:Service::service";
        const preview = parsePreviewDigest(JSON.stringify({ steps: [], diagnostics: [{ urn, severity: "error", message: "error: Preview failed: googleapi: Error 400: invalid memory\n" }] }), "preview.json");
        const body = renderComment({ stack: "dev", preview, policyEvents: [], cost: {} });
        assert.match(body, /\*\*error:\*\* `gcp:cloudrunv2\/service:Service service`: Preview failed: googleapi: Error 400: invalid memory/);
    });

    // The engine counts every step by its op (pulumi/pulumi pkg/engine/update.go: acts.Ops[op]++), import and read too.
    it("the summary line counts every op the engine counted, not only the usual five", () => {
        const preview = parsePreviewDigest(JSON.stringify({ steps: [], changeSummary: { same: 60, import: 1, update: 2 } }), "preview.json");
        assert.match(renderComment({ stack: "dev", preview, policyEvents: [], cost: {} }), /^update 2 · same 60 · import 1$/m);
    });

    it("policy findings: mandatory first whatever order the pack reported them in, one row per resource a rule failed on", () => {
        const urn = (name: string) => `urn:pulumi:dev::multicloud-service::multicloud:index:LambdaEcrPipeline$aws:lambda/function:Function::${name}`;
        const event = (policyName: string, enforcementLevel: string, name: string) => ({ policyName, policyPackName: "multicloud-service-policies", enforcementLevel, message: `${policyName} failed`, resourceUrn: urn(name) });
        const findings = policyFindings([event("a-advisory-rule", "advisory", "api"), event("z-mandatory-rule", "mandatory", "api"), event("z-mandatory-rule", "mandatory", "worker"), event("z-mandatory-rule", "mandatory", "worker")]);
        assert.deepStrictEqual(
            findings.map((f) => [f.level, f.policy, f.resource]),
            [
                ["mandatory", "z-mandatory-rule", "aws:lambda/function:Function api"],
                ["mandatory", "z-mandatory-rule", "aws:lambda/function:Function worker"],
                ["advisory", "a-advisory-rule", "aws:lambda/function:Function api"],
            ],
            "the same rule on two resources is two rows; the same event twice is one",
        );
    });

    /**
     * A policy event as CI's event log has it (fixtures/README.md: "color": "never", no colour tags, the engine's closing
     * newline), of this repository's pack unless `policyPackName` and `version` say otherwise.
     */
    const policyEventLine = (event: { resourceUrn: string; message: string; policyName: string; policyPackName?: string; version?: string; enforcementLevel?: string }) => {
        const { version = "0.1.0", ...fields } = event;
        return JSON.stringify({ sequence: 1, policyEvent: { color: "never", policyPackName: "multicloud-service", policyPackVersion: version, policyPackVersionTag: version, enforcementLevel: "advisory", ...fields } });
    };
    const eventLog = (...lines: string[]) => parsePolicyEvents(`${lines.join("\n")}\n`, "events.jsonl");
    /** A preview that changes nothing: the comment's policy findings alone. */
    const unchanged = parsePreviewDigest(JSON.stringify({ steps: [], changeSummary: { same: 1 } }), "preview.json");

    it("a policy's report is kept whole: an object-form report of two lines loses neither", () => {
        // @pulumi/policy server.js makeReportViolationFun: `report(text)` is sent as "<description>\n<text>", but
        // `report({ message })` as the message alone, so its first line is the policy's own text, not a description.
        const urn = "urn:pulumi:dev::multicloud-service::aws:s3/bucket:Bucket::objects";
        const message = "bucket objects is public.\nSet a public access block.\n";
        const events = eventLog(policyEventLine({ resourceUrn: urn, message, policyName: "org-rule", policyPackName: "org-pack", version: "1.0.0", enforcementLevel: "mandatory" }));
        assert.deepStrictEqual(events.map((e) => e.message), ["bucket objects is public.\nSet a public access block."]);
        assert.match(section(renderComment({ stack: "dev", preview: unchanged, policyEvents: events, cost: {} }), "Policy findings"), /\| bucket objects is public\. Set a public access block\. \|/);
    });

    describe("findings of this repository's pack: the finding's own text, not the policy's description, fills the cell", () => {
        // @pulumi/policy server.js makeReportViolationFun sends `report(text)` as "<description>\n<text>"; the review
        // knows the descriptions of policy/'s own rules, and no other pack's.
        const descriptionOf = (name: string) => allPolicies.find((p) => p.name === name)!.description;
        const description = descriptionOf("no-wildcard-iam-actions");
        const urn = "urn:pulumi:dev::multicloud-service::multicloud:index:LambdaEcrPipeline$aws:iam/rolePolicy:RolePolicy::pipeline-api";
        const line = (policyPackName: string, policyName: string, message: string) => policyEventLine({ resourceUrn: urn, message, policyName, policyPackName });
        const policySection = (...lines: string[]) => section(renderComment({ stack: "dev", preview: unchanged, policyEvents: eventLog(...lines), cost: {} }), "Policy findings");
        const policyRows = (...lines: string[]) =>
            policySection(...lines)
                .split("\n")
                .filter((l) => l.startsWith("| advisory |"));
        // 470 characters of its own: with the description (about 270) before it, the cell's 500 cut its end off.
        const ownText = `statement DeleteInputPrefix allows the wildcard action s3:Delete on ${"arn:aws:s3:::pipeline-bucket-43d3301/input/ ".repeat(9)}and nothing narrower: LAST-WORDS.`;

        it("a long finding shows its own text, whole, within the cell, and the description once below the table", () => {
            assert.ok(description.length > 200 && ownText.length < 500 && description.length + ownText.length > 500, "the case this is about");
            const body = policySection(line("multicloud-service", "no-wildcard-iam-actions", `${description}\n${ownText}\n`));
            const [row] = body.split("\n").filter((l) => l.startsWith("| advisory |"));
            assert.ok(row.endsWith("| statement DeleteInputPrefix allows the wildcard action s3:Delete on arn:aws:s3:::pipeline-bucket-43d3301/input/ " + "arn:aws:s3:::pipeline-bucket-43d3301/input/ ".repeat(8) + "and nothing narrower: LAST-WORDS. |"), row);
            assert.ok(!row.includes("No IAM statement"), row);
            // The description once, after the table, for the policy whose rows it was taken from.
            assert.strictEqual(body.split("No IAM statement allows an action").length - 1, 1, body);
            assert.match(body, /^- `no-wildcard-iam-actions`: No IAM statement allows an action with a wildcard/m);
        });

        // Before: the descriptions were of every finding, so a policy whose rows were all left out to fit was still described.
        it("a comment that leaves rows out describes only the policies that still have a row", () => {
            const event = (policyName: string, enforcementLevel: string, i: number) =>
                policyEventLine({ resourceUrn: `${urn}-${i}`, message: `${descriptionOf(policyName)}\n${`statement S${i} allows s3:Delete* `.repeat(20)}\n`, policyName, enforcementLevel });
            // Mandatory rows come first, and these are more than fit: the advisory rule's rows, last, are all left out.
            const lines = [...Array.from({ length: 150 }, (_, i) => event("no-wildcard-iam-actions", "mandatory", i)), ...Array.from({ length: 3 }, (_, i) => event("lambda-tracing-active", "advisory", i))];
            const body = renderComment({ stack: "dev", preview: unchanged, policyEvents: eventLog(...lines), cost: {} });
            assert.ok(body.length <= GITHUB_COMMENT_LIMIT, `${body.length} characters`);
            const policies = section(body, "Policy findings");
            assert.match(policies, /_… \d+ more rows left out to fit GitHub's comment limit\._/);
            assert.ok(!policies.includes("| advisory |"), "the case this is about: every lambda-tracing-active row left out");
            assert.ok(policies.includes(`- \`no-wildcard-iam-actions\`: ${cell(descriptionOf("no-wildcard-iam-actions"), 500)}`), policies);
            assert.ok(!body.includes(cell(descriptionOf("lambda-tracing-active"), 500)), policies);
        });

        it("an object-form report of ours longer than the policy's description is kept whole: no description comes off its front", () => {
            // report({ message }): the message alone (makeReportViolationFun), here longer than the description before
            // which nothing was sent, so none of its characters are the description's.
            const own = `statement W allows s3:Get* on ${"arn:aws:s3:::pipeline-bucket-43d3301/input/ ".repeat(8)}and nothing narrower: FIRST-WORDS kept.`;
            assert.ok(own.length > description.length + 1 && !own.startsWith(description), "the case this is about");
            const rows = policyRows(line("multicloud-service", "no-wildcard-iam-actions", `${own}\n`));
            assert.strictEqual(rows.length, 1, rows.join("\n"));
            assert.ok(rows[0].includes(cell(own, 500)), rows[0]);
        });

        it("another pack's finding keeps its first line, even one equal to a description of ours; so does an object-form report", () => {
            const rows = policyRows(
                line("multicloud-service", "no-wildcard-iam-actions", `${description}\nstatement S allows s3:Delete*.\n`),
                line("org-pack", "no-wildcard-iam-actions", `${description}\nstatement T allows s3:Put*.\n`),
                // report({ message }): the message alone, no description line before it (makeReportViolationFun).
                line("multicloud-service", "no-wildcard-iam-actions", "statement U allows s3:Get*.\nNarrow it to the prefix.\n"),
                // report() without text: the description is the whole finding.
                line("multicloud-service", "lambda-tracing-active", "Lambda functions trace with X-Ray (CKV_AWS_50).\n"),
            );
            assert.strictEqual(rows.length, 4, rows.join("\n"));
            assert.ok(rows.some((r) => r.endsWith("| statement S allows s3:Delete\\*. |")), rows.join("\n"));
            assert.ok(rows.some((r) => r.endsWith(`| ${cell(description, 500)} statement T allows s3:Put\\*. |`)), rows.join("\n"));
            assert.ok(rows.some((r) => r.endsWith("| statement U allows s3:Get\\*. Narrow it to the prefix. |")), rows.join("\n"));
            assert.ok(rows.some((r) => r.endsWith("| Lambda functions trace with X-Ray (CKV\\_AWS\\_50). |")), rows.join("\n"));
        });
    });

    it("bad inputs are named: not a preview, a broken event log line", () => {
        assert.throws(() => parsePreviewDigest("[]", "preview.json"), /preview\.json is not the output of pulumi preview --json/);
        assert.throws(() => parsePreviewDigest("Previewing update (dev)", "preview.json"), /preview\.json is not JSON .*pulumi preview --json/);
        assert.throws(() => parsePolicyEvents('{"sequence":0}\n{"policyEvent":{"message":"m"}}\n', "events.jsonl"), /events\.jsonl line 2: a policyEvent without/);
    });

    it("a diagnostic with an empty message (left out of the JSON: `json:\"message,omitempty\"`) is read, not refused", () => {
        const preview = parsePreviewDigest('{"steps":[],"diagnostics":[{"severity":"info"},{"severity":"warning","message":"w"}]}', "preview.json");
        assert.deepStrictEqual(preview.diagnostics?.map((d) => d.message), ["", "w"]);
    });

    describe("IAM changes the comment must not miss (each was shown as no change before)", () => {
        const step = (op: string, type: string, name: string, before?: Record<string, unknown>, after?: Record<string, unknown>) => {
            const urn = `urn:pulumi:dev::multicloud-service::${type}::${name}`;
            return { op, urn, ...(before ? { oldState: { urn, type, inputs: before } } : {}), ...(after ? { newState: { urn, type, inputs: after } } : {}) } as any;
        };

        it("a project-wide GCP grant, whose type name spells IAM as the provider does (gcp:projects/iAMMember:IAMMember)", () => {
            const changes = iamChanges({ steps: [step("create", "gcp:projects/iAMMember:IAMMember", "sa-admin", undefined, { project: "p", role: "roles/storage.admin", member: "serviceAccount:x@p.iam.gserviceaccount.com" })] });
            assert.deepStrictEqual(changes, [{ cloud: "gcp", principal: "serviceAccount:x@p.iam.gserviceaccount.com", added: ["roles/storage.admin on project p"], removed: [] }]);
            const invoker = iamChanges({ steps: [step("create", "gcp:cloudrun/iamMember:IamMember", "public", undefined, { service: "svc", role: "roles/run.invoker", member: "allUsers" })] });
            assert.deepStrictEqual(invoker.map((c) => c.principal), ["allUsers"]);
        });

        it("a Cloud Run service made public by turning its invoker IAM check off (gcp.publicInvoker) shows as an allUsers invoker, and an image change does not", () => {
            const service = { project: "p", location: "asia-northeast1", name: "service-1a2b", invokerIamDisabled: false, template: { containers: [{ image: "a@sha256:1" }] } };
            const [opened] = iamChanges({ steps: [step("update", "gcp:cloudrunv2/service:Service", "service", service, { ...service, invokerIamDisabled: true })] });
            assert.deepStrictEqual(opened, { cloud: "gcp", principal: "allUsers", added: ["roles/run.invoker on name service-1a2b (its invoker IAM check off)"], removed: [] });
            const newImage = { ...service, invokerIamDisabled: true, template: { containers: [{ image: "a@sha256:2" }] } };
            assert.deepStrictEqual(iamChanges({ steps: [step("update", "gcp:cloudrunv2/service:Service", "service", { ...service, invokerIamDisabled: true }, newImage)] }), []);
        });

        it("a Cloud Run service whose invoker IAM check is known only after apply is said to be unknown, not an allUsers invoker taken away", () => {
            // UNKNOWN: what the engine writes for a value not known until apply (review/preview/digest.ts).
            const service = { project: "p", location: "asia-northeast1", name: "service-1a2b", invokerIamDisabled: true };
            const changes = iamChanges({ steps: [step("update", "gcp:cloudrunv2/service:Service", "service", service, { ...service, invokerIamDisabled: UNKNOWN })] });
            assert.deepStrictEqual(changes, [{ cloud: "gcp", principal: "Service service", added: [], removed: [], unknown: "the new grants are known only after apply" }]);
        });

        // aws.lambda.Permission's conditions (@pulumi/aws lambda/permission.d.ts): sourceAccount, principalOrgId,
        // invokedViaFunctionUrl and eventSourceToken narrow who may invoke; taking one off widens the grant.
        it("a Lambda permission's conditions are part of its grant: the program's public URL is 'via its Function URL', and a source account taken off is a change", () => {
            const viaUrl = { function: "api", action: "lambda:InvokeFunction", principal: "*", qualifier: "live", invokedViaFunctionUrl: true };
            const [url] = iamChanges({ steps: [step("create", "aws:lambda/permission:Permission", "url", undefined, viaUrl)] });
            assert.deepStrictEqual(url.added, ["lambda:InvokeFunction by * on live via its Function URL"]);
            const scoped = { function: "api", action: "lambda:InvokeFunction", principal: "events.amazonaws.com", sourceAccount: "111122223333" };
            const [widened] = iamChanges({ steps: [step("replace", "aws:lambda/permission:Permission", "events", scoped, { ...scoped, sourceAccount: undefined })] });
            assert.deepStrictEqual([widened.added, widened.removed], [["lambda:InvokeFunction by events.amazonaws.com"], ["lambda:InvokeFunction by events.amazonaws.com from account 111122223333"]]);
            const [org] = iamChanges({ steps: [step("create", "aws:lambda/permission:Permission", "org", undefined, { ...scoped, sourceAccount: undefined, principal: "*", principalOrgId: "o-abc", eventSourceToken: "amzn1.ask.skill.x" })] });
            assert.deepStrictEqual(org.added, ["lambda:InvokeFunction by * in organization o-abc with an event source token"]);
        });

        it("a condition taken off an AWS statement or a GCP grant widens it", () => {
            const scoped = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:ListBucket", Resource: "arn:aws:s3:::b", Condition: { StringLike: { "s3:prefix": ["input/*"] } } }] });
            const open = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:ListBucket", Resource: "arn:aws:s3:::b" }] });
            const [aws] = iamChanges({ steps: [step("update", "aws:iam/rolePolicy:RolePolicy", "api", { policy: scoped }, { policy: open })] });
            assert.deepStrictEqual([aws.added, aws.removed], [["s3:ListBucket on arn:aws:s3:::b"], ['s3:ListBucket on arn:aws:s3:::b if {"StringLike":{"s3:prefix":["input/*"]}}']]);
            const condition = { title: "only dev's repository", expression: 'resource.name == "r"' };
            const [gcp] = iamChanges({ steps: [step("update", "gcp:projects/iAMMember:IAMMember", "w", { project: "p", role: "roles/artifactregistry.writer", member: "serviceAccount:i", condition }, { project: "p", role: "roles/artifactregistry.writer", member: "serviceAccount:i", condition: { ...condition, expression: "true" } })] });
            assert.deepStrictEqual(gcp.added, ["roles/artifactregistry.writer on project p if only dev's repository: true"]);
        });

        it("a condition written with its keys in another order is the same grant: no change is shown", () => {
            // Several condition operators, or several context keys of one operator, "are evaluated using a logical AND" (IAM User Guide, "Conditions with multiple context keys or values"): their order means nothing.
            const policy = (condition: object) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:ListBucket", Resource: "arn:aws:s3:::b", Condition: condition }] });
            const before = policy({ StringLike: { "s3:prefix": ["input/*"] }, Bool: { "aws:SecureTransport": "true" } });
            const after = policy({ Bool: { "aws:SecureTransport": "true" }, StringLike: { "s3:prefix": ["input/*"] } });
            assert.deepStrictEqual(iamChanges({ steps: [step("update", "aws:iam/rolePolicy:RolePolicy", "api", { policy: before }, { policy: after })] }), []);
        });

        // The program writes a bucket policy (TLS only) and a KMS key policy (the alarm topic's key); opening either is an
        // IAM change as much as a role's, in the same `policy` input (pulumi preview --json shows the inputs as given).
        it("a resource policy opened up (the bucket's, a KMS key's) is a change in who may do what", () => {
            const statement = (s: object) => JSON.stringify({ Version: "2012-10-17", Statement: [s] });
            const tlsOnly = statement({ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"], Condition: { Bool: { "aws:SecureTransport": "false" } } });
            const open = statement({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" });
            const [bucket] = iamChanges({ steps: [step("update", "aws:s3/bucketPolicy:BucketPolicy", "pipeline", { bucket: "b", policy: tlsOnly }, { bucket: "b", policy: open })] });
            assert.strictEqual(bucket.principal, "BucketPolicy pipeline");
            assert.deepStrictEqual(bucket.added, ['s3:GetObject by "*" on arn:aws:s3:::b/*']);
            assert.deepStrictEqual(bucket.removed, ['Deny s3:* by "*" on arn:aws:s3:::b, arn:aws:s3:::b/* if {"Bool":{"aws:SecureTransport":"false"}}']);
            const keyPolicy = statement({ Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" }, Action: ["kms:Decrypt", "kms:GenerateDataKey*"], Resource: "*" });
            const [key] = iamChanges({ steps: [step("update", "aws:kms/key:Key", "alarms", { description: "k" }, { description: "k", policy: keyPolicy })] });
            assert.deepStrictEqual([key.principal, key.added], ["Key alarms", ['kms:Decrypt by {"Service":"cloudwatch.amazonaws.com"} on *', 'kms:GenerateDataKey* by {"Service":"cloudwatch.amazonaws.com"} on *']]);
            assert.deepStrictEqual(iamChanges({ steps: [step("update", "aws:ecr/lifecyclePolicy:LifecyclePolicy", "repo", { policy: "{}" }, { policy: '{"rules":[]}' })] }), [], "a lifecycle policy grants nothing");
        });

        it("a role's trust, boundary and inline policies, and a function anyone may invoke", () => {
            const trust = (service: string) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }] });
            const [role] = iamChanges({ steps: [step("update", "aws:iam/role:Role", "api", { assumeRolePolicy: trust("lambda.amazonaws.com"), permissionsBoundary: "arn:aws:iam::1:policy/b" }, { assumeRolePolicy: trust("ec2.amazonaws.com") })] });
            assert.deepStrictEqual([role.added, role.removed], [['trust: sts:AssumeRole by {"Service":"ec2.amazonaws.com"}'], ["boundary arn:aws:iam::1:policy/b", 'trust: sts:AssumeRole by {"Service":"lambda.amazonaws.com"}']]);
            const [url] = iamChanges({ steps: [step("create", "aws:lambda/permission:Permission", "url", undefined, { function: "api", action: "lambda:InvokeFunctionUrl", principal: "*", functionUrlAuthType: "NONE" })] });
            assert.deepStrictEqual([url.principal, url.added], ["Lambda api", ["lambda:InvokeFunctionUrl by * (NONE)"]]);
        });

        it("a side not known until apply (or shown as [secret]) lists nothing as removed or added", () => {
            const policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }] });
            const unknownNew = (type: string, name: string) => [{ cloud: type.startsWith("aws:") ? "aws" : "gcp", principal: `${type.split(":").pop()} ${name}`, added: [], removed: [], unknown: "the new grants are known only after apply" }];
            for (const hidden of ["04da6b54-80e4-46f7-96ec-b56ff0331ba9", "[secret]"]) {
                assert.deepStrictEqual(iamChanges({ steps: [step("update", "aws:iam/rolePolicy:RolePolicy", "api", { policy }, { policy: hidden })] }), unknownNew("aws:iam/rolePolicy:RolePolicy", "api"), hidden);
                const inline = [{ name: "a", policy }];
                assert.deepStrictEqual(iamChanges({ steps: [step("update", "aws:iam/role:Role", "api", { inlinePolicies: inline }, { inlinePolicies: hidden })] }), unknownNew("aws:iam/role:Role", "api"), `inlinePolicies ${hidden}`);
                const grant = { project: "p", role: "roles/run.invoker", member: "serviceAccount:a", condition: { title: "t", expression: "true" } };
                for (const field of ["member", "role"] as const) {
                    assert.deepStrictEqual(iamChanges({ steps: [step("update", "gcp:projects/iAMMember:IAMMember", "g", grant, { ...grant, [field]: hidden })] }), unknownNew("gcp:projects/iAMMember:IAMMember", "g"), `${field} ${hidden}`);
                }
                assert.deepStrictEqual(iamChanges({ steps: [step("update", "gcp:projects/iAMMember:IAMMember", "g", grant, { ...grant, condition: { title: "t", expression: hidden } })] }), unknownNew("gcp:projects/iAMMember:IAMMember", "g"), `condition ${hidden}`);
            }
        });

        it("an old side the preview hides ([secret]) lists nothing as added: the new grants may all have been there", () => {
            // `pulumi preview --json` writes a secret input as "[secret]" (pulumi/pulumi pkg/backend/display/json.go,
            // massagePropertyValue), on the old side as on the new.
            const policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }] });
            assert.deepStrictEqual(iamChanges({ steps: [step("update", "aws:iam/rolePolicy:RolePolicy", "api", { policy: "[secret]" }, { policy })] }), [
                { cloud: "aws", principal: "RolePolicy api", added: [], removed: [], unknown: "the old grants are known only after apply" },
            ]);
        });

        it("a new grant to a member known only after apply (a service account this change creates) still shows its role", () => {
            const changes = iamChanges({ steps: [step("create", "gcp:projects/iAMMember:IAMMember", "sa-owner", undefined, { project: "p", role: "roles/owner", member: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" })] });
            assert.deepStrictEqual(changes, [{ cloud: "gcp", principal: "member of sa-owner (known after apply)", added: ["roles/owner on project p"], removed: [] }]);
        });

        // `pulumi preview --json` writes a secret input as "[secret]" (pulumi/pulumi pkg/backend/display/json.go,
        // massagePropertyValue): known at the preview, only hidden, so not "known after apply".
        it("a grant whose member or scope is a secret says so, not that it is known after apply", () => {
            const changes = iamChanges({ steps: [step("create", "gcp:storage/bucketIAMMember:BucketIAMMember", "reader", undefined, { bucket: "[secret]", role: "roles/storage.objectViewer", member: "[secret]" })] });
            assert.deepStrictEqual(changes, [{ cloud: "gcp", principal: "member of reader (a secret)", added: ["roles/storage.objectViewer on (bucket: a secret)"], removed: [] }]);
        });

        it("a grant moved to another service account, key or topic is a change, and a policyData that is no policy does not stop the comment", () => {
            const grant = (serviceAccountId: string) => ({ serviceAccountId, role: "roles/iam.serviceAccountUser", member: "serviceAccount:deployer" });
            const [moved] = iamChanges({ steps: [step("replace", "gcp:serviceaccount/iAMMember:IAMMember", "user", grant("runtime"), grant("deployer"))] });
            assert.deepStrictEqual([moved.added, moved.removed], [["roles/iam.serviceAccountUser on serviceAccountId deployer"], ["roles/iam.serviceAccountUser on serviceAccountId runtime"]]);
            const broken = iamChanges({ steps: [step("create", "gcp:projects/iAMPolicy:IAMPolicy", "p", undefined, { project: "p", policyData: "not json" })] });
            assert.deepStrictEqual(broken.map((c) => c.unknown), ["the new grants are known only after apply"]);
        });

        // The module's sources of AWS grants: identity policies, the resource policies it names, a role's own inline and
        // managed policies; NotAction and NotResource statements named as such; a Lambda permission's source.
        it("every AWS source of grants it names is read: a widened statement in each is an added grant", () => {
            const doc = (s: object) => JSON.stringify({ Version: "2012-10-17", Statement: [s] });
            const narrow = doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::1:root" }, Action: "x:Get", Resource: "arn:r" });
            const wide = doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::1:root" }, Action: ["x:Get", "x:Put"], Resource: "arn:r" });
            for (const type of ["aws:iam/policy:Policy", "aws:sns/topicPolicy:TopicPolicy", "aws:sqs/queuePolicy:QueuePolicy", "aws:ecr/repositoryPolicy:RepositoryPolicy", "aws:secretsmanager/secretPolicy:SecretPolicy"]) {
                const changes = iamChanges({ steps: [step("update", type, "p", { policy: narrow }, { policy: wide })] });
                assert.deepStrictEqual(changes.map((c) => c.added), [['x:Put by {"AWS":"arn:aws:iam::1:root"} on arn:r']], type);
            }
            // Allow with NotAction is every action but those; NotResource every resource but those.
            const notAction = doc({ Effect: "Allow", NotAction: "iam:*", Resource: "*" });
            const notResource = doc({ Effect: "Allow", Action: "s3:GetObject", NotResource: "arn:aws:s3:::secret/*" });
            const [all] = iamChanges({ steps: [step("create", "aws:iam/rolePolicy:RolePolicy", "api", undefined, { policy: notAction })] });
            assert.deepStrictEqual(all.added, ["NotAction iam:* on *"]);
            const [except] = iamChanges({ steps: [step("create", "aws:iam/rolePolicy:RolePolicy", "api", undefined, { policy: notResource })] });
            assert.deepStrictEqual(except.added, ["s3:GetObject on not arn:aws:s3:::secret/*"]);
            // A role's own inline and managed policies.
            const inline = doc({ Effect: "Allow", Action: "s3:PutObject", Resource: "arn:aws:s3:::b/*" });
            const [role] = iamChanges({ steps: [step("update", "aws:iam/role:Role", "api", {}, { inlinePolicies: [{ name: "w", policy: inline }], managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] })] });
            assert.deepStrictEqual(role.added, ["attached arn:aws:iam::aws:policy/AdministratorAccess", "inline w: s3:PutObject on arn:aws:s3:::b/*"]);
            // A Lambda permission's source ARN taken off lets any source of that service invoke.
            const fromRule = { function: "api", action: "lambda:InvokeFunction", principal: "events.amazonaws.com", sourceArn: "arn:aws:events:r:1:rule/x" };
            const [widened] = iamChanges({ steps: [step("replace", "aws:lambda/permission:Permission", "events", fromRule, { ...fromRule, sourceArn: undefined })] });
            assert.deepStrictEqual([widened.added, widened.removed], [["lambda:InvokeFunction by events.amazonaws.com"], ["lambda:InvokeFunction by events.amazonaws.com from arn:aws:events:r:1:rule/x"]]);
        });

        it("GCP bindings' members and an IAM policy's conditions are read", () => {
            const [binding] = iamChanges({ steps: [step("update", "gcp:storage/bucketIAMBinding:BucketIAMBinding", "b", { bucket: "objects", role: "roles/storage.objectViewer", members: ["serviceAccount:a"] }, { bucket: "objects", role: "roles/storage.objectViewer", members: ["serviceAccount:a", "allUsers"] })] });
            assert.deepStrictEqual([binding.principal, binding.added], ["allUsers", ["roles/storage.objectViewer on bucket objects"]]);
            const policy = (condition?: object) => JSON.stringify({ bindings: [{ role: "roles/run.invoker", members: ["serviceAccount:a"], ...(condition ? { condition } : {}) }] });
            const condition = { title: "office hours", expression: "request.time.getHours() < 18" };
            const [opened] = iamChanges({ steps: [step("update", "gcp:projects/iAMPolicy:IAMPolicy", "p", { project: "p", policyData: policy(condition) }, { project: "p", policyData: policy() })] });
            assert.deepStrictEqual([opened.added, opened.removed], [["roles/run.invoker on project p"], ["roles/run.invoker on project p if office hours: request.time.getHours() < 18"]]);
        });

        it("a principal named with a | keeps the IAM table's columns: the grant stays under Added", () => {
            // A resource's name is any non-empty string (@pulumi/pulumi resource.js: only a missing name is refused).
            const policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }] });
            const steps = [step("create", "aws:iam/rolePolicy:RolePolicy", "api|worker", undefined, { policy })];
            const preview = parsePreviewDigest(JSON.stringify({ steps, changeSummary: { create: 1 }, duration: 1 }), "preview.json");
            const iam = section(renderComment({ stack: "dev", preview, policyEvents: [], cost: {} }), "IAM permissions");
            assert.ok(iam.includes("| aws | RolePolicy api\\|worker | `s3:GetObject on arn:aws:s3:::b/*` |  |"), iam);
        });

        it("a deleted grant is removed; a replacement shown in three steps that keeps its grants changes none", () => {
            const [deleted] = iamChanges({ steps: [step("delete", "gcp:projects/iAMMember:IAMMember", "g", { project: "p", role: "roles/editor", member: "serviceAccount:a" })] });
            assert.deepStrictEqual([deleted.principal, deleted.added, deleted.removed], ["serviceAccount:a", [], ["roles/editor on project p"]]);
            // A role policy replaced for its new name (--show-replacement-steps): the same role, the same statements.
            const policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }] });
            const [before, after] = [{ role: "api", name: "old", policy }, { role: "api", name: "new", policy }];
            const type = "aws:iam/rolePolicy:RolePolicy";
            const steps = [step("create-replacement", type, "api", before, after), step("replace", type, "api", before, after), step("delete-replaced", type, "api", before)];
            assert.deepStrictEqual(iamChanges({ steps }), []);
        });
    });

    it("a failed preview says what is unknown instead of 'no changes' and 'no violations', and its error once", () => {
        // The engine stops registering on an error and runs no stack policies (pulumi/pulumi deployment_executor.go);
        // the CLI starts the diagnostic's message with "error: " itself (pkg/backend/display/json.go).
        // The summary event still comes (pkg/engine/deployment.go): the digest has its duration.
        const preview = parsePreviewDigest(JSON.stringify({ steps: [], diagnostics: [{ severity: "error", message: "error: preview failed\n" }], duration: 1_200_000_000 }), "preview.json");
        const body = renderComment({ stack: "dev", preview, policyEvents: [], cost: {} });
        assert.ok(!/no changes|no policy violations|no resource changes|no permission is added or removed/i.test(body), body);
        assert.match(body, /^the preview failed$/m);
        assert.match(section(body, "Policy findings"), /Unknown: the preview failed before the policy pack could check the whole stack/);
        assert.match(body, /\*\*error:\*\* preview failed/);
        assert.ok(!body.includes("error:** error:"), body);
    });

    // ShowPreviewDigest (pulumi/pulumi pkg/backend/display/json.go) prints the digest whatever happened, every field
    // `omitempty`: a preview that failed before the engine ran its program (a policy pack that would not start, a
    // plugin or source error) prints `{}`, with no summary event (pkg/engine/deployment.go emits it only after running).
    it("a preview that never ran (its digest `{}`, no summary) says everything is unknown, not 'no changes'", () => {
        const body = renderComment({ stack: "dev", preview: parsePreviewDigest("{}", "preview.json"), policyEvents: parsePolicyEvents("", "events.jsonl"), cost: {} });
        assert.ok(!/no changes|no policy violations|no resource changes|no permission is added or removed/i.test(body), body);
        assert.match(body, /^the preview did not run: its output has no summary \(the job's log says why\)$/m);
        assert.match(section(body, "Resource changes"), /Unknown: the preview did not run/);
        assert.match(section(body, "Policy findings"), /Unknown: the preview did not run/);
        assert.match(section(body, "IAM permissions"), /Unknown: the preview did not run/);
    });

    it("a failed preview's changes are marked partial; a warning alone does not fail it; a provider error beside the closing verdict is not a policy refusal", () => {
        const urn = "urn:pulumi:dev::multicloud-service::gcp:storage/bucket:Bucket::objects";
        const steps = [{ op: "update", urn, oldState: { urn, type: "gcp:storage/bucket:Bucket", inputs: {} }, newState: { urn, type: "gcp:storage/bucket:Bucket", inputs: {} }, diffReasons: ["labels"] }];
        const preview = (diagnostics: object[]) => parsePreviewDigest(JSON.stringify({ steps, diagnostics, changeSummary: { update: 1 }, duration: 1 }), "preview.json");
        const mandatory = [{ policyName: "r", policyPackName: "multicloud-service", enforcementLevel: "mandatory", message: "no", resourceUrn: urn }] as any;
        // An error the engine stopped on: the changes shown are only those before it.
        const stopped = renderComment({ stack: "dev", preview: preview([{ severity: "error", message: "error: googleapi: 403\n", urn }, { severity: "error", message: "error: preview failed\n" }]), policyEvents: mandatory, cost: {} });
        assert.match(section(stopped, "Resource changes"), /The preview failed: these are only the changes it showed before it stopped\./);
        assert.match(stopped, /^the preview failed; before it stopped: update 1$/m);
        // A warning is not an error: the preview is complete.
        const warned = renderComment({ stack: "dev", preview: preview([{ severity: "warning", message: "a deprecated input", urn }]), policyEvents: [], cost: {} });
        assert.match(warned, /^update 1$/m);
        assert.doesNotMatch(warned, /The preview failed/);
    });

    it("resource changes: a replacement names only the inputs that force it, whichever step says so; destructive changes first", () => {
        const urn = (type: string, name: string) => `urn:pulumi:dev::multicloud-service::${type}::${name}`;
        const state = (u: string) => ({ urn: u, type: "t", inputs: {} });
        const step = (op: string, type: string, name: string, extra: object = {}) => ({ op, urn: urn(type, name), oldState: state(urn(type, name)), newState: state(urn(type, name)), ...extra });
        const preview = parsePreviewDigest(
            JSON.stringify({
                steps: [
                    step("create", "aws:s3/bucket:Bucket", "a"),
                    step("update", "aws:s3/bucket:Bucket", "b", { diffReasons: ["tags"] }),
                    step("delete", "aws:s3/bucket:Bucket", "c"),
                    // A detailed diff: the update-replace kind forces it, the plain update does not.
                    step("replace", "aws:lambda/function:Function", "d", { detailedDiff: { name: { kind: "update-replace" }, memorySize: { kind: "update" } } }),
                    // No detailed diff: the replace reasons, not every input that differs.
                    step("replace", "aws:lambda/function:Function", "e", { replaceReasons: ["name"], diffReasons: ["name", "memorySize"] }),
                    step("import-replacement", "aws:s3/bucket:Bucket", "f"),
                ],
            }),
            "preview.json",
        );
        assert.deepStrictEqual(
            resourceChanges(preview).map((c) => [c.op, c.name, c.keys]),
            [["replace", "d", ["name"]], ["replace", "e", ["name"]], ["replace", "f", []], ["delete", "c", []], ["update", "b", ["tags"]], ["create", "a", []]],
        );
    });

    it("policy findings at Pulumi's remediate level stay remediate, below mandatory and above advisory", () => {
        const event = (policyName: string, enforcementLevel: string) => ({ policyName, policyPackName: "org-pack", enforcementLevel, message: `${policyName} failed` });
        assert.deepStrictEqual(
            policyFindings([event("a", "advisory"), event("b", "remediate"), event("c", "mandatory")]).map((f) => [f.level, f.policy]),
            [["mandatory", "c"], ["remediate", "b"], ["advisory", "a"]],
        );
    });

    it("grants not known until apply are said to be so, in the change and in its row (a new role's policy reads another resource's output)", () => {
        const urn = "urn:pulumi:dev::multicloud-service::multicloud:index:LambdaEcrPipeline$aws:iam/rolePolicy:RolePolicy::pipeline-new";
        const steps = [{ op: "create", urn, newState: { urn, type: "aws:iam/rolePolicy:RolePolicy", inputs: { policy: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" } } }];
        assert.deepStrictEqual(iamChanges({ steps }), [{ cloud: "aws", principal: "RolePolicy pipeline-new", added: [], removed: [], unknown: "the new grants are known only after apply" }]);
        const preview = parsePreviewDigest(JSON.stringify({ steps, changeSummary: { create: 1 }, duration: 1 }), "preview.json");
        assert.match(section(renderComment({ stack: "dev", preview, policyEvents: [], cost: {} }), "IAM permissions"), /\| aws \| RolePolicy pipeline-new \| _the new grants are known only after apply_ \|/);
    });
});
