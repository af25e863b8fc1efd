import * as assert from "assert";
import { checkRegistriesOfTargets, checkRegistryAccess, expectedRegistryAccess } from "../../deployments/registryAccess";
import { stackRegistry, stackTarget } from "../../deployments/stackTargets";
import { DEPLOYMENTS_PROJECT, deploymentsPlan, committedStackFiles, parsedCommittedSettings as settings } from "./deploymentsPlan";
import { SERVICE_ACCOUNT_ID } from "../../components/gcp/resourceIds";
import { createAwsOidc } from "../../deployments/awsOidc";
import { runUnderMocks } from "../../scripts/offline/mockCloud";
import { ACCOUNT, decideForRole } from "../harness/iamSimulator";

const IMAGE_DEV = "serviceAccount:image-dev@multicloud-service-deployer.iam.gserviceaccount.com";
const PROMOTE_PROD = "serviceAccount:promote-prod@multicloud-service-deployer.iam.gserviceaccount.com";

/**
 * The stacks grant image.yml's and the promotion's accounts on their own Artifact Registry repositories
 * (gcp.registryAccess); deployments/ creates those accounts and checks that every stack file names exactly them.
 */
describe("deployments/: the stacks' Artifact Registry access names the accounts deployments/ creates", function () {
    this.timeout(60_000);
    const committed = () => committedStackFiles(stackRegistry);

    it("the committed stack files grant exactly the image and promotion accounts", () => {
        const { s, files } = committed();
        assert.doesNotThrow(() => checkRegistryAccess(s, files));
        assert.deepStrictEqual(expectedRegistryAccess(s, {}).dev, { writers: [IMAGE_DEV], readers: [PROMOTE_PROD] });
        assert.deepStrictEqual(expectedRegistryAccess(s, {}).prod, { writers: [PROMOTE_PROD], readers: [] });
    });

    it("a stack file that lacks a member, or grants one more, is refused naming the file and the YAML that fixes it", () => {
        const { s, files } = committed();
        const changed = { ...files, dev: { access: { writers: [IMAGE_DEV], readers: [] } }, review: { access: { writers: ["serviceAccount:someone@other-project.iam.gserviceaccount.com"], readers: [] } } };
        assert.throws(
            () => checkRegistryAccess(s, changed),
            (err: Error) => {
                assert.match(err.message, /^the stacks' Artifact Registry access differs from the accounts deployments\/ creates; nothing was deployed:/);
                assert.match(err.message, /Pulumi\.dev\.yaml must set, under multicloud-service:gcp:\n {6}registryAccess:\n {8}writers:\n {10}- serviceAccount:image-dev@multicloud-service-deployer\.iam\.gserviceaccount\.com\n {8}readers:\n {10}- serviceAccount:promote-prod@/);
                assert.match(err.message, /Pulumi\.review\.yaml must set, under multicloud-service:gcp:\n {6}registryAccess:\n {8}writers: \[\]\n {8}readers: \[\]/);
                assert.doesNotMatch(err.message, /Pulumi\.prod\.yaml/);
                return true;
            },
        );
    });

    it("a stack deployed on push from another stack's registries: its image account is named in that stack's file, not its own", () => {
        const s = settings();
        s.stacks.staging = { ...s.stacks.dev };
        const expected = expectedRegistryAccess(s, { staging: "dev" });
        const IMAGE_STAGING = "serviceAccount:image-staging@multicloud-service-deployer.iam.gserviceaccount.com";
        assert.deepStrictEqual(expected.staging, { writers: [], readers: [] }, "staging has no repository (its schema refuses registryAccess there)");
        assert.deepStrictEqual(expected.dev.writers.sort(), [IMAGE_DEV, IMAGE_STAGING].sort());
        // A stack file may list them in any order: each member is a grant of its own.
        const files = Object.fromEntries(
            Object.entries(expected).map(([stack, access]) => [stack, { ...(stack === "staging" ? { registriesOf: "dev" } : {}), access: { writers: [...access.writers].reverse(), readers: [...access.readers].reverse() } }]),
        );
        assert.deepStrictEqual(files.dev.access.writers, [IMAGE_DEV, IMAGE_STAGING].sort().reverse());
        assert.doesNotThrow(() => checkRegistryAccess(s, files));
        // A promotion from such a stack reads its images where image.yml pushed them (scripts/image/targets.ts): dev's.
        s.stacks.prod = { ...s.stacks.prod, promoteFrom: "staging" };
        const fromStaging = expectedRegistryAccess(s, { staging: "dev" });
        assert.deepStrictEqual(fromStaging.dev.readers, [PROMOTE_PROD], "prod's promotion reads staging's images in dev's repository");
        assert.deepStrictEqual(fromStaging.staging.readers, [], "staging has no repository");
    });

    it("AWS: the image role of a stack on dev's registries pushes to dev's ECR repository, where image.yml pushes its images, and a promotion from it pulls from there", async () => {
        // scripts/image/targets.ts: a stack with image.registriesOf has that stack's repository name, and no ECR
        // repository of its own (config/parse.ts). Before: image-staging could push only to repository/<project>-staging,
        // which does not exist, and ECR refused every layer of image.yml's push to dev's (AccessDenied).
        const s = settings();
        s.stacks.staging = { ...s.stacks.dev };
        s.stacks.prod = { ...s.stacks.prod, promoteFrom: "staging" };
        const target = { awsRegion: "ap-northeast-1", gcpProject: "multicloud-service-dev", gcpRegion: "asia-northeast1" };
        const targets = Object.fromEntries(Object.keys(s.stacks).map((stack) => [stack, target]));
        const run = await runUnderMocks({ stack: "main", project: DEPLOYMENTS_PROJECT, config: { "aws:region": "ap-northeast-1" } }, async () => {
            createAwsOidc(s, targets, { staging: "dev" });
        });
        const policyOf = (name: string) => {
            const role = run.cloud.resources.find((r) => r.type === "aws:iam/role:Role" && r.name === name);
            assert.ok(role, `no role ${name}`);
            return JSON.parse(role.inputs.inlinePolicies[0].policy);
        };
        const repository = (name: string) => `arn:aws:ecr:ap-northeast-1:${ACCOUNT}:repository/multicloud-service-${name}`;
        const image = policyOf("image-staging");
        for (const action of ["ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage", "ecr:DescribeImages"]) {
            assert.strictEqual(await decideForRole(image, action, repository("dev")), "Allowed", `${action} on dev's repository`);
            assert.strictEqual(await decideForRole(image, action, repository("staging")), "ImplicitlyDenied", `${action} on staging's own, which does not exist`);
            assert.strictEqual(await decideForRole(image, action, repository("prod")), "ImplicitlyDenied", `${action} on prod's repository`);
        }
        // deploy-prod.yml's promotion from staging pulls staging's images from dev's repository (awsOidc.ts imagePromotePolicy).
        const promote = policyOf("promote-prod");
        for (const action of ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability", "ecr:DescribeImages"]) {
            assert.strictEqual(await decideForRole(promote, action, repository("dev")), "Allowed", `promote-prod ${action} on dev's repository`);
            assert.strictEqual(await decideForRole(promote, action, repository("staging")), "ImplicitlyDenied", `promote-prod ${action} on staging's own`);
        }
    });

    // Stack names here are [a-z0-9-]+ of any length (ESC's subject bounds them, at 24 characters for this
    // organization); IAM takes a service account ID of 6-30 of [a-z0-9-] that ends in a letter or digit
    // (terraform-provider-google service_account: account_id, validateRFC1035Name(6, 30)), and refuses a second account
    // of the same ID in the project ("already exists"). A cut at 30 characters made one ID of two stacks alike in their
    // first 22, and an ID ending in `-`.
    it("each workflow account gets a service account ID of its own that IAM accepts, however its stack is named", () => {
        const s = settings();
        const released = ["staging-asia-northeast-a", "staging-asia-northeast-b", "staging-asia-northeas-c"];
        for (const stack of released) s.stacks[stack] = { deployOnPush: false, reviewTemplate: false, promoteFrom: "dev" };
        s.stacks["qa-"] = { deployOnPush: true, reviewTemplate: false };
        const expected = expectedRegistryAccess(s, {});
        const members = [...expected.dev.readers, ...expected.dev.writers, ...expected["qa-"].writers];
        const ids = members.map((m) => m.replace(/^serviceAccount:/, "").replace(/@.*$/, ""));
        assert.strictEqual(ids.length, 6, ids.join(", "));
        assert.strictEqual(new Set(ids).size, ids.length, `one ID for two accounts: ${ids.join(", ")}`);
        for (const id of ids) assert.match(id, SERVICE_ACCOUNT_ID);
        assert.ok(ids.includes("image-dev") && ids.includes("promote-prod"), "short IDs are kept as they were");
    });

    it("deployments/ registers nothing while a stack file's access differs: a renamed pool project changes every account", async () => {
        await assert.rejects(
            deploymentsPlan((d) => (d.gcpProject = "another-deployer-project")),
            /the stacks' Artifact Registry access differs[\s\S]*serviceAccount:image-dev@another-deployer-project\.iam\.gserviceaccount\.com/,
        );
    });
});

describe("deployments/: a stack on another stack's registries deploys where they are", () => {
    it("the committed review template runs dev's registries from dev's regions and project", () => {
        const targets = { dev: stackTarget("dev"), review: stackTarget("review") };
        assert.doesNotThrow(() => checkRegistriesOfTargets({ dev: undefined, review: stackRegistry("review", "multicloud-service").registriesOf }, targets));
        assert.strictEqual(stackRegistry("review", "multicloud-service").registriesOf, "dev");
    });

    it("one in another region is refused, naming both places: its images are looked for where nothing is pushed", () => {
        // Before: planned, and its up waited image.waitMinutes, then said the image was never pushed.
        const dev = stackTarget("dev");
        const targets = { dev, review: { ...dev, awsRegion: "eu-west-1", gcpRegion: "europe-west1" } };
        assert.throws(
            () => checkRegistriesOfTargets({ review: "dev" }, targets),
            /a stack would wait for images that are never pushed where it looks; nothing was deployed:\n {2}- Pulumi\.review\.yaml runs dev's registries \(image\.registriesOf: dev\) from aws:region eu-west-1, gcp:project multicloud-service-dev, gcp:region europe-west1, but they are in aws:region ap-northeast-1, gcp:project multicloud-service-dev, gcp:region asia-northeast1: deploy it where dev is, or give it registries of its own$/,
        );
        assert.throws(() => checkRegistriesOfTargets({ review: "dev" }, { dev, review: { ...dev, gcpProject: "another-project" } }), /gcp:project another-project/);
        // A repository's location is its stack's gcp:region (components/gcp/imageRegistry.ts, `location: args.region`): the same project in another region has none of dev's.
        assert.throws(() => checkRegistriesOfTargets({ review: "dev" }, { dev, review: { ...dev, gcpRegion: "europe-west1" } }), /from aws:region ap-northeast-1, gcp:project multicloud-service-dev, gcp:region europe-west1, but they are in/);
    });
});
