import * as assert from "assert";
import { Shell, argumentsTheShellPassesEach } from "./shellArguments";

/**
 * A `pulumi import` command line (release/stack/pulumiImportCommand.ts) run in a POSIX shell (sh) whose `pulumi` prints its arguments,
 * then read as the CLI's flag parser reads them: spf13/pflag flag.go parseArgs, where "--" ends the flags, a word that
 * begins with "-" (and is longer than "-") is a flag, and a long flag without "=" that takes a value (--stack, --parent,
 * --provider: pulumi/pulumi pkg/cmd/pulumi/operations/import.go) takes the next word. What is left are the positional
 * arguments, which import.go reads as `<type> <name> <id>` (makeImportFile(args[0], args[1], args[2], ...)).
 */
export function asTheCliReadsIt(command: string): CliReading {
    return asTheCliReadsEach([command])[0];
}

/** Each of `commands` as asTheCliReadsIt reads it, all run by one `shell` process. */
export function asTheCliReadsEach(commands: readonly string[], shell?: Shell): CliReading[] {
    return argumentsTheShellPassesEach("pulumi", commands, shell).map(([subcommand, ...words]) => {
        assert.strictEqual(subcommand, "import");
        return pflagReading(words);
    });
}

export interface CliReading {
    positional: string[];
    flags: Record<string, string>;
}

function pflagReading(words: readonly string[]): CliReading {
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
