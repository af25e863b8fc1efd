/** Half of a character of two UTF-16 units (an emoji): printed as U+FFFD in a terminal and on GitHub alike. */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
