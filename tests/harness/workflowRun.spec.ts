import * as assert from "assert";
import { runJob, stepCommand } from "./workflowRun";

describe("the workflow steps' if: reader (tests/harness/workflowRun.ts), as GitHub evaluates it", () => {
    const steps = [
        { id: "check", name: "check" },
        { name: "when true", if: "steps.check.outputs.missing == 'true'" },
        { name: "when set", if: "${{ steps.check.outputs.ref != '' }}" },
    ];

    it("compares strings ignoring case, as GitHub does (an output 'True' equals 'true')", () => {
        assert.deepStrictEqual(runJob(steps, { check: { outputs: { missing: "True", ref: "x" } } }).ran, ["check", "when true", "when set"]);
    });

    it("a missing output equals '' and nothing else; a failed step skips what follows unless a status function says otherwise", () => {
        assert.deepStrictEqual(runJob(steps, { check: { outputs: {} } }).skipped, ["when true", "when set"]);
        assert.deepStrictEqual(runJob([...steps, { name: "always", if: "always()" }], { check: { fails: true, outputs: { missing: "true" } } }).ran, ["check", "always"]);
    });

    it("a failed step with continue-on-error: true lets the steps after it run; its outcome is 'failure' (skipped when it did not run)", () => {
        const login = [
            { id: "login", name: "login", "continue-on-error": true },
            { name: "warn", if: "steps.login.outcome == 'failure'" },
            { name: "build" },
        ];
        assert.deepStrictEqual(runJob(login, { login: { fails: true } }).ran, ["login", "warn", "build"]);
        assert.deepStrictEqual(runJob(login, {}).ran, ["login", "build"]);
        assert.deepStrictEqual(runJob([{ ...login[0], "continue-on-error": undefined }, ...login.slice(1)], { login: { fails: true } }).ran, ["login"]);
        const skippedLogin = [{ ...login[0], if: "steps.none.outputs.x == 'y'" }, { name: "skipped?", if: "steps.login.outcome == 'skipped'" }];
        assert.deepStrictEqual(runJob(skippedLogin, {}).ran, ["skipped?"]);
    });

    it("refuses a condition it does not read, so none passes as true unread", () => {
        assert.throws(() => runJob([{ name: "x", if: "contains(github.ref, 'main')" }], {}), /a condition this reader does not understand/);
    });

    it("starts a run: step as the runner does: `bash -e {0}` without a shell, pipefail only under `shell: bash`", () => {
        assert.deepStrictEqual(stepCommand({}, {}, { run: "x" }, "/t/s.sh"), ["bash", "-e", "/t/s.sh"]);
        assert.deepStrictEqual(stepCommand({ defaults: { run: { shell: "bash" } } }, {}, { run: "x" }, "/t/s.sh"), ["bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "/t/s.sh"]);
        assert.deepStrictEqual(stepCommand({ defaults: { run: { shell: "bash" } } }, { defaults: { run: { shell: "sh" } } }, { run: "x" }, "/t/s.sh"), ["sh", "-e", "/t/s.sh"]);
        assert.deepStrictEqual(stepCommand({}, {}, { run: "x", shell: "bash -x {0}" }, "/t/s.sh"), ["bash", "-x", "/t/s.sh"]);
        assert.throws(() => stepCommand({}, {}, { run: "x", shell: "python3 -u" }, "/t/s.sh"), /a shell this reader does not start/);
    });
});
