/**
 * `Content-Disposition: attachment` for a stored object (RFC 6266), so a browser saves a stored HTML or SVG
 * instead of rendering it. The filename is the name's last segment: a quoted ASCII fallback (anything else,
 * `"`, `\` and `%` replaced by `_`: some browsers percent-decode `filename`), plus `filename*` in RFC 8187's
 * UTF-8 encoding whenever the fallback is not the name itself.
 */
export function attachment(name: string): string {
    const filename = name.slice(name.lastIndexOf("/") + 1);
    const fallback = filename.replace(/[^\x20-\x7e]|["\\%]/gu, "_");
    if (fallback === filename) return `attachment; filename="${filename}"`;
    return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeRfc8187(filename)}`;
}

// RFC 8187 attr-char is encodeURIComponent's unreserved set without ' ( ) *.
const encodeRfc8187 = (value: string) => encodeURIComponent(value).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
