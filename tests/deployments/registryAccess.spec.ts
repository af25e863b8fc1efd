import * as assert from "assert";
import * as path from "path";
import { PROJECT_ROOT, readStackFileAt } from "../../config/stackFile";
import { expectedRegistryAccess, registryAccessProblems } from "../../deployments/registryAccess";
import { settingsSchema } from "../../deployments/settings";
import { stackRegistryAccess } from "../../deployments/stackTargets";
import { DEPLOYMENTS_PROJECT, deploymentsPlan } from "./deploymentsPlan";

const settings = () => settingsSchema.parse(JSON.parse(readStackFileAt(path.join(PROJECT_ROOT, "deployments", "Pulumi.main.yaml")).config[`${DEPLOYMENTS_PROJECT}:settings`]));

/**
 * The stacks grant image.yml's and the promotion's accounts on their own Artifact Registry repositories
 * (gcp.registryAccess); deployments/ creates those accounts and checks that every stack file names exactly them.
 */
describe("deployments/: the stacks' Artifact Registry access names the accounts deployments/ creates", function () {
    this.timeout(60_000);

    it("the committed stack files grant exactly the image and promotion accounts", () => {
        const s = settings();
        const granted = Object.fromEntries(Object.keys(s.stacks).map((stack) => [stack, stackRegistryAccess(stack, s.project)]));
        assert.strictEqual(registryAccessProblems(s, granted), undefined);
        assert.deepStrictEqual(expectedRegistryAccess(s).dev, {
            writers: ["serviceAccount:image-dev@multicloud-service-deployer.iam.gserviceaccount.com"],
            readers: ["serviceAccount:promote-prod@multicloud-service-deployer.iam.gserviceaccount.com"],
        });
    });

    it("a stack file that lacks a member, or grants one more, is refused naming the file and the YAML that fixes it", () => {
        const s = settings();
        const granted = Object.fromEntries(Object.keys(s.stacks).map((stack) => [stack, stackRegistryAccess(stack, s.project)]));
        const message = registryAccessProblems(s, { ...granted, dev: { writers: granted.dev.writers, readers: [] }, review: { writers: ["serviceAccount:someone@other-project.iam.gserviceaccount.com"], readers: [] } });
        assert.match(String(message), /^the stacks' Artifact Registry access differs from the accounts deployments\/ creates:/);
        assert.match(String(message), /Pulumi\.dev\.yaml must set, under multicloud-service:gcp:\n {6}registryAccess:\n {8}writers:\n {10}- serviceAccount:image-dev@multicloud-service-deployer\.iam\.gserviceaccount\.com\n {8}readers:\n {10}- serviceAccount:promote-prod@/);
        assert.match(String(message), /Pulumi\.review\.yaml must set, under multicloud-service:gcp:\n {6}registryAccess:\n {8}writers: \[\]\n {8}readers: \[\]/);
        assert.doesNotMatch(String(message), /Pulumi\.prod\.yaml/);
    });

    it("deployments/ registers nothing while a stack file's access differs: a renamed pool project changes every account", async () => {
        await assert.rejects(
            deploymentsPlan((d) => (d.gcpProject = "another-deployer-project")),
            /the stacks' Artifact Registry access differs[\s\S]*serviceAccount:image-dev@another-deployer-project\.iam\.gserviceaccount\.com/,
        );
    });
});
