import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { existingStackFile, readStackFileAt } from "../../config/stackFile";
import { StackFileRefusal } from "../../config/stackFileRefusal";
import { scratchDir } from "../harness/tempDirs";

/** A stack file as someone edits it by hand, read as the offline tools (plan, the pull request's cost) read it. */
function stackFile(body: string): string {
    const file = path.join(scratchDir("stack-file"), "Pulumi.dev.yaml");
    fs.writeFileSync(file, `config:\n${body}`);
    return file;
}

/** The whole refusal a stack file gets: each line, with the advice every line of its kind ends with. */
function refusedNaming(file: string, advice: string, lines: string[]): void {
    assert.throws(() => readStackFileAt(file), (err: Error) => (assert.strictEqual(err.message, `Pulumi.dev.yaml: ${lines.map((line) => `${line}: ${advice}`).join("; ")}`), true));
}

describe("stack files read offline as the Pulumi CLI reads them", () => {
    it("a plain number the CLI reads otherwise (a leading 0 is octal, 0b binary, _ dropped: Go's yaml.v3) is named with the CLI's value", () => {
        // gopkg.in/yaml.v3 resolve.go: strconv.ParseInt(strings.Replace(in, "_", "", -1), 0, 64). Before: the plan read
        // 010000 as 10000 while `pulumi up` ran with 4096, and read 1_000 as text.
        const file = stackFile(["  multicloud-service:service:", "    cache: { maxEntries: 010000, ttlSeconds: 3_600 }", "    retentionDays: 30", "  multicloud-service:gcp:", "    registryAccess: { writers: [0b11] }", ""].join("\n"));
        refusedNaming(file, "write the number you mean in plain decimal digits (no leading 0, 0b, 0o, signed 0x or _), or quote it if it is text", [
            "multicloud-service:service.cache.maxEntries is written 010000, which the Pulumi CLI reads as 4096",
            "multicloud-service:service.cache.ttlSeconds is written 3_600, which the Pulumi CLI reads as 3600",
            "multicloud-service:gcp.registryAccess.writers[0] is written 0b11, which the Pulumi CLI reads as 3",
        ]);
    });

    it("floats with _, signed and capital base prefixes are named with the CLI's value too", () => {
        // yaml.v3 resolve.go drops every _ before ParseInt(…, 0, 64) and its ParseFloat fallback, and Go's base 0 takes a
        // sign and 0X/0O/0B. Before: 1_0.5, -0x1F, 0X1F, 0O17 and -0b11 passed as text here and ran as numbers there.
        const file = stackFile(["  multicloud-service:service:", "    values: [1_0.5, -0x1F, 0X1F, 0O17, -0b11, +0o7, 0x_1F]", ""].join("\n"));
        assert.throws(
            () => readStackFileAt(file),
            (err: Error) => {
                const named = [...err.message.matchAll(/written (\S+), which the Pulumi CLI reads as (\S+):/g)].map(([, written, cli]) => `${written}=${cli}`);
                assert.deepStrictEqual(named, ["1_0.5=10.5", "-0x1F=-31", "0X1F=31", "0O17=15", "-0b11=-3", "+0o7=7", "0x_1F=31"]);
                return true;
            },
        );
    });

    it("floats after a dot, floats past float64, ±.inf/.nan and 0b/0o with a sign after the prefix are named with what the CLI does", () => {
        // gopkg.in/yaml.v3 resolve.go: a scalar starting with "." is strconv.ParseFloat(in, 64), which takes _ between
        // digits; a ParseFloat out of range fails and the scalar stays text (return strTag, in); .inf/.nan come from its
        // resolve table as ±Inf/NaN, which pulumi/pulumi sdk/go/common/resource/config/object.go MarshalString hands to
        // json.Marshal ("json: unsupported value"); after a lowercase 0b/0o it tries ParseInt(plain[2:], 2 or 8, 64),
        // which takes a sign. The `yaml` package here reads .5_0 and 0b-101 as text, 1e400 and .inf as Infinity (null in JSON).
        const file = stackFile(["  multicloud-service:service:", "    values: [.5_0, 1e400, .1e400, 0b-101, 0o+17, .5, .5e1]", "  multicloud-service:limit: -.Inf", "  multicloud-service:ratio: .NaN", ""].join("\n"));
        assert.throws(
            () => readStackFileAt(file),
            (err: Error) => {
                const named = err.message.replace(/^Pulumi\.dev\.yaml: /, "").split("; ").map((line) => line.replace(/: write the number you mean .*$/, ""));
                assert.deepStrictEqual(named, [
                    "multicloud-service:service.values[0] is written .5_0, which the Pulumi CLI reads as 0.5",
                    'multicloud-service:service.values[1] is written 1e400, which the Pulumi CLI reads as the text "1e400"',
                    'multicloud-service:service.values[2] is written .1e400, which the Pulumi CLI reads as the text ".1e400"',
                    "multicloud-service:service.values[3] is written 0b-101, which the Pulumi CLI reads as -5",
                    "multicloud-service:service.values[4] is written 0o+17, which the Pulumi CLI reads as 15",
                    "multicloud-service:limit is written -.Inf, which the Pulumi CLI refuses (json: unsupported value: -Inf): a setting cannot be infinite or not a number",
                    "multicloud-service:ratio is written .NaN, which the Pulumi CLI refuses (json: unsupported value: NaN): a setting cannot be infinite or not a number",
                ]);
                return true;
            },
        );
    });

    it("numbers both read alike, and quoted text, pass as they are", () => {
        // 0189 fails Go's octal parse and is the float 189 there (yaml.v3 falls back to ParseFloat); 0008 is octal 8.
        // 24:00:00 and a space-separated time with a zone are no timestamps to yaml.v3 (resolve.go allowedTimestampFormats:
        // time.Parse refuses hour 24, and "2006-1-2 15:4:5.999999999" takes no zone), so both hand them over as text.
        const file = stackFile(["  multicloud-service:service:", '    cache: { maxEntries: 0, ttlSeconds: 089 }', '    label: "010"', "    ratio: 0.5", "    negative: -12", '    date: "2026-12-04"', "    notADate: 2026-02-30", "    notATime: [2026-01-02 24:00:00, 2026-01-02 03:04:05Z]", "    octalAlike: [0189, -0189, 0008]", "    alike: [0x1F, 0o17, 1e3, +.5, -0, 1., 18446744073709551616]", "    tagged: !!str 010", ""].join("\n"));
        const service = JSON.parse(readStackFileAt(file).config["multicloud-service:service"]);
        assert.deepStrictEqual(service, { cache: { maxEntries: 0, ttlSeconds: 89 }, label: "010", ratio: 0.5, negative: -12, date: "2026-12-04", notADate: "2026-02-30", notATime: ["2026-01-02 24:00:00", "2026-01-02 03:04:05Z"], octalAlike: [189, -189, 8], alike: [31, 15, 1000, 0.5, 0, 1, 18446744073709551616], tagged: "010" });
    });

    it("a plain timestamp is named with the text the CLI hands the program", () => {
        // gopkg.in/yaml.v3 resolve.go parseTimestamp resolves unquoted 2006-1-2 (and 2006-1-2T15:4:5Z07:00, 2006-1-2
        // 15:4:5) to a time.Time, set as is for an interface{} (decode.go scalar); pulumi/pulumi
        // sdk/go/common/resource/config/object.go unmarshalObject turns a time.Time into v.String(), so `pulumi up` hands the
        // program "2026-12-06 00:00:00 +0000 UTC" where the plan would read "2026-12-06".
        const file = stackFile(["  multicloud-service:retireAfter: 2026-12-06", "  multicloud-service:window:", "    from: 2026-1-2T03:04:05.50Z", "    to: 2026-01-02 03:04:05", ""].join("\n"));
        refusedNaming(file, "quote it if it is text", [
            'multicloud-service:retireAfter is written 2026-12-06, a timestamp the Pulumi CLI hands the program as "2026-12-06 00:00:00 +0000 UTC"',
            'multicloud-service:window.from is written 2026-1-2T03:04:05.50Z, a timestamp the Pulumi CLI hands the program as "2026-01-02 03:04:05.5 +0000 UTC"',
            'multicloud-service:window.to is written 2026-01-02 03:04:05, a timestamp the Pulumi CLI hands the program as "2026-01-02 03:04:05 +0000 UTC"',
        ]);
    });

    it("an unsigned number above int64 is named with the CLI's value; past uint64 or signed, it is the float both read", () => {
        // yaml.v3 resolve.go: strconv.ParseInt(plain, 0, 64), then strconv.ParseUint(plain, 0, 64), then ParseFloat. Octal
        // 01 followed by 21 zeros is 2^63, one past int64: ParseUint takes it (9223372036854775808), while here it is the
        // decimal 1e21. 01 followed by 21 sevens is 2^64 - 1, uint64's last; 02 followed by 21 zeros (2^64) fails ParseUint
        // too and is the float 2e21, as here. Signed, -2^63 is int64's first, +0 and 21 sevens its last (ParseInt takes a +);
        // one below int64 fails ParseUint (no sign) and is -1e21.
        const file = stackFile(["  multicloud-service:service:", `    values: [01${"0".repeat(21)}, 01${"7".repeat(21)}, 02${"0".repeat(21)}, -01${"0".repeat(21)}, -01${"0".repeat(20)}1, +0${"7".repeat(21)}]`, ""].join("\n"));
        assert.throws(
            () => readStackFileAt(file),
            (err: Error) => {
                const named = [...err.message.matchAll(/\[(\d)\] is written (\S+), which the Pulumi CLI reads as (\S+):/g)].map(([, i, written, cli]) => [i, written, cli]);
                assert.deepStrictEqual(named, [
                    ["0", `01${"0".repeat(21)}`, String(Number(2n ** 63n))],
                    ["1", `01${"7".repeat(21)}`, String(Number(2n ** 64n - 1n))],
                    ["3", `-01${"0".repeat(21)}`, String(Number(-(2n ** 63n)))],
                    ["5", `+0${"7".repeat(21)}`, String(Number(2n ** 63n - 1n))],
                ]);
                return true;
            },
        );
    });

    it("a merge key merges, as the CLI's yaml.v3 merges it", () => {
        // gopkg.in/yaml.v3 decode.go: mapping() sets aside an isMerge key (`<<`) and calls d.merge after the map's own
        // keys, which win; of a list of maps, the first to hold a key wins (mergedFields). Read as written, the plan
        // would show {"<<": {...}, "retentionDays": 7} while `pulumi up` runs with the merged fields.
        const file = stackFile(["  multicloud-service:defaults: &base { retentionDays: 30, tier: standard }", "  multicloud-service:service:", "    <<: [*base, { region: eu, tier: premium }]", "    retentionDays: 7", ""].join("\n"));
        assert.deepStrictEqual(JSON.parse(readStackFileAt(file).config["multicloud-service:service"]), { retentionDays: 7, tier: "standard", region: "eu" });
    });

    it("an alias with no anchor, one inside its own anchor, and a merge key of a scalar are refused in yaml.v3's words, not a TypeError or RangeError", () => {
        // gopkg.in/yaml.v3: parserc.go/yaml.go (*parser).alias "unknown anchor '%s' referenced", decode.go (*decoder).alias
        // "anchor '%s' value contains itself", (*decoder).merge → failWantMap. The `yaml` package here threw a bare
        // ReferenceError and Error from toJS, and made `&x [*x]` a circular value that overflowed the stack later.
        const refusals = ["  a: *nope", "  a: &x [*x]", "  a: &x 1\n  b: { <<: *x }"].map((body) => {
            let err: unknown;
            try {
                readStackFileAt(stackFile(`${body}\n`));
            } catch (thrown) {
                err = thrown;
            }
            assert.ok(err instanceof StackFileRefusal, `${body}: ${String(err)}`);
            return err.message.replace(/\)?: (set the anchor|write the value|merge a map).*$/, "");
        });
        assert.deepStrictEqual(refusals, [
            `Pulumi.dev.yaml: line 2: *nope has no anchor &nope before it (the Pulumi CLI: "yaml: unknown anchor 'nope' referenced"`,
            `Pulumi.dev.yaml: line 2: *x stands inside the value of its own anchor &x (the Pulumi CLI: "yaml: anchor 'x' value contains itself"`,
            `Pulumi.dev.yaml: line 3: a merge key (<<) takes a map, an alias of one, or a list of those (the Pulumi CLI: "yaml: map merge requires map or sequence of maps as the value"`,
        ]);
    });

    it("a config: that is not a mapping, and a key that is a sequence or a mapping, are refused in the CLI's words, not read as keys", () => {
        // pulumi/pulumi sdk/go/common/resource/config/map.go (*Map).UnmarshalYAML wraps gopkg.in/yaml.v3 decode.go
        // (*decoder).terror; (*decoder).mapping fails "invalid map key" for a collection key; encoding/marshal.go adds
        // "invalid YAML file: ". The `yaml` package here read `config: abc` as keys 0, 1, 2, a sequence by its indexes, 5
        // as no config, and a collection key as the text "[ a, b ]" with a Node warning.
        const refusal = (text: string): string => {
            const file = path.join(scratchDir("stack-file"), "Pulumi.dev.yaml");
            fs.writeFileSync(file, text);
            try {
                return `read as ${JSON.stringify(readStackFileAt(file).config)}`;
            } catch (err) {
                assert.ok(err instanceof StackFileRefusal, `${text}: ${String(err)}`);
                return err.message;
            }
        };
        const cli = (what: string) => `(the Pulumi CLI: "invalid YAML file: could not unmarshal map: yaml: unmarshal errors: … cannot unmarshal ${what} into map[string]config.Value"): write each setting as key: value on its own line under config:, or remove config:`;
        assert.deepStrictEqual(
            ["config: abc\n", "config: [a, b]\n", "config: 5\n", "config: longer than ten\n", "name: x\nconfig: false\n", "config: {? [a, b] : 1}\n", "config:\n  service: {? {a: 1} : 1}\n", "config:\n", "config: ~\n"].map(refusal),
            [
                `Pulumi.dev.yaml: line 1: config: is the text "abc", not a mapping of keys to values ${cli("!!str `abc`")}`,
                `Pulumi.dev.yaml: line 1: config: is a sequence, not a mapping of keys to values ${cli("!!seq")}`,
                `Pulumi.dev.yaml: line 1: config: is the number 5, not a mapping of keys to values ${cli("!!int `5`")}`,
                `Pulumi.dev.yaml: line 1: config: is the text "longer than ten", not a mapping of keys to values ${cli("!!str `longer ...`")}`,
                `Pulumi.dev.yaml: line 2: config: is the boolean false, not a mapping of keys to values ${cli("!!bool `false`")}`,
                `Pulumi.dev.yaml: line 1: the key [a, b] is a sequence (the Pulumi CLI: "invalid YAML file: yaml: invalid map key: …"): write the key as text`,
                `Pulumi.dev.yaml: line 2: the key {a: 1} is a mapping (the Pulumi CLI: "invalid YAML file: yaml: invalid map key: …"): write the key as text`,
                "read as {}",
                "read as {}",
            ],
        );
    });

    it("a key that is no text, and a file whose top is no mapping, are refused in the CLI's words, not read as text keys or no config", () => {
        // gopkg.in/yaml.v3 decode.go decodes a mapping with a key not tagged !!str into map[interface{}]interface{}, and
        // its top into []interface {}, string, int...; pulumi/pulumi sdk/go/common/workspace/project.go
        // SimplifyMarshalledValue/SimplifyMarshalledProject refuse them ("%!s(int=1)" is Go's fmt for %s of an int);
        // loaders.go skips a config: that is no map[string]any and config.ParseKey refuses its un-namespaced keys.
        // The `yaml` package here read `1: x` under config: as multicloud-service:1 and `- a` as no config.
        const refusal = (stackText: string, projectText = "name: multicloud-service\n"): string => {
            const folder = scratchDir("stack-file");
            const file = path.join(folder, "Pulumi.dev.yaml");
            fs.writeFileSync(file, stackText);
            fs.writeFileSync(path.join(folder, "Pulumi.yaml"), projectText);
            try {
                return `read as ${JSON.stringify(readStackFileAt(file).config)}`;
            } catch (err) {
                assert.ok(err instanceof StackFileRefusal, `${stackText}: ${String(err)}`);
                return err.message;
            }
        };
        const parseKey = '(the Pulumi CLI: "could not unmarshal map: could not parse … as a configuration key (configuration keys should be of the form `<namespace>:<name>`)", naming this or another key of config:)';
        assert.deepStrictEqual(
            [
                refusal("config:\n  1: x\n"),
                refusal("config:\n  service: x\n  true: y\n"),
                refusal("1.5: x\nconfig: {}\n"),
                refusal("null: x\n"),
                refusal("1e7: x\n"),
                refusal("-0.0: x\n"),
                refusal("config:\n  multicloud-service:tags: {-0.0: a}\n"),
                refusal("config:\n  multicloud-service:tags: {010: a}\n"),
                refusal("config:\n  '1': x\n  !!str 2: y\n"),
                refusal("- a\n"),
                refusal("abc\n"),
                refusal("0x1F\n"),
                refusal("", "- name\n"),
                refusal("", "name: multicloud-service\nFALSE: 1\n"),
            ],
            [
                `Pulumi.dev.yaml: line 2: the key 1 is a Go int, not text ${parseKey}: quote it ('1') or remove it`,
                `Pulumi.dev.yaml: line 3: the key true is a Go bool, not text ${parseKey}: quote it ('true') or remove it`,
                `Pulumi.dev.yaml: line 1: the key 1.5 is a Go float64, not text (the Pulumi CLI: "expected only string keys, got '%!s(float64=1.5)'"): quote it ('1.5') or remove it`,
                `Pulumi.dev.yaml: line 1: the key null is null, not text (the Pulumi CLI: "expected only string keys, got '%!s(<nil>)'"): quote it ('null') or remove it`,
                `Pulumi.dev.yaml: line 1: the key 1e7 is a Go float64, not text (the Pulumi CLI: "expected only string keys, got '%!s(float64=1e+07)'"): quote it ('1e7') or remove it`,
                // strconv.FormatFloat keeps the sign of a negative zero: Go's %v prints -0.
                `Pulumi.dev.yaml: line 1: the key -0.0 is a Go float64, not text (the Pulumi CLI: "expected only string keys, got '%!s(float64=-0)'"): quote it ('-0.0') or remove it`,
                `Pulumi.dev.yaml: line 2: the key -0.0 is a Go float64, not text (the Pulumi CLI: a key made the text Go's %v prints for it, "-0"): quote it ('-0.0') or remove it`,
                `Pulumi.dev.yaml: line 2: the key 010 is a Go int, not text (the Pulumi CLI: a key made the text Go's %v prints for it, "8"): quote it ('010') or remove it`,
                `read as {"multicloud-service:1":"x","multicloud-service:2":"y"}`,
                `Pulumi.dev.yaml: its top is a sequence, not a mapping (the Pulumi CLI: "expected project to be an object, was '[]interface {}'"): write it as key: value lines (config: and its settings)`,
                `Pulumi.dev.yaml: its top is the scalar abc, not a mapping (the Pulumi CLI: "expected project to be an object, was 'string'"): write it as key: value lines (config: and its settings)`,
                `Pulumi.dev.yaml: its top is the scalar 0x1F, not a mapping (the Pulumi CLI: "expected project to be an object, was 'int'"): write it as key: value lines (config: and its settings)`,
                `Pulumi.yaml: its top is a sequence, not a mapping (the Pulumi CLI: "could not validate 'Pulumi.yaml': expected project to be an object, was '[]interface {}'"): write it as key: value lines`,
                `Pulumi.yaml: line 2: the key FALSE is a Go bool, not text (the Pulumi CLI: "could not validate 'Pulumi.yaml': expected only string keys, got '%!s(bool=false)'"): quote it ('FALSE') or remove it`,
            ],
        );
    });

    it("a tagged scalar the CLI reads otherwise or refuses is named", () => {
        // gopkg.in/yaml.v3 resolve.go: the deferred check fails "cannot decode !!str `yes` as a !!bool" (the CLI refuses
        // the file) and makes !!float 5 the float 5 (named as a number); decode.go base64-decodes !!binary. The `yaml` package here keeps
        // the text (or a Buffer) with only a parser warning. !!str, and a tag both readers resolve alike, pass.
        const file = stackFile(["  multicloud-service:service:", "    flags: [!!bool yes, !!float 5, !!binary aGk=, !!str 010, !!int 12]", ""].join("\n"));
        assert.throws(
            () => readStackFileAt(file),
            (err: Error) => {
                const named = [...err.message.matchAll(/([^ ;]+) is written ([^;]+?), a tag/g)].map(([, key, written]) => `${key}=${written}`);
                assert.deepStrictEqual(named, ["multicloud-service:service.flags[0]=!!bool yes", "multicloud-service:service.flags[2]=!!binary aGk="]);
                assert.match(err.message, /flags\[1\] is written 5, which the Pulumi CLI reads as 5: /);
                return true;
            },
        );
    });

    it("a quoted number under a number tag is read as the CLI reads it: !!int \"010\" is 8, named", () => {
        // gopkg.in/yaml.v3 yaml.go indicatedString and resolve.go: a tag resolves a quoted scalar too, so `!!int "010"`
        // is ParseInt("010", 0, 64), octal 8. Before: the quotes kept it from the number check, and the plan ran 10.
        const file = stackFile(["  multicloud-service:service:", '    cache: { maxEntries: !!int "010" }', ""].join("\n"));
        assert.throws(() => readStackFileAt(file), /multicloud-service:service\.cache\.maxEntries is written 010, which the Pulumi CLI reads as 8: /);
    });

    it("YAML that does not parse is named with the parser's reason", () => {
        assert.throws(() => readStackFileAt(stackFile("  a: [1, 2\n")), /^Error: Pulumi\.dev\.yaml is not valid YAML: /);
    });

    // A key written twice is refused, not read as its last value: Go's yaml.v3, which the CLI reads stack files with,
    // refuses a mapping key already defined (decode.go); read here, the plan and the pull request's cost would show one
    // value while `pulumi up` stops.
    it("a key written twice is refused, as the CLI refuses it", () => {
        assert.throws(() => readStackFileAt(stackFile("  multicloud-service:aws:\n    memoryMb: 512\n  multicloud-service:aws:\n    memoryMb: 1024\n")), /^Error: Pulumi\.dev\.yaml is not valid YAML: Map keys must be unique/);
    });

    // The CLI merges Pulumi.yaml's config under the stack's (pulumi/pulumi pkg/workspace/config.go, mergeConfig; the
    // shorthand as sdk/go/common/workspace/project.go's RewriteShorthandConfigValues reads it). Before: the offline tools
    // read only the stack file, so a region set for every stack in Pulumi.yaml was planned, imaged and released in the
    // default region while `pulumi up` deployed to it.
    it("Pulumi.yaml's config applies where the stack file has no value, as the CLI merges it", () => {
        const file = stackFile("  gcp:project: from-the-stack\n  multicloud-service:image:\n    waitMinutes: 5\n  multicloud-service:databaseUrl: postgres://db\n");
        fs.writeFileSync(
            path.join(path.dirname(file), "Pulumi.yaml"),
            [
                "name: multicloud-service",
                "runtime: nodejs",
                "config:",
                "  aws:region: eu-west-1", // another namespace's shorthand: a value
                "  gcp:project: from-the-project", // the stack file's own wins
                "  cost:", // no namespace: the project's, and its default
                "    default:",
                "      assumedTraffic:",
                "        storedGiB: 5",
                "  multicloud-service:image:", // the whole key, not merged field by field
                "    value:",
                "      promoteFrom: dev",
                "  multicloud-service:databaseUrl:", // declared without a value: the stack file's own
                "    type: string",
            ].join("\n"),
        );
        assert.deepStrictEqual(readStackFileAt(file).config, {
            "aws:region": "eu-west-1",
            "gcp:project": "from-the-stack",
            "multicloud-service:cost": JSON.stringify({ assumedTraffic: { storedGiB: 5 } }),
            "multicloud-service:image": JSON.stringify({ waitMinutes: 5 }),
            "multicloud-service:databaseUrl": "postgres://db",
        });
    });

    // A stack's own name, as the tools take it: a fully qualified org/project/stack (or any /) would name a file elsewhere.
    it("a stack name with a / is refused as one, not looked for as a file", () => {
        assert.throws(() => existingStackFile("my-org/multicloud-service/dev"), { message: `"my-org/multicloud-service/dev" is not a stack name: a stack name may only contain alphanumeric, hyphens, underscores, or periods: invalid character '/' at position 6` });
    });

    // Before: node's "EISDIR: illegal operation on a directory, read", naming no path.
    it("a folder where the stack file should be is named as one", () => {
        const folder = scratchDir("stack-folder");
        assert.throws(() => readStackFileAt(folder), { message: `${folder} is a folder, not a stack file (Pulumi.<stack>.yaml)` });
    });

    // The CLI keys a stack file's key without a namespace as the project's, and hands a key with no value over as ""
    // (pulumi/pulumi sdk/go/common/workspace/loaders.go, stackConfigNamespacedWithProject and checkForEmptyConfig).
    // Before, `service:` here was refused as "multicloud-service:service: is required", and `debugLabel:` read as "null".
    it("a key without a namespace is the project's, and a key with no value is empty text, as the CLI reads them", () => {
        const file = stackFile("  image:\n    waitMinutes: 5\n  debugLabel:\n  aws:region: eu-west-1\n");
        fs.writeFileSync(path.join(path.dirname(file), "Pulumi.yaml"), "name: multicloud-service\nruntime: nodejs\n");
        assert.deepStrictEqual(readStackFileAt(file).config, {
            "multicloud-service:image": JSON.stringify({ waitMinutes: 5 }),
            "multicloud-service:debugLabel": "",
            "aws:region": "eu-west-1",
        });
    });
});
