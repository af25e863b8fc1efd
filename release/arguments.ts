/** The release's arguments: its usage and how a command line reads, without loading what a release runs. */
import { PROJECT_NAMESPACE } from "../config/projectNamespace";
import { parseStackReference } from "../config/stackReference";
import { shownArgument, thrownProblem, unknownOption } from "../scripts/build/usage";

export const USAGE = [
    "usage: npm run release -- <stack> [--json] [--simulate <scenario.json>] [--policy-pack <dir>] [--policy-pack-config <file>]",
    "  <stack>                      the stack to release (prod, or <org>/prod)",
    "  --simulate <scenario.json>   rehearse on metric samples from a file: nothing is changed, no pulumi up runs",
    "  --json                       progress on stderr; stdout's final line is the outcome as one JSON object",
    "  --policy-pack <dir>          run each pulumi up with this policy pack (repeatable)",
    "  --policy-pack-config <file>  the pack's config (repeatable, in the same order)",
    "exit codes: 0 promoted, 3 rolled back (or failed verification), 4 held (too little traffic), 2 bad usage or scenario, 1 bad settings or failure,",
    "  130/143 stopped by SIGINT/SIGTERM (the update in progress is interrupted once; the message says what is recorded)",
].join("\n");

export interface ReleaseArgs {
    stack: string;
    json: boolean;
    simulate?: string;
    policyPacks: string[];
    policyPackConfigs: string[];
}

class UsageError extends Error {}

export function parseArgs(argv: readonly string[]): ReleaseArgs {
    const args: ReleaseArgs = { stack: "", json: false, policyPacks: [], policyPackConfigs: [] };
    const positional: string[] = [];
    const valueOf = (i: number, flag: string) => {
        const value = argv[i];
        if (!value || value.startsWith("--")) throw new UsageError(`${flag} needs a value`);
        return value;
    };
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--json") args.json = true;
        else if (arg === "--simulate") {
            if (args.simulate !== undefined) throw new UsageError("--simulate takes one scenario (given twice)");
            args.simulate = valueOf(++i, arg);
        }
        else if (arg === "--policy-pack") args.policyPacks.push(valueOf(++i, arg));
        else if (arg === "--policy-pack-config") args.policyPackConfigs.push(valueOf(++i, arg));
        else if (arg.startsWith("-")) throw new UsageError(unknownOption(arg));
        else positional.push(arg);
    }
    if (positional.length !== 1) throw new UsageError(positional.length === 0 ? "which stack? (e.g. prod)" : `one stack at a time (got ${positional.map(shownArgument).join(", ")})`);
    // The CLI's own rule (pulumi/pulumi pkg/cmd/pulumi/operations/up.go, validatePolicyPackConfig), checked here so
    // that it stops the release before anything is read or written, not at its first pulumi up.
    if (args.policyPackConfigs.length > 0 && args.policyPackConfigs.length !== args.policyPacks.length) {
        throw new UsageError(
            args.policyPacks.length === 0
                ? "--policy-pack-config must be given with --policy-pack"
                : `each --policy-pack-config goes with the --policy-pack in the same place (${args.policyPacks.length} packs, ${args.policyPackConfigs.length} configs)`,
        );
    }
    // A rehearsal runs no pulumi up, so a pack given with it would be checked by nothing while the run reads as passing it.
    if (args.simulate !== undefined && args.policyPacks.length > 0) throw new UsageError("--simulate runs no pulumi up, so no policy pack would be checked: leave out --policy-pack");
    args.stack = positional[0];
    // The CLI's rules for a stack reference, in its words, before anything is read or written: a name it refuses would
    // stop the release only at its first command, and `<org>/<other project>/prod` would read another project's state.
    try {
        parseStackReference(args.stack, PROJECT_NAMESPACE);
    } catch (err) {
        throw new UsageError(`stack ${shownArgument(args.stack)}: ${(err as Error).message}`);
    }
    return args;
}

/** What is wrong with the arguments, named, or undefined (scripts/build/usage.ts answeredArguments). */
export const usageProblem = thrownProblem(parseArgs);
