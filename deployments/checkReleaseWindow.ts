/**
 * `node scripts/build/run.js deployments/checkReleaseWindow.ts <stack> <credential minutes> [<epoch seconds they were taken at> [<the release step's timeout-minutes>]]`:
 * exit 1 when the release could outlive its credentials, counting the whole minutes since they were taken, or its step.
 */
import { checkReleaseWindow } from "./releaseWindow";

const [stack, minutes = "", takenAt = "", stepMinutes = ""] = process.argv.slice(2);
try {
    if (minutes.trim() === "") throw new Error("RELEASE_CREDENTIALS_MINUTES is not set: open the stack's ESC environment first (pulumi/esc-action)");
    const spent = takenAt.trim() === "" ? 0 : Math.ceil(Math.max(0, Date.now() / 1000 - Number(takenAt)) / 60);
    const worst = checkReleaseWindow(stack, Number(minutes), spent, stepMinutes.trim() === "" ? undefined : Number(stepMinutes));
    console.log(`${stack}'s release takes at most ${worst} min; its credentials last ${minutes} min, ${spent} of them spent`);
} catch (err) {
    console.error(`release window: ${(err as Error).message}`);
    process.exit(1);
}
