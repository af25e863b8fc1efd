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

/** A timestamp as time.Parse reads it: its wall clock (Go's "2006-01-02 15:04:05.999999999") and its offset as written. */
interface GoTime {
    clock: string;
    zone: string | undefined;
}

/** What parseTimestamp (resolve.go's allowedTimestampFormats) takes, or undefined. */
function goTime(written: string): GoTime | undefined {
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
    return { clock: `${year}-${two(mo)}-${two(d)} ${two(h)}:${two(mi)}:${two(s)}${nanos ? `.${nanos}` : ""}`, zone };
}

/** Go's time.Time.String() of what parseTimestamp takes, or undefined. */
function cliTimestamp(written: string): string | undefined {
    const time = goTime(written);
    if (!time) return undefined;
    // Without an offset, or with Z, time.Parse gives UTC; another offset is a zone named by the offset itself unless
    // it is the CLI machine's own local zone, whose name Go prints instead.
    if (time.zone === undefined || time.zone === "Z") return `${time.clock} +0000 UTC`;
    const offset = time.zone.replace(":", "");
    return `${time.clock} ${offset} ${offset}`;
}

/**
 * The RFC 3339 text json.Marshal and yaml.v3's encoder (encode.go timev) write for what parseTimestamp takes
 * (time.RFC3339Nano: a zero offset is Z), or undefined where it is no timestamp.
 */
export function cliTimestampAsRfc3339(written: string): string | undefined {
    const time = goTime(written);
    if (!time) return undefined;
    const offset = time.zone === undefined || /^[+-]00:00$|^Z$/.test(time.zone) ? "Z" : time.zone;
    return `${time.clock.replace(" ", "T")}${offset}`;
}

/**
 * A time.Time, as yaml.v3 hands it to an interface{} (a plain scalar it resolves as a timestamp, or one tagged
 * !!timestamp): ValidateConfigValue (pulumi/pulumi sdk/go/common/workspace/project.go) takes it as none of the
 * declared types; json.Marshal writes it as `rfc3339`.
 */
export class GoTimestamp {
    constructor(readonly rfc3339: string) {}
}
