/**
 * CRC32C (Castagnoli, reflected polynomial 0x82F63B78), as GCS reports it: the four bytes big-endian, base64
 * (https://cloud.google.com/storage/docs/hashes-etags#crc32c; RFC 4960 appendix B). Written here rather than
 * taken from the SDK so that the SDK's own upload and download validation checks the stand-in's value.
 */
const TABLE = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
});

export function crc32c(bytes: Uint8Array): number {
    let crc = 0xffffffff;
    for (const b of bytes) crc = TABLE[(crc ^ b) & 0xff] ^ (crc >>> 8);
    return (crc ^ 0xffffffff) >>> 0;
}

export function crc32cBase64(bytes: Uint8Array): string {
    const out = Buffer.alloc(4);
    out.writeUInt32BE(crc32c(bytes));
    return out.toString("base64");
}
