import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LongerThanDeclared, readAdmittedBody } from "../src/admittedBody";
import { ReadRefused } from "../src/readAdmission";

// How a store reads an object's body (src/admittedBody.ts): admitted before its bytes are held, whole when
// its length is declared (GCS's Content-Length, S3's ContentLength), as it grows when not (a chunked answer).

const KiB = 1024;

/** A body of `count` chunks of `size` bytes (chunk i filled with i), counting the chunks pulled from it. */
function body(count: number, size: number) {
    const pulled = { chunks: 0 };
    async function* chunks() {
        for (let i = 0; i < count; i++) {
            pulled.chunks++;
            yield new Uint8Array(size).fill(i);
        }
    }
    return { chunks: chunks(), pulled };
}

describe("reading an object's body under an admission", () => {
    it("a declared length is admitted whole before the first chunk is read, into one buffer that every chunk passes through", async () => {
        const { chunks, pulled } = body(4, KiB);
        const asked: { bytes: number; pulledBefore: number }[] = [];
        const seen: number[] = [];
        const got = await readAdmittedBody("k", chunks, {
            declared: 4 * KiB,
            admit: (bytes) => (asked.push({ bytes, pulledBefore: pulled.chunks }), true),
            onChunk: (chunk) => seen.push(chunk[0]),
            stop: () => assert.fail("nothing to stop"),
        });
        assert.deepEqual(asked, [{ bytes: 4 * KiB, pulledBefore: 0 }]);
        assert.deepEqual(seen, [0, 1, 2, 3], "every chunk, in order (the x-goog-hash check)");
        assert.equal(got.byteLength, 4 * KiB);
        assert.equal(got.buffer.byteLength, 4 * KiB, "one buffer of the declared length, not chunks joined into another");
        assert.deepEqual([got[0], got[KiB], got[2 * KiB], got[4 * KiB - 1]], [0, 1, 2, 3]);
    });

    it("a declared length refused: nothing of the body is read, the body is let go, ReadRefused names the bytes", async () => {
        const { chunks, pulled } = body(4, KiB);
        let stopped = 0;
        await assert.rejects(
            readAdmittedBody("input/big.bin", chunks, { declared: 4 * KiB, admit: () => false, stop: () => stopped++ }),
            (err) => err instanceof ReadRefused && err.key === "input/big.bin" && err.bytes === 4 * KiB,
        );
        assert.equal(pulled.chunks, 0);
        assert.equal(stopped, 1);
    });

    it("without a declared length (chunked) the read is admitted as its buffer grows, and refused once it no longer fits", async () => {
        const { chunks, pulled } = body(10, KiB);
        const asked: number[] = [];
        let stopped = 0;
        const fits = 4 * KiB;
        await assert.rejects(
            readAdmittedBody("k", chunks, { declared: undefined, admit: (bytes) => (asked.push(bytes), bytes <= fits), stop: () => stopped++ }),
            (err) => err instanceof ReadRefused && err.bytes === 5 * KiB && err.atLeast,
        );
        assert.deepEqual(asked, [KiB, 2 * KiB, 4 * KiB, 8 * KiB, 5 * KiB], "each new size of the buffer, doubling; then only what had arrived");
        assert.equal(pulled.chunks, 5, "stopped at the chunk that did not fit");
        assert.equal(stopped, 1);
    });

    // A gzip-stored GCS object arrives without a length: a buffer doubled past the budget must not refuse a body
    // that fits, nor name the doubled size as the object's (the route would call it too large for ever).
    it("without a declared length, a body that fits is read though its doubled buffer would not", async () => {
        const { chunks } = body(3, 30);
        const asked: number[] = [];
        const got = await readAdmittedBody("k", chunks, { declared: undefined, admit: (bytes) => (asked.push(bytes), bytes <= 100), stop: () => {} });
        assert.equal(got.byteLength, 90);
        assert.deepEqual(asked, [30, 60, 120, 90]);
    });

    it("without a declared length, what fits is read whole", async () => {
        const { chunks } = body(3, KiB);
        const got = await readAdmittedBody("k", chunks, { declared: undefined, admit: () => true, stop: () => {} });
        assert.deepEqual([got.byteLength, got[0], got[KiB], got[3 * KiB - 1]], [3 * KiB, 0, 1, 2]);
    });

    it("a body longer than its declared length is an error, not bytes past the buffer", async () => {
        const { chunks } = body(3, KiB);
        let stopped = 0;
        await assert.rejects(readAdmittedBody("k", chunks, { declared: 2 * KiB, stop: () => stopped++ }), LongerThanDeclared);
        assert.equal(stopped, 1);
    });
});
