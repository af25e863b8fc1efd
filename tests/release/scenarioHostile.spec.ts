import * as assert from "assert";
import * as fc from "fast-check";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/stackFile";
import { VirtualClock } from "../../release/clock";
import { ReleaseEvent } from "../../release/events";
import { createReporter } from "../../release/output";
import { runRelease } from "../../release/release";
import { ScenarioError, readScenario } from "../../release/scenario";
import { simulate } from "../../release/simulation";
import { EXIT_CODES } from "../../release/types";
import { pathsOf, protoKeyed } from "../harness/hostileJson";
import { scratchDir } from "../harness/tempDirs";

/**
 * Hostile scenario files for `npm run release -- <stack> --simulate <file>`, at the outermost layer the user controls:
 * the file's text. Each is either refused by a ScenarioError naming the file and each bad field (exit 2, main.ts), or
 * rehearsed to an outcome by the same steps main.ts runs (readScenario, simulate, runRelease, the reporter) with every
 * figure it reports a finite number: `--json` would print Infinity or NaN as null. Never a TypeError or RangeError.
 */
const RUNS = 120;
const HEALTHY: any = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "release", "scenarios", "healthy.json"), "utf8"));

/** JSON has no Infinity or NaN: these strings are swapped for the text a hand edit could hold (1e999 parses as Infinity). */
const RAW_NUMBERS: Record<string, string> = { "@inf": "1e999", "@-inf": "-1e999", "@nan": "NaN" };
const withRawNumbers = (text: string) => text.replace(/"(@-?inf|@nan)"/g, (_, token: string) => RAW_NUMBERS[token]);

const oddNumber = fc.constantFrom(0, -0, -1, 0.5, 5e-324, 1e-7, 101, 2 ** 31, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, 1e21, 1e307, 1e308, -1e308, "@inf", "@-inf", "@nan");
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
    oddNumber,
    fc.constantFrom(null, true, "", "10", "__proto__", "constructor", [], {}, [null], ["GET /ready"], "x".repeat(10_000)),
    fc.jsonValue({ maxDepth: 2 }),
    protoKeyed({ step: 10 }),
    fc.integer({ min: 0, max: 2000 }).map((n) => Array.from({ length: n }, (_, i) => i)),
);

/** Every path into the healthy scenario, and a few where an optional field or an unknown one would go. */
const PATHS = [
    ...pathsOf(HEALTHY),
    ...["firingAlarms", "healthFailures", "utilization", "__proto__", "extra"].map((field) => ["samples", "gcp", 1, field]),
    ["verification", "aws", "smokeFailure"],
    ["versions"],
    ["versions", "aws", "new"],
    ["samples", "aws", 3],
    ["__proto__"],
];

/** The healthy scenario with the value at `at` replaced by `value`, or removed when `value` is undefined. */
function edited(at: (string | number)[], value: unknown): unknown {
    const scenario = structuredClone(HEALTHY);
    if (at.length === 0) return value;
    let parent: any = scenario;
    for (const key of at.slice(0, -1)) {
        if (parent[key] === null || typeof parent[key] !== "object") parent[key] = typeof key === "number" ? [] : {};
        parent = parent[key];
    }
    const last = at[at.length - 1];
    if (value === undefined) delete parent[last];
    // defineProperty: a "__proto__" key is then the file's own field, as JSON.parse reads one.
    else Object.defineProperty(parent, last, { value, enumerable: true, writable: true, configurable: true });
    return scenario;
}

const healthyText = JSON.stringify(HEALTHY);
const hostileText: fc.Arbitrary<string> = fc.oneof(
    { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...PATHS), fc.option(hostileValue, { nil: undefined })).map(([at, value]) => withRawNumbers(JSON.stringify(edited(at, value)) ?? "")) },
    { weight: 1, arbitrary: fc.nat(healthyText.length).map((n) => healthyText.slice(0, n)) },
    { weight: 1, arbitrary: fc.string() },
    { weight: 1, arbitrary: fc.constantFrom("", "\ufeff" + healthyText, "steps: [10, 100]\nsamples: {}\n", "{\"samples\": {}} trailing", "[]", "null") },
);

/** A scenario of the right shape for prod whose figures are anything JSON holds, the largest doubles among them. */
const figure = fc.oneof(fc.double({ min: 0, noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, 5e-324, 1e-3, 1e307, 1.7e308, Number.MAX_SAFE_INTEGER));
const wholeFigure = fc.oneof(fc.nat(), fc.constantFrom(0, Number.MAX_SAFE_INTEGER));
const sample = (step: number) =>
    fc.record(
        { step: fc.constant(step), requests: wholeFigure, errors: fc.constant(0), p95Ms: figure, healthFailures: wholeFigure, utilization: fc.array(fc.record({ metric: fc.constant("m"), percent: figure }), { maxLength: 2 }), firingAlarms: fc.constant([]) },
        { requiredKeys: ["step", "requests", "errors", "p95Ms"] },
    );
const verification = fc.record({ requestsPerSecond: figure, errorRatePercent: fc.double({ min: 0, max: 100, noNaN: true }), healthP95Ms: figure, apiP95Ms: figure });
const extremeScenario = fc
    .uniqueArray(fc.integer({ min: 1, max: 99 }), { maxLength: 3 })
    .map((steps) => [...steps.sort((a, b) => a - b), 100])
    .chain((steps) =>
        fc.record({
            steps: fc.constant(steps),
            verification: fc.record({ aws: verification, gcp: verification }),
            samples: fc.record({ aws: fc.tuple(...steps.map(sample)), gcp: fc.tuple(...steps.map(sample)) }),
        }),
    )
    .map((scenario) => JSON.stringify(scenario));

const FILE = path.join(scratchDir("scenario-hostile"), "scenario.json");

/** Every number anywhere in `value`, with where it is. */
function numbers(value: unknown, at = ""): [string, number][] {
    if (typeof value === "number") return [[at, value]];
    if (value === null || typeof value !== "object") return [];
    return Object.entries(value).flatMap(([key, child]) => numbers(child, `${at}.${key}`));
}

/** main.ts's rehearsal, in process: a refusal is a ScenarioError naming the file and fields; an outcome reports finite figures. */
async function rehearse(text: string): Promise<void> {
    fs.writeFileSync(FILE, text);
    const events: ReleaseEvent[] = [];
    const lines: string[] = [];
    const human = createReporter({ json: false, simulated: true, stdout: (l) => void lines.push(l), stderr: (l) => void lines.push(l) });
    const machine = createReporter({ json: true, simulated: true, stdout: (l) => void lines.push(l), stderr: (l) => void lines.push(l) });
    try {
        const simulation = simulate("prod", readScenario(FILE), FILE);
        const outcome = await runRelease({ ...simulation, clock: new VirtualClock(), report: (event) => (events.push(event), human(event), machine(event)), pollSeconds: 60 });
        assert.ok(outcome.decision in EXIT_CODES, `decision ${outcome.decision}`);
    } catch (error) {
        if (error instanceof assert.AssertionError) throw error;
        assert.ok(error instanceof ScenarioError, `threw ${(error as Error)?.stack ?? String(error)}`);
        assert.strictEqual(error.file, FILE);
        assert.ok(error.problems.length > 0, "a refusal names at least one problem");
        for (const problem of error.problems) assert.match(problem, /^(\(top level\)|is not JSON|[a-z][A-Za-z0-9]*(\[\d+\]|\.[A-Za-z0-9_]+)*): /, `a problem naming no field: ${problem}`);
        return;
    }
    const infinite = events.flatMap((event) => numbers(event, event.kind)).filter(([, n]) => !Number.isFinite(n));
    assert.deepStrictEqual(infinite, [], "every figure the rehearsal reports is finite (--json prints Infinity and NaN as null)");
}

describe("release scenario files, hostile and extreme (property-based)", function () {
    this.timeout(30_000);

    it(`${RUNS} hostile scenario texts: a ScenarioError naming the file and each field, or a rehearsal to an outcome`, () => fc.assert(fc.asyncProperty(hostileText, rehearse), { numRuns: RUNS }));

    it(`${RUNS / 2} well-formed scenarios with figures up to the largest double: refused naming the field, or rehearsed with finite figures`, () =>
        fc.assert(fc.asyncProperty(extremeScenario, rehearse), { numRuns: RUNS / 2 }));
});
