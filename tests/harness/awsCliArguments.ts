import { cliFlags } from "./cliTable";
import { Shell, argumentsTheShellPassesEach } from "./shellArguments";

/**
 * aws command lines run in a shell whose `aws` prints its arguments, each then read as the aws CLI reads an
 * operation's options: with Python's argparse as it is (aws/aws-cli awscli/argparser.py: ArgTableArgParser changes none
 * of its reading). Answers each command's options and their values, or throws what the CLI would refuse. The options are
 * the CLI table's for the operation (tests/harness/cliTable.ts); each is read as taking one value (the printed commands
 * give no boolean one).
 */
export function asTheAwsCliReadsEach(commands: readonly string[], shell?: Shell): Record<string, string>[] {
    return argumentsTheShellPassesEach("aws", commands, shell).map(([service, operation, ...words]) => argparseReading(words, cliFlags(`aws ${service} ${operation}`)));
}

/** asTheAwsCliReadsEach of one command. */
export const asTheAwsCliReadsIt = (command: string) => asTheAwsCliReadsEach([command])[0];

function argparseReading(words: readonly string[], options: readonly string[]): Record<string, string> {
    const read: Record<string, string> = {};
    for (let i = 0; i < words.length; i++) {
        const word = words[i];
        const equals = word.indexOf("=");
        if (equals > 0 && options.includes(word.slice(0, equals))) {
            read[word.slice(0, equals)] = word.slice(equals + 1);
            continue;
        }
        if (!options.includes(word)) throw new Error(`aws: unrecognized arguments: ${word}`);
        const value = words[++i];
        if (value === undefined || readAsAnOption(value, options)) throw new Error(`aws: argument ${word}: expected one argument (argparse reads the next word, ${JSON.stringify(value)}, as an option)`);
        read[word] = value;
    }
    return read;
}

/**
 * CPython Lib/argparse.py _parse_optional (3.11, which aws-cli 1.45.11 runs here): a word that begins with "-" and is
 * not "-" is an option when one matches it (exactly, by its part before "=", or as an abbreviation: allow_abbrev),
 * else a value only when it looks like a negative number (`^-\d+$|^-\d*\.\d+$`, the parser having no such option) or
 * holds a space. The aws CLI has no one-dash option, so a one-dash word matches none.
 */
function readAsAnOption(word: string, options: readonly string[]): boolean {
    if (!word.startsWith("-") || word === "-") return false;
    const name = word.split("=")[0];
    if (word.startsWith("--") && options.some((option) => option.startsWith(name))) return true;
    return !/^-\d+$|^-\d*\.\d+$/.test(word) && !word.includes(" ");
}
