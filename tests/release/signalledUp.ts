/**
 * A process that runs one `up` the way release/main.ts does (the signal watcher on the process, the stack on the real
 * Automation API through openAutomationStack), against the Pulumi CLI at $FAKE_PULUMI_ROOT/bin/pulumi. Started by
 * interruption.spec.ts through scripts/build/run.js, as `npm run release` starts the release, and signalled as a CI
 * runner does. Exits as the release would: 128 + the signal's number
 * when a signal stopped it.
 */
import { LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation";
import { ReleaseStopped, exitCodeFor, watchForInterruption } from "../../release/interruption";
import { openAutomationStack } from "../../release/stack/automationStack";
import { withStateExport } from "../../release/stack/stateExport";

async function main(): Promise<number> {
    const interruption = watchForInterruption(process, { fromTerminal: Boolean(process.stdin.isTTY), say: (text) => console.error(text), exitNow: (code) => process.exit(code) });
    const pulumiCommand = await PulumiCommand.get({ root: process.env.FAKE_PULUMI_ROOT, skipVersionCheck: true });
    const access = await openAutomationStack(
        { stackName: "prod", workDir: process.cwd(), onOutput: (text) => process.stderr.write(text), interruption },
        async (args) => withStateExport(await LocalWorkspace.selectStack(args, { pulumiCommand }), pulumiCommand),
    );
    try {
        await access.up();
        return 0;
    } catch (err) {
        console.error(`up ended: ${(err as Error).name}`);
        return err instanceof ReleaseStopped ? exitCodeFor(err.signal) : 1;
    }
}

main().then((code) => process.exit(code));
