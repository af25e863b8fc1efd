import * as assert from "assert";
import { execFileSync } from "child_process";
import { PendingCreatesError } from "../../release/stack/pendingOperations";

/**
 * The `pulumi import` a PendingCreatesError prints, run in a POSIX shell (sh) whose `pulumi` prints its arguments,
 * then read as the CLI's flag parser reads them: spf13/pflag flag.go parseArgs, where "--" ends the flags, a word that
 * begins with "-" (and is longer than "-") is a flag, and a long flag without "=" that takes a value (--stack, --parent,
 * --provider: pulumi/pulumi pkg/cmd/pulumi/operations/import.go) takes the next word. What is left are the positional
 * arguments, which import.go reads as `<type> <name> <id>` (makeImportFile(args[0], args[1], args[2], ...)).
 */
function asTheCliReadsIt(command: string): { positional: string[]; flags: Record<string, string> } {
    const printed = execFileSync("sh", ["-c", `pulumi() { printf '%s\\0' "$@"; }; ${command}`], { encoding: "utf8" });
    const [subcommand, ...words] = printed.split("\0").slice(0, -1);
    assert.strictEqual(subcommand, "import");
    const valued = new Set(["--stack", "--parent", "--provider"]);
    const positional: string[] = [];
    const flags: Record<string, string> = {};
    for (let i = 0; i < words.length; i++) {
        const word = words[i];
        if (word === "--") {
            positional.push(...words.slice(i + 1));
            break;
        }
        if (word.length < 2 || !word.startsWith("-")) positional.push(word);
        else if (!word.startsWith("--")) throw new Error(`pflag reads ${JSON.stringify(word)} as shorthand flags: pulumi import refuses an unknown one`);
        else if (word.includes("=")) flags[word.slice(0, word.indexOf("="))] = word.slice(word.indexOf("=") + 1);
        else flags[word] = valued.has(word) ? words[++i] : "true";
    }
    return { positional, flags };
}

const TYPE = "aws:lambda/function:Function";
const PARENT = "urn:pulumi:prod::multicloud-service::multicloud:aws:Service::it's $HOME";
const PROVIDER = "urn:pulumi:prod::multicloud-service::pulumi:providers:aws::default_6_83_0";

describe("the pulumi import a pending import's remedy prints, as a POSIX shell and the CLI read it", () => {
    for (const [name, id] of [
        ["api::v2", "multicloud-prod-api"],
        ["it's the api", "id with spaces"],
        ["$HOME `whoami`", "$(id)"],
        ["-canary", "-x1Yz_"],
    ]) {
        it(`name ${JSON.stringify(name)}, ID ${JSON.stringify(id)}: the type, name and ID arrive whole, in place`, () => {
            const urn = `urn:pulumi:prod::multicloud-service::multicloud:aws:Service$${TYPE}::${name}`;
            const error = new PendingCreatesError("acme/prod", [{ kind: "import", urn, type: TYPE, name, id, parent: PARENT, provider: PROVIDER }]);
            const command = /`(pulumi import [^`]*(?:`[^`]*`[^`]*)*?)`; run each/.exec(error.message)?.[1];
            assert.ok(command, error.message);
            assert.deepStrictEqual(asTheCliReadsIt(command), {
                positional: [TYPE, name, id],
                flags: { "--stack": "acme/prod", "--yes": "true", "--protect": "false", "--generate-code": "false", "--parent": PARENT, "--provider": PROVIDER },
            });
        });
    }
});
