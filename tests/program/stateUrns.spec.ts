import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { PROJECT_ROOT, readStackFileAt } from "../../config/stackFile";
import { DEPLOYMENTS_PROJECT } from "../deployments/deploymentsPlan";
import { committedStackRegistrations } from "../harness/committedStackRegistrations";
import { claims, engineRegistrations, Registration } from "../harness/engineUrns";
import { FORCE_NEW, keepsName, replacingKeys, sameInput, UNREAD_PROTECTED_TYPES } from "../harness/replacingInputs";

/**
 * The URNs an existing stack holds, as its program made them at the last change of the record. Pulumi
 * Deployments runs `pulumi up` on every push, so a commit that renames a resource (its name, type or parent) without
 * an alias reaches the stacks at once: the engine creates the renamed one and deletes the old one, so a fixed name
 * collides ("already exists"), a protected resource refuses the delete and fails prod's update, and of two IAM
 * members of one binding neither is left (the old one's delete removes the member the new one added).
 */
const RECORD = path.join(__dirname, "stateUrns.json");

/** The stacks whose state the record stands for: this project's dev and prod, and deployments/' main (its roles, trusts, ESC environments). */
const STACKS = {
    dev: () => committedStackRegistrations("dev"),
    prod: () => committedStackRegistrations("prod"),
    "deployments/main": () =>
        engineRegistrations("main", {
            program: require("../../deployments/index"),
            project: DEPLOYMENTS_PROJECT,
            stackFile: readStackFileAt(path.join(PROJECT_ROOT, "deployments", "Pulumi.main.yaml")),
        }),
};
type Stack = keyof typeof STACKS;
type StateRecord = { [stack in Stack]: string[] };
/** Records both: the URNs (stateUrns.json) and the replacing inputs (stateReplacingInputs.json). */
const HOW_TO_RECORD = `RECORD_STATE_URNS=1 npx mocha ${path.relative(path.resolve(__dirname, "..", ".."), __filename)}`;

/** Each stack's program runs once for both checks below. */
const runs = new Map<Stack, Promise<Registration[]>>();
const registrationsOf = (stack: Stack) => runs.get(stack) ?? runs.set(stack, STACKS[stack]()).get(stack)!;

/**
 * The replacing inputs an existing stack's resources hold, per URN: for every resource of a type in FORCE_NEW
 * (tests/harness/replacingInputs.ts, each row with its source), the values of those inputs the program set (null where
 * it sets none: setting one later replaces the resource too), and its protect option as the state holds it.
 */
const REPLACING_RECORD = path.join(__dirname, "stateReplacingInputs.json");
type ReplacingRecord = { [stack in Stack]: Record<string, { protect: boolean; inputs: Record<string, unknown> }> };

function replacingInputsOf(registrations: Registration[]): ReplacingRecord[Stack] {
    const entries = registrations
        .filter((r) => FORCE_NEW[r.type])
        .map((r) => {
            const inputs = Object.fromEntries(replacingKeys(FORCE_NEW[r.type]).map((k) => [k, r.inputs[k] ?? null]));
            return [r.urn, { protect: r.protect, inputs }] as const;
        });
    return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : 1)));
}

const shown = (v: unknown) => (v === undefined || v === null ? "(unset)" : JSON.stringify(v));

/**
 * What the next `up` of a stack holding `old` does with a resource now registered as `now` (claimed by URN or alias),
 * when a replacing input changed: the engine refuses to replace a resource protected in the state and in the program
 * (pulumi/pulumi pkg/resource/deploy/step_generator.go: "unable to replace resource ... as it is currently marked for
 * protection"); a fixed-name one, replaced new-first under an unchanged name and scope, collides ("already exists").
 */
function refusedReplacements(old: ReplacingRecord[Stack], now: Registration[]): string[] {
    return now.flatMap((r) => {
        const row = FORCE_NEW[r.type];
        const urn = row && [r.urn, ...r.aliases].find((u) => old[u]);
        if (!row || !urn) return [];
        const was = old[urn];
        const changed = replacingKeys(row).filter((k) => k in was.inputs && !sameInput(was.inputs[k], r.inputs[k]));
        if (!changed.length) return [];
        const what = `${r.urn}: ${changed.map((k) => `${k} ${shown(was.inputs[k])} -> ${shown(r.inputs[k])}`).join("; ")} (${row.source})`;
        if (was.protect && r.protect) {
            return [
                `${what}. The provider replaces it on that input and it is protected: the engine refuses ("unable to replace resource ... as it is currently ` +
                    `marked for protection") and the stack's up fails. deleteBeforeReplace and aliases do not help; keep the old value, or migrate ` +
                    `(a new resource beside it, the data moved, then the old one unprotected and deleted).`,
            ];
        }
        if (keepsName(row, was.inputs, r.inputs) && !r.deleteBeforeReplace) {
            return [
                `${what}. The provider replaces it on that input under the same name, new one first: the create fails ("already exists"). ` +
                    `Give it deleteBeforeReplace, or, if the replace is meant, record again (${HOW_TO_RECORD}).`,
            ];
        }
        return [];
    });
}

describe("an existing stack's resources keep their URNs, or an alias to them, so its next up updates them in place", function () {
    this.timeout(60_000);
    const recorded = JSON.parse(fs.readFileSync(RECORD, "utf8")) as StateRecord;

    for (const stack of Object.keys(STACKS) as (keyof typeof STACKS)[]) {
        it(`${stack}: every URN of the record is claimed once, and every resource of the program is in the record`, async () => {
            const now = await registrationsOf(stack);
            if (process.env.RECORD_STATE_URNS === "1") {
                const kept = JSON.parse(fs.readFileSync(RECORD, "utf8")) as StateRecord;
                fs.writeFileSync(RECORD, `${JSON.stringify({ ...kept, [stack]: now.map((r) => r.urn).sort() }, null, 2)}\n`);
                console.log(`      recorded ${now.length} URNs of ${stack} in ${path.basename(RECORD)}`);
                const replacing = fs.existsSync(REPLACING_RECORD) ? (JSON.parse(fs.readFileSync(REPLACING_RECORD, "utf8")) as ReplacingRecord) : {};
                const inputs = replacingInputsOf(now);
                fs.writeFileSync(REPLACING_RECORD, `${JSON.stringify({ ...replacing, [stack]: inputs }, null, 2)}\n`);
                console.log(`      recorded the replacing inputs of ${Object.keys(inputs).length} resources of ${stack} in ${path.basename(REPLACING_RECORD)}`);
                return;
            }
            const { lost, shared, created } = claims(recorded[stack] ?? [], now);
            assert.deepStrictEqual(
                lost,
                [],
                `the next up of an existing ${stack} stack would delete these: no resource has their URN or an alias to it. Give each one's ` +
                    `successor \`aliases: [{ the name, type or parent it had }]\` (Pulumi's way to rename), or, if it is meant to go, record the program again (${HOW_TO_RECORD}).`,
            );
            assert.deepStrictEqual(shared, [], "claimed by two resources: the engine refuses the second (duplicate alias)");
            assert.deepStrictEqual(
                created.map((r) => r.urn),
                [],
                `new resources the record does not hold: once each is meant, record the program again (${HOW_TO_RECORD}), so that a later rename of it is caught too.`,
            );
        });
    }
});

describe("an existing stack's protected and fixed-name resources keep their replacing inputs, so its next up does not replace them", function () {
    this.timeout(60_000);
    const recorded = JSON.parse(fs.readFileSync(REPLACING_RECORD, "utf8")) as ReplacingRecord;

    for (const stack of Object.keys(STACKS) as Stack[]) {
        it(`${stack}: no protected resource's replacing input changed, and no fixed-name one's under its kept name`, async function () {
            if (process.env.RECORD_STATE_URNS === "1") this.skip();
            assert.deepStrictEqual(refusedReplacements(recorded[stack] ?? {}, await registrationsOf(stack)), []);
        });
    }

    it("every protected type the stacks register has its replacing inputs in the table, or is listed as not read", async () => {
        const protectedTypes = new Set<string>();
        // One after another: the mocks are the process's.
        for (const stack of Object.keys(STACKS) as Stack[]) (await registrationsOf(stack)).filter((r) => r.protect).forEach((r) => protectedTypes.add(r.type));
        assert.deepStrictEqual([...protectedTypes].filter((t) => !FORCE_NEW[t] && !UNREAD_PROTECTED_TYPES.includes(t)), []);
    });
});

/**
 * The same reading on small programs, so that the record's check is shown to catch what it is for: a state holding a
 * component `box` of type demo:index:Box and its child `box-id`.
 */
describe("what the record's check finds: renames with and without aliases (small programs)", function () {
    this.timeout(60_000);
    const OLD_COMPONENT = "urn:pulumi:dev::multicloud-service::demo:index:Box::box";
    const OLD_CHILD = "urn:pulumi:dev::multicloud-service::demo:index:Box$random:index/randomId:RandomId::box-id";
    const state = [OLD_COMPONENT, OLD_CHILD];

    const box = (type: string, name: string, child: { name: string; opts?: pulumi.CustomResourceOptions }, opts?: pulumi.ComponentResourceOptions) => () => {
        const component = new pulumi.ComponentResource(type, name, {}, opts);
        new random.RandomId(child.name, { byteLength: 4 }, { ...child.opts, parent: component });
    };
    const claimsOf = async (program: () => void) => {
        const { lost, shared, created } = claims(state, await engineRegistrations("dev", { program }));
        return { lost, shared, created: created.map((r) => r.urn) };
    };

    it("unchanged: nothing lost, nothing new", async () => {
        assert.deepStrictEqual(await claimsOf(box("demo:index:Box", "box", { name: "box-id" })), { lost: [], shared: [], created: [] });
    });

    it("a child renamed without an alias is lost and its successor new; with `aliases: [{ name }]` it is claimed", async () => {
        assert.deepStrictEqual(await claimsOf(box("demo:index:Box", "box", { name: "box-key" })), {
            lost: [OLD_CHILD],
            shared: [],
            created: ["urn:pulumi:dev::multicloud-service::demo:index:Box$random:index/randomId:RandomId::box-key"],
        });
        assert.deepStrictEqual(await claimsOf(box("demo:index:Box", "box", { name: "box-key", opts: { aliases: [{ name: "box-id" }] } })), { lost: [], shared: [], created: [] });
    });

    it("a component given a new type and name with an alias: it and the child named after it are claimed", async () => {
        assert.deepStrictEqual(await claimsOf(box("demo:index:Crate", "crate", { name: "crate-id" }, { aliases: [{ type: "demo:index:Box", name: "box" }] })), { lost: [], shared: [], created: [] });
        assert.deepStrictEqual((await claimsOf(box("demo:index:Crate", "crate", { name: "crate-id" }))).lost, state);
    });
});

describe("what the replacing-inputs check finds (the checker on hand-made registrations)", () => {
    // An ECR repository: encryption_configuration is ForceNew under its fixed name (FORCE_NEW's row, from
    // terraform-provider-aws internal/service/ecr/repository.go).
    const type = "aws:ecr/repository:Repository";
    const urn = `urn:pulumi:prod::multicloud-service::${type}::images`;
    const kms = [{ encryptionType: "KMS" }];
    const now = (over: Partial<Registration>): Registration => ({ urn, aliases: [], type, inputs: { name: "images" }, wire: { inputs: { name: "images" }, outputs: {} }, protect: true, deleteBeforeReplace: false, ...over });
    const old = (protect: boolean) => ({ [urn]: { protect, inputs: { name: "images", encryptionConfigurations: null } } }) as ReplacingRecord[Stack];

    it("a protected resource's replacing input changed: the engine's refusal; unchanged: nothing", () => {
        const found = refusedReplacements(old(true), [now({ inputs: { name: "images", encryptionConfigurations: kms } })]);
        assert.strictEqual(found.length, 1, found.join("\n"));
        assert.match(found[0], /encryptionConfigurations \(unset\) -> .*marked for protection/);
        assert.deepStrictEqual(refusedReplacements(old(true), [now({})]), []);
    });

    it("found under an alias too (the record holds the old URN), and a fixed name kept without deleteBeforeReplace collides", () => {
        const renamed = now({ urn: `${urn}-v2`, aliases: [urn], inputs: { name: "images", encryptionConfigurations: kms } });
        assert.match(refusedReplacements(old(true), [renamed]).join("\n"), /marked for protection/);
        assert.match(refusedReplacements(old(false), [now({ protect: false, inputs: { name: "images", encryptionConfigurations: kms } })]).join("\n"), /already exists/);
        assert.deepStrictEqual(refusedReplacements(old(false), [now({ protect: false, deleteBeforeReplace: true, inputs: { name: "images", encryptionConfigurations: kms } })]), []);
    });

    it("protect refuses only when the state and the program both hold it (unprotecting and replacing in one up is allowed)", () => {
        // pulumi/pulumi pkg/resource/deploy/step_generator.go: `if new.Protect && old.Protect && !...IgnoreProtect`.
        const changed = { name: "images", encryptionConfigurations: kms };
        for (const [was, is] of [[false, true], [true, false]]) {
            const found = refusedReplacements(old(was), [now({ protect: is, inputs: changed })]).join("\n");
            assert.doesNotMatch(found, /marked for protection/, `protected in the state: ${was}, in the program: ${is}`);
            assert.match(found, /already exists/, "the fixed name, kept, still collides");
        }
    });
});
