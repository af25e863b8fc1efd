/**
 * Asked before a body's bytes are held (an object a store reads, a request's body): may the read hold `bytes` of
 * them in all? Its whole size before the first byte when it is declared (asked again by a retry, which holds no
 * more), else a growing buffer's size as the body arrives. False refuses: the reader stops and throws ReadRefused.
 * A budget Reservation's holdInAll is one.
 */
export type ReadAdmission = (bytes: number) => boolean;

/**
 * A read its caller's ReadAdmission refused: nothing of it is held, and no storage call failed. `bytes` is the
 * object's size, or with `atLeast` (a body without a declared length) what had arrived when it no longer fitted.
 */
export class ReadRefused extends Error {
    constructor(
        readonly key: string,
        readonly bytes: number,
        readonly atLeast = false,
    ) {
        super(`reading ${key}: ${atLeast ? "at least " : ""}${bytes} bytes not admitted`);
        this.name = "ReadRefused";
    }
}
