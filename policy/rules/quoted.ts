import { known } from "./known";

/** What a finding says in place of a value it cannot quote. */
export interface InPlaceOf {
    notKnownYet: string;
    absent: string;
    notText: string;
}

const NOT_KNOWN_YET = Symbol("not known yet");

/** A value a finding can quote as it is: text, or a number or boolean that reads as one. */
export const isText = (value: unknown): value is string | number | boolean => typeof value === "string" || typeof value === "number" || typeof value === "boolean";

/**
 * A property's value as a finding quotes it, and words for one it cannot: String() wrote "undefined" for a role not
 * known yet in a preview ("grants undefined to the public"), and "[object Object]" for a Sid that is an object. An empty
 * string is as absent, which the finding would otherwise quote as nothing.
 */
export function quoted(read: () => unknown, say: InPlaceOf): string {
    const value = known(read, NOT_KNOWN_YET);
    if (value === NOT_KNOWN_YET) return say.notKnownYet;
    if (value === undefined || value === null || (typeof value === "string" && value.trim() === "")) return say.absent;
    return isText(value) ? String(value) : say.notText;
}
