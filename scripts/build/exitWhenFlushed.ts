/**
 * Ends a command line tool with `code` once what it wrote to stdout and stderr has left the process. `process.exit`
 * right after a large write drops its tail when stdout is a pipe whose reader is slower (`npm run --silent plan -- dev
 * --json | jq`): Node writes to a full pipe asynchronously and exits without waiting (Node docs, "A note on process
 * I/O"). The tools still end with an exit, not by running out of work: the SDK's runtime and the fake APIs may keep
 * handles open.
 */
export function exitWhenFlushed(code: number): void {
    process.exitCode = code;
    let streams = 2;
    const flushed = () => {
        if (--streams === 0) process.exit(code);
    };
    // An empty write's callback runs once the writes queued before it are done.
    process.stdout.write("", flushed);
    process.stderr.write("", flushed);
}
