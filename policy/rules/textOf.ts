/**
 * A value from a resource's properties or a parsed JSON document as text, as String() gives it for plain data, without
 * calling anything the data holds: JSON can carry a "toString" or "valueOf" key ({"Action": [{"toString": 1}]}), and
 * String() of such an object throws TypeError "Cannot convert object to primitive value", which fails the preview.
 */
export function textOf(value: unknown): string {
    if (value === null || (typeof value !== "object" && typeof value !== "function")) return String(value);
    // A list as Array.prototype.join writes it (String(["a", "b"]) is "a,b"); any other object as Object.prototype.toString.
    if (Array.isArray(value)) return value.map((e) => (e === null || e === undefined ? "" : textOf(e))).join(",");
    return Object.prototype.toString.call(value);
}
