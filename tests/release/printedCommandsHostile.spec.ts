import * as assert from "assert";
import * as fc from "fast-check";
import { shellArgument, shellWord } from "../../components/shellWord";
import { removableSubscriptionNotices } from "../../release/alerts/alarmDelivery";
import { deliveryTestCommand } from "../../release/alerts/alarmActions";
import { pulumiImportCommand } from "../../release/stack/pulumiImportCommand";
import { asTheCliReadsEach } from "../harness/pulumiImportArguments";
import { asTheAwsCliReadsEach } from "../harness/awsCliArguments";
import { INTERACTIVE_BASH, POSIX_SH, Shell, argumentsTheShellPassesEach } from "../harness/shellArguments";
import { ALARM_TOPIC } from "./fakes";
import { binaryText } from "../harness/binaryText";

/**
 * The commands the project prints for a reader to paste, run with generated values by the shells a reader pastes into:
 * every value reaches the program whole and in place. Each run batches CASES commands into one shell process.
 */
const CASES = 60;
const RUNS = 2;
const SHELLS: [string, Shell][] = [
    ["sh (dash)", POSIX_SH],
    ["bash with history expansion, as at a prompt", INTERACTIVE_BASH],
];

/** What a shell reads as its own (quotes, `$`, backquotes, `!`, globs, `~`, zsh's `=`, a comment's `#`), in any number. */
const SHELL_CHARACTERS = ["'", '"', "\\", "$", "`", "!", "*", "?", "[", "]", "{", "}", "(", ")", "~", "=", "#", "-", "&", ";", "|", "<", ">", "^", "%", " ", "\t", "\n", "\r", "é", "😀"];

/** Any text an argument can hold: every code point but NUL, which no argv can (execve takes NUL-terminated strings). */
const text = fc
    .oneof(binaryText(), fc.string({ unit: fc.constantFrom(...SHELL_CHARACTERS) }), fc.string({ unit: fc.constantFrom(...SHELL_CHARACTERS, "a", "-", "=", ".") }).map((s) => `-${s}`))
    .map((s) => s.replace(/\0/g, ""));

const batches = <T>(one: fc.Arbitrary<T>) => fc.array(one, { minLength: CASES, maxLength: CASES });

for (const [shellName, shell] of SHELLS) {
    describe(`printed command lines, run by ${shellName} with generated values`, () => {
        it("shellWord and shellArgument: each word arrives whole and alone, the empty one too", () => {
            fc.assert(
                fc.property(batches(fc.array(text, { maxLength: 4 })), (cases) => {
                    const commands = cases.flatMap((words) => [`p ${words.map(shellWord).join(" ")}`, `p ${words.map(shellArgument).join(" ")}`]);
                    assert.deepStrictEqual(argumentsTheShellPassesEach("p", commands, shell), cases.flatMap((words) => [words, words]));
                }),
                // Before: a line break went into the word as it was, and interactive bash read the line after it, "^2'",
                // as a quick substitution, passing "1\n!!:s^2". Every line break of a word, not only its first.
                { numRuns: RUNS, examples: [[[["1\n^2"], ["", "!!", "^x^y"], ["1\n2\n^3"]]]] },
            );
        });

        it("aws cloudwatch set-alarm-state and aws sns subscribe: the alarm's name and the endpoint arrive whole, as argparse reads them", () => {
            fc.assert(
                fc.property(batches(text), batches(text), (alarms, endpoints) => {
                    const setState = alarms.map((alarm) => deliveryTestCommand(ALARM_TOPIC, alarm));
                    const subscribe = endpoints.map((endpoint) => {
                        const [notice] = removableSubscriptionNotices(ALARM_TOPIC, "ops@example.org", [{ protocol: "https", endpoint, confirmed: true, arn: `${ALARM_TOPIC}:1`, confirmedWithCredentials: false }]);
                        return notice.slice(notice.lastIndexOf("aws sns subscribe"), notice.lastIndexOf(" to subscribe it again"));
                    });
                    assert.deepStrictEqual(asTheAwsCliReadsEach([...setState, ...subscribe], shell), [
                        ...alarms.map((alarm) => ({ "--region": "ap-northeast-1", "--alarm-name": alarm, "--state-value": "ALARM", "--state-reason": "alarm delivery test" })),
                        ...endpoints.map((endpoint) => ({ "--region": "ap-northeast-1", "--topic-arn": ALARM_TOPIC, "--protocol": "https", "--notification-endpoint": endpoint })),
                    ]);
                }),
                { numRuns: RUNS },
            );
        });

        it("pulumi import: the type, name and ID arrive in place as pflag reads them, and every flag's value whole", () => {
            const anImport = fc.record({ stack: text, type: text, name: text, id: text, parent: fc.option(text, { nil: undefined }), provider: fc.option(text, { nil: undefined }) });
            fc.assert(
                fc.property(batches(anImport), (imports) => {
                    const commands = imports.map((p) => pulumiImportCommand({ ...p, switches: ["--yes", "--protect=false"] }));
                    assert.deepStrictEqual(
                        asTheCliReadsEach(commands, shell),
                        imports.map((p) => ({
                            positional: [p.type, p.name, p.id],
                            flags: { "--stack": p.stack, "--yes": "true", "--protect": "false", ...(p.parent ? { "--parent": p.parent } : {}), ...(p.provider ? { "--provider": p.provider } : {}) },
                        })),
                    );
                }),
                { numRuns: RUNS },
            );
        });
    });
}
