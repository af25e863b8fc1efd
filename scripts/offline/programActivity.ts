/**
 * What the program under mocks asked the fake cloud, in order: the engine requests its mock monitor received and the
 * stand-ins' HTTP requests (cloudApiServer.ts), each open until it is answered. A run that has stopped asking is told
 * from one that is only slow by this (quietRun.ts).
 */
export class ProgramActivity {
    /** How many requests the program has made so far in this run. */
    asks = 0;
    private readonly open = new Map<number, string>();
    private readonly latest: { id: number; what: string }[] = [];

    /** Notes a request; returns the function that notes its answer. */
    asked(what: string): () => void {
        const id = ++this.asks;
        this.open.set(id, what);
        this.latest.push({ id, what });
        if (this.latest.length > LATEST_KEPT) this.latest.shift();
        return () => void this.open.delete(id);
    }

    /** The latest requests, oldest first, each with whether it was answered. */
    lastAsked(): string[] {
        return this.latest.map(({ id, what }) => `${what} (${this.open.has(id) ? "unanswered" : "answered"})`);
    }

    /** The requests the fake cloud has not answered yet, oldest first. */
    unanswered(): string[] {
        return [...this.open.values()];
    }
}

/** How many of the latest requests a hung run names: those a wait may follow, reads the program made together. */
const LATEST_KEPT = 3;

/** The mock monitor's methods a program's requests reach, and how each names what it asked. */
const MONITOR_REQUESTS: Record<string, (req: any) => string> = {
    registerResource: (req) => `register ${req.getType()}::${req.getName()}`,
    readResource: (req) => `read ${req.getType()}::${req.getName()}`,
    registerResourceOutputs: (req) => `outputs of ${req.getUrn()}`,
    invoke: (req) => `invoke ${req.getTok()}`,
};

/** Notes each request the mock monitor receives, and its answer, in `activity`. */
export function watchMonitorRequests(monitor: unknown, activity: ProgramActivity): void {
    const methods = monitor as Record<string, (req: unknown, callback: (...answer: unknown[]) => unknown) => unknown>;
    for (const [method, describe] of Object.entries(MONITOR_REQUESTS)) {
        const receive = methods[method].bind(monitor);
        methods[method] = (req, callback) => {
            const answered = activity.asked(describe(req));
            return receive(req, (...answer: unknown[]) => (answered(), callback(...answer)));
        };
    }
}
