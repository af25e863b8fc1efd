/**
 * The image tooling. `pulumi up` never builds; images are built and promoted here:
 *   npm run --silent image -- <stack> [--json]     where the image workflow pushes a stack's image ($GITHUB_OUTPUT lines)
 *   npm run --silent image -- <stack> --missing    which of those tags the registries do not have yet (same format)
 *   npm run --silent image -- <stack> --present    `<cloud>_ref=<repository>@<digest>` of the tags that are there (image.yml signs what it built)
 *   npm run image -- build <stack>                 build and push the missing tags, where Docker runs
 *   npm run --silent image -- provenance           the SLSA provenance predicate of this GitHub Actions run (image.yml attests it)
 *   npm run image -- promote <from> <to> [--running <file>]
 *                                                  copy what <from> runs into <to>'s registries, by digest
 * `--running <file>`: <from>'s outputs as `pulumi stack output --json` prints them; without it they are read with
 * the Pulumi CLI.
 */
import { answeredArguments } from "../build/usage";
import { exitWhenFlushed } from "../build/exitWhenFlushed";
import { USAGE, usageProblem } from "./arguments";

// The commands load the Pulumi and cloud SDKs (about 0.3 s of CPU): --help and a wrong argument are answered before.
async function main(argv: string[]): Promise<number> {
    const answered = answeredArguments("image", argv, USAGE, usageProblem);
    if (answered !== undefined) return answered;
    const { runCommand } = await import("./commands");
    return runCommand(argv);
}

// An exit, not running out of work: a request a library leaves waiting (google-auth-library's, past the token's bound) would hold the process.
main(process.argv.slice(2)).then(exitWhenFlushed, (err) => {
    console.error(`image: ${(err as Error).message}`);
    exitWhenFlushed(1);
});
