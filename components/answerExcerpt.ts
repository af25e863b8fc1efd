/** How much of a cloud's unreadable answer an error quotes: enough to tell what answered, not a whole listing. */
const EXCERPT_LENGTH = 300;

/** A cloud's answer as JSON, for an error that quotes it, cut to EXCERPT_LENGTH with "..." when longer. */
export function answerExcerpt(answered: unknown): string {
    const json = JSON.stringify(answered) ?? String(answered);
    return json.length > EXCERPT_LENGTH ? `${json.slice(0, EXCERPT_LENGTH - 3)}...` : json;
}
