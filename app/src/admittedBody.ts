import { ReadAdmission, ReadRefused } from "./readAdmission";

/** A body longer than the length its answer declared: the answer is broken, and a retry may get past it. */
export class LongerThanDeclared extends Error {
    constructor(key: string, declared: number) {
        super(`${key}: the body is longer than the ${declared} bytes its answer declared`);
        this.name = "LongerThanDeclared";
    }
}

/** A body longer than its reader takes (a request body over MAX_BODY_BYTES). */
export class BodyTooLarge extends Error {
    constructor(key: string, maxBytes: number) {
        super(`${key}: the body is longer than ${maxBytes} bytes`);
        this.name = "BodyTooLarge";
    }
}

export interface AdmittedBodyOptions {
    /** The body's length as its answer declares it; undefined when it does not (a chunked or decoded body). */
    declared: number | undefined;
    admit?: ReadAdmission;
    /** The most it may be: past it, BodyTooLarge; a growing buffer never outgrows it. */
    maxBytes?: number;
    /** Sees every chunk, in order, before the next is read. */
    onChunk?: (chunk: Uint8Array) => void;
    /**
     * Lets go of a body that is not read to its end (a refusal, an error), so its connection is not left holding
     * it: an async iterator that has not started cannot be told to stop (return() skips a generator's cleanup).
     */
    stop: () => void;
}

/**
 * A body (an object's, a request's) read into one buffer. With its length declared, `admit` is asked for all of it
 * before the first byte is read and the buffer is allocated once, so the bytes are never held twice (as chunks, then
 * joined); without, the buffer doubles as the body arrives and `admit` is asked for each new size. A refusal stops
 * the body and throws ReadRefused.
 */
export async function readAdmittedBody(
    key: string,
    body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
    { declared, admit = () => true, maxBytes = Infinity, onChunk, stop }: AdmittedBodyOptions,
): Promise<Uint8Array> {
    try {
        if (declared !== undefined && !admit(declared)) throw new ReadRefused(key, declared);
        // Not zero-filled (only the bytes read are returned, subarray to `length`), and never a slice of Node's shared pool.
        let buffer: Uint8Array = Buffer.allocUnsafeSlow(declared ?? 0);
        let length = 0;
        for await (const chunk of body) {
            onChunk?.(chunk);
            if (length + chunk.byteLength > maxBytes) throw new BodyTooLarge(key, maxBytes);
            if (length + chunk.byteLength > buffer.byteLength) {
                if (declared !== undefined) throw new LongerThanDeclared(key, declared);
                // Doubling may ask more than fits while the body itself still would: then only what it needs so far.
                const needed = length + chunk.byteLength;
                let size = Math.min(maxBytes, Math.max(buffer.byteLength * 2, needed));
                if (!admit(size)) {
                    if (!admit(needed)) throw new ReadRefused(key, needed, true);
                    size = needed;
                }
                const grown = Buffer.allocUnsafeSlow(size);
                grown.set(buffer.subarray(0, length));
                buffer = grown;
            }
            buffer.set(chunk, length);
            length += chunk.byteLength;
        }
        return buffer.subarray(0, length);
    } catch (err) {
        stop();
        throw err;
    }
}
