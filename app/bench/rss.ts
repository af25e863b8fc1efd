import { readFileSync } from "node:fs";

/** A process's resident set size in MB, one decimal (Linux's /proc/<pid>/status VmRSS). */
export function rssMb(pid: number): number {
    const kb = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]);
    return Math.round((kb / 1024) * 10) / 10;
}

/** Samples a process's RSS every 20 ms from now: its start, its peak so far, `stop()`, and the figures a bench prints. */
export function peakRss(pid: number): { startMb: number; peakMb(): number; stop(): void; figures(): { rssStartMb: number; rssMaxMb: number; rssGrowthMb: number } } {
    const startMb = rssMb(pid);
    let peak = startMb;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 20);
    return {
        startMb,
        peakMb: () => peak,
        stop: () => clearInterval(sampler),
        figures: () => ({ rssStartMb: startMb, rssMaxMb: peak, rssGrowthMb: Math.round((peak - startMb) * 10) / 10 }),
    };
}
