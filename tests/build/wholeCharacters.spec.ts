import * as assert from "assert";
import { wholeCharacters } from "../../scripts/build/wholeCharacters";

// Before, only cuts at the end were checked (through the review comment's and the failed update's cuts).
describe("a cut of text keeps whole characters (scripts/build/wholeCharacters.ts)", () => {
    const text = "a😀b😀c"; // each 😀 is two UTF-16 units: a(0) 😀(1,2) b(3) 😀(4,5) c(6)

    it("a start inside a character of two units leaves that character out", () => {
        assert.strictEqual(wholeCharacters(text, 2, 7), "b😀c");
        assert.strictEqual(wholeCharacters(text, 5, 7), "c");
    });

    it("an end inside one leaves it out too; cuts between characters are text.slice", () => {
        assert.strictEqual(wholeCharacters(text, 0, 2), "a");
        assert.strictEqual(wholeCharacters(text, 1, 4), "😀b");
        assert.strictEqual(wholeCharacters(text, 0, 7), text);
    });

    it("never leaves half of a character", () => {
        for (let start = 0; start <= text.length; start++)
            for (let end = start; end <= text.length; end++) assert.ok(!/[\uD800-\uDFFF]/.test(wholeCharacters(text, start, end).replace(/😀/g, "")), `${start}..${end}`);
    });
});
