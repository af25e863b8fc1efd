import { randomBytes } from "node:crypto";

export const MAX_NAME_BYTES = 1024;

/** Why a name cannot be an object name, or undefined when it can. */
export function invalidNameReason(name: string): string | undefined {
    if (name.length === 0) return "is empty";
    if (Buffer.byteLength(name, "utf8") > MAX_NAME_BYTES) return `is longer than ${MAX_NAME_BYTES} bytes`;
    if (/[\u0000-\u001f\u007f]/.test(name)) return "contains a control character";
    if (name.startsWith("/")) return "starts with /";
    if (name.split("/").some((segment) => segment === ".." || segment === ".")) return "contains a . or .. segment";
    if (name.split("/").some((segment) => segment === "")) return "contains an empty segment";
    return undefined;
}

/** Readable numbered names are tried first; after these, a random suffix keeps an upload O(1). */
export const NUMBERED_CANDIDATES = 20;

/**
 * The candidates for an upload under `name`: `report.csv`, then `report-1.csv` ... `report-20.csv`, then
 * `report-<8 random hex>.csv`, so a name uploaded thousands of times never makes an upload scan them all.
 */
export function* candidateNames(name: string): Generator<string> {
    yield name;
    const slash = name.lastIndexOf("/");
    const dot = name.lastIndexOf(".");
    const hasExtension = dot > slash + 1;
    const stem = hasExtension ? name.slice(0, dot) : name;
    const extension = hasExtension ? name.slice(dot) : "";
    for (let n = 1; n <= NUMBERED_CANDIDATES; n++) yield `${stem}-${n}${extension}`;
    for (;;) yield `${stem}-${randomBytes(4).toString("hex")}${extension}`;
}
