import * as fc from "fast-check";

/** Code points below the surrogates (U+0000..U+D7FF), then those above them (U+E000..U+10FFFF): fast-check's "full" alphabet. */
const BELOW_SURROGATES = 0xd800;
const SURROGATES = 0x800;
const CODE_POINTS = 0x110000 - SURROGATES;

/**
 * fast-check's `unit: "binary"` (any code point but a lone surrogate), drawn the same way (fast-check 4
 * lib/cjs/fast-check.js: stringUnit("binary", "full") is mapToConstant over fullAlphabetRanges, a nat mapped to
 * String.fromCodePoint), so a seed gives the same strings. What differs is the way back from a character to its
 * index: fast-check's builds a Map of all 1.1 million code points (buildReverseMapping) the first time fc.string
 * splits its built-in "dangerous strings" into characters, about 2.5 s of CPU per process; this one computes it.
 */
const BINARY_UNIT = fc.nat({ max: CODE_POINTS - 1 }).map(
    (index) => String.fromCodePoint(index < BELOW_SURROGATES ? index : index + SURROGATES),
    (value) => {
        const codePoint = typeof value === "string" ? value.codePointAt(0) : undefined;
        if (codePoint === undefined || String.fromCodePoint(codePoint) !== value || (codePoint >= BELOW_SURROGATES && codePoint < BELOW_SURROGATES + SURROGATES)) {
            throw new Error(`not one code point outside the surrogates: ${JSON.stringify(value)}`);
        }
        return codePoint < BELOW_SURROGATES ? codePoint : codePoint - SURROGATES;
    },
);

/** fc.string({ unit: "binary", ...constraints }), without its 2.5 s first use. */
export function binaryText(constraints: Omit<fc.StringConstraints, "unit"> = {}): fc.Arbitrary<string> {
    return fc.string({ ...constraints, unit: BINARY_UNIT });
}
