import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { PROJECT_ROOT, readStackFileAt } from "../../config/stackFile";
import { DEPLOYMENTS_PROJECT } from "../deployments/deploymentsPlan";
import { claims, engineRegistrations } from "../harness/engineUrns";

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
    dev: () => engineRegistrations("dev"),
    prod: () => engineRegistrations("prod"),
    "deployments/main": () =>
        engineRegistrations("main", {
            program: require("../../deployments/index"),
            project: DEPLOYMENTS_PROJECT,
            stackFile: readStackFileAt(path.join(PROJECT_ROOT, "deployments", "Pulumi.main.yaml")),
        }),
};
type StateRecord = { [stack in keyof typeof STACKS]: string[] };
const HOW_TO_RECORD = `RECORD_STATE_URNS=1 npx mocha ${path.relative(path.resolve(__dirname, "..", ".."), __filename)}`;

describe("an existing stack's resources keep their URNs, or an alias to them, so its next up updates them in place", function () {
    this.timeout(60_000);
    const recorded = JSON.parse(fs.readFileSync(RECORD, "utf8")) as StateRecord;

    for (const stack of Object.keys(STACKS) as (keyof typeof STACKS)[]) {
        it(`${stack}: every URN of the record is claimed once, and every resource of the program is in the record`, async () => {
            const now = await STACKS[stack]();
            if (process.env.RECORD_STATE_URNS === "1") {
                const kept = JSON.parse(fs.readFileSync(RECORD, "utf8")) as StateRecord;
                fs.writeFileSync(RECORD, `${JSON.stringify({ ...kept, [stack]: now.map((r) => r.urn).sort() }, null, 2)}\n`);
                console.log(`      recorded ${now.length} URNs of ${stack} in ${path.basename(RECORD)}`);
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
