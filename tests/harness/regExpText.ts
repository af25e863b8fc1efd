/** `text` as a regular expression that matches it literally. */
export const regExpText = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
