import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { checkReleaseInvokers, expectedReleaseInvokers } from "../../deployments/releaseInvokers";
import { stackReleaseInvokers } from "../../deployments/stackTargets";
import { scratchDir } from "../harness/tempDirs";
import { deploymentsPlan, deploymentsRegistrations, committedStackFiles, parsedCommittedSettings as settings } from "./deploymentsPlan";
import { PROJECT_ROOT } from "../../config/stackFile";
import { scratchServiceProject } from "./scratchServiceProject";
import { MockCloud } from "../../scripts/offline/mockCloud";
import { registeredTypes } from "../harness/registeredTypes";

const RELEASE_PROD = "serviceAccount:release-prod@multicloud-service-deployer.iam.gserviceaccount.com";

/**
 * The stacks grant deploy-prod.yml's release account roles/run.invoker on their own Cloud Run service
 * (gcp.releaseInvokers); deployments/ creates that account and checks that every stack file names exactly it.
 */
describe("deployments/: the stacks' Cloud Run invokers name the release accounts deployments/ creates", function () {
    this.timeout(60_000);
    const committed = () => committedStackFiles(stackReleaseInvokers);

    it("the committed stack files grant exactly the released stack's release account: prod's names release-prod, dev's and review's no one", () => {
        const { s, files } = committed();
        assert.deepStrictEqual(files, { dev: [], prod: [RELEASE_PROD], review: [] });
        assert.doesNotThrow(() => checkReleaseInvokers(s, files));
        assert.deepStrictEqual(expectedReleaseInvokers(s), { dev: [], prod: [RELEASE_PROD], review: [] });
    });

    it("a stack file that lacks the member, names another in its place, or grants one more, is refused naming the file and the YAML that fixes it", () => {
        const { s, files } = committed();
        const changed = { ...files, prod: [], dev: ["serviceAccount:someone@other-project.iam.gserviceaccount.com"] };
        assert.throws(
            () => checkReleaseInvokers(s, changed),
            (err: Error) => {
                assert.match(err.message, /^the stacks' Cloud Run invokers differ from the release accounts deployments\/ creates; nothing was deployed:/);
                assert.match(err.message, /Pulumi\.prod\.yaml must set, under multicloud-service:gcp:\n {6}releaseInvokers:\n {8}- serviceAccount:release-prod@multicloud-service-deployer\.iam\.gserviceaccount\.com/);
                assert.match(err.message, /Pulumi\.dev\.yaml must set, under multicloud-service:gcp:\n {6}releaseInvokers: \[\]/);
                assert.doesNotMatch(err.message, /Pulumi\.review\.yaml/);
                return true;
            },
        );
        // Another account in its place is refused too: the release's probes would be answered 403, and the other could call it.
        assert.throws(() => checkReleaseInvokers(s, { ...files, prod: ["serviceAccount:release-dev@multicloud-service-deployer.iam.gserviceaccount.com"] }), /Pulumi\.prod\.yaml must set, under multicloud-service:gcp:\n {6}releaseInvokers:\n {8}- serviceAccount:release-prod@/);
        // One more beside the right one is refused too: it could call prod's service.
        assert.throws(() => checkReleaseInvokers(s, { ...files, prod: [RELEASE_PROD, "serviceAccount:release-dev@multicloud-service-deployer.iam.gserviceaccount.com"] }), /Pulumi\.prod\.yaml must set/);
    });

    it("a newly released stack needs its own release account named in its file; a renamed pool project changes the member", () => {
        const s = settings();
        s.stacks.staging = { deployOnPush: false, reviewTemplate: false, promoteFrom: "dev" };
        assert.deepStrictEqual(expectedReleaseInvokers(s).staging, ["serviceAccount:release-staging@multicloud-service-deployer.iam.gserviceaccount.com"]);
        assert.throws(() => checkReleaseInvokers(s, { dev: [], prod: [RELEASE_PROD], review: [] }), /Pulumi\.staging\.yaml must set, under multicloud-service:gcp:\n {6}releaseInvokers:\n {8}- serviceAccount:release-staging@/);
        s.gcpProject = "another-deployer-project";
        assert.deepStrictEqual(expectedReleaseInvokers(s).prod, ["serviceAccount:release-prod@another-deployer-project.iam.gserviceaccount.com"]);
    });

    it("reads the list from the stack file's gcp setting; a file without it grants no one", () => {
        const root = scratchDir("release-invokers");
        fs.writeFileSync(path.join(root, "Pulumi.prod.yaml"), `config:\n  multicloud-service:gcp:\n    releaseInvokers:\n      - ${RELEASE_PROD}\n`);
        fs.writeFileSync(path.join(root, "Pulumi.dev.yaml"), "config:\n  multicloud-service:gcp:\n    cpu: 1\n");
        assert.deepStrictEqual(stackReleaseInvokers("prod", "multicloud-service", root), [RELEASE_PROD]);
        assert.deepStrictEqual(stackReleaseInvokers("dev", "multicloud-service", root), []);
    });

    it("deployments/ grants the release account no roles/run.invoker in any project: only the stack's grant on its service", async () => {
        // Cloud Run does not recognize resource attributes in IAM Conditions (IAM docs, "Resource attributes for IAM
        // Conditions"): a project-wide grant reaches every service of a project the stack shares. Before:
        // release-prod held roles/run.invoker on multicloud-service-prod.
        const plan = await deploymentsPlan();
        const invokers = plan.ofType("gcp:projects/iAMMember:IAMMember").filter((g) => g.inputs.role === "roles/run.invoker");
        assert.deepStrictEqual(invokers.map((g) => `${g.name} ${g.inputs.project}`), []);
    });
});

/**
 * The check as deployments/index.ts runs it, before anything is registered: from a scratch copy of the project
 * (scratchServiceProject) whose Pulumi.prod.yaml lacks the release account.
 */
describe("deployments/: the program refuses stack files whose Cloud Run invokers differ, before registering anything", function () {
    this.timeout(60_000);

    it("Pulumi.prod.yaml without release-prod in gcp.releaseInvokers: the run fails with checkReleaseInvokers' message, nothing registered", async () => {
        const root = scratchServiceProject("release-invokers-program");
        const prod = fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.prod.yaml"), "utf8");
        assert.ok(prod.includes(RELEASE_PROD), "the committed Pulumi.prod.yaml names release-prod");
        fs.writeFileSync(path.join(root, "Pulumi.prod.yaml"), prod.replace(`releaseInvokers:\n      - ${RELEASE_PROD}\n`, "releaseInvokers: []\n"));
        assert.deepStrictEqual(stackReleaseInvokers("prod", "multicloud-service", root), []);
        const program = require(path.join(root, "deployments", "index.ts")) as () => unknown;
        let cloud: MockCloud | undefined;
        const run = deploymentsRegistrations((c) => (cloud = c), undefined, program);
        await assert.rejects(run, (err: Error) => {
            assert.match(err.message, /^the stacks' Cloud Run invokers differ from the release accounts deployments\/ creates; nothing was deployed:\n {2}- Pulumi\.prod\.yaml must set, under multicloud-service:gcp:\n {6}releaseInvokers:\n {8}- serviceAccount:release-prod@multicloud-service-deployer\.iam\.gserviceaccount\.com$/);
            return true;
        });
        assert.deepStrictEqual(registeredTypes(cloud), []);
    });
});
