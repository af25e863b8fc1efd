/**
 * The pull-request comment's fixture previews (tests/review/fixtures/<scenario>/preview*.json, events*.jsonl) are
 * in the shapes the real Pulumi CLI writes, checked against what its source says (pulumi/pulumi; paths below).
 * A fixture the CLI could not have printed tests review/ against an answer that never comes.
 *
 * REVIEW_FIXTURES=<dir> runs these checks on another copy of the fixtures (a copy of tests/review/fixtures).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/stackFile";

const FIXTURES = process.env.REVIEW_FIXTURES ? path.resolve(process.env.REVIEW_FIXTURES) : path.join(PROJECT_ROOT, "tests", "review", "fixtures");

/** `<scenario>/preview*.json` and `<scenario>/events*.jsonl`, the files the comment is built from. */
function fixtureFiles(pattern: RegExp): string[] {
    return fs
        .readdirSync(FIXTURES, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .flatMap((d) => fs.readdirSync(path.join(FIXTURES, d.name)).filter((f) => pattern.test(f)).map((f) => path.join(d.name, f)))
        .sort();
}
const PREVIEWS = fixtureFiles(/^preview.*\.json$/);
const EVENT_LOGS = fixtureFiles(/^events.*\.jsonl$/);

const isObject = (v: unknown): v is Record<string, any> => typeof v === "object" && v !== null && !Array.isArray(v);
const has = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/** A value `encoding/json` leaves out under `omitempty`: false, 0, "", nil, an empty map, slice or array. */
const isEmptyValue = (v: unknown) => v === false || v === 0 || v === "" || v === null || (Array.isArray(v) ? v.length === 0 : isObject(v) && Object.keys(v).length === 0);

/**
 * apitype.ResourceV3 (sdk/go/common/apitype/core.go): every field but `urn`, `custom` and `type` is `omitempty`,
 * e.g. `Outputs map[string]any json:"outputs,omitempty"`, so none is ever printed empty (`"outputs": {}`).
 */
const RESOURCE_V3_ALWAYS = new Set(["urn", "custom", "type"]);

/**
 * Every op a step can have (pulumi/pulumi pkg/resource/deploy/step.go, the `display.StepOp` constants: OpSame "same"
 * ... OpReadDiscard "discard" ... OpExtendParameterize "extend-parameterize"): a check that names another one checks
 * a step the CLI never writes.
 */
const STEP_OPS = new Set(["same", "create", "update", "delete", "replace", "create-replacement", "delete-replaced", "read", "read-replacement", "refresh", "discard", "discard-replaced", "remove-pending-replace", "import", "import-replacement", "diff", "extend-parameterize"]);

/**
 * The ops of a DeleteStep (pkg/resource/deploy/step.go `func (s *DeleteStep) Op()`: OpDiscardReplaced or
 * OpReadDiscard for an external (read) resource, else OpDeleteReplaced or OpDelete), whose `New()` is nil.
 */
const DELETE_STEP_OPS = ["delete", "delete-replaced", "discard", "discard-replaced"];

/** Pulumi's colour tags (sdk/go/common/diag/colors: `<{%reset%}>`, `<{%fg 1%}>`...). */
const COLOUR_TAG = /<\{%[^%]*%\}>/;

/** `Colorization.Never.Colorize`: the text with its colour tags removed. */
const uncoloured = (s: string) => s.replace(/<\{%[^%]*%\}>/g, "");

/** The suffix a preview and its event log share: preview.mandatory.json and events.mandatory.jsonl, preview.json and events.jsonl. */
const pairedPreview = (eventLog: string) => {
    const file = path.join(path.dirname(eventLog), path.basename(eventLog).replace(/^events(.*)\.jsonl$/, "preview$1.json"));
    return fs.existsSync(path.join(FIXTURES, file)) ? file : undefined;
};

const readPreview = (file: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, file), "utf8"));
const readEvents = (file: string): Record<string, any>[] =>
    fs
        .readFileSync(path.join(FIXTURES, file), "utf8")
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((l, i) => {
            try {
                return JSON.parse(l);
            } catch (err) {
                throw new Error(`${file} line ${i + 1}: ${(err as Error).message}`);
            }
        });

describe("review fixtures: in the shapes the Pulumi CLI writes", () => {
    it("finds the fixture previews and event logs", () => {
        assert.ok(PREVIEWS.length >= 5, `previews under ${FIXTURES}: ${PREVIEWS.join(", ")}`);
        assert.ok(EVENT_LOGS.length >= 2, `event logs under ${FIXTURES}: ${EVENT_LOGS.join(", ")}`);
        const replacing = PREVIEWS.filter((file) => (readPreview(file).steps ?? []).some((s: { op: string }) => s.op === "delete-replaced"));
        // The committed fixtures; a folder of real previews (REVIEW_FIXTURES) may well replace nothing.
        if (!process.env.REVIEW_FIXTURES) assert.ok(replacing.length > 0, "no preview replaces a resource: the checks of delete-replaced steps run on none");
    });

    it("the checks name only ops the CLI writes (a delete step of a read resource is `discard`, not `read-discard`)", () => {
        const unknown = DELETE_STEP_OPS.filter((op) => !STEP_OPS.has(op));
        assert.deepStrictEqual(unknown, [], "ops no step has (pkg/resource/deploy/step.go)");
        // A fixture step in another op is one the CLI could not have printed.
        for (const file of PREVIEWS) for (const step of readPreview(file).steps ?? []) assert.ok(STEP_OPS.has(step.op), `${file}: ${step.op} ${step.urn}`);
    });

    for (const file of PREVIEWS) {
        describe(`${file} (pulumi preview --json: display.PreviewDigest)`, () => {
            const digest = readPreview(file);
            const steps: Record<string, any>[] = digest.steps ?? [];

            it("every step prints `detailedDiff`, null where the step has none (the root stack's same step too)", () => {
                // pkg/display/json.go, PreviewStep: `DetailedDiff map[string]PropertyDiff json:"detailedDiff"`, no
                // omitempty; pkg/backend/display/json.go getPreviewMetadataStep leaves it nil unless the step has one
                // (a SameStep or DeleteStep has no DetailedDiff method: pkg/resource/deploy/step.go).
                for (const step of steps) {
                    assert.ok(has(step, "detailedDiff"), `${step.op} ${step.urn} has no detailedDiff key`);
                    assert.ok(step.detailedDiff === null || isObject(step.detailedDiff), `${step.op} ${step.urn}: detailedDiff ${JSON.stringify(step.detailedDiff)}`);
                }
            });

            // Only for a preview that has such steps: elsewhere the test would pass having checked nothing.
            const deleteSteps = steps.filter((s) => DELETE_STEP_OPS.includes(s.op));
            if (deleteSteps.length > 0) it("a delete or delete-replaced step has no new state, no diff or replace reasons, and a null detailedDiff", () => {
                // pkg/resource/deploy/step.go: `func (s *DeleteStep) New() *resource.State { return nil }`, and DeleteStep
                // has no Keys, Diffs or DetailedDiff (pkg/engine/events.go makeStepEventMetadata reads them only from
                // steps that have them); its Op() is delete, delete-replaced, discard or discard-replaced (DELETE_STEP_OPS).
                for (const step of deleteSteps) {
                    const extra = ["newState", "diffReasons", "replaceReasons"].filter((k) => has(step, k));
                    assert.deepStrictEqual(extra, [], `${step.op} ${step.urn} has ${extra.join(", ")}`);
                    assert.strictEqual(step.detailedDiff, null, `${step.op} ${step.urn}`);
                    assert.ok(isObject(step.oldState), `${step.op} ${step.urn} has no oldState`);
                }
            });

            if (steps.some((s) => s.op === "delete-replaced")) it("a delete-replaced step comes after every other step, and deletes the state its replacement marked for deletion", () => {
                // pkg/resource/deploy/step_generator.go: "note that the delete step is generated "later" on, after all
                // creates/updates finish"; GenerateDeletes (run by deployment_executor.go performPostSteps once the
                // program is done) makes a DeleteReplacementStep of a state only `if res.Delete`, which the
                // create-replacement's CreateStep.Apply set (`s.old.Delete = true`, step.go).
                const first = steps.findIndex((s) => s.op === "delete-replaced");
                const later = steps.slice(first).filter((s) => s.op !== "delete-replaced" && s.op !== "delete");
                assert.deepStrictEqual(later.map((s) => `${s.op} ${s.urn}`), []);
                for (const step of steps.filter((s) => s.op === "delete-replaced")) assert.strictEqual(step.oldState?.delete, true, step.urn);
            });

            it("no state prints an omitempty field empty (`\"outputs\": {}` can never be printed)", () => {
                // sdk/go/common/apitype/core.go, ResourceV3: `Outputs map[string]any json:"outputs,omitempty"` and every
                // other field but urn, custom and type likewise.
                for (const step of steps) {
                    for (const side of ["oldState", "newState"]) {
                        const state = step[side];
                        if (state === undefined) continue;
                        assert.ok(isObject(state), `${step.op} ${step.urn} ${side}`);
                        for (const k of ["urn", "custom", "type"]) assert.ok(has(state, k), `${step.op} ${step.urn} ${side} has no ${k}`);
                        const empty = Object.entries(state).filter(([k, v]) => !RESOURCE_V3_ALWAYS.has(k) && isEmptyValue(v)).map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
                        assert.deepStrictEqual(empty, [], `${step.op} ${step.urn} ${side}`);
                    }
                }
            });

            it("a step prints no omitempty field empty (provider, oldState, newState, diffReasons, replaceReasons)", () => {
                // pkg/display/json.go, PreviewStep: `json:"provider,omitempty"`, `json:"oldState,omitempty"`, ...
                for (const step of steps) {
                    const empty = ["provider", "oldState", "newState", "diffReasons", "replaceReasons"].filter((k) => has(step, k) && isEmptyValue(step[k]));
                    assert.deepStrictEqual(empty, [], `${step.op} ${step.urn}`);
                }
            });

            it("the root stack's old state lists the stack's outputs (this program returns its outputs from index.ts)", () => {
                // pkg/backend/display/json.go stateForJSONOutput: the root's outputs are shown unless
                // --suppress-outputs (the workflow does not pass it); the old state is the last update's.
                const root = steps.find((s) => s.urn.includes("::pulumi:pulumi:Stack::"));
                assert.ok(root, "the root stack's step is always shown (isRootStack)");
                assert.ok(isObject(root.oldState?.outputs) && Object.keys(root.oldState.outputs).length > 0, JSON.stringify(root.oldState));
            });
        });
    }

    for (const file of EVENT_LOGS) {
        describe(`${file} (pulumi preview --event-log: apitype.EngineEvent a line)`, () => {
            const events = readEvents(file);
            const payload = (e: Record<string, any>) => Object.keys(e).filter((k) => k !== "sequence" && k !== "timestamp");
            const of = (kind: string) => events.filter((e) => e[kind] !== undefined).map((e) => e[kind]);

            it("one event a line: sequence, timestamp and exactly one payload, in sequence", () => {
                // sdk/go/common/apitype/events.go, EngineEvent: `Sequence int json:"sequence"`, `Timestamp int
                // json:"timestamp"`, one of the `omitempty` event pointers.
                events.forEach((e, i) => {
                    assert.strictEqual(e.sequence, i, `line ${i + 1}`);
                    assert.ok(Number.isInteger(e.timestamp), `line ${i + 1}`);
                    assert.strictEqual(payload(e).length, 1, `line ${i + 1}: ${payload(e).join(", ")}`);
                });
            });

            it("every summaryEvent has PolicyPacks (PascalCase, never policyPacks), isPreview and result", () => {
                // sdk/go/common/apitype/events.go, SummaryEvent: "we forgot to add the JSON tag and are now locked into
                // to using PascalCase": `PolicyPacks map[string]string json:"PolicyPacks"`, `IsPreview bool
                // json:"isPreview"`, `Result OperationResult json:"result"` (succeeded, failed, canceled).
                const summaries = of("summaryEvent");
                assert.strictEqual(summaries.length, 1, "the engine sends one summary (pkg/engine/deployment.go run)");
                for (const s of summaries) {
                    assert.ok(!has(s, "policyPacks"), "policyPacks is not a key the CLI writes");
                    assert.ok(isObject(s.PolicyPacks), JSON.stringify(s));
                    assert.strictEqual(s.isPreview, true, "pulumi preview: isPreview is the engine's DryRun");
                    assert.ok(["succeeded", "failed", "canceled"].includes(s.result), JSON.stringify(s));
                    assert.strictEqual(typeof s.maybeCorrupt, "boolean");
                    assert.ok(Number.isInteger(s.durationSeconds) && isObject(s.resourceChanges), JSON.stringify(s));
                }
            });

            it("a local policy pack is named in PolicyPacks as <name>|local|<path>, at the version its events carry", () => {
                // pkg/engine/deployment.go run: `policies[pack.NameForEvents()] = pack.Version`; pkg/engine/update.go
                // NameForEvents: `fmt.Sprintf("%s|local|%s", pack.Name, path)` (the --policy-pack path as given).
                const [summary] = of("summaryEvent");
                for (const p of of("policyEvent")) {
                    const entry = Object.entries<string>(summary.PolicyPacks).find(([name]) => name === p.policyPackName || name.startsWith(`${p.policyPackName}|local|`));
                    assert.ok(entry, `${p.policyPackName} in ${JSON.stringify(summary.PolicyPacks)}`);
                    assert.strictEqual(entry[1], p.policyPackVersion);
                }
            });

            it("diagnostic and policy events are written without colour tags and with color \"never\", as in CI", () => {
                // pkg/backend/display/display.go logJSONEvent: `if opts.Color == colors.Never` the message and prefix are
                // `colors.Never.Colorize`d and Color set to "never"; sdk/go/common/util/cmdutil/diag.go
                // GetGlobalColorization: Never when stdout is not a terminal (preview.yml redirects it to preview.json).
                for (const kind of ["diagnosticEvent", "policyEvent", "stdoutEvent"]) {
                    for (const e of of(kind)) {
                        assert.strictEqual(e.color, "never", `${kind} ${JSON.stringify(e)}`);
                        assert.ok(!COLOUR_TAG.test(`${e.prefix ?? ""}${e.message}`), `${kind} ${JSON.stringify(e)}`);
                    }
                }
            });

            // Only where the fixture has one: over a fixture without, the check had nothing to look at and passed.
            const diagnostics = of("diagnosticEvent");
            if (diagnostics.length > 0) it(`its ${diagnostics.length} diagnosticEvent(s) leave out their empty urn, prefix, streamID and ephemeral`, () => {
                // sdk/go/common/apitype/events.go, DiagnosticEvent: `URN string json:"urn,omitempty"`, `Prefix string
                // json:"prefix,omitempty"`, `StreamID int json:"streamID,omitempty"`, `Ephemeral bool json:"ephemeral,omitempty"`.
                for (const e of diagnostics) {
                    const empty = ["urn", "prefix", "streamID", "ephemeral"].filter((k) => has(e, k) && isEmptyValue(e[k]));
                    assert.deepStrictEqual(empty, [], JSON.stringify(e));
                }
            });

            it("the policy packs load before the prelude", () => {
                // pkg/engine/update.go: loadPolicyPlugins sends `deployOpts.Events.PolicyLoadEvent()` per pack while
                // the plugins are set up; pkg/engine/deployment.go run sends the prelude when the deployment starts
                // (pkg/backend/display/progress.go dismisses "Loading policy packs..." on the PreludeEvent).
                const prelude = events.findIndex((e) => e.preludeEvent !== undefined);
                assert.ok(prelude >= 0, "a prelude");
                const loads = events.map((e, i) => (e.policyLoadEvent !== undefined ? i : -1)).filter((i) => i >= 0);
                assert.ok(loads.every((i) => i < prelude), `policyLoadEvent at ${loads.join(", ")}, prelude at ${prelude}`);
            });

            it("a mandatory violation fails the preview: an error \"preview failed\" diagnostic, then result \"failed\"", () => {
                // pkg/resource/deploy/analyze_snapshot.go: a mandatory diagnostic sets sawError (invalid only when not
                // dryRun); deployment_executor.go Execute: `ex.stepGen.Errored()` -> reportExecResult("failed"), an
                // error diagnostic "preview failed"; pkg/engine/deployment.go run: the summary's
                // `apitype.OperationResultFromError(err)`.
                const mandatory = of("policyEvent").some((p) => p.enforcementLevel === "mandatory");
                const failed = of("diagnosticEvent").filter((d) => d.severity === "error" && uncoloured(d.message) === "preview failed\n");
                const [summary] = of("summaryEvent");
                if (mandatory) {
                    assert.strictEqual(failed.length, 1, "the engine's own error diagnostic");
                    assert.strictEqual(failed[0].prefix, "error: ", "eventsink.go StringifyDiag's prefix, colour tags removed");
                    const at = (e: unknown) => events.findIndex((x) => x.diagnosticEvent === e || x.summaryEvent === e);
                    assert.ok(at(failed[0]) < at(summary), "reported before the summary");
                    assert.strictEqual(summary.result, "failed");
                } else {
                    assert.strictEqual(failed.length, 0);
                    assert.strictEqual(summary.result, "succeeded");
                }
            });

            const preview = pairedPreview(file);
            if (preview) {
                it(`tells the same preview as ${path.basename(preview)}: prelude config, summary, error diagnostics`, () => {
                    // pkg/backend/display/json.go ShowPreviewDigest: Config from the PreludeEvent, Duration and
                    // ChangeSummary from the SummaryEvent, Diagnostics `colors.Never.Colorize(p.Prefix + p.Message)` of
                    // the non-ephemeral, non-debug DiagEvents; pkg/backend/display/events.go ConvertEngineEvent:
                    // `DurationSeconds: int(math.Ceil(p.Duration.Seconds()))`.
                    const digest = readPreview(preview);
                    const [prelude] = of("preludeEvent");
                    const [summary] = of("summaryEvent");
                    assert.deepStrictEqual(prelude.config, digest.config ?? {});
                    assert.deepStrictEqual(summary.resourceChanges, digest.changeSummary);
                    assert.strictEqual(summary.durationSeconds, Math.ceil(digest.duration / 1e9));
                    assert.strictEqual(summary.maybeCorrupt, digest.maybeCorrupt ?? false);
                    const diagnostics = of("diagnosticEvent")
                        .filter((d) => !d.ephemeral && d.severity !== "debug")
                        .map((d) => ({ ...(d.urn ? { urn: d.urn } : {}), message: uncoloured(`${d.prefix ?? ""}${d.message}`), severity: d.severity }));
                    assert.deepStrictEqual(digest.diagnostics ?? [], diagnostics);
                });
            }
        });
    }
});
