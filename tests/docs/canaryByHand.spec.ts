import * as assert from "assert";
import { runRelease } from "../../release/release";
import { ReleaseEvent } from "../../release/events";
import { ReleaseError } from "../../release/releaseError";
import { FakeStack, HEALTHY, depsFor, fakeMetrics, fakeProbes } from "../release/fakes";
import { readProjectFile } from "./docReferences";

/** The shell blocks of docs/releases.md's "Canary and rollback by hand", in order. */
function byHandBlocks(): string[][] {
    const page = readProjectFile("docs/releases.md");
    const section = page.slice(page.indexOf("## Canary and rollback by hand"), page.indexOf("\n## ", page.indexOf("## Canary and rollback by hand") + 1));
    return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1].split("\n").map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#")));
}

/**
 * Runs one block against the fake prod stack as an operator would: each `pulumi env set`/`rm` of the release state as
 * the write it is (ESC reads the value as YAML, so 7 is a number, as the fake stores it), `pulumi up --stack prod` as
 * an `up`. The service name a command reads from the stack outputs is the fake's revisions' prefix, "service".
 */
async function follow(stack: FakeStack, block: string[]): Promise<void> {
    for (const line of block) {
        if (line.startsWith("ENV=")) continue;
        if (line === "pulumi up --stack prod") {
            await stack.up();
            continue;
        }
        const command = line.replace(/"\$\(pulumi stack output gcp --json --stack prod \| jq -r \.serviceName\)(-[^"]*)"/, "service$1");
        const set = /^pulumi env (set|rm) \$ENV 'pulumiConfig\["(multicloud-service:\w+)"\]\.([\w.]+)'(?: (\S+))?$/.exec(command);
        if (!set) throw new Error(`a command this test cannot follow: ${line}`);
        const [, verb, top, path, value] = set;
        if (verb === "set") await stack.setConfig([{ key: `${top}.${path}`, value: value! }]);
        else {
            const root = JSON.parse(stack.config.values[top] ?? "{}");
            const keys = path.split(".");
            const parent = keys.slice(0, -1).reduce((node, key) => node?.[key], root);
            if (parent) delete parent[keys[keys.length - 1]];
            stack.config = { ...stack.config, values: { ...stack.config.values, [top]: JSON.stringify(root) } };
        }
    }
}

// The runbook, copied as written: prod runs 7 (worker 4, service-00007-abc), and the checkout deploys 8 (5, -00008-def).
describe("docs/releases.md's canary and rollback by hand, followed as written", () => {
    it("the canary block ends with everything on the new version, and the next release tag verifies its own version from 0 %", async () => {
        const stack = new FakeStack();
        await follow(stack, byHandBlocks()[0]);
        assert.deepStrictEqual(stack.traffic.at(-1), { aws: { "8": 1 }, worker: { "5": 1 }, gcp: { "service-00008-def": 1 }, gcpTagged: "service-00008-def" }, "promoted: 100 % on the new version");

        // A later release tag deploys 9: the release must start afresh, not resume a release that is not there.
        stack.nextVersions = { aws: "9", gcp: "service-00009-ghi" };
        stack.nextWorker = "6";
        const probes = fakeProbes();
        const events: ReleaseEvent[] = [];
        const outcome = await runRelease(depsFor(stack, fakeMetrics(() => HEALTHY).metrics, events, probes.probes));
        const start = events.find((e) => e.kind === "start");
        assert.strictEqual(start?.kind === "start" && start.resumeAt, undefined, "a fresh release, not one resumed at a step");
        assert.deepStrictEqual(probes.verified, [{ cloud: "aws", version: "9" }, { cloud: "gcp", version: "service-00009-ghi" }], outcome.summary);
        assert.match(outcome.summary, /^promoted: aws 9, gcp service-00009-ghi is now the stable version$/);
    });

    // The doc's 10 %, and 1 %, the least weight a canary can have (the refusal is of any weight above 0).
    for (const percent of [10, 1]) {
        it(`a canary by hand still at ${percent} % when the next release tag runs: refused before any write or up, naming what it found`, async () => {
            const stack = new FakeStack();
            const canary = byHandBlocks()[0].map((line) => line.replace(/(weightPercent'|percent') 10$/, `$1 ${percent}`));
            await follow(stack, canary.slice(0, canary.indexOf("pulumi up --stack prod") + 1));
            assert.deepStrictEqual(stack.traffic.at(-1)?.aws, { "7": 1 - percent / 100, "8": percent / 100 }, `the doc's canary at ${percent} % on 8`);

            stack.nextVersions = { aws: "9", gcp: "service-00009-ghi" };
            stack.nextWorker = "6";
            const [writes, ups] = [stack.setCalls.length, stack.ups];
            const [metrics, events]: [ReturnType<typeof fakeMetrics>, ReleaseEvent[]] = [fakeMetrics(() => HEALTHY), []];
            const ended = await runRelease(depsFor(stack, metrics.metrics, events)).catch((err: Error) => err);
            assert.ok(ended instanceof ReleaseError, `not refused: ${"summary" in ended ? ended.summary : ended.message}`);
            assert.strictEqual(ended.exitCode, 1);
            assert.strictEqual(
                ended.message,
                `aws: ${percent}% of traffic on 8 beside the stable version 7, gcp: ${percent}% of traffic on service-00008-def beside the stable revision service-00007-abc, set by hand: a release records its candidate with each step's weight (aws.canary.candidateVersion, gcp.canary.candidateRevision), and none is recorded. Nothing was written and no pulumi up ran; end that canary first, promote it or roll it back by hand (docs/releases.md, "Canary and rollback by hand"), then run the release again`,
            );
            assert.deepStrictEqual([stack.setCalls.length, stack.ups], [writes, ups], "no write, no up");
            // Refused at the start, not once it has reported resuming the hand's canary and read its metrics.
            assert.deepStrictEqual([events.map((e) => e.kind), metrics.reads.length], [[], 0], "no start reported, no metric read");
        });
    }

    it("the rollback block puts everything on the stable versions, and a rerun on the same tag does not put the bad ones back", async () => {
        const stack = new FakeStack();
        const held = fakeMetrics((cloud) => (cloud === "gcp" ? { ...HEALTHY, requests: 3 } : HEALTHY));
        assert.strictEqual((await runRelease(depsFor(stack, held.metrics))).decision, "held");
        await follow(stack, byHandBlocks()[1]);
        assert.deepStrictEqual(stack.traffic.at(-1), { aws: { "7": 1 }, worker: { "4": 1 }, gcp: { "service-00007-abc": 1 }, gcpTagged: "service-00008-def" });

        const upsBefore = stack.traffic.length;
        const outcome = await runRelease(depsFor(stack, fakeMetrics(() => HEALTHY).metrics));
        assert.strictEqual(outcome.gate, "release.rolledBack", outcome.summary);
        assert.ok(stack.traffic.slice(upsBefore).every((t) => t.aws["8"] === undefined && t.worker["5"] === undefined && t.gcp["service-00008-def"] === undefined), "8 got no traffic again");
    });
});
