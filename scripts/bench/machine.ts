/**
 * Fixed work, timed in the same run as every other figure, so that two runs of the bench can be compared: the same
 * commit's `npm test` took 48 s on one 2-core machine of this kind and 123 s on another. Each runs on the Node the
 * service ships, in a process of its own, as most of the suite's work does.
 */
import { Figure, progress } from "./figure";
import { SERVICE_NODE, timeCommand } from "./processes";
import { median, round } from "./stats";

const STARTS = 10;
const WORKLOADS = 5;
/** Allocation, GC and JSON, what the program and its tests spend their CPU on; page faults included. */
const WORKLOAD = "const a = []; for (let i = 0; i < 2e6; i++) a.push({ i, s: String(i) }); JSON.parse(JSON.stringify(a.slice(0, 2e5)));";

export function machineReference(): Figure[] {
    progress(`machine reference: ${STARTS} Node starts, ${WORKLOADS} runs of a fixed workload`);
    const start = median(Array.from({ length: STARTS }, () => timeCommand(SERVICE_NODE, ["-e", "0"]).ms));
    const work = median(Array.from({ length: WORKLOADS }, () => timeCommand(SERVICE_NODE, ["-e", WORKLOAD]).ms));
    return [
        { name: `machine reference: \`node -e 0\`, median of ${STARTS}`, value: round(start, 0), unit: "ms", target: "reported", pass: undefined },
        { name: `machine reference: 2 M objects and a JSON round trip, median of ${WORKLOADS}`, value: round(work, 0), unit: "ms", target: "reported", pass: undefined },
    ];
}
