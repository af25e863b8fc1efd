import { Document, Scalar } from "yaml";
import { visitValueScalars } from "./yamlValueScalars";

/**
 * Plain scalars the Pulumi CLI reads as timestamps. yaml.v3 (resolve.go, parseTimestamp) resolves an unquoted
 * 2006-1-2, 2006-1-2 15:4:5, or 2006-1-2T15:4:5 with a Z or ±hh:mm offset (fraction optional) to a time.Time for an
 * interface{} target (decode.go scalar: out.Set(reflect.ValueOf(resolved))); pulumi/pulumi
 * sdk/go/common/resource/config/object.go unmarshalObject makes it v.String(), Go's "2006-01-02 15:04:05 -0700 MST".
 * The `yaml` package here keeps the text as written. Returns one line per such scalar.
 */
export function timestampsTheCliReadsOtherwise(document: Document, text: string): string[] {
    const found: string[] = [];
    visitValueScalars(document, (node, keyPath) => {
        if (node.type !== Scalar.PLAIN || node.tag) return;
        const written = text.slice(node.range[0], node.range[1]);
        const cli = cliTimestamp(written);
        if (cli === undefined) return;
        found.push(`${keyPath()} is written ${written}, a timestamp the Pulumi CLI hands the program as "${cli}": quote it if it is text`);
    });
    return found;
}

const GO_TIMESTAMP = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:([Tt])|( ))(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?)?$/;

/** Go's time.Time.String() of what parseTimestamp (resolve.go's allowedTimestampFormats) takes, or undefined. */
function cliTimestamp(written: string): string | undefined {
    const m = GO_TIMESTAMP.exec(written);
    if (!m) return undefined;
    const [, year, month, day, t, space, hour = "0", minute = "0", second = "0", fraction, zone] = m;
    // "2006-1-2T15:4:5.999999999Z07:00" needs its zone; "2006-1-2 15:4:5.999999999" has none.
    if ((t !== undefined && zone === undefined) || (space !== undefined && zone !== undefined)) return undefined;
    const [y, mo, d, h, mi, s] = [year, month, day, hour, minute, second].map(Number);
    const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
    if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth || h > 23 || mi > 59 || s > 59) return undefined;
    const two = (n: number) => String(n).padStart(2, "0");
    const nanos = (fraction ?? "").slice(0, 9).replace(/0+$/, "");
    const clock = `${year}-${two(mo)}-${two(d)} ${two(h)}:${two(mi)}:${two(s)}${nanos ? `.${nanos}` : ""}`;
    // Without an offset, or with Z, time.Parse gives UTC; another offset is a zone named by the offset itself unless
    // it is the CLI machine's own local zone, whose name Go prints instead.
    if (zone === undefined || zone === "Z") return `${clock} +0000 UTC`;
    const offset = zone.replace(":", "");
    return `${clock} ${offset} ${offset}`;
}
