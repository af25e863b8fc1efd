import { answerExcerpt } from "../answerExcerpt";
import { refusal } from "../refusal";

/**
 * A Google API's 200 answer that is not what was asked for: read as NOT_FOUND or as an empty list it let a check pass
 * or wait on something that is there, so it is refused, quoted, with the read again and the gcloud command as remedy.
 */
export interface UnreadableAnswer {
    /** Who answered what, and what the answer lacks: "Artifact Registry answered tag c-1 of <image> with no version ...". */
    answered: string;
    /** The answer as it came, quoted by answerExcerpt. */
    answer: unknown;
    /** A readable answer, for "neither <a tag> nor NOT_FOUND"; left out where NOT_FOUND is refused in words of its own. */
    neither?: string;
    /** What stays unknown: "whether the tag is there". */
    unknown: string;
    /** Where to look if it stays: "its tags with gcloud artifacts docker tags list <image>". */
    see: string;
}

export function unreadableAnswer({ answered, answer, neither, unknown, see }: UnreadableAnswer): Error {
    const notNotFound = neither ? `, neither ${neither} nor NOT_FOUND` : "";
    return refusal(`${answered} (${answerExcerpt(answer)})${notNotFound}, ${unknownUntilReadAgain(unknown, see)}`);
}

/** The remedy of an answer that leaves `unknown` unknown: read it again, then look with gcloud. */
export function unknownUntilReadAgain(unknown: string, see: string): string {
    return `so ${unknown} is unknown: run this again, and if it stays, see ${see}`;
}
