import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { readStackFileAt } from "../../config/stackFile";
import { scratchDir } from "../harness/tempDirs";

/** A stack file as someone edits it by hand, read as the offline tools (plan, the pull request's cost) read it. */
function stackFile(body: string): string {
    const file = path.join(scratchDir("stack-file"), "Pulumi.dev.yaml");
    fs.writeFileSync(file, `config:\n${body}`);
    return file;
}

describe("stack files read offline as the Pulumi CLI reads them", () => {
    it("a plain number the CLI reads otherwise (a leading 0 is octal, 0b binary, _ dropped: Go's yaml.v3) is named with the CLI's value", () => {
        // gopkg.in/yaml.v3 resolve.go: strconv.ParseInt(strings.Replace(in, "_", "", -1), 0, 64). Before: the plan read
        // 010000 as 10000 while `pulumi up` ran with 4096, and read 1_000 as text.
        const file = stackFile(["  multicloud-service:service:", "    cache: { maxEntries: 010000, ttlSeconds: 3_600 }", "    retentionDays: 30", "  multicloud-service:gcp:", "    registryAccess: { writers: [0b11] }", ""].join("\n"));
        assert.throws(
            () => readStackFileAt(file),
            (err: Error) => {
                assert.strictEqual(
                    err.message,
                    "Pulumi.dev.yaml: " +
                        [
                            "multicloud-service:service.cache.maxEntries is written 010000, which the Pulumi CLI reads as 4096",
                            "multicloud-service:service.cache.ttlSeconds is written 3_600, which the Pulumi CLI reads as 3600",
                            "multicloud-service:gcp.registryAccess.writers[0] is written 0b11, which the Pulumi CLI reads as 3",
                        ]
                            .map((line) => `${line}: write the number you mean in plain digits (no leading 0, 0b or _), or quote it if it is text`)
                            .join("; "),
                );
                return true;
            },
        );
    });

    it("numbers both read alike, and quoted text, pass as they are", () => {
        // 0189 fails Go's octal parse and is the float 189 there (yaml.v3 falls back to ParseFloat); 0008 is octal 8.
        const file = stackFile(["  multicloud-service:service:", '    cache: { maxEntries: 0, ttlSeconds: 089 }', '    label: "010"', "    ratio: 0.5", "    negative: -12", "    date: 2026-12-04", "    octalAlike: [0189, -0189, 0008]", ""].join("\n"));
        const service = JSON.parse(readStackFileAt(file).config["multicloud-service:service"]);
        assert.deepStrictEqual(service, { cache: { maxEntries: 0, ttlSeconds: 89 }, label: "010", ratio: 0.5, negative: -12, date: "2026-12-04", octalAlike: [189, -189, 8] });
    });

    it("YAML that does not parse is named with the parser's reason", () => {
        assert.throws(() => readStackFileAt(stackFile("  a: [1, 2\n")), /^Error: Pulumi\.dev\.yaml is not valid YAML: /);
    });
});
