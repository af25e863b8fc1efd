/**
 * What `run` printed through console.log (stdout) and console.error (stderr), each call a line, and what it answered:
 * a command's main() run in process as its process would print. The console is put back however `run` ends.
 */
export async function withCapturedConsole<T>(run: () => Promise<T>): Promise<{ result: T; stdout: string; stderr: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const { log, error } = console;
    console.log = (...parts: unknown[]) => void out.push(parts.join(" "));
    console.error = (...parts: unknown[]) => void err.push(parts.join(" "));
    try {
        const result = await run();
        return { result, stdout: out.join("\n"), stderr: err.join("\n") };
    } finally {
        Object.assign(console, { log, error });
    }
}

/**
 * What `run` wrote to process.stdout (console.log writes there too), and what it answered: for code that prints through
 * process.stdout.write itself. The stream's write is put back however `run` ends.
 */
export async function withCapturedStdout<T>(run: () => T | Promise<T>): Promise<{ result: T; written: string }> {
    const chunks: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string | Uint8Array) => chunks.push(String(chunk)) > 0) as typeof process.stdout.write;
    try {
        const result = await run();
        return { result, written: chunks.join("") };
    } finally {
        process.stdout.write = write;
    }
}
