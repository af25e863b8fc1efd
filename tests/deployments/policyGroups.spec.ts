import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PACK_NAME } from "../../policy/policies";
import { POLICY_DIR, createPolicyGroups, groupConfig } from "../../deployments/policyGroups";
import { VERSION_TAG, policyPackVersionTag } from "../../deployments/policyPackVersion";
import { settingsSchema } from "../../deployments/settings";
import { createStacks } from "../../deployments/stacks";
import { MockCloud, runUnderMocks } from "../../scripts/offline/mockCloud";
import { DEPLOYMENTS_PROJECT, ORG, committedSettings, deploymentsPlan, deploymentsRegistrations } from "./deploymentsPlan";

const configOf = (file: string) => JSON.parse(fs.readFileSync(path.join(POLICY_DIR, "config", file), "utf8"));

describe("deployments/: policy/ published to Pulumi Cloud and enforced by policy groups", function () {
    this.timeout(60_000);

    it("publishes policy/ once, under PACK_NAME and a version tag of its package.json version and content", async () => {
        const plan = await deploymentsPlan();
        const packs = plan.ofType("pulumiservice:index:PolicyPack");
        assert.strictEqual(packs.length, 1);
        const { inputs } = packs[0];
        assert.strictEqual(inputs.organization, ORG);
        assert.strictEqual(inputs.name, PACK_NAME);
        assert.strictEqual(inputs.sourcePath, POLICY_DIR);
        const version = JSON.parse(fs.readFileSync(path.join(POLICY_DIR, "package.json"), "utf8")).version;
        assert.match(inputs.versionTag, new RegExp(`^${version.replace(/\./g, "\\.")}-[0-9a-f]{12}$`));
        assert.match(inputs.versionTag, VERSION_TAG);
        // No `policies`: the provider asks the pack itself (policy_pack.go, introspectPolicyPack).
        assert.strictEqual(inputs.policies, undefined);
    });

    it("prod's group is preventative with prod.json's config, dev's audit with dev.json's; the review template is in none", async () => {
        const plan = await deploymentsPlan();
        const groups = Object.fromEntries(plan.ofType("pulumiservice:index:PolicyGroup").map((g) => [g.inputs.name, g.inputs]));
        assert.deepStrictEqual(Object.keys(groups).sort(), ["multicloud-service-development", "multicloud-service-production"]);
        const tag = plan.ofType("pulumiservice:index:PolicyPack")[0].inputs.versionTag;
        const expect = (name: string, mode: string, stack: string, file: string) => {
            const g = groups[name];
            assert.strictEqual(g.organizationName, ORG);
            assert.strictEqual(g.entityType, "stacks");
            assert.strictEqual(g.mode, mode);
            assert.deepStrictEqual(g.stacks, [{ name: stack, routingProject: "multicloud-service" }]);
            assert.deepStrictEqual(g.policyPacks, [{ name: PACK_NAME, versionTag: tag, config: groupConfig(path.join(POLICY_DIR, "config", file)) }]);
        };
        expect("multicloud-service-production", "preventative", "prod", "prod.json");
        expect("multicloud-service-development", "audit", "dev", "dev.json");
        // The file's rule settings go over as they are; its levels as objects, the form the CLI's API parser reads.
        const prod = groups["multicloud-service-production"].policyPacks[0].config;
        assert.deepStrictEqual(prod.all, { enforcementLevel: "mandatory" });
        assert.deepStrictEqual(prod["no-public-iam-members"], configOf("prod.json")["no-public-iam-members"]);
        assert.deepStrictEqual(groups["multicloud-service-development"].policyPacks[0].config.all, { enforcementLevel: "advisory" });
    });

    // A group is registered for the stacks it holds: settings without a production stack register no preventative group,
    // and settings without another deployed stack (the review template is never one) no audit group, not a group of no
    // stacks. The groups alone, from the settings the schema takes: the whole program would first ask for these stacks' files.
    it("a group that would hold no stack is not registered: only dev, or only prod, beside the review template", async () => {
        const groupsWith = async (change: (raw: any) => void) => {
            const raw = committedSettings();
            change(raw);
            const settings = settingsSchema.parse(raw);
            const { cloud } = await runUnderMocks({ stack: "main", project: DEPLOYMENTS_PROJECT }, () => createPolicyGroups(settings, createStacks(settings)));
            return cloud.ofType("pulumiservice:index:PolicyGroup").map((g) => ({ name: g.inputs.name, stacks: g.inputs.stacks.map((st: { name: string }) => st.name) })).sort((a, b) => a.name.localeCompare(b.name));
        };
        assert.deepStrictEqual(await groupsWith(() => {}), [
            { name: "multicloud-service-development", stacks: ["dev"] },
            { name: "multicloud-service-production", stacks: ["prod"] },
        ]);
        assert.deepStrictEqual(await groupsWith((s) => delete s.stacks.prod), [{ name: "multicloud-service-development", stacks: ["dev"] }]);
        const prodOnly = (s: any) => {
            delete s.stacks.dev;
            delete s.stacks.prod.promoteFrom;
        };
        assert.deepStrictEqual(await groupsWith(prodOnly), [{ name: "multicloud-service-production", stacks: ["prod"] }]);
    });

    it("policyGroups left out is on, as docs/setup.md says: the pack and its groups are registered", async () => {
        const plan = await deploymentsPlan((s) => delete s.policyGroups);
        assert.strictEqual(plan.ofType("pulumiservice:index:PolicyPack").length, 1);
        assert.strictEqual(plan.ofType("pulumiservice:index:PolicyGroup").length, 2);
    });

    it("policyGroups: false registers no pack and no group", async () => {
        const plan = await deploymentsPlan((s) => (s.policyGroups = false));
        assert.deepStrictEqual(plan.ofType("pulumiservice:index:PolicyPack"), []);
        assert.deepStrictEqual(plan.ofType("pulumiservice:index:PolicyGroup"), []);
        assert.ok(plan.ofType("pulumiservice:index:DeploymentSettings").length > 0);
    });

    it("a policyGroups that is not a boolean fails before anything is registered, naming the setting", async () => {
        let cloud: MockCloud | undefined;
        await assert.rejects(
            deploymentsRegistrations((c) => (cloud = c), { ...committedSettings(), policyGroups: "yes" }),
            /invalid settings; nothing was deployed:\n(.*\n)* {2}- multicloud-service-deployments:settings\.policyGroups: must be true or false/,
        );
        assert.deepStrictEqual(cloud?.resources.map((r) => r.type), []);
    });

    describe("the version tag", () => {
        let dir: string;
        beforeEach(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-tag-"));
            fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "p", version: "0.1.0" }));
            fs.mkdirSync(path.join(dir, "rules"));
            fs.writeFileSync(path.join(dir, "rules", "aws.ts"), "export const a = 1;\n");
            fs.mkdirSync(path.join(dir, "config"));
            fs.writeFileSync(path.join(dir, "config", "prod.json"), '{ "all": "mandatory" }\n');
        });
        afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

        it("changes when a rule, a config or a built file changes", () => {
            const before = policyPackVersionTag(dir);
            fs.writeFileSync(path.join(dir, "rules", "aws.ts"), "export const a = 2;\n");
            const afterRule = policyPackVersionTag(dir);
            assert.notStrictEqual(afterRule, before);
            fs.writeFileSync(path.join(dir, "config", "prod.json"), '{ "all": "advisory" }\n');
            const afterConfig = policyPackVersionTag(dir);
            assert.notStrictEqual(afterConfig, afterRule);
            // bin/ is hashed by the provider too (only node_modules, .git and .pulumi are left out).
            fs.mkdirSync(path.join(dir, "bin"));
            fs.writeFileSync(path.join(dir, "bin", "index.js"), "1");
            assert.notStrictEqual(policyPackVersionTag(dir), afterConfig);
        });

        // The provider's hash takes each file's mode too ("%s\x00%d\x00" of its path and fi.Mode(), policy_pack.go
        // hashPolicyPackSource, v1.3.0): a chmod alone replaces the pack, and publishing the same tag again is refused.
        it("changes when only a file's mode changes", () => {
            const before = policyPackVersionTag(dir);
            fs.chmodSync(path.join(dir, "rules", "aws.ts"), 0o755);
            assert.notStrictEqual(policyPackVersionTag(dir), before);
        });

        // A symbolic link is hashed by its target (os.Readlink, policy_pack.go hashPolicyPackSource, v1.3.0): pointing it
        // elsewhere replaces the pack, so the tag must move with it.
        it("changes when a symbolic link points elsewhere", () => {
            fs.writeFileSync(path.join(dir, "rules", "gcp.ts"), "export const b = 1;\n");
            fs.symlinkSync("aws.ts", path.join(dir, "rules", "current.ts"));
            const before = policyPackVersionTag(dir);
            fs.unlinkSync(path.join(dir, "rules", "current.ts"));
            fs.symlinkSync("gcp.ts", path.join(dir, "rules", "current.ts"));
            assert.notStrictEqual(policyPackVersionTag(dir), before);
        });

        it("stays the same when nothing the provider hashes changed", () => {
            const before = policyPackVersionTag(dir);
            assert.strictEqual(policyPackVersionTag(dir), before);
            const later = new Date(Date.now() + 60_000);
            fs.utimesSync(path.join(dir, "rules", "aws.ts"), later, later);
            for (const skipped of ["node_modules", ".git", ".pulumi"]) {
                fs.mkdirSync(path.join(dir, skipped));
                fs.writeFileSync(path.join(dir, skipped, "x"), "anything");
            }
            assert.strictEqual(policyPackVersionTag(dir), before);
        });

        it("starts with package.json's version", () => {
            fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "p", version: "0.2.0" }));
            assert.match(policyPackVersionTag(dir), /^0\.2\.0-[0-9a-f]{12}$/);
        });

        // Without a string version the tag would be "undefined-<hash>" or "1-<hash>", which VERSION_TAG takes: the pack
        // would be published under a tag that says nothing of package.json. It is refused, naming the file.
        it("is refused, naming package.json, when its version is missing or not a string", () => {
            const manifest = path.join(dir, "package.json");
            fs.writeFileSync(manifest, JSON.stringify({ name: "p" }));
            assert.throws(() => policyPackVersionTag(dir), (err: Error) => {
                assert.strictEqual(err.message, `${manifest} has no version of letters, digits, '.' and '-' (got undefined)`);
                return true;
            });
            fs.writeFileSync(manifest, JSON.stringify({ name: "p", version: 1 }));
            assert.throws(() => policyPackVersionTag(dir), /package\.json has no version of letters, digits, '\.' and '-' \(got 1\)/);
        });
    });
});
