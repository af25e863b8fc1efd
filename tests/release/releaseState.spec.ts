import * as assert from "assert";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as path from "path";
import { parse, stringify } from "yaml";
import { CALL_ATTEMPT } from "../../components/httpAttempt";
import { PROJECT_ROOT } from "../../config/stackFile";
import { escDecodeErrors } from "../harness/escDecoder";
import { pulumiLoginFolder, tornPulumiLoginFolder } from "../harness/pulumiLogin";
import { scratchDir } from "../harness/tempDirs";
import type { ReleaseStateStore } from "../../release/stack/escReleaseState";
import { exportedState } from "./exportedState";

const STATE_ENV = "multicloud-service/prod-release";

/**
 * Pulumi ESC's environments API as pulumi/esc's client calls it (cmd/esc/cli/client/client.go): GET
 * /api/esc/environments/<org>/<project>/<env> answers the YAML definition with its ETag and Pulumi-ESC-Revision
 * headers; PATCH of the same path with the YAML as body and the ETag it was read at updates it, and answers 409
 * `{"code":409,"message":"conflict"}` (client_test.go) when someone changed it since. Authorization is `token <t>`.
 *
 * The release takes its bound on a request (CALL_ATTEMPT) as it sends it, before the fake decides to stay silent: so the
 * fake shortens it to SILENT_MS as it answers the read before a PATCH it will not answer, and gives the full bound back
 * as it takes a request it will not answer (and each test ends with it given back: FULL_BOUND). No answered request has
 * the short bound; a silent call's first request is the spec's to shorten.
 */
function fakeEscApi(definition: unknown) {
    const state = { yaml: stringify(definition), revision: 3, requests: [] as { method: string; url: string; auth?: string; etag?: string; accept?: string; body: string }[], unavailablePatches: 0, rateLimitedPatches: 0, silentRequests: 0, silentPatches: 0, unansweredAppliedPatches: 0, droppedAppliedPatches: 0, latePatches: 0 };
    /** A request taken that the fake will not answer: the next request's bound is the full one again. */
    const takenUnanswered = () => void (CALL_ATTEMPT.timeoutMs = FULL_BOUND);
    /** A PATCH taken unanswered that ESC applies only after answering the next read. */
    let late: string | undefined;
    const server = http.createServer((req, res) => {
        let body = "";
        req.on("data", (chunk) => (body += chunk));
        req.on("end", () => {
            state.requests.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, etag: req.headers.etag as string | undefined, accept: req.headers.accept, body });
            // A Pulumi Cloud that takes the request and never answers: a behaviour, not words.
            if (state.silentRequests > 0) {
                state.silentRequests--;
                takenUnanswered();
            } else if (req.url !== `/api/esc/environments/acme/${STATE_ENV}`) {
                res.writeHead(404, { "Content-Type": "application/json" }).end(JSON.stringify({ code: 404, message: `Environment '${STATE_ENV}' not found` }));
            } else if (req.headers.authorization !== "token pul-test-token") {
                res.writeHead(401, { "Content-Type": "application/json" }).end(JSON.stringify({ code: 401, message: "Unauthorized: No credentials provided or are invalid." }));
            } else if (req.method === "GET") {
                if (state.silentPatches + state.unansweredAppliedPatches + state.latePatches > 0) CALL_ATTEMPT.timeoutMs = SILENT_MS;
                res.writeHead(200, { "Content-Type": "application/x-yaml", ETag: `etag-${state.revision}`, "Pulumi-ESC-Revision": String(state.revision) }).end(state.yaml);
                // A write taken earlier, past its ETag check, that lands only now: after the release's read.
                if (late !== undefined) {
                    state.yaml = late;
                    state.revision++;
                    late = undefined;
                }
            } else if (req.method === "PATCH" && state.silentPatches > 0) {
                state.silentPatches--; // a write that never reached ESC's store, and no answer
                takenUnanswered();
            } else if (req.method === "PATCH" && state.unavailablePatches > 0) {
                // ESC's error body (client.go: code and message) with HTTP's reason phrase as the message: ESC documents
                // no text of its own for a 503, and the release reads only the status and the message.
                state.unavailablePatches--;
                res.writeHead(503, { "Content-Type": "application/json" }).end(JSON.stringify({ code: 503, message: "Service Unavailable" }));
            } else if (req.method === "PATCH" && state.rateLimitedPatches > 0) {
                // The same for a rate limit (pulumi/esc's client only names it: "esc: request rate-limit exceeded").
                state.rateLimitedPatches--;
                res.writeHead(429, { "Content-Type": "application/json" }).end(JSON.stringify({ code: 429, message: "Too Many Requests" }));
            } else if (req.method === "PATCH" && req.headers.etag !== undefined && req.headers.etag !== `etag-${state.revision}`) {
                // Only a PATCH that names an ETag is conditional: "If etag is not the empty string and the environment's
                // current etag does not match the provided etag ... the update will fail with a 409 error", and the client
                // sends the ETag header only when it has one (pulumi/esc cmd/esc/cli/client/client.go,
                // UpdateEnvironmentWithRevision); one without is applied as it is.
                res.writeHead(409, { "Content-Type": "application/json" }).end(JSON.stringify({ code: 409, message: "conflict" }));
            } else if (req.method === "PATCH" && escDecodeErrors(body).length > 0) {
                // ESC checks a definition before it keeps it, and answers its diagnostics (client.go
                // EnvironmentErrorResponse: code, message, diagnostics[].summary).
                res.writeHead(400, { "Content-Type": "application/json" }).end(JSON.stringify({ code: 400, message: "Bad Request", diagnostics: escDecodeErrors(body).map((summary) => ({ summary })) }));
            } else if (req.method === "PATCH" && state.latePatches > 0) {
                state.latePatches--; // taken, no answer, and applied after the next read (above)
                late = body;
                takenUnanswered();
            } else if (req.method === "PATCH") {
                state.yaml = body;
                state.revision++;
                // A write ESC applied whose answer never reached the release (a connection lost on the way back).
                if (state.unansweredAppliedPatches > 0) return void (state.unansweredAppliedPatches--, takenUnanswered());
                // One applied whose connection dropped before the answer (fetch: "fetch failed", other side closed).
                if (state.droppedAppliedPatches > 0) return void (state.droppedAppliedPatches--, req.socket.destroy());
                res.writeHead(200, { "Content-Type": "application/json", "Pulumi-ESC-Revision": String(state.revision) }).end("{}");
            } else res.writeHead(405).end();
        });
    });
    return {
        state,
        async start() {
            await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
            return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        },
        stop: () => new Promise<void>((resolve) => (server.close(() => resolve()), server.closeAllConnections())),
    };
}

/** The bound of a request the fake ESC does not answer. */
const SILENT_MS = 300;
/** CALL_ATTEMPT's bound as the spec files are loaded, before any test shortens it: every other request's. */
const FULL_BOUND = CALL_ATTEMPT.timeoutMs;

/**
 * multicloud-service:aws as a real release's stack reads it (openAutomationStack's readConfig) where the release state
 * holds `state` and the stack's own config (the CLI's getAllConfig) holds `stack`.
 */
async function awsConfigRead(state: string, stack: string): Promise<string> {
    const { openAutomationStack } = await import("../../release/stack/automationStack");
    const access = await openAutomationStack(
        {
            stackName: "acme/prod",
            workDir: "/w",
            onOutput: () => {},
            releaseState: { read: async () => ({ "multicloud-service:aws": state }), write: async () => {} },
        },
        async () => ({
            history: async () => [],
            exportState: async () => exportedState(),
            getAllConfig: async () => ({ "multicloud-service:aws": { value: stack } }),
            setAllConfig: async () => {},
            up: async () => ({}) as any,
            outputs: async () => ({}),
        }),
    );
    return (await access.readConfig()).values["multicloud-service:aws"];
}

describe("issue 20 #9: the release keeps its state in an ESC environment the prod stack imports, not in a commit to main", function () {
    this.timeout(20_000);
    // Whatever a test left short when it failed midway (the fake's shortening, or its own before a silent call).
    afterEach(() => void (CALL_ATTEMPT.timeoutMs = FULL_BOUND));

    it("Pulumi.prod.yaml imports the state environment after its credentials (later imports win), and sets none of the keys the release writes", async () => {
        const { RELEASE_KEYS } = await import("../../release/configChanges");
        const stackFile = parse(fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.prod.yaml"), "utf8"));
        assert.deepStrictEqual(stackFile.environment, ["multicloud-service/prod", STATE_ENV]);
        // Explicit stack config wins over an environment's pulumiConfig, key by key (objects deep-merge), so a key
        // set here would hide the release's state.
        for (const keys of Object.values(RELEASE_KEYS)) {
            for (const key of Object.values(keys)) {
                const [top, ...rest] = key.split(".");
                let node = stackFile.config[top];
                for (const segment of rest) node = node?.[segment];
                assert.strictEqual(node, undefined, `Pulumi.prod.yaml sets ${key}`);
            }
        }
    });

    it("reads the environment's pulumiConfig and writes each change with `pulumi config set --path` semantics, at the ETag it read", async () => {
        const { escReleaseState } = await import("../../release/stack/escReleaseState");
        const api = fakeEscApi({ imports: [], values: { pulumiConfig: { "multicloud-service:aws": { canary: { stableVersion: 7, weightPercent: 10 } } } } });
        const url = await api.start();
        try {
            const store = escReleaseState({ organization: "acme", environment: STATE_ENV, apiUrl: url, accessToken: "pul-test-token" });
            assert.deepStrictEqual(await store.read(), { "multicloud-service:aws": '{"canary":{"stableVersion":7,"weightPercent":10}}' });
            await store.write([
                { key: "multicloud-service:aws.canary.weightPercent", value: 50 },
                { key: "multicloud-service:gcp.canary.stableRevision", value: "service-00007-abc" },
                { key: "multicloud-service:release.rolledBack.awsVersion", value: "8" },
            ]);
            const patch = api.state.requests.find((r) => r.method === "PATCH")!;
            assert.strictEqual(patch.etag, "etag-3");
            // "Required Request Headers ... for all operations: Accept: application/vnd.pulumi+8" (Pulumi Cloud REST API,
            // API Basics); pulumi/esc's client sends it on every call (cmd/esc/cli/client/client.go, client_test.go).
            assert.deepStrictEqual(
                api.state.requests.map((r) => `${r.method} ${r.accept}`),
                ["GET application/vnd.pulumi+8", "PATCH application/vnd.pulumi+8"],
            );
            assert.deepStrictEqual(parse(api.state.yaml), {
                imports: [],
                values: {
                    pulumiConfig: {
                        "multicloud-service:aws": { canary: { stableVersion: 7, weightPercent: 50 } },
                        "multicloud-service:gcp": { canary: { stableRevision: "service-00007-abc" } },
                        "multicloud-service:release": { rolledBack: { awsVersion: 8 } },
                    },
                },
            });
        } finally {
            await api.stop();
        }
    });

    /** The state of an empty environment behind the fake ESC API, read once as a release reads it when it starts. */
    async function afterRead(
        run: (store: ReleaseStateStore, api: ReturnType<typeof fakeEscApi>, url: string) => Promise<void>,
        options: { pause?: (ms: number) => Promise<void>; fetch?: (url: string) => typeof fetch } = {},
    ) {
        const { escReleaseState } = await import("../../release/stack/escReleaseState");
        const api = fakeEscApi({ values: { pulumiConfig: {} } });
        const url = await api.start();
        try {
            const store = escReleaseState({ organization: "acme", environment: STATE_ENV, apiUrl: url, accessToken: "pul-test-token" }, options.fetch?.(url) ?? fetch, options.pause ?? (async () => {}));
            await store.read();
            await run(store, api, url);
        } finally {
            await api.stop();
        }
    }

    it("a Pulumi Cloud that never answers a read or a write fails that request within the bound, naming the environment and the request", async () => {
        const { ORDINARY_WRITE_ATTEMPTS } = await import("../../release/stack/escReleaseState");
        await afterRead(async (store, api) => {
            // Every try of the write unanswered (each reads first, and finds it not applied). The first try is the
            // call's first request: short for it here (the fake shortens the next one after answering its read).
            api.state.silentPatches = ORDINARY_WRITE_ATTEMPTS;
            CALL_ATTEMPT.timeoutMs = SILENT_MS;
            await assert.rejects(store.write([{ key: "multicloud-service:aws.canary.weightPercent", value: 10 }]), /^Error: release state: writing acme\/multicloud-service\/prod-release: PATCH http:\/\/127\.0\.0\.1:\d+\/api\/esc\/environments\/acme\/multicloud-service\/prod-release did not answer within 0\.3 s .*; the write may have been applied all the same \(pulumi env get acme\/multicloud-service\/prod-release/);
            api.state.silentRequests = 1;
            CALL_ATTEMPT.timeoutMs = SILENT_MS;
            await assert.rejects(store.read(), /release state: reading acme\/multicloud-service\/prod-release: GET .* did not answer within 0\.3 s/);
            // The next write reads the environment first, as after any write: not the copy the unanswered one sent.
            const before = api.state.requests.length;
            await store.write([{ key: "multicloud-service:aws.canary.weightPercent", value: 20 }]);
            assert.deepStrictEqual(api.state.requests.slice(before).map((r) => r.method), ["GET", "PATCH"]);
        });
    });

    it("refuses to overwrite a change made since it read (409 from ESC), naming the environment", () =>
        afterRead(async (store, api, url) => {
            const { escReleaseState } = await import("../../release/stack/escReleaseState");
            api.state.revision++; // someone else saved the environment
            await assert.rejects(store.write([{ key: "multicloud-service:aws.canary.weightPercent", value: 10 }]), /acme\/multicloud-service\/prod-release changed since the release read it \(409 conflict\); rerun the release/);
            const wrong = escReleaseState({ organization: "acme", environment: STATE_ENV, apiUrl: url, accessToken: "expired" });
            await assert.rejects(wrong.read(), /401 Unauthorized: No credentials provided or are invalid\./);
        }));

    // Found by tests/release/releaseStateHostile.spec.ts: a definition of another shape read as an empty state (or,
    // for a text, one key a character), and a write sent it back without the change and reported success.
    it("refuses a definition whose values.pulumiConfig is not a mapping, naming the environment, rather than reading it as no state", async () => {
        const { escReleaseState } = await import("../../release/stack/escReleaseState");
        const api = fakeEscApi({ values: { pulumiConfig: "weightPercent=50" } });
        const url = await api.start();
        try {
            const store = escReleaseState({ organization: "acme", environment: STATE_ENV, apiUrl: url, accessToken: "pul-test-token" });
            const refusal = /^Error: release state: values\.pulumiConfig in acme\/multicloud-service\/prod-release is the text "weightPercent=50", not a mapping of keys; .*`pulumi env get acme\/multicloud-service\/prod-release`/;
            await assert.rejects(store.read(), refusal);
            await assert.rejects(store.write([{ key: "multicloud-service:aws.canary.weightPercent", value: 10 }]), refusal);
            assert.deepStrictEqual(api.state.requests.map((r) => r.method), ["GET", "GET"], "nothing written");
        } finally {
            await api.stop();
        }
    });

    // Found by tests/release/releaseStateHostile.spec.ts: the change was set as a key of the list, which YAML does not
    // write, so the PATCH sent the definition without it and the write reported success.
    it("a write under a key that holds a list replaces the list, as one holding a number is, rather than sending no change", async () => {
        const { escReleaseState } = await import("../../release/stack/escReleaseState");
        const api = fakeEscApi({ values: { pulumiConfig: { "multicloud-service:aws": { canary: ["stale"] } } } });
        const url = await api.start();
        try {
            const store = escReleaseState({ organization: "acme", environment: STATE_ENV, apiUrl: url, accessToken: "pul-test-token" });
            await store.read();
            await store.write([{ key: "multicloud-service:aws.canary.weightPercent", value: 10 }]);
            assert.deepStrictEqual(parse(api.state.yaml).values.pulumiConfig, { "multicloud-service:aws": { canary: { weightPercent: 10 } } });
        } finally {
            await api.stop();
        }
    });

    it("a rollback's write goes over a change made since the release read (keeping that change), and through a server error, within OVER_WRITE_ATTEMPTS", async () => {
        const { OVER_WRITE_ATTEMPTS, escReleaseState } = await import("../../release/stack/escReleaseState");
        const api = fakeEscApi({ values: { pulumiConfig: { "multicloud-service:aws": { canary: { weightPercent: 50 } } } } });
        const url = await api.start();
        try {
            const pauses: number[] = [];
            const store = escReleaseState({ organization: "acme", environment: STATE_ENV, apiUrl: url, accessToken: "pul-test-token" }, fetch, async (ms) => void pauses.push(ms));
            await store.read();
            // Someone saves the environment meanwhile (a note of their own), and ESC fails the next PATCH once.
            api.state.yaml = stringify({ values: { pulumiConfig: { "multicloud-service:aws": { canary: { weightPercent: 50 } }, "multicloud-service:release": { note: "paged" } } } });
            api.state.revision++;
            const rollback = [
                { key: "multicloud-service:aws.canary.weightPercent", value: 0 },
                { key: "multicloud-service:release.rolledBack.awsVersion", value: "8" },
            ];
            await assert.rejects(store.write(rollback), /changed since the release read it \(409 conflict\)/, "an ordinary write still refuses");
            api.state.unavailablePatches = 1;
            await store.write(rollback, { over: true });
            assert.strictEqual(pauses.length, 1, "one retry, after the 503");
            assert.deepStrictEqual(parse(api.state.yaml).values.pulumiConfig, {
                "multicloud-service:aws": { canary: { weightPercent: 0 } },
                "multicloud-service:release": { note: "paged", rolledBack: { awsVersion: 8 } },
            });

            api.state.unavailablePatches = OVER_WRITE_ATTEMPTS;
            await assert.rejects(store.write(rollback, { over: true }), /release state: writing acme\/multicloud-service\/prod-release: 503 Service Unavailable/);
        } finally {
            await api.stop();
        }
    });

    it("a rollback's write goes through three server errors in a row: up to 4 tries, as docs/releases.md tells the operator", () =>
        // docs/releases.md promises the operator that a breach's rollback is written through up to 4 tries whatever the
        // failure, and the release's window counts that many (stateWriteWorstSeconds). ESC's 503 as fakeEscApi answers it.
        afterRead(async (store, api) => {
            const before = api.state.requests.length;
            api.state.unavailablePatches = 3;
            await store.write([{ key: "multicloud-service:aws.canary.weightPercent", value: 0 }], { over: true });
            assert.strictEqual(methods(api, before).filter((m) => m === "PATCH").length, 4);
            assert.strictEqual(weightIn(api), 0);
        }));

    it("a rollback's write whose answer never came, applied or not, is retried on the environment read again, keeping a change made in between", async () => {
        let between = () => {};
        await afterRead(
            async (store, api) => {
                // Between the attempts, someone saves a note of their own: the retry must read it, not resend its copy.
                between = () => {
                    api.state.yaml = stringify({ values: { pulumiConfig: { ...parse(api.state.yaml).values.pulumiConfig, "multicloud-service:release": { note: "paged" } } } });
                    api.state.revision++;
                };
                const rollback = [{ key: "multicloud-service:aws.canary.weightPercent", value: 0 }];
                const expected = { "multicloud-service:aws": { canary: { weightPercent: 0 } }, "multicloud-service:release": { note: "paged" } };
                for (const lost of ["unansweredAppliedPatches", "silentPatches"] as const) {
                    api.state.yaml = stringify({ values: { pulumiConfig: { "multicloud-service:aws": { canary: { weightPercent: 50 } } } } });
                    const before = api.state.requests.length;
                    api.state[lost] = 1;
                    await store.write(rollback, { over: true });
                    assert.deepStrictEqual(parse(api.state.yaml).values.pulumiConfig, expected, lost);
                    assert.deepStrictEqual(api.state.requests.slice(before).map((r) => r.method), ["GET", "PATCH", "GET", "PATCH"], lost);
                }
            },
            { pause: async () => between() },
        );
    });

    it("every later write refuses a change made since the release's previous write too (a PATCH answers no ETag to go on with)", () =>
        afterRead(async (store, api) => {
            await store.write([{ key: "multicloud-service:aws.canary.weightPercent", value: 10 }]);
            await store.write([{ key: "multicloud-service:gcp.canary.percent", value: 10 }]);
            assert.strictEqual(api.state.revision, 5, "writes with nobody else in between go through");
            // An operator rolls back by hand during the bake (docs/releases.md "Rollback by hand": pulumi env set ... 0).
            api.state.yaml = stringify({ values: { pulumiConfig: { "multicloud-service:aws": { canary: { weightPercent: 0 } } } } });
            api.state.revision++;
            await assert.rejects(store.write([{ key: "multicloud-service:aws.canary.weightPercent", value: 50 }]), /acme\/multicloud-service\/prod-release changed since the release read it \(409 conflict\)/);
            assert.match(api.state.yaml, /weightPercent: 0/, "the rollback by hand is kept");
        }));

    // An ordinary write (a step's weight, the stable version) that meets a passing trouble: before, the release ended
    // there (exit 1) with the last step's traffic live and no bake watching it, for a 503 the next try would have passed.
    const WEIGHT = (value: number) => [{ key: "multicloud-service:aws.canary.weightPercent", value }];
    const methods = (api: ReturnType<typeof fakeEscApi>, from: number) => api.state.requests.slice(from).map((r) => r.method);
    const weightIn = (api: ReturnType<typeof fakeEscApi>) => parse(api.state.yaml).values.pulumiConfig["multicloud-service:aws"]?.canary?.weightPercent;
    /** An operator's rollback by hand (docs/releases.md: pulumi env set ... weightPercent 0): one revision of its own. */
    const rollbackByHand = (api: ReturnType<typeof fakeEscApi>) => {
        api.state.yaml = stringify({ values: { pulumiConfig: { "multicloud-service:aws": { canary: { weightPercent: 0 } } } } });
        api.state.revision++;
    };

    it("an ordinary write goes through a 503 or a 429 from ESC, reading the environment again before each try, within ORDINARY_WRITE_ATTEMPTS", async () => {
        const { ORDINARY_WRITE_ATTEMPTS } = await import("../../release/stack/escReleaseState");
        const pauses: number[] = [];
        await afterRead(
            async (store, api) => {
                for (const [answer, value] of [["unavailablePatches", 10], ["rateLimitedPatches", 20]] as const) {
                    const before = api.state.requests.length;
                    const revision = api.state.revision;
                    api.state[answer] = 1;
                    await store.write(WEIGHT(value));
                    // The first write goes on the definition the release read; a later one reads first (a PATCH answers no ETag).
                    assert.deepStrictEqual(methods(api, before), [...(value === 10 ? [] : ["GET"]), "PATCH", "GET", "PATCH"], answer);
                    assert.strictEqual(api.state.revision, revision + 1, `${answer}: one revision`);
                    assert.strictEqual(weightIn(api), value, answer);
                }
                assert.deepStrictEqual(pauses, [2_000, 2_000]);
                // Unavailable at every try: the last answer, as before, and nothing written.
                api.state.unavailablePatches = ORDINARY_WRITE_ATTEMPTS;
                await assert.rejects(store.write(WEIGHT(30)), /^Error: release state: writing acme\/multicloud-service\/prod-release: 503 Service Unavailable$/);
                assert.strictEqual(weightIn(api), 20);
                // And the next write finds the environment as the release left it: no conflict.
                await store.write(WEIGHT(30));
                assert.strictEqual(weightIn(api), 30);
            },
            { pause: async (ms) => void pauses.push(ms) },
        );
    });

    it("a definition ESC refuses with its diagnostics alone (no message) is reported by the diagnostics, not ESC's raw body, and not tried again", () => {
        let patches = 0;
        return afterRead(
            async (store) => {
                await assert.rejects(store.write(WEIGHT(10)), /^Error: release state: writing acme\/multicloud-service\/prod-release: 400 alias nodes are not supported$/);
                assert.strictEqual(patches, 1);
            },
            {
                // ESC's 400 for a definition it refuses may carry the diagnostics alone, with no code or message: pulumi/esc
                // cmd/esc/cli/client/client_test.go, TestUpdateEnvironment "Diags only" (EnvironmentErrorResponse{Diagnostics}),
                // in the words of ESC's YAML decoder (tests/harness/escDecoder.ts).
                fetch: () => (input, init) =>
                    init?.method === "PATCH"
                        ? (patches++, Promise.resolve(new Response(JSON.stringify({ diagnostics: [{ summary: "alias nodes are not supported" }] }), { status: 400, headers: { "Content-Type": "application/json" } })))
                        : fetch(input, init),
            },
        );
    });

    /** A write after reads whose ETag header `edit` changed (a proxy that drops it, or empties it): refused, no PATCH sent. */
    const writesNothingAfterReadsWhoseETag = (edit: (headers: Headers) => void) =>
        afterRead(
            async (store, api) => {
                const before = api.state.requests.length;
                await assert.rejects(store.write(WEIGHT(10)), /release state: acme\/multicloud-service\/prod-release was read without an ETag, so a write could overwrite a change made since; nothing was written/);
                assert.ok(!methods(api, before).includes("PATCH"), "a PATCH was sent");
            },
            {
                fetch: () => async (input, init) => {
                    const answer = await fetch(input, init);
                    if ((init?.method ?? "GET") !== "GET") return answer;
                    const headers = new Headers(answer.headers);
                    edit(headers);
                    return new Response(await answer.text(), { status: answer.status, headers });
                },
            },
        );

    // ESC answers every read with its ETag (client.go, GetEnvironment reads it); a read without one, as through a proxy
    // that drops the header, would make the write unconditional.
    it("a read that came without its ETag writes nothing: the write could overwrite a rollback made by hand since", () =>
        writesNothingAfterReadsWhoseETag((headers) => headers.delete("ETag")));

    it("a read that came with an empty ETag writes nothing either: ESC's client sends no ETag for an empty one (its PATCH unconditional): the write could overwrite a rollback made by hand since", () =>
        writesNothingAfterReadsWhoseETag((headers) => headers.set("ETag", "")));

    it("an ordinary write is not tried again on a refusal that is no passing trouble (401)", () =>
        afterRead(
            async (store, api) => {
                const before = api.state.requests.length;
                await assert.rejects(store.write(WEIGHT(10)), /release state: writing acme\/multicloud-service\/prod-release: 401 Unauthorized/);
                assert.deepStrictEqual(methods(api, before), ["PATCH"]);
            },
            // The token expires between the read and the write.
            { fetch: () => (input, init) => fetch(input, init?.method === "PATCH" ? { ...init, headers: { ...(init.headers as Record<string, string>), Authorization: "token expired" } } : init) },
        ));

    it("an ordinary write retried after a server error still refuses a change made in between: a rollback by hand is kept", async () => {
        let between = () => {};
        await afterRead(
            async (store, api) => {
                await store.write(WEIGHT(10));
                between = () => rollbackByHand(api);
                api.state.unavailablePatches = 1;
                const before = api.state.requests.length;
                await assert.rejects(store.write(WEIGHT(50)), /acme\/multicloud-service\/prod-release changed since the release read it \(409 conflict\)/);
                assert.deepStrictEqual(methods(api, before), ["GET", "PATCH", "GET"], "no PATCH after the read that found the change");
                assert.strictEqual(weightIn(api), 0, "the rollback by hand is kept");
            },
            { pause: async () => between() },
        );
    });

    it("an ordinary write nobody answered: done when the environment holds exactly what it wrote, one revision on; written again when untouched; refused when someone else wrote", async () => {
        let between = () => {};
        await afterRead(
            async (store, api) => {
                await store.write(WEIGHT(10));
                // Applied, its answer lost (a timeout; a connection dropped after the request left): read, found, done.
                for (const [lost, value] of [["unansweredAppliedPatches", 20], ["droppedAppliedPatches", 30]] as const) {
                    const before = api.state.requests.length;
                    const revision = api.state.revision;
                    api.state[lost] = 1;
                    await store.write(WEIGHT(value));
                    assert.deepStrictEqual(methods(api, before), ["GET", "PATCH", "GET"], lost);
                    assert.strictEqual(api.state.revision, revision + 1, `${lost}: written once, not twice`);
                    assert.strictEqual(weightIn(api), value, lost);
                }
                // Never applied: written again on the environment read again.
                let before = api.state.requests.length;
                api.state.silentPatches = 1;
                await store.write(WEIGHT(40));
                assert.deepStrictEqual(methods(api, before), ["GET", "PATCH", "GET", "PATCH"]);
                assert.strictEqual(weightIn(api), 40);
                // The release's next write sees no conflict with what it wrote itself.
                await store.write(WEIGHT(50));
                assert.strictEqual(weightIn(api), 50);

                // Never applied, and an operator rolls back by hand before the release looks again: refused, kept.
                between = () => rollbackByHand(api);
                api.state.silentPatches = 1;
                before = api.state.requests.length;
                await assert.rejects(store.write(WEIGHT(100)), /acme\/multicloud-service\/prod-release changed since the release read it \(409 conflict\); rerun the release/);
                assert.deepStrictEqual(methods(api, before), ["GET", "PATCH", "GET"]);
                assert.strictEqual(weightIn(api), 0, "the rollback by hand is kept");
            },
            { pause: async () => between() },
        );
    });

    it("an ordinary write nobody answered, applied, and then changed and changed back by hand: refused, since the revision is not the one its own write made", async () => {
        let between = () => {};
        await afterRead(
            async (store, api) => {
                await store.write(WEIGHT(10));
                // Applied, its answer lost; then an operator sets the weight to 0 and back to 20 by hand (two revisions
                // of their own, as each `pulumi env set` is): the definition is the one the release sent, the revision two
                // past it. Only ESC's revision tells whose it is; the release refuses as ESC's 409 would.
                between = () => {
                    const written = api.state.yaml;
                    rollbackByHand(api);
                    api.state.yaml = written;
                    api.state.revision++;
                };
                api.state.unansweredAppliedPatches = 1;
                const before = api.state.requests.length;
                await assert.rejects(store.write(WEIGHT(20)), /acme\/multicloud-service\/prod-release changed since the release read it \(409 conflict\); rerun the release/);
                assert.deepStrictEqual(methods(api, before), ["GET", "PATCH", "GET"]);
            },
            { pause: async () => between() },
        );
    });

    it("an ordinary write whose unanswered try lands late, after the read that found it not applied: the retry's 409 says the change may be the release's own", () =>
        afterRead(async (store, api) => {
            await store.write(WEIGHT(10));
            const before = api.state.requests.length;
            api.state.latePatches = 1;
            await assert.rejects(store.write(WEIGHT(20)), /^Error: release state: acme\/multicloud-service\/prod-release changed since the release read it \(409 conflict\), perhaps by this release's own earlier attempt, which got no answer and landed late; rerun the release to resume from the current state$/);
            assert.deepStrictEqual(methods(api, before), ["GET", "PATCH", "GET", "PATCH"]);
            assert.strictEqual(weightIn(api), 20, "the late try's write is what the environment holds");
        }));

    it("an ordinary write whose connection was refused (it never left) is tried again", async () => {
        const { closedPortUrl } = await import("../harness/closedPort");
        const closed = await closedPortUrl();
        let refused = 0;
        await afterRead(
            async (store, api) => {
                const before = api.state.requests.length;
                await store.write(WEIGHT(10));
                assert.strictEqual(refused, 1);
                assert.deepStrictEqual(methods(api, before), ["GET", "PATCH"], "the refused PATCH never reached ESC");
                assert.strictEqual(weightIn(api), 10);
            },
            {
                fetch: (url) => (input, init) =>
                    init?.method === "PATCH" && refused === 0 ? (refused++, fetch(String(input).replace(url, closed), init)) : fetch(input, init),
            },
        );
    });

    it("an ordinary write whose first try never left, refused with 409 on its second: the change is someone else's, not said to be its own", async () => {
        const { closedPortUrl } = await import("../harness/closedPort");
        const closed = await closedPortUrl();
        let patches = 0;
        let someoneSaves = () => {};
        await afterRead(
            async (store, api) => {
                someoneSaves = () => void api.state.revision++;
                const before = api.state.requests.length;
                await assert.rejects(store.write(WEIGHT(10)), /^Error: release state: acme\/multicloud-service\/prod-release changed since the release read it \(409 conflict\); rerun the release to resume from the current state$/);
                assert.deepStrictEqual(methods(api, before), ["GET", "PATCH"], "the refused PATCH never reached ESC");
            },
            {
                // The first PATCH to a closed port; someone saves the environment between the second try's read and its PATCH.
                fetch: (url) => (input, init) => {
                    if (init?.method !== "PATCH") return fetch(input, init);
                    if (patches++ === 0) return fetch(String(input).replace(url, closed), init);
                    someoneSaves();
                    return fetch(input, init);
                },
            },
        );
    });

    it("a real release's stack reads the state over its config and writes release keys there only (other keys still through the CLI)", async () => {
        const { openAutomationStack } = await import("../../release/stack/automationStack");
        const set: unknown[] = [];
        const written: unknown[] = [];
        const access = await openAutomationStack(
            {
                stackName: "acme/prod",
                workDir: "/w",
                onOutput: () => {},
                releaseState: { read: async () => ({ "multicloud-service:aws": '{"canary":{"weightPercent":50}}' }), write: async (c) => void written.push(...c) },
            },
            async () => ({
                history: async () => [],
                exportState: async () => exportedState(),
                getAllConfig: async () => ({ "multicloud-service:aws": { value: '{"enabled":true,"memoryMb":1024}' } }),
                setAllConfig: async (config: unknown) => void set.push(config),
                up: async () => ({}) as any,
                outputs: async () => ({}),
            }),
        );
        assert.deepStrictEqual((await access.readConfig()).values, { "multicloud-service:aws": '{"enabled":true,"memoryMb":1024,"canary":{"weightPercent":50}}' });
        await access.setConfig([{ key: "multicloud-service:aws.canary.weightPercent", value: 100 }]);
        assert.deepStrictEqual(written, [{ key: "multicloud-service:aws.canary.weightPercent", value: 100 }]);
        assert.deepStrictEqual(set, []);
    });

    it("where the stack file and the state set the same key inside one object, the stack's value is read, as Pulumi merges them", async () => {
        // pulumi/pulumi pkg/workspace/config.go mergeConfig: a key found on the stack and in its environment is merged with
        // "JSON merge patch semantics" that "Prefers stack values over env values"; a key only in the environment is added.
        const merged = await awsConfigRead('{"memoryMb":512,"canary":{"weightPercent":50}}', '{"enabled":true,"memoryMb":1024,"canary":{"stepMinutes":5}}');
        assert.deepStrictEqual(JSON.parse(merged), { enabled: true, memoryMb: 1024, canary: { stepMinutes: 5, weightPercent: 50 } });
    });

    it("a list on either side is not merged: the stack's value is read whole, as Pulumi merges only mappings", async () => {
        // pulumi/pulumi sdk/go/common/resource/config/object.go, object.Merge: keys merge only where both are maps.
        const merged = await awsConfigRead('{"canary":["stale"],"allowedOrigins":{"weightPercent":50}}', '{"canary":{"stepMinutes":5},"allowedOrigins":["https://app.example.com"]}');
        assert.deepStrictEqual(JSON.parse(merged), { canary: { stepMinutes: 5 }, allowedOrigins: ["https://app.example.com"] });
    });

    it("a null the stack sets is the stack's value: the state's mapping under it is not read through it", async () => {
        // object.Merge returns the stack's value whenever it is not a map, null too: only a key the stack leaves out is
        // the environment's (pulumi/pulumi sdk/go/common/resource/config/object.go).
        const merged = await awsConfigRead('{"canary":{"weightPercent":50},"memoryMb":1024}', '{"canary":null}');
        assert.deepStrictEqual(JSON.parse(merged), { canary: null, memoryMb: 1024 });
    });

    // Before: the merge wrote its result as JSON, so the stack's text came back quoted ("abc" for abc).
    it("text the stack sets over the state's mapping is the stack's text as it is, as the CLI hands it", async () => {
        assert.strictEqual(await awsConfigRead('{"canary":{"weightPercent":50}}', "not an object"), "not an object");
        // Before: text that is also JSON came back as JSON.stringify of its parse: 1.0 as 1, "x" without its quotes.
        for (const text of ["1.0", '"x"', "null"]) assert.strictEqual(await awsConfigRead('{"canary":{"weightPercent":50}}', text), text);
    });

    it("a key the environment sets to text is read as that text, as the CLI hands it to the program; a number as its JSON", async () => {
        const { escReleaseState } = await import("../../release/stack/escReleaseState");
        const api = fakeEscApi({ imports: [], values: { pulumiConfig: { "multicloud-service:releaseNote": "paged at 03:00", "multicloud-service:releaseCount": 7 } } });
        const url = await api.start();
        try {
            const store = escReleaseState({ organization: "acme", environment: STATE_ENV, apiUrl: url, accessToken: "pul-test-token" });
            assert.deepStrictEqual(await store.read(), { "multicloud-service:releaseNote": "paged at 03:00", "multicloud-service:releaseCount": "7" });
        } finally {
            await api.stop();
        }
    });

    it("a `__proto__` key in the state is read as a key like any other, not taken as the merged object's prototype", async () => {
        // JSON.parse keeps "__proto__" as an own key (ECMA-262, JSON.parse: CreateDataProperty), and so does the CLI's merge.
        const merged = await awsConfigRead('{"__proto__":{"weightPercent":50},"canary":{"__proto__":7}}', '{"enabled":true,"canary":{"stepMinutes":5}}');
        assert.strictEqual(merged, '{"enabled":true,"canary":{"stepMinutes":5,"__proto__":7},"__proto__":{"weightPercent":50}}');
    });

    it("a change to the state that lands while the release reads its config is never overwritten: the CLI's open of the environment is not newer than the revision its writes are checked against", async () => {
        // `getAllConfig` is `pulumi config --show-secrets --json` (@pulumi/pulumi automation/localWorkspace.js), which
        // opens the stack's environments (--show-secrets implies --open) and lists their pulumiConfig merged under the
        // stack's own, the stack's winning (pulumi/pulumi pkg/cmd/pulumi/config/config.go listConfig, ApplyProjectConfig;
        // pkg/workspace/config.go mergeConfig: "Prefers stack values over env values"). So the release state arrives twice:
        // as the CLI opened it, and as the store read it (with the ETag its writes are checked at). This CLI opens the
        // fake ESC's environment; a rollback by hand (`pulumi env set`, weight 0) lands just after it did.
        const { escReleaseState } = await import("../../release/stack/escReleaseState");
        const { openAutomationStack } = await import("../../release/stack/automationStack");
        const api = fakeEscApi({ values: { pulumiConfig: { "multicloud-service:aws": { canary: { stableVersion: 7, weightPercent: 50 } } } } });
        const url = await api.start();
        try {
            const store = escReleaseState({ organization: "acme", environment: STATE_ENV, apiUrl: url, accessToken: "pul-test-token" }, fetch, async () => {});
            const cliConfig = async () => {
                const opened = parse(api.state.yaml).values.pulumiConfig as Record<string, unknown>;
                // The rollback by hand, saved as one more revision of the environment right after the CLI's open.
                const rolledBack = parse(api.state.yaml);
                rolledBack.values.pulumiConfig["multicloud-service:aws"].canary.weightPercent = 0;
                api.state.yaml = stringify(rolledBack);
                api.state.revision++;
                const stackOwn = { enabled: true };
                return { "multicloud-service:aws": { value: JSON.stringify({ ...stackOwn, ...(opened["multicloud-service:aws"] as object) }) } };
            };
            const access = await openAutomationStack(
                { stackName: "acme/prod", workDir: "/w", onOutput: () => {}, releaseState: store },
                async () => ({ history: async () => [], exportState: async () => exportedState(), getAllConfig: cliConfig, setAllConfig: async () => {}, up: async () => ({}) as any, outputs: async () => ({}) }),
            );
            const read = JSON.parse((await access.readConfig()).values["multicloud-service:aws"]);
            // The release goes on from what it read: the next step's weight. Either it read the rollback, or its write
            // is refused.
            const weight = read.canary.weightPercent;
            const wrote = await access.setConfig([{ key: "multicloud-service:aws.canary.weightPercent", value: weight === 0 ? 0 : 100 }]).then(
                () => "written",
                (err: Error) => err.message,
            );
            if (weight !== 0) assert.match(wrote, /changed since the release read it \(409 conflict\)/, `the release read weight ${weight}, which a rollback by hand had replaced, and wrote over it`);
            assert.strictEqual(parse(api.state.yaml).values.pulumiConfig["multicloud-service:aws"].canary.weightPercent, 0, "the rollback by hand stands");
        } finally {
            await api.stop();
        }
    });

    it("where a real release finds its state: <org>/multicloud-service/<stack>-release, with the Pulumi login's token", async () => {
        const { releaseStateLocation } = await import("../../release/stack/escReleaseState");
        assert.deepStrictEqual(releaseStateLocation("acme/prod", { PULUMI_ACCESS_TOKEN: "pul-x" }), { organization: "acme", environment: STATE_ENV, apiUrl: "https://api.pulumi.com", accessToken: "pul-x" });
        assert.deepStrictEqual(releaseStateLocation("prod", { PULUMI_ACCESS_TOKEN: "pul-x", PULUMI_ORG: "acme", PULUMI_BACKEND_URL: "https://pulumi.example.com" }).apiUrl, "https://pulumi.example.com");
        // The stack the CLI is asked for is in the organization the state is in: the CLI never reads PULUMI_ORG.
        const { qualifiedStackName } = await import("../../release/stack/escReleaseState");
        assert.deepStrictEqual([qualifiedStackName("prod", { PULUMI_ORG: "acme" }), qualifiedStackName("other/prod", { PULUMI_ORG: "acme" }), qualifiedStackName("prod", {})], ["acme/prod", "other/prod", "prod"]);
        assert.throws(() => releaseStateLocation("prod", { PULUMI_ACCESS_TOKEN: "pul-x" }), /name the stack as <org>\/prod \(or set PULUMI_ORG\)/);
        assert.throws(() => releaseStateLocation("acme/prod", {}), /needs a Pulumi access token/);
    });

    // The CLI reads an empty organization or project as none given (pulumi/pulumi pkg/backend/httpstate/backend.go
    // ParseStackReference); before, `/prod` with PULUMI_ORG set was refused as naming no organization.
    it("a reference with an empty organization or project is the stack in PULUMI_ORG, and one naming this project is the same stack", async () => {
        const { qualifiedStackName, releaseStateLocation } = await import("../../release/stack/escReleaseState");
        const env = { PULUMI_ORG: "acme", PULUMI_ACCESS_TOKEN: "pul-x" };
        assert.deepStrictEqual(
            ["/prod", "//prod", "acme//prod", "acme/multicloud-service/prod"].map((stack) => [qualifiedStackName(stack, env), releaseStateLocation(stack, env).organization]),
            Array(4).fill(["acme/prod", "acme"]),
        );
        assert.throws(() => releaseStateLocation("/prod", { PULUMI_ACCESS_TOKEN: "pul-x" }), { message: /^release state: name the stack as <org>\/prod \(or set PULUMI_ORG\)/ });
    });

    it("a self-hosted Pulumi Cloud named by PULUMI_API, before any `pulumi login`: the state is read there, where the CLI and ESC's commands go, not at api.pulumi.com", async () => {
        const { releaseStateLocation } = await import("../../release/stack/escReleaseState");
        // No credentials.json yet: the CLI takes PULUMI_API when neither PULUMI_BACKEND_URL nor a login names a backend
        // (pulumi/pulumi pkg/backend/httpstate/backend.go ValueOrDefaultURL; pkg/cmd/esc/cli/login.go getCachedClient).
        const notLoggedIn = { PULUMI_CREDENTIALS_PATH: scratchDir("pulumi-credentials"), PULUMI_ACCESS_TOKEN: "pul-self", PULUMI_API: "https://api.pulumi.example.com" };
        assert.strictEqual(releaseStateLocation("acme/prod", notLoggedIn).apiUrl, "https://api.pulumi.example.com");
        // An empty variable is unset to the CLI (env.GetString): not a backend named "", nor an empty token.
        assert.strictEqual(releaseStateLocation("acme/prod", { ...notLoggedIn, PULUMI_BACKEND_URL: "" }).apiUrl, "https://api.pulumi.example.com");
        const folder = pulumiLoginFolder("https://api.pulumi.com", { "https://api.pulumi.com": "pul-cloud" });
        // A login the CLI made current wins over PULUMI_API, as in ValueOrDefaultURL.
        assert.deepStrictEqual(releaseStateLocation("acme/prod", { PULUMI_CREDENTIALS_PATH: folder, PULUMI_API: "https://api.pulumi.example.com", PULUMI_ACCESS_TOKEN: "" }), {
            organization: "acme",
            environment: STATE_ENV,
            apiUrl: "https://api.pulumi.com",
            accessToken: "pul-cloud",
        });
    });

    it("without PULUMI_ACCESS_TOKEN: the backend and token `pulumi login` stored, where the CLI keeps them", async () => {
        const { releaseStateLocation } = await import("../../release/stack/escReleaseState");
        const tokens = { "https://api.pulumi.com": "pul-cloud", "https://api.pulumi.example.com": "pul-self" };
        const selfHosted = pulumiLoginFolder("https://api.pulumi.example.com", tokens);
        const home = scratchDir("home");
        pulumiLoginFolder("https://api.pulumi.example.com", tokens, path.join(home, ".pulumi"));
        for (const env of [{ PULUMI_CREDENTIALS_PATH: selfHosted, PULUMI_HOME: "/nonexistent" }, { PULUMI_HOME: selfHosted }, { HOME: home }]) {
            const location = releaseStateLocation("acme/prod", env);
            assert.deepStrictEqual([location.apiUrl, location.accessToken], ["https://api.pulumi.example.com", "pul-self"], JSON.stringify(env));
        }
        const cloud = pulumiLoginFolder("https://api.pulumi.com", { "https://api.pulumi.com": "pul-cloud" });
        assert.strictEqual(releaseStateLocation("acme/prod", { PULUMI_CREDENTIALS_PATH: cloud, PULUMI_BACKEND_URL: "https://api.pulumi.com/" }).accessToken, "pul-cloud");

        // On Windows the CLI's home is the profile folder (Go's user.Current), never HOME: PowerShell and cmd set no HOME,
        // and Git Bash's or a company's HOME (H:\) is not where `pulumi login` wrote.
        const { storedCredentials } = await import("../../release/stack/escReleaseState");
        const asTheRelease = { reader: "release state", instead: "set both PULUMI_BACKEND_URL and PULUMI_ACCESS_TOKEN" };
        const profile = scratchDir("userprofile");
        pulumiLoginFolder("https://api.pulumi.example.com", tokens, path.join(profile, ".pulumi"));
        assert.strictEqual(storedCredentials({ USERPROFILE: profile }, asTheRelease, "win32")?.file, path.join(profile, ".pulumi", "credentials.json"));
        assert.strictEqual(storedCredentials({ USERPROFILE: scratchDir("userprofile"), HOME: home }, asTheRelease, "win32"), undefined, "HOME's .pulumi is not the Windows CLI's");
        assert.strictEqual(storedCredentials({ USERPROFILE: profile }, asTheRelease, "linux"), undefined, "USERPROFILE means nothing to the CLI elsewhere");

        const diy = pulumiLoginFolder("s3://state-bucket", {});
        assert.throws(() => releaseStateLocation("acme/prod", { PULUMI_CREDENTIALS_PATH: diy }), /the Pulumi backend is s3:\/\/state-bucket, which has no ESC/);

        // PULUMI_CREDENTIAL_STORE=auto: the file is an envelope whose key is in the keychain (creds_test.go: securestore.IsEnvelope, "$pulumiSecureStore": 1).
        const encrypted = scratchDir("pulumi-credentials");
        fs.writeFileSync(path.join(encrypted, "credentials.json"), JSON.stringify({ $pulumiSecureStore: 1, backend: "keychain", ciphertext: "c2VhbGVk" }));
        assert.throws(() => releaseStateLocation("acme/prod", { PULUMI_CREDENTIALS_PATH: encrypted }), /needs a Pulumi access token for https:\/\/api\.pulumi\.com \(pulumi login, or PULUMI_ACCESS_TOKEN\); .*credentials\.json is encrypted \(PULUMI_CREDENTIAL_STORE\)/);
        assert.strictEqual(releaseStateLocation("acme/prod", { PULUMI_CREDENTIALS_PATH: encrypted, PULUMI_ACCESS_TOKEN: "pul-x" }).accessToken, "pul-x");

        // The release's own words: deployments/ reads the same file under its own (tests/deployments/pulumiServiceLogin.spec.ts).
        assert.throws(
            () => releaseStateLocation("acme/prod", { PULUMI_CREDENTIALS_PATH: tornPulumiLoginFolder() }),
            /^Error: release state: \S+\/credentials\.json is not the JSON `pulumi login` writes \(.*\); log in again, or set both PULUMI_BACKEND_URL and PULUMI_ACCESS_TOKEN$/,
        );
    });
});
