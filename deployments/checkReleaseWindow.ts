/** `node scripts/build/run.js deployments/checkReleaseWindow.ts <stack> <credential minutes>`: exit 1 when the release could outlive its credentials. */
import { checkReleaseWindow } from "./releaseWindow";

const [stack, minutes = ""] = process.argv.slice(2);
try {
    if (minutes.trim() === "") throw new Error("RELEASE_CREDENTIALS_MINUTES is not set: open the stack's ESC environment first (pulumi/esc-action)");
    const worst = checkReleaseWindow(stack, Number(minutes));
    console.log(`${stack}'s release takes at most ${worst} min; its credentials last ${minutes} min`);
} catch (err) {
    console.error(`release window: ${(err as Error).message}`);
    process.exit(1);
}
