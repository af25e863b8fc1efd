/**
 * Where the image workflow builds and pushes a stack's image: `npm run --silent image -- <stack> [--json]`.
 * Prints `key=value` lines for $GITHUB_OUTPUT (an empty value: nothing to push for that cloud), or JSON.
 */
import { SettingsError } from "../../config/errors";
import { githubOutputLines, imageTargets } from "./targets";

function main(argv: string[]): number {
    const stack = argv.find((a) => !a.startsWith("--"));
    if (!stack || argv.some((a) => a.startsWith("--") && a !== "--json")) {
        console.error("usage: npm run --silent image -- <stack> [--json]");
        return 2;
    }
    try {
        const targets = imageTargets(stack);
        console.log(argv.includes("--json") ? JSON.stringify(targets, null, 2) : githubOutputLines(targets).join("\n"));
        return 0;
    } catch (err) {
        // Bad settings print every problem, as `pulumi up` would; anything else prints its message.
        console.error(SettingsError.isInstance(err) ? err.message : (err as Error).message);
        return 1;
    }
}

process.exitCode = main(process.argv.slice(2));
