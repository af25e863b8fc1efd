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
