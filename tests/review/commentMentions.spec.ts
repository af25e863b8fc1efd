import * as assert from "assert";
import { cell } from "../../review/comment/markdown";
import { renderComment } from "../../review/comment/render";
import { parsePreviewDigest } from "../../review/preview/digest";

/**
 * GitHub links mentions and issue references in a comment's text after rendering its Markdown, outside code spans and
 * links, whatever backslash came before (GitHub docs, "Autolinked references and URLs": `#26`, `GH-26`,
 * `owner/repo#26`; a mention `@name` or `@org/team` notifies them). The patterns below are those, as renovatebot/renovate's
 * sanitizeMarkdown (lib/util/markdown.ts) breaks them.
 */
const MENTION = /(^|[^A-Za-z0-9`])@[A-Za-z0-9]/;
const REFERENCE = /#\d|\bGH-\d/i;

/** The body's text outside code spans, with backslash escapes taken away as CommonMark does. */
const prose = (body: string) => body.split(/(`+)[^`]*?\1/).join(" ").replace(/\\([!-/:-@[-`{-~])/g, "$1");

describe("review: text from the program cannot mention anyone or link an issue in the comment", () => {
    it("a cell breaks @mentions, team mentions and issue references, and keeps e-mail-like addresses", () => {
        for (const text of ["owner @alice", "@my-org/platform-team", "Cannot find module '@types/node'", "statement #1 allows s3:*", "see GH-12", "my-org/infra#7"]) {
            const shown = prose(cell(text));
            assert.doesNotMatch(shown, MENTION, `${text} -> ${cell(text)}`);
            assert.doesNotMatch(shown, REFERENCE, `${text} -> ${cell(text)}`);
        }
        assert.strictEqual(cell("serviceAccount:api@proj.iam.gserviceaccount.com"), "serviceAccount:api@proj.iam.gserviceaccount.com");
        assert.strictEqual(cell("`@types/node` in code"), "`@types/node` in code");
        // An entity would turn into its character (an `@`) before GitHub looks for mentions: shown as written.
        assert.strictEqual(cell("&commat;bob &#35;1"), "\\&commat;bob \\&#\u200B35;1");
    });

    it("a resource named like a team and a diagnostic naming a scoped package or an issue ping and link nothing", () => {
        const urn = "urn:pulumi:dev::multicloud-service::aws:s3/bucketV2:BucketV2::@my-org/platform-team";
        const preview = parsePreviewDigest(
            JSON.stringify({
                steps: [{ op: "create", urn, newState: { urn, type: "aws:s3/bucketV2:BucketV2", inputs: {} } }],
                diagnostics: [{ severity: "error", message: "error: Cannot find module '@pulumi/aws' (see #1234)" }],
                changeSummary: { create: 1 },
            }),
            "preview.json",
        );
        const body = renderComment({ stack: "dev", preview, policyEvents: [], cost: {} });
        const shown = prose(body);
        assert.doesNotMatch(shown, MENTION, body);
        assert.doesNotMatch(shown, REFERENCE, body);
        assert.match(body, /my-org\/platform-team/);
    });
});
