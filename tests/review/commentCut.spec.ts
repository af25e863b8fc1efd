import * as assert from "assert";
import { cell } from "../../review/comment/markdown";

/**
 * A code span's text is shown as written because it is in a code span; an opening backtick without its closing one is
 * a plain backtick (CommonMark, "Code spans": "if a backtick string is not closed by a matching backtick string, we
 * just have literal backticks"), and the text after it is Markdown and inline HTML again, which GitHub renders.
 */
describe("review: a long cell cut through a code span", () => {
    it("leaves none of the span's text unescaped: no HTML tag, no emphasis after a backtick left open", () => {
        const text = `${"a".repeat(200)} \`<img src="https://example.com/x.png"> **loud** ${"y".repeat(200)}\``;
        const cut = cell(text, 300);
        assert.ok(cut.endsWith("…") && cut.length <= 300, `${cut.length}: ${cut}`);
        const opened = cut.slice(cut.indexOf("`"));
        assert.ok(!/`[^`]*`/.test(cut), "the cut closes no span");
        assert.doesNotMatch(opened, /(^|[^\\\\])<img/, cut);
        assert.doesNotMatch(opened, /(^|[^\\\\])\*\*loud/, cut);
    });

    it("a span the cut leaves whole stays a code span", () => {
        const cut = cell(`\`<b>|</b>\` ${"z".repeat(400)}`, 300);
        assert.ok(cut.startsWith("`<b>\\|</b>` zzz") && cut.endsWith("…") && cut.length <= 300, cut);
    });
});
