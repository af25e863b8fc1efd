import * as assert from "assert";
import * as fc from "fast-check";
import { parse, stringify } from "yaml";
import { escReleaseState } from "../../release/stack/escReleaseState";
import { protoKeyed } from "../harness/hostileJson";

/**
 * Hostile answers to the release's read of its state (release/stack/escReleaseState.ts): definitions of every shape a
 * hand edit or a proxy answering in ESC's place could give, and text that is not YAML. Each read and write either works
 * (a write then sends its change) or fails with the store's own error naming the environment; never a TypeError, and
 * never a write reported done that sent no change. In process: fetch is a function answering as ESC's environments API
 * does (pulumi/esc cmd/esc/cli/client/client.go: GET answers the YAML with its ETag and Pulumi-ESC-Revision).
 */
const NAME = "acme/multicloud-service/prod-release";
const RUNS = 150;
const CHANGE = { key: "multicloud-service:aws.canary.weightPercent", value: 10 };

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
    fc.constantFrom(null, [], {}, 0, -1.5, true, "", "__proto__", "x".repeat(100_000)),
    fc.string(),
    fc.jsonValue({ maxDepth: 3 }),
    protoKeyed({ canary: {} }),
);
/** A valid definition with one level replaced by a hostile value. */
const hostileDefinition = fc.tuple(fc.nat(4), hostileValue).map(([depth, value]) => {
    const levels = [value, { values: value }, { values: { pulumiConfig: value } }, { values: { pulumiConfig: { "multicloud-service:aws": value } } }];
    return stringify(depth < levels.length ? levels[depth] : { imports: value, values: { pulumiConfig: { "multicloud-service:aws": { canary: value } } } });
});
const valid = stringify({ imports: ["multicloud-service/prod"], values: { pulumiConfig: { "multicloud-service:aws": { canary: { stableVersion: 7, weightPercent: 10 } } } } });
const hostileText = fc.oneof(
    hostileDefinition,
    fc.nat(valid.length).map((n) => valid.slice(0, n)),
    // Without "!" or "%": the yaml package prints a warning for each tag or directive it does not know (ESC's own functions are fn:: keys).
    fc.string().map((text) => text.replace(/[!%]/g, "?")),
    fc.constantFrom("<html>\n<body>Sign in to continue</body>\n</html>", "a: 1\na: 2", "values: *missing", "values: {pulumiConfig: [", "\t- x"),
);

function answering(text: string, sent: string[]): typeof fetch {
    return (async (_url: unknown, init?: RequestInit) => {
        if (init?.method === "PATCH") {
            sent.push(String(init.body));
            return new Response("{}", { status: 200, headers: { "Pulumi-ESC-Revision": "4" } });
        }
        return new Response(text, { status: 200, headers: { ETag: "etag-3", "Pulumi-ESC-Revision": "3" } });
    }) as typeof fetch;
}

function assertOwnRefusal(error: unknown, doing: string) {
    assert.ok(error instanceof Error && error.constructor === Error, `${doing} threw ${String(error)}`);
    assert.ok(error.message.startsWith("release state: ") && error.message.includes(NAME), `${doing}: ${error.message}`);
}

describe("the release state's read and write, given hostile ESC answers (property-based)", () => {
    it(`${RUNS} hostile definitions: a state of strings, or a refusal naming the environment; a write reported done sent its change`, () =>
        fc.assert(
            fc.asyncProperty(hostileText, async (text) => {
                const sent: string[] = [];
                const store = escReleaseState({ organization: "acme", environment: "multicloud-service/prod-release", apiUrl: "https://api.invalid", accessToken: "t" }, answering(text, sent), async () => {});
                try {
                    const state = await store.read();
                    for (const [key, value] of Object.entries(state)) assert.strictEqual(typeof value, "string", `read ${key}`);
                } catch (error) {
                    assertOwnRefusal(error, "read");
                }
                try {
                    await store.write([CHANGE]);
                } catch (error) {
                    assertOwnRefusal(error, "write");
                    return;
                }
                assert.strictEqual(parse(sent.at(-1)!)?.values?.pulumiConfig?.["multicloud-service:aws"]?.canary?.weightPercent, 10, `the write sent ${sent.at(-1)?.slice(0, 200)}`);
            }),
            { numRuns: RUNS },
        ));
});
