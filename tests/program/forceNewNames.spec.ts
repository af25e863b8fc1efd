import * as assert from "assert";
import { ProgramRun, runProgram } from "../../scripts/offline/runProgram";
import { RecordedResource } from "../../scripts/offline/mockCloud";
import { readStackFile } from "../../config/stackFile";
import { FIXED_NAME_TYPES } from "../../scripts/plan/fixedNames";
import { FORCE_NEW, keepsName, sameInput } from "../harness/replacingInputs";
import { withSettings } from "../harness/stackConfig";
import { committedStackRun } from "../harness/committedStackRun";

/**
 * A resource the program names itself is replaced, by default, new one first (create-before-delete): when an input
 * the provider replaces it for (ForceNew) changes while its name stays, the create meets the old one under that name
 * ("already exists") unless the resource is deleted first. Mocks let every update succeed, so the program runs twice,
 * dev and dev with one setting changed, and every fixed-name resource whose replacing inputs changed under an unchanged
 * name and namespace must carry deleteBeforeReplace. `scope` is what the name is unique within: a change there gives a
 * different name (another project's or location's), no collision; a region is the provider's and is in no input.
 * The table of replacing inputs, with each row's source, is tests/harness/replacingInputs.ts (it also holds the
 * protected types, autonamed ones among them: only the fixed-name types are read here).
 */

/** One setting a platform engineer changes on a deployed stack, as `pulumi config set --path` would: dev's config so changed. */
const CHANGES: Record<string, () => Record<string, string>> = {
    "gcp:region": () => ({ ...readStackFile("dev").config, "gcp:region": "us-central1" }),
    "gcp:project": () => ({ ...readStackFile("dev").config, "gcp:project": "multicloud-service-other" }),
    "aws:region": () => ({ ...readStackFile("dev").config, "aws:region": "us-east-1" }),
    "aws.architecture": () => withSettings("dev", "aws", { architecture: "x86_64" }),
    "aws.memoryMb": () => withSettings("dev", "aws", { memoryMb: 2048 }),
    "aws.imagesToKeep": () => withSettings("dev", "aws", { imagesToKeep: 7 }),
    "gcp.memory": () => withSettings("dev", "gcp", { memory: "1Gi" }),
    "gcp.imagesToKeep": () => withSettings("dev", "gcp", { imagesToKeep: 7 }),
    "service.retentionDays": () => withSettings("dev", "service", { retentionDays: 60 }),
    "service.adminFeatures": () => withSettings("dev", "service", { adminFeatures: false }),
};

const fixed = (run: ProgramRun) => run.cloud.resources.filter((r) => r.custom && FORCE_NEW[r.type] && FIXED_NAME_TYPES.includes(r.type));

/** The fixed-name resources of `after` that a real `up` from `before` would replace new-first under the same name. */
function collisions(before: ProgramRun, after: ProgramRun): string[] {
    const old = new Map(fixed(before).map((r) => [`${r.type}::${r.name}`, r]));
    return fixed(after).flatMap((r: RecordedResource) => {
        const was = old.get(`${r.type}::${r.name}`);
        const row = FORCE_NEW[r.type];
        if (!was || r.deleteBeforeReplace || !keepsName(row, was.inputs, r.inputs)) return [];
        const changed = row.replacing.filter((k) => !sameInput(was.inputs[k], r.inputs[k]));
        return changed.length ? [`${r.type} ${r.name} (${r.inputs[row.name]}): ${changed.join(", ")} changed, name kept, no deleteBeforeReplace (${row.source})`] : [];
    });
}

describe("fixed names across a settings change (ForceNew under a kept name)", function () {
    this.timeout(120_000);
    let base: ProgramRun;
    before(async () => {
        base = await committedStackRun("dev");
    });

    it("knows the replacing inputs of every type the plan lists as named by the program and the program registers", async () => {
        const prod = await committedStackRun("prod");
        const registered = new Set([...base.cloud.resources, ...prod.cloud.resources].map((r) => r.type).filter((t) => FIXED_NAME_TYPES.includes(t)));
        assert.deepStrictEqual([...registered].filter((t) => !FORCE_NEW[t]), []);
    });

    for (const [setting, change] of Object.entries(CHANGES)) {
        it(`${setting}: no fixed-name resource is replaced new-first under its own name`, async () => {
            const after = await runProgram("dev", { config: change(), secretKeys: readStackFile("dev").secretKeys });
            assert.ok(fixed(after).length >= 4, `only ${fixed(after).length} fixed-name resources registered: the change stopped the program?`);
            assert.deepStrictEqual(collisions(base, after), []);
        });
    }
});

describe("what the collision check finds (on hand-made runs)", () => {
    // A secret: replication is immutable under its fixed secretId (FORCE_NEW's row, magic-modules Secret.yaml).
    const type = "gcp:secretmanager/secret:Secret";
    const secret = (inputs: Record<string, unknown>, deleteBeforeReplace = false) => ({ type, name: "token", custom: true, deleteBeforeReplace, inputs: { secretId: "svc-token", project: "p", ...inputs } });
    const run = (...resources: unknown[]) => ({ cloud: { resources } }) as unknown as ProgramRun;
    const auto = { replication: { auto: {} } };
    const pinned = { replication: { userManaged: { replicas: [{ location: "asia-northeast1" }] } } };

    it("a replacing input changed under a kept name and project collides; deleteBeforeReplace, another project or no change do not", () => {
        assert.match(collisions(run(secret(auto)), run(secret(pinned))).join("\n"), /replication changed, name kept, no deleteBeforeReplace/);
        assert.deepStrictEqual(collisions(run(secret(auto)), run(secret(pinned, true))), []);
        assert.deepStrictEqual(collisions(run(secret(auto)), run(secret({ ...pinned, project: "q" }))), []);
        assert.deepStrictEqual(collisions(run(secret(auto)), run(secret(auto))), []);
    });
});
