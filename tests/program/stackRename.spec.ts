import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT, readStackFile } from "../../config/stackFile";
import { committedStackRegistrations } from "../harness/committedStackRegistrations";
import { claims, engineRegistrations, Registration } from "../harness/engineUrns";
import { FORCE_NEW, replacingKeys, sameInput } from "../harness/replacingInputs";

/**
 * What the first `up` after `pulumi stack rename <old> <new>` does. The rename rewrites the stack name in every URN of
 * the state (pulumi/pulumi pkg/resource/edit/operations.go RenameStack: "changes the `stackName` component of every
 * matching URN in a deployment") and moves Pulumi.<old>.yaml to Pulumi.<new>.yaml unchanged (pkg/cmd/pulumi/stack/
 * stack_rename.go: os.Rename), so the engine matches every resource; but the program names registries, the service
 * account and secrets after the stack, and the providers replace those on a new name.
 */
const renamedUrn = (urn: string, from: string, to: string) => urn.replace(`urn:pulumi:${from}::`, `urn:pulumi:${to}::`);

interface Replacement {
    name: string;
    protect: boolean;
}

async function afterRename(from: string, to: string): Promise<{ lost: string[]; created: string[]; replaced: Replacement[] }> {
    const before = await committedStackRegistrations(from);
    const after = await engineRegistrations(to, { stackFile: readStackFile(from) });
    const state = new Map<string, Registration>(before.map((r) => [renamedUrn(r.urn, from, to), r]));
    const { lost, created } = claims([...state.keys()], after);
    const replaced = after.flatMap((r) => {
        const was = state.get(r.urn);
        const row = FORCE_NEW[r.type];
        if (!was || !row || replacingKeys(row).every((k) => sameInput(was.inputs[k], r.inputs[k]))) return [];
        return [{ name: `${r.type.split(":").pop()} ${r.inputs[row.name]}`, protect: was.protect && r.protect }];
    });
    return { lost, created: created.map((r) => r.urn), replaced: replaced.sort((a, b) => (a.name < b.name ? -1 : 1)) };
}

describe("a stack renamed with `pulumi stack rename`: its first up replaces what is named after the stack (README, \"Renaming a stack\")", function () {
    this.timeout(120_000);
    const readme = fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");

    it("dev -> development: every URN is claimed, and the ECR and Artifact Registry repositories, the service account, the admin token's secret and the dashboard are replaced", async () => {
        assert.deepStrictEqual(await afterRename("dev", "development"), {
            lost: [],
            created: [],
            replaced: [
                { name: "Account service-development", protect: false },
                { name: "Dashboard multicloud-service-development", protect: false },
                { name: "Repository multicloud-service-development", protect: false },
                { name: "Repository service-registry-development", protect: false },
                { name: "Secret service-development-admin-token", protect: false },
            ],
        });
    });

    it("prod -> production: both registries are protected, so the engine refuses their replace and the preview fails", async () => {
        const { replaced } = await afterRename("prod", "production");
        assert.deepStrictEqual(
            replaced.filter((r) => r.protect).map((r) => r.name),
            ["Repository multicloud-service-production", "Repository service-registry-production"],
        );
    });

    it("the README says so, and what to do instead", () => {
        assert.ok(/^\*\*Renaming a stack\.\*\*/m.test(readme), "README has a paragraph **Renaming a stack.**");
        for (const said of ["pulumi stack rename", "marked for protection", "multicloud-service-<stack>", "service-registry-<stack>", "service-<stack>", "Transfer Stack"]) {
            assert.ok(readme.includes(said), `README's "Renaming a stack" names ${said}`);
        }
    });
});
