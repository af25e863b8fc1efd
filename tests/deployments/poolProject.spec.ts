import * as assert from "assert";
import { checkPoolProjectApart } from "../../deployments/poolProject";
import { stackTarget } from "../../deployments/stackTargets";
import { parsedCommittedSettings } from "./deploymentsPlan";

const target = (gcpProject: string) => ({ awsRegion: "ap-northeast-1", gcpProject, gcpRegion: "asia-northeast1" });
const stacks = { dev: { deployOnPush: true, reviewTemplate: false }, prod: { deployOnPush: false, reviewTemplate: false, promoteFrom: "dev" }, review: { deployOnPush: false, reviewTemplate: true } };

describe("deployments/: no deployer holds IAM over the identity pool's project or a released stack's", () => {
    it("the committed stack files deploy to projects apart from the example's pool project", () => {
        const settings = parsedCommittedSettings();
        const targets = Object.fromEntries(Object.keys(settings.stacks).map((stack) => [stack, stackTarget(stack)]));
        assert.doesNotThrow(() => checkPoolProjectApart(settings, targets));
    });

    it("a stack deployed to the pool project is refused (its serviceAccountAdmin would reach deploy-prod's account)", () => {
        assert.throws(
            () => checkPoolProjectApart({ gcpProject: "pool-project", stacks }, { dev: target("dev-project"), prod: target("prod-project"), review: target("pool-project") }),
            /a deployer would hold IAM over another identity's project; nothing was deployed:\n {2}- Pulumi\.review\.yaml deploys to gcp:project pool-project, the identity pool's project/,
        );
    });

    it("a review template sharing a released stack's project is refused", () => {
        assert.throws(
            () => checkPoolProjectApart({ gcpProject: "pool-project", stacks }, { dev: target("dev-project"), prod: target("prod-project"), review: target("prod-project") }),
            /Pulumi\.review\.yaml \(review stacks, pull requests' code\) deploys to gcp:project prod-project, which prod \(released\) deploys to too/,
        );
    });
});
