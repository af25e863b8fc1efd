/**
 * A describe's `before` that starts what its tests share (processes, servers) and an `after` that stops it, also when
 * the `before` timed out: mocha runs `after` as soon as the hook times out, while the start goes on and starts what
 * nothing would stop then, and a process or server left running keeps mocha from ever exiting. So `after` first waits
 * for the start to end (for as long again as the start was given), then runs `stop`, which stops whatever was started
 * (part of it, when the start failed half-way).
 */
export function startedBeforeStoppedAfter(start: (this: Mocha.Context) => Promise<void>, stop: () => Promise<void>): void {
    let starting: Promise<void> | undefined;
    let startTimeoutMs = 0;
    before(function () {
        starting = start.call(this);
        startTimeoutMs = this.timeout(); // after the start's own this.timeout(), if it set one
        return starting;
    });
    after(async function () {
        this.timeout(startTimeoutMs + this.timeout());
        await starting?.catch(() => undefined);
        await stop();
    });
}
