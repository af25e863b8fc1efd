/**
 * text.slice(start, end) with neither end inside a character of two UTF-16 units (an emoji): half of one prints as
 * U+FFFD, in a terminal and on GitHub alike. An end inside such a character leaves that character out.
 */
export function wholeCharacters(text: string, start: number, end: number): string {
    const inside = (i: number) => i > 0 && i < text.length && /[\uDC00-\uDFFF]/.test(text[i]) && /[\uD800-\uDBFF]/.test(text[i - 1]);
    return text.slice(inside(start) ? start + 1 : start, inside(end) ? end - 1 : end);
}
