import * as assert from "assert";
import { parse as parseYaml } from "yaml";
import { serviceAccountMember } from "../../config/schema";
import { settingsSchema } from "../../deployments/settings";
import { workflowSteps } from "../workflows/workflowFiles";
import { DOC_PAGES, readProjectFile as read } from "./docReferences";

const SETUP = "docs/setup.md";

/** The committed deployments/Pulumi.main.yaml's config: the team edits each of its settings in the setup's settings step. */
const deploymentsConfig = () => parseYaml(read("deployments/Pulumi.main.yaml")).config;

/** The pulumi commands of a markdown file, in order, with their lines (in code blocks and code spans). */
function pulumiCommands(markdown: string): { line: number; command: string }[] {
    return markdown.split("\n").flatMap((text, i) => [...text.matchAll(/(?:^|`|&& )(pulumi [^`#\n]+)/g)].map((m) => ({ line: i + 1, command: m[1].trim() })));
}

/** A stack named without its organization (`--stack dev`, `stack select dev`), which the CLI looks up in the default one. */
const namesBareStack = (command: string) => /(?:--stack|stack select) (?!<)[A-Za-z0-9_.-]+(?:\s|$)/.test(command) && !/(?:--stack|stack select) [^\s]*\//.test(command);

// The one-time setup is followed once, by a team new to the project, in order: what it leaves out or gets wrong costs
// that team a day.
describe("docs/setup.md, as a new team follows it", () => {
    it("the settings step names every setting deployments/Pulumi.main.yaml sets, releasers among them", () => {
        const guide = read(SETUP);
        const unnamed = Object.keys(deploymentsConfig()["multicloud-service-deployments:settings"]).filter((key) => !guide.includes(`\`${key}\``));
        assert.deepStrictEqual(unnamed, [], `settings of deployments/Pulumi.main.yaml that ${SETUP} never names`);
    });

    // Before: aws:allowedAccountIds, which deployments/ refuses to run without, was in the file but in no step.
    it("the settings step names every other key deployments/Pulumi.main.yaml sets, the AWS account among them", () => {
        const guide = read(SETUP);
        const [from, to] = [guide.indexOf("3. **Settings.**"), guide.indexOf("4. **Create it**")];
        assert.ok(from >= 0 && to > from, "the settings step (3. **Settings.**) and the next (4. **Create it**) are where they were");
        const step = guide.slice(from, to);
        const unnamed = Object.keys(deploymentsConfig()).filter((key) => key !== "multicloud-service-deployments:settings" && !step.includes(`\`${key}`));
        assert.deepStrictEqual(unnamed, [], `keys of deployments/Pulumi.main.yaml that ${SETUP}'s settings step never names`);
    });

    for (const key of ["gcp.registryAccess", "gcp.releaseInvokers"]) it(`the ${key} members it shows are ones the stack files' schema accepts`, () => {
        const guide = read(SETUP);
        const at = guide.indexOf(`\`${key}\``);
        assert.ok(at >= 0, `${SETUP} names ${key}`);
        const shown = [...guide.slice(at, at + 300).matchAll(/`([^`\s]*@<pool project>\.iam\.gserviceaccount\.com)`/g)].map((m) => m[1]);
        assert.ok(shown.length > 0, `${SETUP} shows a member`);
        const refused = shown.filter((member) => !serviceAccountMember.safeParse(member.replace("<pool project>", "pool-project-1")).success);
        assert.deepStrictEqual(refused, []);
    });

    for (const file of [SETUP, "README.md"]) {
        it(`${file}: the default organization is set before the first command that names a stack without it`, () => {
            const commands = pulumiCommands(read(file));
            const firstBare = commands.find(({ command }) => namesBareStack(command));
            const setDefault = commands.find(({ command }) => command.startsWith("pulumi org set-default"));
            assert.ok(firstBare, `${file} names a stack`);
            assert.ok(setDefault && setDefault.line <= firstBare.line, `${file}:${firstBare.line} runs "${firstBare.command}" before any pulumi org set-default`);
        });
    }

    it("a comment or guide that names a setting of deployments/Pulumi.main.yaml names one the settings have", () => {
        const keys = new Set([...Object.keys(settingsSchema.shape), "settings", ...Object.keys(deploymentsConfig())]);
        const files = ["README.md", SETUP, "Pulumi.dev.yaml", "Pulumi.prod.yaml", "Pulumi.review.yaml", "docs/delivery.md", "docs/images.md", "docs/releases.md"];
        const wrong = files.flatMap((file) =>
            [...read(file).matchAll(/Pulumi\.main\.yaml's `?([\w:.]+)/g)].map((m) => m[1].replace(/\.$/, "")).filter((key) => !keys.has(key)).map((key) => `${file}: ${key}`),
        );
        assert.deepStrictEqual(wrong, []);
    });
});

// deployments/ refuses to run while a stack it manages has a cloud off (deployments/bothClouds.ts), which blocks every
// later change there, token rotation included: an instruction to turn one off must say so.
describe("every instruction to turn a cloud off says deployments/ refuses that for a stack it manages", () => {
    it("README.md and docs/", () => {
        const instructions = DOC_PAGES.flatMap((file) => {
            const paragraphs = read(file).split(/\n\s*\n/);
            return paragraphs.filter((p) => /pulumi config set[^`]*\.enabled false/.test(p)).map((paragraph) => ({ file, paragraph }));
        });
        assert.ok(instructions.length > 0, "the README tells how to deploy one cloud only");
        const silent = instructions.filter(({ paragraph }) => !/deployments\/[\s\S]*(refuse|stacks)/.test(paragraph));
        assert.deepStrictEqual(silent.map(({ file, paragraph }) => `${file}: ${paragraph.slice(0, 100)}`), []);
    });

    // Before: the README told a team with one cloud to deploy by hand, and not that a production stack needs AWS all the
    // same (config/schema.ts requires image.verify in production; its key is awskms:/// only, read in every preview), nor
    // that the release's state environment (release/stack/escReleaseState.ts) is one deployments/ would have made.
    it("and says what a team with one cloud still needs: AWS for a production stack's signing key, the release's environment", () => {
        const instructions = DOC_PAGES.flatMap((file) => read(file).split(/\n\s*\n/).filter((p) => /pulumi config set[^`]*\.enabled false/.test(p)).map((paragraph) => ({ file, paragraph })));
        assert.ok(instructions.length > 0, "the README tells how to deploy one cloud only");
        const needs = { "a production stack needs AWS": /production stack needs an AWS account/, "image.verify's key is in AWS KMS": /`image\.verify`[\s\S]*AWS KMS/, "the release's state environment": /multicloud-service\/<stack>-release/ };
        const silent = instructions.flatMap(({ file, paragraph }) => Object.entries(needs).filter(([, said]) => !said.test(paragraph)).map(([what]) => `${file}: ${what}`));
        assert.deepStrictEqual(silent, []);
    });
});


// docs/delivery.md names the tool versions the workflows pin (the action inputs that would install the newest
// otherwise); each figure is checked against every workflow step of that action, so a raise in one place shows here.
describe("docs/delivery.md, the tool versions the workflows pin", () => {
    const DELIVERY = read("docs/delivery.md").replace(/\s+/g, " ");
    const steps = workflowSteps().map(({ step }) => step);
    for (const [action, pattern] of [
        ["pulumi/esc-action", /`pulumi\/esc-action` installs the ESC CLI of its `version` input \(([0-9.]+)/],
        ["google-github-actions/setup-gcloud", /`google-github-actions\/setup-gcloud` the Cloud SDK of its `version` \(([0-9.]+)\)/],
    ] as const) {
        it(`${action}: the version it gives is every step's`, () => {
            const documented = pattern.exec(DELIVERY)?.[1];
            assert.ok(documented, `docs/delivery.md gives no version for ${action}`);
            const pinned = steps.filter((s) => String(s.uses ?? "").startsWith(`${action}@`)).map((s) => String(s.with?.version));
            assert.ok(pinned.length > 0, `no workflow step uses ${action}`);
            assert.deepStrictEqual([...new Set(pinned)], [documented]);
        });
    }
});
