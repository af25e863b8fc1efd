// Loaded by mocha (.mocharc.json): a library's warning that what a test does "will throw an error" in a future version
// fails that test now, instead of scrolling past in the run's output until an upgrade turns it into a failure
// somewhere else. The AWS SDK prints one when code treats a JSON request body (its Uint8Array) as a string
// (@smithy/core protocols, JsonBytesStringAdapter: "@aws-sdk/core/protocols - WARN - JsonCodec2: you have called a
// string method on a Uint8Array request body. It has been automatically converted to string. In a future version
// this will throw an error."). That SDK prints it at most once a minute per process, so a second offender in the same
// worker within the minute passes unseen; the first one is named.

/** Warnings that announce a future throw, in the words libraries print them. */
export const WILL_THROW = /in a future version this will throw/i;

/** What console.warn printed since the current test began that announces a future throw. */
const announced: string[] = [];

/** Wraps `console`'s warn so that announcements of a future throw are also noted (they are still printed). */
export function noteFutureThrows(target: Pick<Console, "warn"> = console): void {
    const warn = target.warn.bind(target);
    target.warn = (...args: unknown[]) => {
        const text = args.map(String).join(" ");
        if (WILL_THROW.test(text)) announced.push(text);
        warn(...args);
    };
}

/** The announcements noted since the last call, and forgets them. */
export function takeFutureThrows(): string[] {
    return announced.splice(0, announced.length);
}

noteFutureThrows();

export const mochaHooks = {
    beforeEach() {
        takeFutureThrows();
    },
    afterEach() {
        const noted = takeFutureThrows();
        if (noted.length > 0) throw new Error(`this test made a library announce that it will throw in a future version:\n${noted.join("\n")}`);
    },
};
