import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/stackFile";

/*
 * Dependabot's docker ecosystem (.github/dependabot.yml) is what brings the base image's patches: it reads each FROM line
 * with the rule below and, for a tag+digest pin, proposes the digest the same tag names now. A FROM line it cannot read
 * is skipped without a word, and a digest without a tag is resolved against `latest`, not against Node 24. These are
 * dependabot-core's own expressions, translated to JavaScript (Ruby's `[[:alnum:]]` as ASCII; `x` whitespace dropped):
 *
 * docker/lib/dependabot/shared/shared_file_parser.rb
 *   DOMAIN_COMPONENT = /(?:[[:alnum:]]|[[:alnum:]][[[:alnum:]]-]*[[:alnum:]])/
 *   DOMAIN = /(?:#{DOMAIN_COMPONENT}(?:\.#{DOMAIN_COMPONENT})+)/
 *   REGISTRY = /(?<registry>#{DOMAIN}(?::\d+)?)/
 *   NAME_COMPONENT = /(?:[a-z\d]+(?:(?:[._]|__|[-]*)[a-z\d]+)*)/
 *   IMAGE = %r{(?<image>#{NAME_COMPONENT}(?:/#{NAME_COMPONENT})*)}
 *   NAME = /\s+AS\s+(?<name>[\w-]+)/
 * docker/lib/dependabot/docker/file_parser.rb
 *   FROM = /FROM/i
 *   PLATFORM = /--platform\=(?<platform>\S+)/
 *   TAG_NO_PREFIX = /(?<tag>[\w][\w.-]{0,127})/
 *   TAG = /:#{TAG_NO_PREFIX}/
 *   DIGEST = /(?<digest>[0-9a-f]{64})/
 *   FROM_LINE = %r{^#{FROM}\s+(#{PLATFORM}\s+)?(#{REGISTRY}/)?#{IMAGE}#{TAG}?(?:@sha256:#{DIGEST})?#{NAME}?}x
 * docker/lib/dependabot/shared/shared_file_updater.rb (the line it rewrites; the declaration is
 * "<registry>/<image>:<tag>@sha256:<digest>", regex-escaped)
 *   FROM_REGEX = /FROM(\s+--platform\=\S+)?/i
 *   %r{^#{FROM_REGEX}\s+(docker\.io/)?#{escaped_declaration}(?=\s|$)}
 */
const DOMAIN_COMPONENT = "(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])";
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})+)`;
const REGISTRY = `(?<registry>${DOMAIN}(?::\\d+)?)`;
const NAME_COMPONENT = "(?:[a-z\\d]+(?:(?:[._]|__|[-]*)[a-z\\d]+)*)";
const IMAGE = `(?<image>${NAME_COMPONENT}(?:/${NAME_COMPONENT})*)`;
const NAME = "\\s+AS\\s+(?<name>[\\w-]+)";
const FROM = "[Ff][Rr][Oo][Mm]";
const PLATFORM = "--platform=(?<platform>\\S+)";
const TAG = ":(?<tag>[\\w][\\w.-]{0,127})";
const DIGEST = "(?<digest>[0-9a-f]{64})";
const FROM_LINE = new RegExp(`^${FROM}\\s+(${PLATFORM}\\s+)?(${REGISTRY}/)?${IMAGE}(${TAG})?(?:@sha256:${DIGEST})?(${NAME})?`);
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
const rewritten = (declaration: string) => new RegExp(`^${FROM}(\\s+--platform=\\S+)?\\s+(docker\\.io/)?${escape(declaration)}(?=\\s|$)`);

/** What Dependabot makes of each FROM line, or why it would not keep that line's base image current. */
function dependabotReading(dockerfile: string): { line: string; registry?: string; image?: string; tag?: string; digest?: string; problem?: string }[] {
    return dockerfile
        .split("\n")
        .filter((line) => /^\s*FROM\s/i.test(line))
        .map((line) => {
            const match = FROM_LINE.exec(line);
            if (!match) return { line, problem: "Dependabot's file parser does not read this FROM line, and skips it" };
            const { registry, image, tag, digest } = match.groups!;
            if (!tag) return { line, problem: "no tag: Dependabot resolves a digest-only pin against `latest` (update_checker.rb, digest_of(\"latest\"))" };
            if (!digest) return { line, registry, image, tag, problem: "no digest: the build would follow a moved tag" };
            const declaration = `${registry ? `${registry}/` : ""}${image}:${tag}@sha256:${digest}`;
            if (!rewritten(declaration).test(line)) return { line, problem: "Dependabot's file updater would not find this reference to rewrite" };
            return { line, registry, image, tag, digest };
        });
}

describe("app/Dockerfile's base image pins, as Dependabot reads them", () => {
    it("every FROM line is a tag+digest pin of the Lambda Node.js 24 image that Dependabot parses and rewrites", () => {
        const read = dependabotReading(fs.readFileSync(path.join(PROJECT_ROOT, "app", "Dockerfile"), "utf8"));
        assert.strictEqual(read.length, 2, read.map((r) => r.line).join("\n"));
        for (const r of read) {
            assert.strictEqual(r.problem, undefined, `${r.line}: ${r.problem}`);
            assert.deepStrictEqual({ registry: r.registry, image: r.image, tag: r.tag }, { registry: "public.ecr.aws", image: "lambda/nodejs", tag: "24" }, r.line);
        }
        // One dependency, one digest: Dependabot's pull request moves both lines together (it rewrites every line naming the old reference).
        assert.strictEqual(new Set(read.map((r) => r.digest)).size, 1, "both stages use the same digest");
    });

    it("names the FROM forms Dependabot would not keep current", () => {
        const digest = "486431faaa8a45cc6b23c06ce5281670ed98faa7a45f06411121c33b7247df49";
        const problems = (line: string) => dependabotReading(`${line}\n`)[0].problem;
        assert.strictEqual(problems(`FROM --platform=$BUILDPLATFORM public.ecr.aws/lambda/nodejs:24@sha256:${digest} AS build`), undefined);
        assert.match(problems(`FROM public.ecr.aws/lambda/nodejs@sha256:${digest}`)!, /no tag/);
        assert.match(problems("FROM public.ecr.aws/lambda/nodejs:24")!, /no digest/);
        // Two flags: PLATFORM is the only one the parser allows before the reference.
        assert.match(problems(`FROM --platform=linux/arm64 --quiet public.ecr.aws/lambda/nodejs:24@sha256:${digest}`)!, /does not read/);
        assert.match(problems("FROM ${BASE_IMAGE}")!, /does not read/);
    });
});
