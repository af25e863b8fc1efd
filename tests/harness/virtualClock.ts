import * as pulumi from "@pulumi/pulumi";
import { waitClock } from "../../components/waitClock";

/**
 * Runs `run` with the program's wait clock made virtual (a sleep moves the time on at once, and is noted) and
 * its info messages noted, as an `up` that waits on grants or APIs would say them; both are restored after.
 */
export async function withVirtualClock<T>(run: (slept: number[], infos: string[]) => Promise<T>): Promise<T> {
    let now = Date.UTC(2026, 11, 3);
    const slept: number[] = [];
    const infos: string[] = [];
    const saved = { ...waitClock };
    const info = pulumi.log.info;
    waitClock.now = () => now;
    waitClock.sleep = async (ms) => void (slept.push(ms), (now += ms));
    pulumi.log.info = async (message: string) => void infos.push(message);
    try {
        return await run(slept, infos);
    } finally {
        Object.assign(waitClock, saved);
        pulumi.log.info = info;
    }
}
